"""Inside the LSTM cell: the diagram with live numbers, the four steps, the equations and the filters."""

import streamlit as st

from lstm_ui import state
from lstm_ui.diagram import cell_svg, load_steps
from lstm_ui.equations import EQUATION_ORDER, GATES, cell_values, unit_equations
from lstm_ui.filters import filter_figure
from lstm_ui.layout import controls_area, is_presenter, read_text, show_notes
from lstm_ui.live_chart import show_chart
from lstm_ui.live_svg import show_svg
from lstm_ui.models import get_model, lstm_trace, model_params
from lstm_ui.notation import Notation, current_notation
from lstm_ui.text import parse_sentence

STAGE = "stage"  # page-local URL parameter: which of the four steps is highlighted


@st.fragment
def step_view(model_key: str, tokens: tuple[str, ...], notation: Notation, large: bool) -> None:
    """Everything that depends on the step, unit and stage: changing them reruns only this."""
    T = len(tokens)
    spec = get_model(model_key)
    trace = lstm_trace(model_key, tokens)
    nav = st.columns([2, 2, 8, 5], vertical_alignment="bottom")
    nav[0].button("◀ Prev", key="prev", on_click=state.shift_step, args=(-1, T), shortcut="ArrowLeft")
    nav[1].button("Next ▶", key="next", on_click=state.shift_step, args=(1, T), shortcut="ArrowRight")
    with nav[2]:
        t = state.step_slider(T, label="Step t (word of the sentence)")
    with nav[3]:
        j = state.unit_slider(spec.hidden_size, label=f"Unit j (of {spec.hidden_size})")

    stage = st.segmented_control(
        "Step of the cell",
        steps["order"],
        default=steps["order"][0],
        required=True,
        format_func=lambda k: f"{steps['steps'][k]['number']} {steps['steps'][k]['title']}",
        key=STAGE,
        bind="query-params",
        persist_state="session",
    )
    info = steps["steps"][stage]

    values = cell_values(trace, t - 1, model_params(model_key))
    st.markdown(
        f"**t = {t} of {T}**, token **{tokens[t - 1]!r}**, unit **j = {j}** — "
        f"step {info['number']}, *{info['title'].lower()}*: {info['question']}"
    )

    diagram_col, eq_col = st.columns([3, 2], gap="medium")
    with diagram_col:
        svg = cell_svg(
            values,
            j - 1,
            info,
            notation,
            large=large,
            title=f"Step {info['number']}: {info['title'].lower()} (t = {t}, unit {j})",
        )
        show_svg(svg, key="cell_diagram", name="cell-diagram")
        st.caption(info["caption"])

    with eq_col:
        st.subheader(f"The equations — {notation.title}")
        latex = unit_equations(values, j - 1, notation)
        for name in info["equations"]:
            st.latex(latex[name])
        # A toggle, not an expander: an expander's hidden equations are typeset again on every step.
        if st.toggle("All of the cell's equations with this unit's numbers", key="all_equations"):
            for name in EQUATION_ORDER:
                if name not in info["equations"]:
                    st.latex(latex[name])

    st.subheader("σ and tanh are filters")
    st.markdown(read_text("cell_filters"))
    marks_sig = {
        notation.symbol_plain(g): float(values[f"pre_{g}"][j - 1]) for g in GATES if g != "candidate"
    }
    marks_tanh = {notation.symbol_plain("candidate"): float(values["pre_candidate"][j - 1])}
    sig_col, tanh_col = st.columns(2, gap="medium")
    with sig_col:
        z_sig = st.slider("Probe σ at z", -8.0, 8.0, 0.0, 0.1, key="probe_sigmoid")
        show_chart(filter_figure("sigmoid", z_sig, marks_sig, large), key="fig_sigmoid", name="sigmoid")
    with tanh_col:
        z_tanh = st.slider("Probe tanh at z", -8.0, 8.0, 0.0, 0.1, key="probe_tanh")
        show_chart(filter_figure("tanh", z_tanh, marks_tanh, large), key="fig_tanh", name="tanh")


notation = current_notation()
large = is_presenter()
steps = load_steps()

st.title("Inside the LSTM cell")
st.markdown(read_text("cell"))

with controls_area():
    left, right = st.columns([3, 1])
    sentence = state.sentence_input(left)
    model_key = state.model_select(right)

parsed = parse_sentence(sentence)
show_notes(parsed.notes)
if not parsed.ok:
    st.info("Type a sentence above to run the cell on it.")
    st.stop()

step_view(model_key, parsed.tokens, notation, large)
