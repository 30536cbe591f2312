"""GRU: the same sentence through a GRU and an LSTM, gates side by side, the GRU's equations live."""

import streamlit as st

from lstm_ui import state
from lstm_ui.gru_view import (
    GATE_PANELS,
    GRU_PANELS,
    LSTM_PANELS,
    STATE_PANELS,
    WEIGHT_SETS,
    Pair,
    cached_pair,
    gru_latex,
    gru_notation,
)
from lstm_ui.heat_svg import HALF_WIDTH_PX, trace_svg
from lstm_ui.heatmap import numbers_tabs
from lstm_ui.layout import chart_font_size, controls_area, is_presenter, show_notes
from lstm_ui.live_svg import show_svg
from lstm_ui.notation import Notation, current_notation
from lstm_ui.sections import section
from lstm_ui.text import parse_sentence
from lstm_ui.url_choice import keep_in_url, start_from_url

WEIGHTS = "weights"  # page-local URL parameter: seeded or trained


@st.fragment
def step_view(pair: Pair, notation: Notation, font: int) -> None:
    """Everything that depends on the step and unit: moving them reruns only this."""
    tokens, gru, lstm = pair.tokens, pair.gru, pair.lstm
    H = gru.hidden_size
    left, right = st.columns(2)
    t = state.step_slider(len(tokens), left, label="Step t (word)")
    j = state.unit_slider(H, right, label="Unit j")
    selected = (t - 1, j - 1)

    st.markdown(section("gru", "compare"))
    gru_col, lstm_col = st.columns(2, gap="large")
    with gru_col:
        st.subheader("GRU: reset and update gates")
        arrays = {name: getattr(gru, name) for name in GATE_PANELS}
        svg = trace_svg(
            arrays, tokens, gru_notation(notation), selected=selected, font_size=font, width_px=HALF_WIDTH_PX
        )
        show_svg(svg, key="gru_heat", name="gru_heat")
    with lstm_col:
        st.subheader("LSTM: forget and input gates")
        arrays = {name: getattr(lstm, name) for name in LSTM_PANELS}
        svg = trace_svg(arrays, tokens, notation, selected=selected, font_size=font, width_px=HALF_WIDTH_PX)
        show_svg(svg, key="lstm_heat", name="lstm_heat")
    with st.expander("The GRU's candidate n and new state h", expanded=not is_presenter()):
        arrays = {name: getattr(gru, name) for name in STATE_PANELS}
        svg = trace_svg(arrays, tokens, gru_notation(notation), selected=selected, font_size=font)
        show_svg(svg, key="gru_states", name="gru_states")
    st.header(f"Step {t}: “{tokens[t - 1]}”, unit {j}")
    st.markdown(section("gru", "equations"))
    equations = gru_latex(pair.gru_params, gru, t - 1, j - 1, notation)
    for column, name in zip(st.columns(2), GRU_PANELS[:2], strict=True):
        column.latex(equations[name])
    for name in GRU_PANELS[2:]:
        st.latex(equations[name])


notation = current_notation()
font = chart_font_size()

st.title("GRU: two gates, one state")
if not is_presenter():
    st.markdown(section("gru", "intro"))

with controls_area():
    left, right = st.columns([3, 1])
    sentence = state.sentence_input(left, label="Sentence (one step per word)")
    keys = list(WEIGHT_SETS)
    start_from_url(WEIGHTS, keys, keys[0])
    weights = right.radio(
        "Weights", keys, format_func=lambda k: WEIGHT_SETS[k].title, key=WEIGHTS, horizontal=True
    )
    keep_in_url(WEIGHTS, weights, keys[0])
    st.caption(WEIGHT_SETS[weights].description)

parsed = parse_sentence(sentence)
show_notes(parsed.notes)
if not parsed.ok:
    st.stop()
try:
    pair = cached_pair(weights, parsed.tokens)
except ValueError as exc:  # a trained model's file is missing
    st.error(f"The {WEIGHT_SETS[weights].title} models cannot be shown: {exc}")
    st.stop()
tokens, gru, lstm = pair.tokens, pair.gru, pair.lstm

step_view(pair, notation, font)
gru_arrays = {name: getattr(gru, name) for name in (*GATE_PANELS, *STATE_PANELS)}
numbers_tabs(gru_arrays, tokens, gru_notation(notation), "gru_numbers", "Show the GRU's numbers")
lstm_arrays = {name: getattr(lstm, name) for name in LSTM_PANELS}
numbers_tabs(lstm_arrays, tokens, notation, "lstm_numbers", "Show the LSTM's numbers")
