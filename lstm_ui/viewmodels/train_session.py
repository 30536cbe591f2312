"""The parts of the Train page that read this session's job: how often it is polled, which of a race's
lanes and which snapshot are shown, the gradient paths of a snapshot, the measured study next to a race,
and the links that open the session's trained model in the other pages."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lstm_core.train import Snapshot
from lstm_core.train.snapshot import DIAGRAM_STEP
from lstm_ui.components.live_svg import Drawing
from lstm_ui.drawings.colours import cell_style, palette
from lstm_ui.drawings.gradient_path import Lane, cell_gradient_svg
from lstm_ui.layout import controls_row
from lstm_ui.notation import Notation
from lstm_ui.prose import section
from lstm_ui.state import view
from lstm_ui.trained_models import STORY_TASKS, find_trained
from lstm_ui.training import SessionJob
from lstm_ui.viewmodels.train import describe, lab_tasks, lane_at
from lstm_ui.viewmodels.train_study import study, study_at_gap, study_task

ERROR = "train_error"  # session key: why the last Train or Race could not be queued
SCRUB = "train_scrub"  # session key: the training step the snapshot slider was moved to (None: newest)
SCRUBBER, NEWEST = "train.scrub", "train.newest"  # the snapshot slider's key; the newest step it showed
LANE = "train.lane"  # the race's "Gates of" control: which lane's gates are drawn
# Polling periods by state: training, waiting, and stopped (to keep its lease, 20 s, for Resume); a job
# that has ended is not polled.
POLL_SECONDS = {"running": 0.5, "queued": 1.0, "stopped": 5.0}


def poll_every(job: SessionJob | None) -> float | None:
    """The polling period for ``job`` (None: nothing to poll)."""
    return None if job is None else POLL_SECONDS.get(job.state)


def shown_lane(job: SessionJob) -> int:
    """The lane whose gates are drawn: the one run, or the race's lane chosen (its LSTM at first)."""
    if not job.race:
        return 0
    lane = st.session_state.get(LANE)
    return lane if isinstance(lane, int) and 0 <= lane < len(job.specs) else len(job.specs) - 1


def race_entries(job: SessionJob, step: int) -> list[tuple[str, Snapshot]]:
    """(cell, its snapshot at ``step`` or the last before it) for every lane of the race that has one."""
    return [(lane.cell, lane_at(lane, step)) for lane in job.status.lanes if lane.snapshots]


def path_lanes(entries: Sequence[tuple[str, Snapshot]], notation: Notation) -> list[Lane]:
    """The gradient paths of each (cell, snapshot): an LSTM's cell-state path first, then every hidden
    path (the race's LSTM, GRU and plain RNN)."""
    c, h = notation.symbol_html("cell"), notation.symbol_html("hidden")
    lanes = []
    for cell, snap in entries:
        if snap.d_cell_norm is not None:
            title = cell_style(cell)[0]
            lanes.append(
                Lane(f"{cell}-cell", f"{title} cell state {c}", palette()["cell_line"], snap.d_cell_norm)
            )
    for cell, snap in entries:
        title, colour = cell_style(cell)
        lanes.append(Lane(f"{cell}-hidden", f"{title} hidden state {h}", colour, snap.d_hidden_norm))
    return lanes


def cell_path_drawing(entries: Sequence[tuple[str, Snapshot]], notation: Notation) -> Drawing | None:
    """The LSTM's cell diagram at the probe's second step, its cell-state line as wide as the gradient it
    carries back (the LSTM of ``entries``; None without one)."""
    snap = next((s for _, s in entries if s.cell_step is not None), None)
    if snap is None:
        return None
    values = {**snap.cell_step, "x": snap.cell_step["xs"]}
    step = DIAGRAM_STEP
    title = f"The LSTM cell: its cell-state line as wide as the gradient it carries back to step {step}"
    where = f"At step {step + 1} (“{snap.tokens[step]}”) of the test sequence"  # in the drawing, clear of
    svg = cell_gradient_svg(values, snap.d_cell_norm, step, notation, where)  # its download buttons
    return Drawing(svg, "gradient-cell", title, wide=False)


def keep_label(job: SessionJob, lane: int) -> tuple[str, str] | None:
    """(title, description) under which the lane's model is kept for the other pages; None for a GRU or
    plain RNN (those pages show LSTMs)."""
    spec, progress = job.specs[lane], job.status.lanes[lane]
    if spec.config.cell != "lstm":
        return None
    setup = lab_tasks()[spec.task]
    held = f", {progress.eval_accuracies[-1]:.0%} held out" if progress.eval_accuracies.size else ""
    size = f"{spec.config.hidden_size} units"
    title = f"trained here: LSTM, {size}, {setup.title.lower()} ({progress.step:,} steps{held})"
    about = f"Trained in this browser tab: {describe(spec)}, {progress.step:,} steps{held}."
    return title, about


def open_in_step_through(key: str, probe: tuple[str, ...]) -> None:
    """(The button.) The view shows the trained model on its probe sequence, in step-through."""
    view.set_view(model=key, sentence=" ".join(probe), step=1, unit=1)
    st.switch_page("views/step_through.py", query_params=view.url_params())


def open_in_stories(key: str, example: str) -> None:
    """(The button.) Stories tells ``example`` with the trained model."""
    view.set_view(example=example, story_model=key, text=None, word=None)
    st.switch_page("views/stories.py", query_params=view.url_params())


def model_links(job: SessionJob) -> None:
    """The kept LSTM's buttons and links to step-through and the cell page, and to Stories when its task
    has words (``STORY_TASKS``)."""
    if not job.kept:
        if job.state in ("stopped", "done") and not any(s.config.cell == "lstm" for s in job.specs):
            st.caption(section("train", "not_lstm"))
        return
    lane, _, key = job.kept[-1]
    probe = job.status.lanes[lane].snapshots[-1].tokens
    st.markdown(section("train", "models"))
    row = controls_row()
    if row.button(f"Open “{key}” in step-through", icon=":material/play_circle:", key="train.open"):
        open_in_step_through(key, probe)
    query = {**view.url_params(), "model": key, "sentence": " ".join(probe), "step": "1", "unit": "1"}
    row.page_link("views/step_through.py", label="Step through", query_params=query, icon=":material/link:")
    row.page_link("views/cell.py", label="Inside the cell", query_params=query, icon=":material/memory:")
    model = find_trained(key)
    if model is None or model.story is None:
        return
    example = STORY_TASKS[model.task][1]
    st.markdown(section("train", "models_stories"))
    row = controls_row()
    if row.button(f"Open “{key}” in Stories", icon=":material/auto_stories:", key="train.stories"):
        open_in_stories(key, example)
    kept = {k: v for k, v in view.url_params().items() if k not in ("text", "word")}
    told = {**kept, "example": example, "story_model": key}
    row.page_link("views/stories.py", label="Stories", query_params=told, icon=":material/link:")


def study_note(gap: object) -> None:
    """The measured study's result at the gap nearest the race's, when it measured this task."""
    doc = study()
    found = study_at_gap(doc, int(gap)) if doc and study_task(doc) == "long_lag" and gap else None
    if found is None:
        return
    near, lines = found
    with st.container(border=True):
        st.markdown(section("train", "study"))
        st.markdown(f"At a gap of **{near}**: " + "; ".join(lines) + ".")
        with st.expander("What the study concluded"):
            st.markdown(str(doc.get("reading", "")))
