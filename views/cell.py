"""Inside the LSTM cell: the diagram with live numbers, the four steps, the equations and the filters."""

from html import escape

import streamlit as st

from lstm_ui import state
from lstm_ui.diagram import cell_svg, load_steps
from lstm_ui.equations import EQUATION_ORDER, GATES, cell_values, unit_equations
from lstm_ui.filters import filter_figure
from lstm_ui.layout import controls_area, is_presenter, read_text, show_notes
from lstm_ui.live_chart import show_chart
from lstm_ui.live_svg import Choice, StepControls, chosen, clicked_square, markdown_html, show_svg, tex_html
from lstm_ui.models import get_model, lstm_trace, model_params
from lstm_ui.notation import Notation, current_notation
from lstm_ui.text import parse_sentence
from lstm_ui.url_choice import keep_in_url, start_from_url

STAGE = "stage"  # page-local URL parameter: which of the four steps is highlighted
DIAGRAM = "cell_diagram"  # the component: the controls, the diagram and the equations


def on_move() -> None:
    """The diagram's controls (buttons, sliders, ← / →) moved the step or unit."""
    cell = clicked_square(DIAGRAM)
    if cell is not None:
        state.set_cell(*cell)


def on_stage() -> None:
    """One of the four steps was pressed."""
    stage = chosen(DIAGRAM)
    if stage in steps["steps"]:
        st.session_state[STAGE] = stage


def equations_html(values: dict, j: int, info: dict, notation: Notation) -> str:
    """The stage's equations with this unit's numbers, then the rest behind a "show all" (typeset only
    when opened)."""
    latex = unit_equations(values, j, notation)
    rest = "".join(tex_html(latex[name]) for name in EQUATION_ORDER if name not in info["equations"])
    return (
        f"<h3>The equations — {escape(notation.title)}</h3>"
        + "".join(tex_html(latex[name]) for name in info["equations"])
        + '<details data-keep="all"><summary>All of the cell\'s equations with this unit\'s numbers</summary>'
        + rest
        + "</details>"
    )


@st.fragment
def step_view(model_key: str, tokens: tuple[str, ...], notation: Notation, large: bool) -> None:
    """Everything that depends on the step, unit and stage: changing them reruns only this. The controls,
    the diagram and its equations are one component, so a step redraws one element, not a dozen."""
    T = len(tokens)
    H = get_model(model_key).hidden_size
    trace = lstm_trace(model_key, tokens)
    t, j = state.prepare_int(state.STEP, 1, T), state.prepare_int(state.UNIT, 1, H)
    state.keep_cell_in_url(t, j)
    order = steps["order"]
    start_from_url(STAGE, order, order[0])
    stage = st.session_state[STAGE]
    keep_in_url(STAGE, stage, order[0])
    info = steps["steps"][stage]
    values = cell_values(trace, t - 1, model_params(model_key))

    controls = StepControls(
        steps=T,
        units=H,
        step=t,
        unit=j,
        tokens=tokens,
        step_label="Step t (word of the sentence)",
        unit_label=f"Unit j (of {H})",
        font_px=22 if large else 16,
        play=False,
        choice=Choice(
            "Step of the cell",
            tuple((k, f"{steps['steps'][k]['number']} {steps['steps'][k]['title']}") for k in order),
            stage,
        ),
    )
    heading = (
        f"<p><strong>t = {t} of {T}</strong>, token <strong>{escape(repr(tokens[t - 1]))}</strong>, "
        f"unit <strong>j = {j}</strong> — step {info['number']}, <em>{escape(info['title'].lower())}</em>: "
        f"{escape(info['question'])}</p>"
    )
    svg = cell_svg(
        values,
        j - 1,
        info,
        notation,
        large=large,
        title=f"Step {info['number']}: {info['title'].lower()} (t = {t}, unit {j})",
    )
    show_svg(
        svg,
        key=DIAGRAM,
        name="cell-diagram",
        on_click=on_move,
        controls=controls,
        html=heading,
        side=equations_html(values, j - 1, info, notation),
        below=f'<p class="gbg-caption">{escape(info["caption"])}</p>' + FILTERS_HTML,
        on_choice=on_stage,
    )

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

FILTERS_HTML = "<h3>σ and tanh are filters</h3>" + markdown_html(read_text("cell_filters"))
step_view(model_key, parsed.tokens, notation, large)
