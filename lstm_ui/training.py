"""The Train page's job runner (one per server process) and this session's training job.

``lab_runner()`` is the process's ``JobRunner`` (``st.cache_resource``): at most K = cores − 1 runs train
at once, in worker processes, the others wait in its queue (``lstm_core/train/jobs.py``). Each session is
one owner, a random token in its state, and holds at most one job of this page at a time: Train or Race
replaces it. The session keeps the job's id, what it trains and the last status it polled (a status is
never changed afterwards, so the page can still draw it after the job is gone).

Any call renews the job's lease: the page polls while a job waits, trains or is stopped. When the student
leaves the page, the lease runs out (``Limits.lease_seconds``) and the runner drops the job; ``poll_job``
then reports it dropped. A job that has ended is not polled again (its last status is all there is to
draw), so the runner lets it go too. A run that ends or is stopped keeps its LSTM for this session's
other pages (``lstm_ui.trained_models``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace

import streamlit as st

from lstm_core.train import JobRunner, JobStatus, Limits, QueueFull, RunSpec
from lstm_ui.state.values import MAX_HIDDEN, MAX_TRAIN_STEPS
from lstm_ui.trained_models import keep_model

OWNER, JOB = "_train_owner", "_train_job"  # session keys
ACTIVE = ("queued", "running")
FINAL = ("done", "failed", "dropped")  # states a job never leaves
# Half-second slices: each slice of a run pays a fixed cost (its training set is encoded again, ~30 ms for
# 10,000 long-lag sequences), which at the runner's default 0.15 s left a race's lanes a few steps each.
LIMITS = Limits(max_steps=MAX_TRAIN_STEPS, max_hidden=MAX_HIDDEN, slice_seconds=0.5)


@st.cache_resource(show_spinner=False)
def lab_runner() -> JobRunner:
    """The server process's runner (shared by every session; each sees only its own jobs)."""
    return JobRunner(limits=LIMITS)


@dataclass(frozen=True, eq=False)
class SessionJob:
    """This session's job: its id, what it trains (one spec, or a race's three), the last status polled
    (None before the first poll), whether the runner dropped it, and the models kept from it: (lane, the
    step it had trained, its key) each."""

    job_id: str
    specs: tuple[RunSpec, ...]
    status: JobStatus | None = None
    dropped: bool = False
    kept: tuple[tuple[int, int, str], ...] = ()

    @property
    def race(self) -> bool:
        return len(self.specs) > 1

    @property
    def state(self) -> str:
        """queued, running, stopped, done, failed, or dropped."""
        if self.dropped:
            return "dropped"
        return self.status.state if self.status is not None else "queued"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


def owner() -> str:
    """This session's owner token for the runner (made on first use)."""
    if OWNER not in st.session_state:
        st.session_state[OWNER] = secrets.token_urlsafe(16)
    return str(st.session_state[OWNER])


def current_job() -> SessionJob | None:
    return st.session_state.get(JOB)


def _save(job: SessionJob | None) -> SessionJob | None:
    st.session_state[JOB] = job
    return job


def start(specs: tuple[RunSpec, ...]) -> str | None:
    """Queue a run (one spec) or a race (three, same data), replacing this session's job; returns None, or
    what stopped it from being queued (for the page)."""
    runner, me, old = lab_runner(), owner(), current_job()
    if old is not None and not old.dropped:
        runner.cancel(me, old.job_id)
    try:
        job_id = runner.submit(me, specs[0] if len(specs) == 1 else specs)
    except (ValueError, QueueFull) as exc:
        _save(None)
        return str(exc)
    _save(SessionJob(job_id, tuple(specs)))
    poll_job()
    return None


def poll_job(keep: Callable[[SessionJob, int], tuple[str, str] | None] | None = None) -> SessionJob | None:
    """Poll this session's job (renewing its lease) and remember the status; a job the runner no longer
    has is marked dropped. ``keep(job, lane)`` gives the (title, description) under which a finished or
    stopped lane's model is kept for the other pages (None: not kept)."""
    job = current_job()
    if job is None or job.state in FINAL:
        return job  # nothing will change: its last status stays (the runner drops it when its lease ends)
    status = lab_runner().poll(owner(), job.job_id)
    if status is None:
        return _save(replace(job, dropped=True))
    job = replace(job, status=status)
    if keep is not None and status.state in ("stopped", "done"):
        job = _keep_lanes(job, keep)
    return _save(job)


def _keep_lanes(job: SessionJob, keep: Callable[[SessionJob, int], tuple[str, str] | None]) -> SessionJob:
    kept = list(job.kept)
    for lane, progress in enumerate(job.status.lanes):
        if (lane, progress.step) in {(k[0], k[1]) for k in kept} or not progress.snapshots:
            continue
        label = keep(job, lane)
        model = lab_runner().lane_model(owner(), job.job_id, lane) if label else None
        if model is None:
            continue
        spec, model = job.specs[lane], model.astype("float64")
        vocab, classes = task_words(spec)
        answers = (spec.task, classes, (model.W_y, model.b_y))
        key = keep_model(model.cell, vocab, progress.snapshots[-1].tokens, label, answers)
        kept.append((lane, progress.step, key))
    return replace(job, kept=tuple(kept))


@st.cache_data(max_entries=32, show_spinner=False)
def _words(task: str, options: tuple, seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from lstm_core.tasks import get_task

    data = get_task(task).make(seed=seed, **dict(options))
    return data.vocab, data.classes


def task_words(spec: RunSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the input vocabulary a run's model reads (one-hot), the classes it answers with), from its task's
    data."""
    return _words(spec.task, spec.options, spec.config.seed)


def act(action: str) -> None:
    """(Stop, Resume, Reset.) Stop or resume this session's job; Reset queues what it trains again from
    the start (it may have ended, or been dropped)."""
    job = current_job()
    if job is None:
        return
    if action == "reset":
        start(job.specs)
        return
    runner = lab_runner()
    {"stop": runner.stop, "resume": runner.resume}[action](owner(), job.job_id)
    poll_job()
