"""The job runner's bounds (``Limits``), the check of a submitted job against them, and K."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from lstm_core.train.live_run import RunSpec

MAX_LANES = 3  # runs in one job: a race of RNN, GRU and LSTM


class QueueFull(RuntimeError):
    """The runner cannot take another job now (the queue, or this owner's share of it, is full)."""


def default_workers() -> int:
    """K = max(1, usable cores - 1): one core stays with the web server."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, len(usable) - 1)


@dataclass(frozen=True)
class Limits:
    """The runner's bounds (per job unless said otherwise)."""

    max_steps: int = 5000  # a run's steps (config.steps)
    max_hidden: int = 128  # a run's hidden size
    max_seconds: float = 30.0  # training time over a job's whole life (a race: its lanes together)
    max_queued: int = 60  # jobs waiting, all owners together
    max_jobs_per_owner: int = 2  # jobs one owner holds (any state; cancel one to free its place)
    lease_seconds: float = 20.0  # a job whose owner has not called for this long is dropped
    slice_seconds: float = 0.15  # training per slice: progress and Stop arrive at least this often
    snapshot_bytes: int = 1_000_000  # snapshots kept per lane (thinned to fit)
    max_snapshots: int = 60  # snapshots kept per lane
    idle_seconds: float = 60.0  # a worker with nothing to do for this long exits

    def check(self, owner: str, specs: tuple[RunSpec, ...]) -> tuple[RunSpec, ...]:
        """The specs of a job, checked (``ValueError`` naming the bound) and set to train on one
        thread (the same numbers, bit for bit: a job gets one core)."""
        if not isinstance(owner, str) or not owner:
            raise ValueError("owner must be a non-empty string (the session's id)")
        if not 1 <= len(specs) <= MAX_LANES or not all(isinstance(s, RunSpec) for s in specs):
            raise ValueError(f"a job trains one to {MAX_LANES} RunSpecs")
        if not all(s.same_data(specs[0]) for s in specs):
            raise ValueError("the runs of one job must share the task, its options and the seed")
        for s in specs:
            if not 1 <= s.config.steps <= self.max_steps:
                raise ValueError(f"steps must be from 1 to {self.max_steps}; got {s.config.steps}")
            if s.config.hidden_size > self.max_hidden:
                raise ValueError(
                    f"the hidden size must be at most {self.max_hidden}; got {s.config.hidden_size}"
                )
        return tuple(replace(s, config=replace(s.config, threads=1)) for s in specs)
