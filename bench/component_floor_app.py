"""A second floor for bench_browser.py: a fragment holding one live drawing (the step page's heatmap) and
nothing else; a click on a square reruns the fragment, which moves the selection.

Its time is what a step costs when everything a step changes is one component, without Streamlit's own
widgets around it (each re-rendered widget or text adds several ms in the browser). Not part of the app.
"""

import streamlit as st

from lstm_ui.components.live_svg import clicked_square, show_svg
from lstm_ui.compute import DEFAULT_MODEL, lstm_trace, trace_arrays
from lstm_ui.drawings.heatmap import trace_svg
from lstm_ui.notation import get_notation
from lstm_ui.sentence import DEFAULT_SENTENCE, parse_sentence

TOKENS = parse_sentence(DEFAULT_SENTENCE).tokens


def select_clicked() -> None:
    cell = clicked_square("heat")
    if cell is not None:
        st.session_state["selected"] = cell


@st.fragment
def view() -> None:
    t, j = st.session_state.get("selected", (1, 1))
    arrays = trace_arrays(lstm_trace(DEFAULT_MODEL, TOKENS))
    svg = trace_svg(arrays, TOKENS, get_notation("colah"), selected=(t - 1, j - 1))
    show_svg(svg, key="heat", name="component_floor", on_click=select_clicked)


st.title("Component floor")
view()
