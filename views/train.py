"""Train it yourself: choose a task and a cell, press Train (or Race) and watch the network learn, live."""

import streamlit as st

from lstm_ui import training
from lstm_ui.components.live_chart import show_chart
from lstm_ui.components.live_svg import Drawing, show_svg
from lstm_ui.drawings.gradient_path import gradient_path_svg
from lstm_ui.drawings.heatmap import trace_svg
from lstm_ui.layout import chart_font_size, controls_area, controls_row, intro
from lstm_ui.notation import current_notation
from lstm_ui.prose import section
from lstm_ui.state import view
from lstm_ui.state.train_controls import train_controls
from lstm_ui.state.widgets import show
from lstm_ui.viewmodels.train import (
    cell_title,
    job_caption,
    lab_tasks,
    progress,
    race_of,
    resolve,
    run_spec,
    snapshot_html,
    snapshot_index,
    state_line,
)
from lstm_ui.viewmodels.train_charts import curves_figure, gradient_figure
from lstm_ui.viewmodels.train_session import (
    ERROR,
    LANE,
    NEWEST,
    SCRUB,
    SCRUBBER,
    cell_path_drawing,
    keep_label,
    model_links,
    path_lanes,
    poll_every,
    race_entries,
    shown_lane,
    study_note,
)

GATES = "train_gates"  # the component: the snapshot's heatmaps and the gradient path drawing


def queue(race: bool) -> None:
    """(Train / Race.) Queue the view's run, or its race, replacing this session's job."""
    spec = run_spec(resolve(view.get))
    st.session_state[ERROR] = training.start(race_of(spec) if race else (spec,))
    st.session_state[SCRUB] = None


def scrubbed() -> None:
    """The snapshot slider moved: show that training step (its newest position: follow the run)."""
    step, newest = st.session_state[SCRUBBER], st.session_state.get(NEWEST)
    st.session_state[SCRUB] = None if step == newest else step


def buttons(job: training.SessionJob | None) -> None:
    state = job.state if job is not None else "none"
    row = controls_row()
    row.button("Train", type="primary", on_click=queue, args=(False,), icon=":material/play_arrow:")
    row.button("Race RNN · GRU · LSTM", on_click=queue, args=(True,), icon=":material/sprint:")
    row.button("Stop", on_click=training.act, args=("stop",), disabled=state not in training.ACTIVE)
    row.button("Resume", on_click=training.act, args=("resume",), disabled=state != "stopped")
    row.button("Reset", on_click=training.act, args=("reset",), disabled=state == "none")


def snapshots(job: training.SessionJob, font: int) -> None:
    """The scrubber, the heatmaps of the chosen snapshot and the gradient flow at it."""
    lanes = job.status.lanes
    lane = shown_lane(job)
    snaps = lanes[lane].snapshots
    if not snaps:
        return
    st.markdown(section("train", "snapshots"))
    k = snapshot_index(snaps, st.session_state.get(SCRUB))
    if len(snaps) > 1:
        st.session_state[NEWEST] = snaps[-1].step
        st.select_slider(
            "Snapshot: after this many training steps",
            [s.step for s in snaps],
            key=show(SCRUBBER, snaps[k].step),
            on_change=scrubbed,
        )
    snap = snaps[k]
    notation = current_notation()
    notation = notation.for_gru() if lanes[lane].cell == "gru" else notation
    arrays = {name: values.astype(float) for name, values in snap.arrays.items()}
    entries = race_entries(job, snap.step) if job.race else [(lanes[lane].cell, snap)]
    chance = lab_tasks()[job.specs[0].task].chance
    path = gradient_path_svg(path_lanes(entries, notation), snap.tokens, snap.scored_steps, font)
    show_svg(
        trace_svg(arrays, snap.tokens, notation, font_size=font),
        key=GATES,
        name="training-snapshot",
        html=snapshot_html(snap, chance),
        more=(
            Drawing(path, "gradient-path", "The cell's paths, unrolled: how much gradient reaches each step"),
            *filter(None, [cell_path_drawing(entries, current_notation())]),
        ),
    )
    st.markdown(section("train", "gradient"))
    show_chart(gradient_figure(entries, notation, font), key="train_gradient", name="training-gradient")


def live(started_every: float | None) -> None:
    """The job's part of the page, polled while the page is open (which keeps the job's lease)."""
    job = training.poll_job(keep=keep_label)
    if poll_every(job) != started_every:
        st.rerun(scope="app")  # start, change or stop the polling timer
    buttons(job)
    error = st.session_state.pop(ERROR, None)
    if error:
        st.error(f"The run could not start: {error}")
    if job is None:
        st.info(section("train", "idle"))
        return
    level, text = state_line(job, training.LIMITS.lease_seconds)
    getattr(st, level)(text)
    if job.status is None or not any(lane.step or lane.snapshots for lane in job.status.lanes):
        return  # still waiting: nothing trained to draw
    fraction, label = progress(job)
    st.progress(fraction, text=label)
    font = chart_font_size()
    setup = lab_tasks()[job.specs[0].task]
    if job.race:
        st.markdown(section("train", "race"))
    show_chart(curves_figure(job.status.lanes, setup.chance, setup.target, font), key="train_curves")
    st.caption(job_caption(job))  # under the curves: in presenter mode they fill the first screen
    if job.specs[0].task == "long_lag":
        study_note(dict(job.specs[0].options).get("gap"))
    if job.race:
        st.segmented_control(
            "Show the gates of",
            list(range(len(job.specs))),
            format_func=lambda k: cell_title(job.specs[k].config.cell),
            key=show(LANE, shown_lane(job)),
            required=True,
        )
    snapshots(job, font)
    model_links(job)


st.title("Train it yourself")
intro(section("train", "intro"))
settings = resolve(view.get)
for note in settings.notes:
    st.warning(note)
with controls_area():
    train_controls(settings)
every = poll_every(training.current_job())
st.fragment(live, run_every=every)(every)
