"""Gate by Gate: the router. Pages come from ``lstm_ui.layout.PAGES``; the sidebar holds the global
notation switch and the presenter toggle, both kept in the URL (``?notation=…&presenter=true``)."""

import streamlit as st

from lstm_ui.layout import FAVICON, PAGES, apply_presenter_style, is_presenter, presenter_toggle
from lstm_ui.notation import notation_switch
from lstm_ui.state import init_session_defaults, url_after_full_run, url_on_full_run

st.set_page_config(
    page_title="Gate by Gate",
    page_icon=FAVICON,
    layout="wide",
    initial_sidebar_state="collapsed" if is_presenter() else "auto",
)
init_session_defaults()
url_on_full_run()
navigation = st.navigation(
    [
        st.Page(
            entry.file, title=entry.title, icon=entry.icon, url_path=entry.url_path, default=entry.default
        )
        for entry in PAGES
    ]
)
with st.sidebar:
    notation_switch()
    presenter_toggle()
apply_presenter_style()
navigation.run()
url_after_full_run()  # (a page stopped by bad input calls it itself: layout.stop_page)
