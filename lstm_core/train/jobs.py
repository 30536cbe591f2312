"""A bounded job runner for the live training lab: many users press Train, at most K runs train at once.

One ``JobRunner`` per server process (the UI holds it with ``st.cache_resource``). It owns up to
``workers`` = K worker processes (``jobs_worker.py``: fresh interpreters started with ``subprocess``,
never a fork of the multi-threaded server; one BLAS thread, a lower priority), a FIFO queue of jobs, and
a monitor thread that reads the workers' slices, hands queued jobs to free workers, ends leases and
retires idle workers. All of its state lives in the instance.

    runner = JobRunner()                                     # K = max(1, cores - 1)
    job = runner.submit(owner, RunSpec())                    # or runner.race(owner, RunSpec())
    status = runner.poll(owner, job)                         # JobStatus, or None: unknown / not yours
    model = runner.lane_model(owner, job, 0)                 # the lane's Model as it stands
    runner.stop(owner, job); runner.resume(owner, job); runner.reset(owner, job); runner.cancel(owner, job)

Rules. Every call checks the owner: another owner's job does not exist for it. Any call by the owner
renews the job's lease; a job whose owner has not called for ``lease_seconds`` is cancelled and dropped
(its session ended), whatever its state: poll a job as long as you want it. A run is bounded by
``max_steps`` (checked at submit) and by ``max_seconds`` of training over its whole life (a race: its
three lanes together). The queue holds at most ``max_queued`` jobs and an owner at most
``max_jobs_per_owner`` jobs in any state (``QueueFull`` otherwise: cancel one). Stop keeps the run's
state in the runner (Resume queues it again, and it continues bit for bit); Reset starts it over.
"""

from __future__ import annotations

import atexit
import secrets
import threading
import time
from collections import deque
from collections.abc import Sequence
from multiprocessing.connection import wait

from lstm_core.train.jobs_limits import Limits, QueueFull, default_workers
from lstm_core.train.jobs_status import JobStatus, LaneRecord, Load
from lstm_core.train.jobs_worker import WorkerProcess, WorkOrder
from lstm_core.train.live_run import RunSpec, race_specs
from lstm_core.train.model import Model


class _Job:
    def __init__(self, job_id: str, owner: str, specs: tuple[RunSpec, ...], lease_until: float) -> None:
        self.id, self.owner = job_id, owner
        self.lanes = [LaneRecord(spec) for spec in specs]
        self.state, self.message, self.seconds = "queued", "", 0.0
        self.lease_until = lease_until
        self.worker: WorkerProcess | None = None


class JobRunner:
    """Runs training jobs in at most ``workers`` processes; see the module docstring."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None, *, nice: int = 5) -> None:
        self.size = default_workers() if workers is None else int(workers)
        if self.size < 1:
            raise ValueError(f"workers must be >= 1; got {workers!r}")
        self.limits = Limits() if limits is None else limits
        self.nice = nice
        self._lock = threading.Lock()
        self._jobs: dict[str, _Job] = {}
        self._queue: deque[str] = deque()
        self._workers: list[WorkerProcess] = []
        self._tokens = 0
        self._closed = threading.Event()
        self._monitor = threading.Thread(target=self._watch, name="JobRunner monitor", daemon=True)
        self._monitor.start()
        atexit.register(self.close)

    # ----- the owner's calls -----

    def submit(self, owner: str, spec: RunSpec | Sequence[RunSpec]) -> str:
        """Queue a run (a ``RunSpec``) or runs on the same data (several, e.g. ``race_specs``); returns
        the job id. ``ValueError`` for a spec out of bounds, ``QueueFull`` when it cannot wait."""
        specs = self.limits.check(owner, (spec,) if isinstance(spec, RunSpec) else tuple(spec))
        with self._lock:
            if self._closed.is_set():
                raise RuntimeError("the job runner is closed")
            mine = sum(j.owner == owner for j in self._jobs.values())
            if mine >= self.limits.max_jobs_per_owner:
                raise QueueFull(f"you already have {mine} training job(s); cancel one first")
            if len(self._queue) >= self.limits.max_queued:
                raise QueueFull(
                    f"the training queue is full ({len(self._queue)} waiting); try again in a minute"
                )
            job = _Job(secrets.token_urlsafe(12), owner, specs, time.monotonic() + self.limits.lease_seconds)
            self._jobs[job.id] = job
            self._queue.append(job.id)
            self._dispatch()
            return job.id

    def race(self, owner: str, spec: RunSpec) -> str:
        """Queue one job that trains an RNN, a GRU and an LSTM side by side on ``spec``'s data and seed."""
        return self.submit(owner, race_specs(spec))

    def poll(self, owner: str, job_id: str) -> JobStatus | None:
        """The job's status (and its lease renewed), or None if it is not this owner's or is gone."""
        with self._lock:
            job = self._owned(owner, job_id)
            if job is None:
                return None
            position = self._queue.index(job.id) + 1 if job.state == "queued" else None
            lanes = tuple(lane.progress() for lane in job.lanes)
            return JobStatus(job.id, job.state, position, job.message, job.seconds, lanes)

    def lane_model(self, owner: str, job_id: str, lane: int) -> Model | None:
        """The model of the job's lane ``lane`` as it stands (renews the lease); None if the job is not
        this owner's, is gone, or that lane has not trained yet."""
        with self._lock:
            job = self._owned(owner, job_id)
            if job is None or not 0 <= lane < len(job.lanes) or job.lanes[lane].state is None:
                return None
            return job.lanes[lane].state.model

    def stop(self, owner: str, job_id: str) -> bool:
        """Stop a queued or running job, keeping its state for ``resume``; False if nothing to stop."""
        with self._lock:
            job = self._owned(owner, job_id)
            if job is None or job.state not in ("queued", "running"):
                return False
            self._unschedule(job)
            job.state = "stopped"
            self._dispatch()
            return True

    def resume(self, owner: str, job_id: str) -> bool:
        """Queue a stopped job again (it continues from where it stopped); False if it is not stopped."""
        with self._lock:
            job = self._owned(owner, job_id)
            if job is None or job.state != "stopped":
                return False
            job.state = "queued"
            self._queue.append(job.id)
            self._dispatch()
            return True

    def reset(self, owner: str, job_id: str) -> bool:
        """Throw the job's progress away and queue it from the start (same specs, same id)."""
        with self._lock:
            job = self._owned(owner, job_id)
            if job is None:
                return False
            self._unschedule(job)
            for lane in job.lanes:
                lane.reset()
            job.state, job.message, job.seconds = "queued", "", 0.0
            self._queue.append(job.id)
            self._dispatch()
            return True

    def cancel(self, owner: str, job_id: str) -> bool:
        """Stop the job and drop it (a later ``poll`` returns None); False if it is not this owner's."""
        with self._lock:
            job = self._owned(owner, job_id)
            if job is None:
                return False
            self._drop(job)
            self._dispatch()
            return True

    def load(self) -> Load:
        """Jobs running and waiting, and the worker processes' ids."""
        with self._lock:
            running = sum(j.state == "running" for j in self._jobs.values())
            return Load(running, len(self._queue), tuple(w.process.pid for w in self._workers))

    def close(self) -> None:
        """End the monitor and every worker process (waits for them); idempotent."""
        self._closed.set()
        if self._monitor.is_alive() and threading.current_thread() is not self._monitor:
            self._monitor.join()
        with self._lock:
            for worker in self._workers:
                worker.close()
            self._workers.clear()
            self._jobs.clear()
            self._queue.clear()
        atexit.unregister(self.close)

    def __enter__(self) -> JobRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- inside the lock -----

    def _owned(self, owner: str, job_id: str) -> _Job | None:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            return None
        job.lease_until = time.monotonic() + self.limits.lease_seconds
        return job

    def _unschedule(self, job: _Job) -> None:
        """Take the job out of the queue or off its worker (which says "end" when it has let go)."""
        if job.id in self._queue:
            self._queue.remove(job.id)
        if job.worker is not None:
            job.worker.send(("release", job.worker.token))
            job.worker.job = None  # it stays busy (token) until its "end" arrives
            job.worker = None

    def _drop(self, job: _Job) -> None:
        self._unschedule(job)
        del self._jobs[job.id]

    def _dispatch(self) -> None:
        """Hand queued jobs to free workers, starting workers up to the bound."""
        while self._queue and not self._closed.is_set():
            worker = next((w for w in self._workers if w.token == 0), None)
            if worker is None and len(self._workers) < self.size:
                try:
                    worker = WorkerProcess(self.nice)
                except OSError as exc:  # no process could be started: the job at the head fails
                    self._fail(self._jobs[self._queue[0]], f"could not start a training process: {exc}")
                    continue
                self._workers.append(worker)
            if worker is None:
                return
            job = self._jobs[self._queue.popleft()]
            self._tokens += 1
            worker.job, worker.token, job.worker, job.state = job.id, self._tokens, worker, "running"
            order = WorkOrder(
                self._tokens,
                tuple(lane.spec for lane in job.lanes),
                tuple(lane.state for lane in job.lanes),
                tuple(lane.finished for lane in job.lanes),
                self.limits.max_seconds - job.seconds,
                self.limits.slice_seconds,
            )
            worker.send(("run", order))

    # ----- the monitor thread -----

    def _watch(self) -> None:
        """Read the workers' messages, end leases, retire idle workers, dispatch; until ``close``."""
        while not self._closed.is_set():
            with self._lock:
                by_inbox = {w.inbox: w for w in self._workers}
            if not by_inbox:
                self._closed.wait(0.05)
            ready = wait(list(by_inbox), timeout=0.05) if by_inbox else []
            with self._lock:
                if self._closed.is_set():
                    return
                for inbox in ready:
                    self._read(by_inbox[inbox])
                now = time.monotonic()
                for job in [j for j in self._jobs.values() if j.lease_until < now]:
                    self._drop(job)
                idle = [
                    w for w in self._workers if w.token == 0 and now - w.idle_since > self.limits.idle_seconds
                ]
                self._workers = [w for w in self._workers if w not in idle]
                self._dispatch()
            for worker in idle:
                worker.close()

    def _read(self, worker: WorkerProcess) -> None:
        try:
            while worker.inbox.poll():
                self._handle(worker, worker.inbox.recv())
        except (EOFError, OSError):  # the process ended
            self._workers.remove(worker)
            worker.close()
            job = self._jobs.get(worker.job) if worker.job else None
            if job is not None:
                code = worker.process.returncode
                self._fail(job, f"the training process stopped unexpectedly (exit code {code})")

    def _handle(self, worker: WorkerProcess, msg: tuple) -> None:
        if msg[1] != worker.token:
            return  # from an earlier tenure
        job = self._jobs.get(worker.job) if worker.job else None
        if msg[0] == "end":
            worker.job, worker.token, worker.idle_since = None, 0, time.monotonic()
            if job is not None:  # it ended by itself: done, out of time or failed
                job.worker = None
                job.state = "failed" if msg[2] == "failed" else "done"
                limit = f"stopped at the time limit ({self.limits.max_seconds:g} s of training)"
                job.message = limit if msg[2] == "time" else msg[3]
        elif job is not None:
            lane, part, snap, state, finished, seconds = msg[2:]
            try:
                job.lanes[lane].add(part, snap, state, finished, self._snapshot_limits)
            except ValueError as exc:
                self._fail(job, str(exc))
            job.seconds += seconds

    def _fail(self, job: _Job, message: str) -> None:
        self._unschedule(job)
        job.state, job.message = "failed", message

    @property
    def _snapshot_limits(self) -> tuple[int, int]:
        return self.limits.snapshot_bytes, self.limits.max_snapshots
