"""Gate by Gate: the router. Pages come from ``lstm_ui.layout.PAGES``. Every full run first settles the
view (``lstm_ui.state.view``: a link's parameters, then the whole view written back to the URL); the
sidebar holds the notation switch and presenter mode."""

import streamlit as st

from lstm_ui.layout import FAVICON, PAGES, apply_presenter_style, is_presenter
from lstm_ui.state import view
from lstm_ui.state.widgets import notation_switch, presenter_toggle

# Before st.navigation: the tab's icon is this file, never a page's material icon (fetched from Google).
st.set_page_config(page_title="Gate by Gate", page_icon=FAVICON, layout="wide")
navigation = st.navigation(
    [
        st.Page(
            entry.file, title=entry.title, icon=entry.icon, url_path=entry.url_path, default=entry.default
        )
        for entry in PAGES
    ]
)
view.start_run(navigation.url_path)
if is_presenter():
    st.set_page_config(initial_sidebar_state="collapsed")
with st.sidebar:
    notation_switch()
    presenter_toggle()
apply_presenter_style()
for note in view.link_notes():
    st.warning(note)
navigation.run()
