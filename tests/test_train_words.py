"""What the Train page says about a job, from its status: its place in the queue, why it ended or failed
(in words, not an error's class name), and the progress bar's text."""

from __future__ import annotations

import numpy as np

from lstm_core.train import JobStatus, LaneProgress, RunSpec
from lstm_ui.training import SessionJob
from lstm_ui.viewmodels.train import progress, state_line


def lane(step: int, finished: str | None = None) -> LaneProgress:
    empty = np.zeros(0)
    return LaneProgress("lstm", step, np.ones(step), np.ones(step), empty, empty, (), finished)


def job(state: str, *, position: int | None = None, message: str = "", step: int = 0, finished=None):
    status = JobStatus("j", state, position, message, 1.25, (lane(step, finished),))
    return SessionJob("j", (RunSpec(),), status)


def test_a_waiting_student_reads_their_place_in_the_queue():
    level, text = state_line(job("queued", position=3), lease_seconds=20)
    assert level == "info" and "position **3** in the queue (2 runs ahead)" in text


def test_a_failed_run_says_why_in_words_and_an_ended_one_how_it_ended():
    level, text = state_line(job("failed", message="ValueError: gap must be from 1 to 200"), 20)
    assert (level, text) == ("error", "The run could not train: gap must be from 1 to 200")
    level, text = state_line(job("done", step=150, finished="target"), 20)
    assert (level, text) == ("success", "Done in 1.2 s of training: LSTM reached its target at step 150.")
    _, text = state_line(job("done", step=1500, finished="steps"), 20)
    assert text.endswith("LSTM trained all its 1,500 steps.")
    _, text = state_line(SessionJob("j", (RunSpec(),), dropped=True), 20)
    assert "dropped: training stops about 20 s after its page is closed" in text


def test_the_bar_counts_the_steps_of_the_run():
    assert progress(job("running", step=300)) == (0.2, "step 300 of at most 1,500 (stops at 95% held out)")
    assert progress(job("done", step=150, finished="target")) == (
        1.0,
        "finished at step 150 of at most 1,500",
    )
