"""GRU: the same sentence through a GRU and an LSTM, gates side by side, the GRU's equations live."""

from functools import partial

import streamlit as st

from lstm_ui import state
from lstm_ui.gru_view import (
    GATE_PANELS,
    LSTM_PANELS,
    STATE_PANELS,
    WEIGHT_SETS,
    general_markdown,
    gru_notation,
    load_pair,
    step_drawings,
    step_html,
    top_html,
)
from lstm_ui.heatmap import numbers_tabs
from lstm_ui.layout import chart_font_size, controls_area, is_presenter, show_notes, stop_page
from lstm_ui.live_svg import Choice, chosen, select_clicked, show_svg, step_controls
from lstm_ui.notation import Notation, current_notation
from lstm_ui.sections import section
from lstm_ui.text import parse_sentence
from lstm_ui.url_choice import keep_in_url, start_from_url

WEIGHTS = "weights"  # page-local URL parameter: seeded or trained (a choice in the step controls)
DEFAULT_WEIGHTS = next(iter(WEIGHT_SETS))
VIEW = "gru_step"  # the component: step controls and weights, the three heatmaps, the step's equations
NUMBERS = ("gru_numbers", "lstm_numbers")  # the numbers tables' toggles (outside the step view)


def on_weights() -> None:
    """One of the weight sets was pressed."""
    weights = chosen(VIEW)
    if weights in WEIGHT_SETS:
        st.session_state[WEIGHTS] = weights
        state.moved_by_controls()


@st.fragment
def step_view(tokens: tuple[str, ...], notation: Notation, font: int, page_weights: str) -> None:
    """Everything that depends on the step, unit and weights, as one component: a step (or a switch of
    the weights) redraws one element."""
    weights = st.session_state[WEIGHTS]
    if weights != page_weights and any(st.session_state.get(key) for key in NUMBERS):
        st.rerun(scope="app")  # the numbers tables below show the other weights: redraw them too
    pair, weights, error = load_pair(weights, tokens)
    if error:
        st.error(error)
        st.session_state[WEIGHTS] = weights
    keep_in_url(WEIGHTS, weights, DEFAULT_WEIGHTS)
    T, H = len(pair.tokens), pair.gru.hidden_size
    controls = step_controls(
        T,
        H,
        pair.tokens,
        step_label="Step t (word)",
        unit_label="Unit j",
        font_px=font + 4,
        play=False,  # the point is comparing the gates, step by step, with the equations: no animation
        choice=Choice("Weights", tuple((k, w.title) for k, w in WEIGHT_SETS.items()), weights),
    )
    t, j = controls.step, controls.unit
    gates, *more = step_drawings(pair, notation, t, j, font)
    show_svg(
        gates.svg,
        key=VIEW,
        name=gates.name,
        title=gates.title,
        wide=gates.wide,
        more=more,
        on_click=partial(select_clicked, VIEW),
        on_choice=on_weights,
        controls=controls,
        html=top_html(weights),
        below=step_html(pair, notation, t, j),
    )


notation = current_notation()
font = chart_font_size()

st.title("GRU: two gates, one state")
if not is_presenter():
    st.markdown(section("gru", "intro"))
st.markdown(general_markdown(notation))
with controls_area():
    sentence = state.sentence_input(st, label="Sentence (one step per word)")
start_from_url(WEIGHTS, list(WEIGHT_SETS), DEFAULT_WEIGHTS)

parsed = parse_sentence(sentence)
show_notes(parsed.notes)
if not parsed.ok:
    stop_page()
step_view(parsed.tokens, notation, font, st.session_state[WEIGHTS])
pair, _, _ = load_pair(st.session_state[WEIGHTS], parsed.tokens)
gru_arrays = {name: getattr(pair.gru, name) for name in (*GATE_PANELS, *STATE_PANELS)}
numbers_tabs(gru_arrays, pair.tokens, gru_notation(notation), NUMBERS[0], "Show the GRU's numbers")
lstm_arrays = {name: getattr(pair.lstm, name) for name in LSTM_PANELS}
numbers_tabs(lstm_arrays, pair.tokens, notation, NUMBERS[1], "Show the LSTM's numbers")
