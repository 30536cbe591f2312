"""What ``JobRunner.poll`` returns (``JobStatus``, one ``LaneProgress`` per lane) and how a lane's
progress is gathered from the worker's slices (``LaneRecord``), with its snapshots thinned to a budget.

What is handed out is never changed afterwards: the curves are read-only arrays that are replaced, not
grown in place, when a slice arrives, and the snapshots' arrays are read-only. So a status can be kept
(e.g. in a session's state) and drawn while the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.train.live_run import HistorySlice, RunSpec
from lstm_core.train.loop import TrainState
from lstm_core.train.snapshot import Snapshot


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.setflags(write=False)
    return arr


def _empty(dtype: type) -> np.ndarray:
    return _frozen(np.zeros(0, dtype=dtype))


@dataclass(frozen=True, eq=False)
class LaneProgress:
    """One run's curves so far: per step (1 … ``step``) its training ``losses`` and batch
    ``accuracies``, the held-out ``eval_accuracies`` at ``eval_steps``, and ``snapshots`` by step
    (thinned: the first and the newest are always kept). ``finished``: "target" or "steps" once done."""

    cell: str
    step: int
    losses: np.ndarray
    accuracies: np.ndarray
    eval_steps: np.ndarray
    eval_accuracies: np.ndarray
    snapshots: tuple[Snapshot, ...]
    finished: str | None

    @property
    def last_loss(self) -> float | None:
        return float(self.losses[-1]) if self.losses.size else None


@dataclass(frozen=True, eq=False)
class JobStatus:
    """A job as its owner sees it. ``state``: queued (``position`` 1 = next to start), running,
    stopped (Resume continues it), done (``message`` says why when it was not the run's own end:
    the time limit) or failed (``message`` says what went wrong). ``seconds``: training time used."""

    job_id: str
    state: str
    position: int | None
    message: str
    seconds: float
    lanes: tuple[LaneProgress, ...]


@dataclass(frozen=True)
class Load:
    """The runner's load: jobs running and waiting, and its worker processes."""

    running: int
    queued: int
    worker_pids: tuple[int, ...]


def _concat(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    return _frozen(np.concatenate([old, new])) if new.size else old


def thin_snapshots(snapshots: list[Snapshot], every: int, max_bytes: int, max_count: int) -> list[Snapshot]:
    """Keep the snapshots on every ``every * 2**k``-th step, k the smallest that fits ``max_count`` and
    ``max_bytes``, plus the newest one: a run's whole history, at a coarser spacing as it grows."""
    size = max(1, snapshots[-1].nbytes)
    cap = max(2, min(max_count, max_bytes // size))
    stride = max(1, every)
    kept = snapshots
    while len(kept) > cap:
        kept = [s for s in snapshots[:-1] if s.step % stride == 0] + snapshots[-1:]
        stride *= 2
    return kept


class LaneRecord:
    """The runner's record of one lane: its spec, the training state to resume from and its progress."""

    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self.reset()

    def reset(self) -> None:
        """Back to a fresh run (no state, no history)."""
        self.state: TrainState | None = None
        self.finished: str | None = None
        self.losses = self.accuracies = self.eval_accuracies = _empty(np.float64)
        self.eval_steps = _empty(np.int64)
        self.snapshots: list[Snapshot] = []

    @property
    def step(self) -> int:
        return 0 if self.state is None else self.state.step

    def add(
        self,
        part: HistorySlice | None,
        snap: Snapshot | None,
        state: TrainState,
        finished: str | None,
        limits: tuple[int, int],
    ) -> None:
        """Take a worker's slice (``part`` None: the step-0 snapshot of a fresh run); ``limits`` =
        (max bytes, max count) of the snapshots kept."""
        if part is not None and part.first_step != self.step:
            raise ValueError(f"slice from step {part.first_step} does not follow step {self.step}")
        if part is not None:
            self.losses = _concat(self.losses, part.losses)
            self.accuracies = _concat(self.accuracies, part.accuracies)
            self.eval_steps = _concat(self.eval_steps, part.eval_steps)
            self.eval_accuracies = _concat(self.eval_accuracies, part.eval_accuracies)
        self.state, self.finished = state, finished
        if snap is not None:
            every = self.spec.snapshot_every
            self.snapshots = thin_snapshots([*self.snapshots, snap.freeze()], every, *limits)

    def progress(self) -> LaneProgress:
        return LaneProgress(
            self.spec.config.cell,
            self.step,
            self.losses,
            self.accuracies,
            self.eval_steps,
            self.eval_accuracies,
            tuple(self.snapshots),
            self.finished,
        )
