"""A live training run advanced in slices: ``advance(state, n) -> (state, history slice, snapshot)``.

A pure function over slices, built on ``train(..., state=...)``: Stop is not asking for the next slice,
Resume is calling ``advance`` on the saved state, Reset is ``start_run`` again. However a run is sliced,
its curves are the uninterrupted ``train`` run's, bit for bit, and so are its snapshots, because a slice
always ends at the next multiple of ``snapshot_every`` (where the snapshot is taken) or at the end.

    spec = RunSpec()                                  # the live lab: LSTM, memory span at gap 50
    state = start_run(spec)
    first = take_run_snapshot(state)                  # the gates before any training (step 0)
    while state.finished is None:
        state, part, snap = advance(state, 10)        # part.losses: the slice's training losses
    state.finished                                    # "target" (95 % held-out) or "steps"

``race_specs(spec)`` gives the RNN, GRU and LSTM versions of a spec: the same data and seed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from lstm_core.tasks import get_task
from lstm_core.tasks.base import TaskData
from lstm_core.train.live_lab import LIVE_LAB_CONFIG, LIVE_LAB_TASK
from lstm_core.train.loop import TrainConfig, TrainState, init_state, train
from lstm_core.train.snapshot import Snapshot, probe_example, take_snapshot

RACE_CELLS = ("rnn", "gru", "lstm")
DEFAULT_SNAPSHOT_EVERY = 25  # steps; the live lab's held-out check period


@dataclass(frozen=True)
class RunSpec:
    """What a run trains: the task (a registry name and ``make`` options; the data seed is
    ``config.seed``), the config (``steps`` = the run's total; ``loss`` is set from the task) and
    the snapshot period in steps (0 = none). The defaults are the live lab's run."""

    task: str = "memory_span"
    options: tuple[tuple[str, object], ...] = tuple(sorted(LIVE_LAB_TASK.items()))  # a Mapping is accepted
    config: TrainConfig = LIVE_LAB_CONFIG
    snapshot_every: int = DEFAULT_SNAPSHOT_EVERY

    def __post_init__(self) -> None:
        if not isinstance(self.config, TrainConfig):
            raise ValueError(f"config must be a TrainConfig; got {type(self.config).__name__}")
        if not isinstance(self.snapshot_every, int) or self.snapshot_every < 0:
            raise ValueError(f"snapshot_every must be a whole number >= 0; got {self.snapshot_every!r}")
        options = dict(self.options)
        if "seed" in options or not all(isinstance(k, str) for k in options):
            raise ValueError("options are the task's make() options by name, without the seed")
        object.__setattr__(self, "options", tuple(sorted(options.items())))
        object.__setattr__(self, "config", replace(self.config, loss=get_task(self.task).loss))

    def make_data(self) -> TaskData:
        """The task's data for ``config.seed``."""
        return get_task(self.task).make(seed=self.config.seed, **dict(self.options))

    def same_data(self, other: RunSpec) -> bool:
        """True when both train on the same data (task, options and seed)."""
        return (self.task, self.options, self.config.seed) == (other.task, other.options, other.config.seed)


def race_specs(spec: RunSpec) -> tuple[RunSpec, ...]:
    """``spec`` for each cell of ``RACE_CELLS``: same data, seed and settings (the forget-gate bias
    only affects the LSTM)."""
    return tuple(replace(spec, config=replace(spec.config, cell=cell)) for cell in RACE_CELLS)


@dataclass(frozen=True, eq=False)
class RunState:
    """Where a run stands: its spec, data, training state, and why it finished (None: it goes on)."""

    spec: RunSpec
    data: TaskData
    train: TrainState
    finished: str | None = None  # "target" or "steps"

    @property
    def step(self) -> int:
        return self.train.step


@dataclass(frozen=True, eq=False)
class HistorySlice:
    """One slice of a run's curves: training loss and batch accuracy of steps ``first_step + 1`` …
    ``first_step + len(losses)``, and the held-out accuracies at ``eval_steps`` within them."""

    first_step: int
    losses: np.ndarray  # (n,) float64
    accuracies: np.ndarray  # (n,) float64
    eval_steps: np.ndarray  # (m,) int64
    eval_accuracies: np.ndarray  # (m,) float64


def start_run(spec: RunSpec, data: TaskData | None = None, train_state: TrainState | None = None) -> RunState:
    """A run at its start, or at ``train_state`` (resume); ``data``: ``spec.make_data()`` made
    already (a race shares it)."""
    data = spec.make_data() if data is None else data
    return RunState(spec, data, init_state(data, spec.config) if train_state is None else train_state)


def take_run_snapshot(state: RunState) -> Snapshot:
    """The snapshot of the run's model now, on the task's probe."""
    cfg = state.spec.config
    data = state.data
    return take_snapshot(
        state.train.model, probe_example(data), data.vocab, data.classes, cfg.loss, state.step
    )


def advance(state: RunState, n_steps: int) -> tuple[RunState, HistorySlice, Snapshot | None]:
    """Train up to ``n_steps`` more steps, ending early at the next snapshot step, at the run's total
    ``config.steps`` or at its target accuracy. Returns the new state, the slice's history and the
    snapshot taken at the slice's end (None unless it ends on a snapshot step or finishes the run)."""
    if int(n_steps) != n_steps or n_steps < 1:
        raise ValueError(f"n_steps must be a whole number >= 1; got {n_steps!r}")
    spec, step = state.spec, state.step
    every, total = spec.snapshot_every, spec.config.steps
    n = min(int(n_steps), total - step)
    if every:
        n = min(n, every - step % every)
    if state.finished is not None or n <= 0:
        empty = np.zeros(0)
        done = state if state.finished else replace(state, finished="steps")
        return done, HistorySlice(step, empty, empty, np.zeros(0, np.int64), empty), None
    result = train(state.data, replace(spec.config, steps=n), state=state.train)
    new_step = result.state.step
    finished = "target" if result.stopped == "target" else ("steps" if new_step >= total else None)
    new = replace(state, train=result.state, finished=finished)
    part = HistorySlice(step, result.losses, result.accuracies, result.eval_steps, result.eval_accuracies)
    on_snapshot_step = every > 0 and new_step % every == 0
    return new, part, take_run_snapshot(new) if on_snapshot_step or finished else None
