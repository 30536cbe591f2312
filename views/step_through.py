"""Step through a sentence: any text, every gate and state as tokens × units heatmaps, step by step."""

import time
from functools import partial

import streamlit as st

from lstm_ui.components.live_svg import (
    clicked_square,
    export_buttons_html,
    requested_export,
    show_svg,
)
from lstm_ui.compute import get_model, input_notes, trace_arrays
from lstm_ui.drawings.folding import fold_steps
from lstm_ui.drawings.heatmap import trace_svg
from lstm_ui.equations import cell_values
from lstm_ui.exercise_box import exercise_box
from lstm_ui.export import trace_file
from lstm_ui.layout import chart_font_size, controls_area, controls_row, intro, is_presenter, show_notes
from lstm_ui.notation import current_notation
from lstm_ui.prose import read_text
from lstm_ui.sentence import EXAMPLES, parse_sentence
from lstm_ui.state import view
from lstm_ui.state.widgets import model_select, move, sentence_box, step_controls
from lstm_ui.viewmodels.clamp_section import clamp_changes, clamp_controls  # issue 18: gates set by hand
from lstm_ui.viewmodels.intervene import page_trace  # issue 18
from lstm_ui.viewmodels.step import numbers_tabs, step_detail_html, step_strip_html

PLAY_SECONDS = 0.8  # one step per tick while playing
PLAYING = "playing"  # session key: is the animation running (a run's state, not the view's)
EXAMPLE = "step_example"  # the example picker's key: it shows the example whose sentence is the view's
LAST_TICK = "_last_tick"  # non-widget: time.monotonic() of the animation's last step
EXPORT, EXPORT_COUNT = "trace_export", "trace_export_count"  # the asked-for file: (format, request number)
EXPORTS = {"csv": "CSV", "json": "JSON"}


def load_example() -> None:
    key = st.session_state.get(EXAMPLE)
    if key in EXAMPLES:
        view.set_view(sentence=EXAMPLES[key], step=1)


def toggle_play(n_steps: int) -> None:
    playing = not st.session_state.get(PLAYING, False)
    if playing and int(view.get("step")) >= n_steps:
        view.set_view(step=1)  # play again from the start
    st.session_state[PLAYING] = playing


def on_export() -> None:
    """An export button under the heatmaps (CSV, JSON): the next run of the step view sends the file."""
    fmt = requested_export("heat")
    if fmt in EXPORTS:
        request = int(st.session_state.get(EXPORT_COUNT, 0)) + 1
        st.session_state[EXPORT], st.session_state[EXPORT_COUNT] = (fmt, request), request


def on_heat_click() -> None:
    """A click on a heatmap square, or a move of the step controls (buttons, sliders, ← / →), selects
    that step and unit (and pauses the animation)."""
    cell = clicked_square("heat")
    if cell is not None:
        move("heat", step=cell[0], unit=cell[1])
        st.session_state[PLAYING] = False


def tick_due() -> bool:
    """(While playing.) Is this run the animation's next tick? Other runs of the stepper come in between
    (a notation switch's full run): the step moves once per tick, not once per run."""
    now = time.monotonic()
    if now - float(st.session_state.get(LAST_TICK, float("-inf"))) < PLAY_SECONDS * 0.75:
        return False
    st.session_state[LAST_TICK] = now
    return True


def stepper(model_key: str, tokens: tuple[str, ...], started_playing: bool) -> None:
    """The step controls with the strip, the heatmaps and the detail (the selected step's equations) as one
    component, so a step redraws one element and the link below it; reruns alone (and on a timer while
    playing)."""
    playing = bool(st.session_state.get(PLAYING, False))
    if playing != started_playing:
        st.rerun(scope="app")  # start or stop the timer
    trace = page_trace(model_key, tokens)  # issue 18: with the view's clamps, if any
    arrays = trace_arrays(trace)
    T, H = trace.steps, trace.hidden_size
    if playing and tick_due():
        current = int(view.get("step"))
        if current >= T:
            st.session_state[PLAYING] = False
            st.rerun(scope="app")
        view.set_view(step=current + 1)

    notation, font = current_notation(), chart_font_size()
    controls = step_controls(
        T,
        H,
        tokens,
        playing=playing,
        step_label="Step t (word)",
        unit_label="Unit j",
        font_px=font + 4,
    )
    t, j = controls.step, controls.unit
    asked = st.session_state.pop(EXPORT, None)
    strip = step_strip_html(arrays, t - 1, j - 1, tokens[t - 1], notation, font_px=font + 2)
    large = is_presenter()  # a projector: the heatmaps first, the strip of this step's values under them
    detail = step_detail_html(cell_values(trace, t - 1), tokens[t - 1], t - 1, j - 1, notation)
    show_svg(
        trace_svg(
            arrays, tokens, notation, selected=(t - 1, j - 1), font_size=font, fold=fold_steps(T, (t - 1,), 3)
        ),
        key="heat",
        name="step_through",
        on_click=on_heat_click,
        controls=controls,
        html="" if large else strip,
        on_play=partial(toggle_play, T),
        below=(strip if large else "") + detail + export_buttons_html("Download the whole trace:", EXPORTS),
        on_export=on_export,
        file=trace_file(arrays, tokens, model_key, *asked) if asked else None,
    )
    clamp_changes(model_key, tokens, t, j, notation, font, key="heat_clamps")  # issue 18: before / after
    st.page_link(
        "views/cell.py",
        label=f"Open step {t}, unit {j} inside the cell",
        icon=":material/memory:",
        query_params=view.url_params(),
    )


@st.fragment
def sentence_view() -> None:
    """The sentence, the model and everything drawn from them: typing a sentence or choosing a model
    reruns only this (not the sidebar, the title and the text above)."""
    with controls_area():
        sentence = sentence_box(st, label="Sentence (one step per word)")
        row = controls_row()
        model_key = model_select(row, label="Model")
        shown = next((k for k, text in EXAMPLES.items() if text == sentence), None)
        if st.session_state.get(EXAMPLE) != shown:
            st.session_state[EXAMPLE] = shown  # the picker shows the sentence's example, or none
        row.selectbox(
            "Load an example",
            list(EXAMPLES),
            index=None,
            key=EXAMPLE,
            on_change=load_example,
            format_func=lambda k: EXAMPLES[k],
            placeholder="Choose a sentence from the lectures…",
        )
        st.caption(get_model(model_key).description)

    parsed = parse_sentence(sentence)
    show_notes(parsed.notes + input_notes(model_key, parsed.tokens))

    if parsed.ok:
        playing = bool(st.session_state.get(PLAYING, False))
        clamp_controls("step", model_key, parsed.tokens, current_notation())  # issue 18: set gates by hand
        st.fragment(stepper, run_every=PLAY_SECONDS if playing else None)(model_key, parsed.tokens, playing)

        with controls_area("Numbers"):
            arrays = trace_arrays(page_trace(model_key, parsed.tokens))  # issue 18: with the clamps
            numbers_tabs(arrays, parsed.tokens, current_notation(), key="show_numbers")


st.title("Step through a sentence")
intro(read_text("step_through_intro"))
sentence_view()
exercise_box("views/step_through.py")  # issue 19: predict, then reveal
