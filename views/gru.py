"""GRU: the same sentence through a GRU and an LSTM, gates side by side, the GRU's equations live."""

from functools import partial

import streamlit as st

from lstm_ui.components.live_svg import Choice, chosen, show_svg
from lstm_ui.exercise_box import exercise_box
from lstm_ui.layout import chart_font_size, controls_area, intro, is_presenter, show_notes
from lstm_ui.notation import Notation, current_notation
from lstm_ui.prose import section
from lstm_ui.sentence import parse_sentence
from lstm_ui.state import view
from lstm_ui.state.widgets import move, select_clicked, sentence_box, step_controls
from lstm_ui.viewmodels.gru import (
    GATE_PANELS,
    LSTM_PANELS,
    STATE_PANELS,
    WEIGHT_SETS,
    general_markdown,
    load_pair,
    step_drawings,
    step_html,
    top_html,
)
from lstm_ui.viewmodels.step import numbers_tabs

VIEW = "gru_step"  # the component: step controls and weights, the three heatmaps, the step's equations
NUMBERS = ("gru_numbers", "lstm_numbers")  # the numbers tables' toggles (outside the step view)


def on_weights() -> None:
    """One of the weight sets was pressed."""
    weights = chosen(VIEW)
    if weights in WEIGHT_SETS:
        move(VIEW, "choice", weights=weights)


@st.fragment
def step_view(tokens: tuple[str, ...], notation: Notation, font: int, page_weights: str) -> None:
    """Everything that depends on the step, unit and weights, as one component: a step (or a switch of
    the weights) redraws one element."""
    weights = str(view.get("weights"))
    if weights != page_weights and any(st.session_state.get(key) for key in NUMBERS):
        st.rerun(scope="app")  # the numbers tables below show the other weights: redraw them too
    pair, weights, error = load_pair(weights, tokens)
    if error:
        st.error(error)
        view.set_view(weights=weights)
    T, H = len(pair.tokens), pair.gru.hidden_size
    controls = step_controls(
        T,
        H,
        pair.tokens,
        step_label="Step t (word)",
        unit_label="Unit j",
        font_px=font + 4,
        play=False,  # the point is comparing the gates, step by step, with the equations: no animation
        choice=Choice(
            "Weights", tuple((k, w.title) for k, w in WEIGHT_SETS.items()), weights, param="weights"
        ),
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
        html=top_html(weights, is_presenter()),
        below=step_html(pair, notation, t, j),
    )


notation = current_notation()
font = chart_font_size()

st.title("GRU: two gates, one state")
intro(section("gru", "intro"))
if not is_presenter():  # a projector: the heatmaps first, the equations under them
    st.markdown(general_markdown(notation))
with controls_area():
    sentence = sentence_box(st, label="Sentence (one step per word)")

parsed = parse_sentence(sentence)
show_notes(parsed.notes)
if not parsed.ok:
    st.stop()
step_view(parsed.tokens, notation, font, str(view.get("weights")))
if is_presenter():
    st.markdown(general_markdown(notation))
pair, _, _ = load_pair(str(view.get("weights")), parsed.tokens)
gru_arrays = {name: getattr(pair.gru, name) for name in (*GATE_PANELS, *STATE_PANELS)}
numbers_tabs(gru_arrays, pair.tokens, notation.for_gru(), NUMBERS[0], "Show the GRU's numbers")
lstm_arrays = {name: getattr(pair.lstm, name) for name in LSTM_PANELS}
numbers_tabs(lstm_arrays, pair.tokens, notation, NUMBERS[1], "Show the LSTM's numbers")
exercise_box("views/gru.py")  # issue 19: predict, then reveal
