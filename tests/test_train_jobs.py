"""The bounded job runner with real worker processes, on a tiny memory-span task (~0.3 ms a step).

References are independent of the runner's bookkeeping: an uninterrupted job in the same kind of
worker (one BLAS thread, as every job runs: the numbers of a run depend on BLAS's thread count), the
queue order as submitted, and the operating system's view of the worker processes.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from dataclasses import dataclass, replace

import numpy as np
import pytest

from lstm_core.train.jobs import JobRunner
from lstm_core.train.jobs_limits import Limits, QueueFull
from lstm_core.train.jobs_status import thin_snapshots
from lstm_core.train.live_run import RunSpec
from lstm_core.train.loop import TrainConfig
from lstm_core.train.snapshot import probe_example, take_snapshot

TINY = RunSpec(
    options={"gap": 4, "min_gap": 1, "n_train": 64, "n_test": 16},
    config=TrainConfig(hidden_size=6, batch_size=8, steps=200, lr=0.02, eval_every=10, eval_size=16),
    snapshot_every=50,
)
LONG = replace(TINY, config=replace(TINY.config, steps=5000))  # ~2 s: running until cancelled


def tiny(**config: object) -> RunSpec:
    return replace(TINY, config=replace(TINY.config, **config))


def wait_for(check, timeout: float = 15.0):
    """Polls ``check`` until it returns something true (and returns that)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {check}")


def finished(runner: JobRunner, owner: str, job: str):
    return wait_for(lambda: (s := runner.poll(owner, job)) and s.state in ("done", "failed") and s)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="module")
def runner():
    with JobRunner(workers=1, limits=Limits(max_jobs_per_owner=5)) as r:
        yield r


def test_queue_is_first_in_first_out_with_positions_and_k_running(runner: JobRunner) -> None:
    jobs = [runner.submit(f"queue-{k}", LONG) for k in range(3)]
    expected = [("running", None), ("queued", 1), ("queued", 2)]
    wait_for(
        lambda: (
            [(s.state, s.position) for s in map(runner.poll, ("queue-0", "queue-1", "queue-2"), jobs)]
            == expected
        )
    )
    assert runner.load().running == 1 and len(runner.load().worker_pids) == 1
    runner.cancel("queue-0", jobs[0])
    assert runner.poll("queue-0", jobs[0]) is None  # dropped
    wait_for(lambda: runner.poll("queue-1", jobs[1]).state == "running")
    assert runner.poll("queue-2", jobs[2]).position == 1
    wait_for(lambda: runner.poll("queue-1", jobs[1]).lanes[0].step > 0)  # it trains
    assert runner.cancel("queue-1", jobs[1]) and runner.cancel("queue-2", jobs[2])


def test_at_most_k_jobs_run_at_once() -> None:
    with JobRunner(workers=2) as two:
        jobs = [two.submit(f"k-{k}", LONG) for k in range(3)]
        assert [two.poll(f"k-{k}", j).state for k, j in enumerate(jobs)] == ["running", "running", "queued"]
        load = two.load()
        assert (load.running, load.queued, len(load.worker_pids)) == (2, 1, 2)


def test_stop_and_resume_give_the_curve_of_an_uninterrupted_run(runner: JobRunner) -> None:
    whole = finished(runner, "ref", runner.submit("ref", TINY)).lanes[0]
    job = runner.submit("me", TINY)
    wait_for(lambda: runner.poll("me", job).lanes[0].step >= 60)
    assert runner.stop("me", job)
    stopped = runner.poll("me", job)
    time.sleep(0.3)
    assert stopped.state == "stopped" and runner.poll("me", job).lanes[0].step == stopped.lanes[0].step
    assert not runner.stop("me", job) and runner.resume("me", job)
    lane = finished(runner, "me", job).lanes[0]
    assert lane.step == whole.step == 200 and lane.finished == "steps"
    assert lane.last_loss == lane.losses[-1] and len(lane.losses) == 200
    for name in ("losses", "accuracies", "eval_steps", "eval_accuracies"):
        np.testing.assert_array_equal(getattr(lane, name), getattr(whole, name), err_msg=name)
    assert [s.step for s in lane.snapshots] == [s.step for s in whole.snapshots] == [0, 50, 100, 150, 200]
    for mine, ref in zip(lane.snapshots, whole.snapshots, strict=True):
        np.testing.assert_array_equal(mine.arrays["forget"], ref.arrays["forget"])
        np.testing.assert_array_equal(mine.d_cell_norm, ref.d_cell_norm)


def test_reset_starts_over_and_same_seed_gives_the_same_race(runner: JobRunner) -> None:
    race = runner.race("racer", TINY)
    wait_for(lambda: runner.poll("racer", race).lanes[2].step >= 50)
    assert runner.reset("racer", race)
    assert all(lane.step == 0 for lane in runner.poll("racer", race).lanes)
    lanes = finished(runner, "racer", race).lanes
    assert [lane.cell for lane in lanes] == ["rnn", "gru", "lstm"]
    assert all(lane.step == 200 for lane in lanes)
    assert not np.array_equal(lanes[0].losses, lanes[2].losses)  # three different cells
    alone = finished(runner, "solo", runner.submit("solo", TINY)).lanes[0]
    np.testing.assert_array_equal(lanes[2].losses, alone.losses)  # the race's LSTM = the LSTM alone


def test_another_owner_gets_nothing(runner: JobRunner) -> None:
    job = runner.submit("alice", LONG)
    wait_for(lambda: runner.poll("alice", job).lanes[0].step > 0)
    assert runner.poll("mallory", job) is None
    assert not any(f("mallory", job) for f in (runner.stop, runner.resume, runner.reset, runner.cancel))
    assert runner.poll("alice", job).state == "running"
    assert runner.poll("alice", "not-a-job") is None
    runner.cancel("alice", job)


def test_a_bad_spec_fails_with_a_clear_message(runner: JobRunner) -> None:
    bad_gap = runner.submit("bad", replace(TINY, options={"gap": 0}))
    status = finished(runner, "bad", bad_gap)
    assert status.state == "failed"
    assert status.message == "ValueError: gap must be a whole number from 1 to 1000; got 0"
    typo = finished(runner, "bad", runner.submit("bad", replace(TINY, options={"gapp": 3})))
    assert typo.state == "failed" and "unexpected keyword argument 'gapp'" in typo.message
    with pytest.raises(ValueError, match="steps must be from 1 to 5000"):
        runner.submit("bad", tiny(steps=5001))
    with pytest.raises(ValueError, match="hidden size must be at most 128"):
        runner.submit("bad", tiny(hidden_size=129))
    with pytest.raises(ValueError, match="share the task"):
        runner.submit("bad", [TINY, tiny(seed=1)])


def test_a_crashed_worker_fails_its_job_and_is_replaced(runner: JobRunner) -> None:
    job = runner.submit("crash", LONG)
    wait_for(lambda: runner.poll("crash", job).lanes[0].step > 0)
    os.kill(runner.load().worker_pids[0], signal.SIGKILL)
    status = finished(runner, "crash", job)
    assert status.state == "failed" and "stopped unexpectedly" in status.message
    assert finished(runner, "crash", runner.submit("crash", tiny(steps=20))).state == "done"


def test_the_time_and_step_bounds_end_a_run() -> None:
    with JobRunner(workers=1, limits=Limits(max_seconds=0.3)) as r:
        short = finished(r, "me", r.submit("me", tiny(steps=40)))
        assert short.state == "done" and short.lanes[0].step == 40 and short.lanes[0].finished == "steps"
        timed = finished(r, "me", r.submit("me", LONG))
        assert timed.state == "done" and timed.message == "stopped at the time limit (0.3 s of training)"
        assert 0.3 <= timed.seconds < 0.8 and 0 < timed.lanes[0].step < 5000
        assert timed.lanes[0].finished is None


def test_an_owner_that_stops_polling_loses_the_job_and_frees_the_worker() -> None:
    with JobRunner(workers=1, limits=Limits(lease_seconds=0.4)) as r:
        left = r.submit("left", LONG)
        here = r.submit("here", LONG)
        assert r.poll("here", here).position == 1
        wait_for(lambda: r.poll("here", here).state == "running", timeout=3)
        assert r.poll("left", left) is None


def test_a_full_queue_and_a_full_share_say_so() -> None:
    with JobRunner(workers=1, limits=Limits(max_queued=2, max_jobs_per_owner=2)) as r:
        jobs = {owner: r.submit(owner, LONG) for owner in ("a", "b", "c")}  # one running, two waiting
        with pytest.raises(QueueFull, match="queue is full"):
            r.submit("d", LONG)
        r.cancel("c", jobs["c"])
        r.submit("a", LONG)
        with pytest.raises(QueueFull, match="already have 2"):
            r.submit("a", LONG)


def test_workers_run_one_blas_thread_at_lower_priority_and_idle_ones_exit() -> None:
    with JobRunner(workers=1, limits=Limits(idle_seconds=0.3), nice=3) as r:
        job = r.submit("me", tiny(steps=20))
        (pid,) = r.load().worker_pids
        with open(f"/proc/{pid}/environ", "rb") as f:
            assert b"OPENBLAS_NUM_THREADS=1" in f.read().split(b"\0")
        wait_for(lambda: r.poll("me", job).lanes[0].step > 0)
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 3)
        assert finished(r, "me", job).state == "done"
        wait_for(lambda: r.load().worker_pids == () and gone(pid), timeout=5)


def monitors() -> int:
    return sum(t.name == "JobRunner monitor" for t in threading.enumerate())


def test_close_leaves_no_process_or_thread_behind() -> None:
    before = monitors()
    r = JobRunner(workers=1)
    job = r.submit("me", LONG)
    wait_for(lambda: r.poll("me", job).lanes[0].step > 0)
    (pid,) = r.load().worker_pids
    assert monitors() == before + 1
    r.close()
    assert gone(pid) and monitors() == before
    with pytest.raises(RuntimeError, match="closed"):
        r.submit("me", TINY)
    r.close()  # twice is fine


@dataclass
class FakeSnapshot:
    step: int
    nbytes: int = 100


def test_snapshots_thin_to_the_budget_keeping_the_first_and_the_newest() -> None:
    kept: list = []
    for step in range(0, 2001, 10):
        kept = thin_snapshots([*kept, FakeSnapshot(step)], 10, max_bytes=10**6, max_count=8)
        assert len(kept) <= 8 and kept[0].step == 0 and kept[-1].step == step
    gaps = {b.step - a.step for a, b in itertools.pairwise(kept[:-1])}
    assert gaps == {320}  # one spacing, a power of two times the period
    assert len(thin_snapshots([FakeSnapshot(s, 400) for s in range(0, 100, 10)], 10, 1000, 50)) <= 2


def test_the_owner_can_take_a_lanes_model_and_it_is_the_one_in_the_last_snapshot(runner: JobRunner) -> None:
    job = runner.submit("keeper", TINY)
    last = finished(runner, "keeper", job).lanes[0].snapshots[-1]
    model = runner.lane_model("keeper", job, 0)
    data = TINY.make_data()
    again = take_snapshot(model, probe_example(data), data.vocab, data.classes, TINY.config.loss, last.step)
    for name, arr in last.arrays.items():  # its gates on the probe are the run's last snapshot's
        np.testing.assert_allclose(again.arrays[name], arr, atol=1e-3, err_msg=name)
    np.testing.assert_allclose(again.d_cell_norm, last.d_cell_norm, rtol=1e-6)
    assert runner.lane_model("mallory", job, 0) is None and runner.lane_model("keeper", job, 1) is None
