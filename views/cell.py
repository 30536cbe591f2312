"""Inside the LSTM cell: the diagram with live numbers, the four steps, the equations and the filters."""

from functools import partial

import streamlit as st

from lstm_ui.components.live_svg import Choice, chosen, reported, show_svg
from lstm_ui.compute import get_model
from lstm_ui.drawings.cell_diagram import cell_svg, load_steps
from lstm_ui.drawings.filters import Z_RANGE
from lstm_ui.equations import cell_values
from lstm_ui.exercise_box import exercise_box
from lstm_ui.layout import controls_area, controls_row, intro, is_presenter, show_notes
from lstm_ui.notation import Notation, current_notation
from lstm_ui.prose import read_text
from lstm_ui.sentence import parse_sentence
from lstm_ui.state import view
from lstm_ui.state.widgets import model_select, move, select_clicked, sentence_box, step_controls
from lstm_ui.viewmodels.cell import (
    PROBES,
    caption_html,
    equations_html,
    filter_drawings,
    filters_html,
    heading_html,
    stage_title,
)
from lstm_ui.viewmodels.clamp_section import clamp_changes, clamp_controls, clamp_notice  # issue 18
from lstm_ui.viewmodels.intervene import page_trace  # issue 18

DIAGRAM = "cell_diagram"  # the component: the controls, the diagram, the equations and the filters


def on_stage() -> None:
    """One of the four steps was pressed."""
    stage = chosen(DIAGRAM)
    if stage in steps["steps"]:
        move(DIAGRAM, "choice", stage=stage)


def on_probe() -> None:
    """A probe slider of the filters was let go."""
    probe = reported(DIAGRAM)
    if probe is not None and probe[0] in PROBES and abs(probe[1]) <= Z_RANGE:
        st.session_state[probe[0]] = probe[1]


@st.fragment
def step_view(model_key: str, tokens: tuple[str, ...], notation: Notation, large: bool) -> None:
    """Everything that depends on the step, unit, stage and probes: changing them reruns only this. It is
    one component (controls, diagram, equations, filters), so a step redraws one element, not a dozen."""
    T = len(tokens)
    H = get_model(model_key).hidden_size
    order = steps["order"]
    stage = str(view.get("stage"))
    info = steps["steps"][stage]
    stages = tuple(
        (k, f"{steps['steps'][k]['number']} {stage_title(k, steps['steps'][k], notation)}") for k in order
    )
    controls = step_controls(
        T,
        H,
        tokens,
        step_label="Step t (word of the sentence)",
        unit_label=f"Unit j (of {H})",
        font_px=22 if large else 16,
        play=False,
        choice=Choice("Step of the cell", stages, stage, param="stage"),
    )
    t, j = controls.step, controls.unit
    values = cell_values(page_trace(model_key, tokens), t - 1)  # issue 18: with the view's clamps, if any
    title = f"Step {info['number']}: {stage_title(stage, info, notation).lower()} (t = {t}, unit {j})"
    probes = {key: float(st.session_state.get(key, 0.0)) for key in PROBES}
    heading = heading_html(t, T, tokens[t - 1], j, stage, info, notation)  # a projector: under the diagram
    clamp_notice(model_key, tokens, t, j, notation)  # issue 18: this step and unit's gate set by hand?
    show_svg(
        cell_svg(values, j - 1, info, notation, large=large, title=title),
        key=DIAGRAM,
        name="cell-diagram",
        on_click=partial(select_clicked, DIAGRAM),
        controls=controls,
        html="" if large else heading,
        side=equations_html(values, j - 1, info, notation),
        below=(heading if large else "") + caption_html(info, notation) + filters_html(probes),
        more=filter_drawings(values, j - 1, notation, probes, large),
        on_choice=on_stage,
        on_input=on_probe,
    )
    clamp_changes(model_key, tokens, t, j, notation, 18 if large else 12, key="cell_clamps")  # issue 18


notation = current_notation()
large = is_presenter()
steps = load_steps()

st.title("Inside the LSTM cell")
intro(read_text("cell"))

with controls_area():
    row = controls_row()
    sentence = sentence_box(row)
    model_key = model_select(row, width=300)

parsed = parse_sentence(sentence)
show_notes(parsed.notes)
if not parsed.ok:
    st.info("Type a sentence above to run the cell on it.")
    st.stop()

clamp_controls("cell", model_key, parsed.tokens, notation)  # issue 18: set gates by hand
step_view(model_key, parsed.tokens, notation, large)
exercise_box("views/cell.py")  # issue 19: predict, then reveal
