"""The plain RNN and its memory problem: the cell with live numbers, unrolled, and its vanishing gradient."""

from functools import partial

import streamlit as st

from lstm_ui.components.live_chart import show_chart
from lstm_ui.components.live_svg import show_svg
from lstm_ui.compute import CELLS, HIDDEN_SIZE, cached_run, cell_params
from lstm_ui.drawings.unrolled import unrolled_svg
from lstm_ui.exercise_box import exercise_box
from lstm_ui.layout import chart_font_size, controls_area, intro, is_presenter, show_notes
from lstm_ui.notation import Notation, current_notation
from lstm_ui.prose import section
from lstm_ui.sentence import MAX_TOKENS, parse_sentence
from lstm_ui.state.widgets import select_clicked, sentence_box, step_controls
from lstm_ui.viewmodels.gradients import first_step_table, gradient_norms, live_figure
from lstm_ui.viewmodels.measured import flow_figure, flow_table, load_result, memory_span_figure, span_rows
from lstm_ui.viewmodels.rnn import step_html
from lstm_ui.viewmodels.step import numbers_tabs

STEP_VIEW = "rnn_step"  # the component: the step controls, the equations and the unrolled view


@st.fragment
def stepper(tokens: tuple[str, ...], notation: Notation, font: int) -> None:
    """The step-dependent part, one component (a step redraws one element): the controls, the caption
    and the equations with this step's numbers, and the unrolled view with the step outlined."""
    T = len(tokens)
    trace = cached_run("rnn", tokens)
    controls = step_controls(
        T,
        HIDDEN_SIZE,
        tokens,
        step_label="Step t (word)",
        unit_label="Unit j",
        font_px=font + 4,
        play=False,
    )
    t, j = controls.step, controls.unit
    equations = step_html(cell_params("rnn"), trace, tokens, t, j, notation)
    first = not is_presenter()  # a projector: the unrolled view first, on the first screen
    show_svg(
        unrolled_svg(trace.hidden, tokens, notation, selected=(t - 1, j - 1), font_size=font),
        key=STEP_VIEW,
        name="unrolled",
        on_click=partial(select_clicked, STEP_VIEW),
        controls=controls,
        html=equations if first else "",
        below="" if first else equations,
    )


notation = current_notation()
font = chart_font_size()

st.title("The plain RNN and its memory problem")
intro(section("rnn", "intro"))

with controls_area():
    sentence = sentence_box(st, label="Sentence (one step per word)")
parsed = parse_sentence(sentence, max_tokens=MAX_TOKENS)  # the unrolled view draws every word
show_notes(parsed.notes)
if not parsed.ok:
    st.stop()
tokens = parsed.tokens
T = len(tokens)

st.header("One cell, one loop")
intro(section("rnn", "cell"))
stepper(tokens, notation, font)
numbers_tabs(
    {"hidden": cached_run("rnn", tokens).hidden},
    tokens,
    notation,
    "rnn_numbers",
    "Show the hidden states' numbers",
)

st.header("The vanishing gradient, measured on your sentence")
st.markdown(section("rnn", "gradient"))
norms = {key: gradient_norms(key, tokens) for key in CELLS}
show_chart(live_figure(norms, tokens, notation, font_size=font), key="gradient", name="gradient")
first = first_step_table(norms)
st.dataframe(
    first,
    hide_index=True,
    column_config={c: st.column_config.NumberColumn(format="%.2e") for c in first.columns[1:]},
)
if T < 2:
    st.info("One word has no past: add words to see the gradient travel back.")

st.header("Measured after training: how long a gap can each cell learn?")
st.markdown(section("rnn", "measured"))
span = load_result("memory_span")
if span is None or not span_rows(span):
    st.info(section("rnn", "not_measured"))
else:
    show_chart(memory_span_figure(span, font_size=font), key="memory_span", name="memory_span")
    st.markdown(str(span.get("reading", "")))
    with st.expander("How this was measured"):
        st.markdown(str(span.get("how_measured", "")))

st.subheader("How far back the gradient reaches, before and after training")
flow = load_result("gradient_flow")
if flow is None or not flow.get("cells"):
    st.info(section("rnn", "not_measured"))
else:
    st.markdown(section("rnn", "flow"))
    show_chart(flow_figure(flow, font_size=font), key="flow", name="flow")
    st.dataframe(flow_table(flow), hide_index=True)
    with st.expander("How this was measured"):
        st.markdown(str(flow.get("how_measured", "")))
exercise_box("views/rnn.py")  # issue 19: predict, then reveal
