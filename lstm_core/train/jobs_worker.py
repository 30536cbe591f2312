"""The training worker: a separate Python process that runs the jobs a ``JobRunner`` hands it, in slices.

Started by ``JobRunner`` as ``python -m lstm_core.train.jobs_worker READ_FD WRITE_FD NICE`` (a fresh
interpreter, never a fork of the multi-threaded server), with one BLAS thread and a lower priority.
It talks to the runner over two pipes with pickled tuples:

    runner → worker   ("run", WorkOrder)      train these lanes (one run, or the three of a race)
                      ("release", token)      stop working on that order (Stop, Reset, Cancel)
                      ("quit",)               exit
    worker → runner   ("progress", token, lane, HistorySlice, Snapshot | None, TrainState, finished, s)
                      ("end", token, outcome, message)   outcome: done / time / released / failed

Each slice is ``advance(run, n)`` with n steps chosen to last about ``slice_seconds`` (cut short at the
next snapshot step), so progress streams back and a release is seen within one slice. The lanes of a
race take turns, one slice each, with the same n: they stay at the same step. The worker exits when its
inbox closes (the runner, or its whole process, went away).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

from lstm_core.train.live_run import RunSpec, advance, start_run, take_run_snapshot
from lstm_core.train.loop import TrainState

FIRST_SLICE_STEPS = 5  # steps of the first slice, which measures the time of a step
ROOT = Path(__file__).absolute().parents[2]  # the directory that holds lstm_core
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True, eq=False)
class WorkOrder:
    """One tenure of a job on a worker: its lanes (same data), where each stands, and its time left."""

    token: int  # names this tenure in every message
    specs: tuple[RunSpec, ...]
    states: tuple[TrainState | None, ...]  # None: a fresh run
    finished: tuple[str | None, ...]
    seconds_left: float
    slice_seconds: float


def describe(exc: BaseException) -> str:
    """A one-line account of an error for the student's page."""
    return f"{type(exc).__name__}: {exc}"


def _released(inbox: Connection, token: int) -> str | None:
    """What the runner asks between two slices: to exit ("quit"), to give this order back ("release")
    or nothing (None)."""
    while inbox.poll():
        msg = inbox.recv()
        if msg[0] == "quit":
            return "quit"
        if msg == ("release", token):
            return "release"
    return None


def run_order(order: WorkOrder, inbox: Connection, outbox: Connection) -> bool:
    """Work on ``order`` until it is done, out of time or released; False if the worker must exit."""
    token = order.token
    try:
        data = order.specs[0].make_data()
        runs = [
            replace(start_run(spec, data, state), finished=done)
            for spec, state, done in zip(order.specs, order.states, order.finished, strict=True)
        ]
        for lane, (run, state) in enumerate(zip(runs, order.states, strict=True)):
            if state is None:  # a fresh run: the gates before training
                outbox.send(("progress", token, lane, None, take_run_snapshot(run), run.train, None, 0.0))
    except Exception as exc:
        outbox.send(("end", token, "failed", describe(exc)))
        return True
    spent, n = 0.0, FIRST_SLICE_STEPS
    while True:
        asked = _released(inbox, token)
        if asked is not None:
            if asked == "release":
                outbox.send(("end", token, "released", ""))
            return asked == "release"
        active = [lane for lane, run in enumerate(runs) if run.finished is None]
        if not active:
            outbox.send(("end", token, "done", ""))
            return True
        if spent >= order.seconds_left:
            outbox.send(("end", token, "time", ""))
            return True
        turn_start, steps = time.perf_counter(), 0
        for lane in active:
            start = time.perf_counter()
            try:
                runs[lane], part, snap = advance(runs[lane], n)
            except Exception as exc:
                outbox.send(("end", token, "failed", describe(exc)))
                return True
            seconds = time.perf_counter() - start
            spent += seconds  # the time bound counts what the runner adds up: the slices
            steps = max(steps, len(part.losses))
            outbox.send(("progress", token, lane, part, snap, runs[lane].train, runs[lane].finished, seconds))
        turn = time.perf_counter() - turn_start
        budget = min(order.slice_seconds, max(order.seconds_left - spent, 0.0))
        n = max(1, int(budget * steps / turn)) if steps and turn > 0 else n


def serve(inbox: Connection, outbox: Connection) -> None:
    """Take orders until told to quit or the runner goes away."""
    try:
        while True:
            msg = inbox.recv()
            if msg[0] == "quit" or (msg[0] == "run" and not run_order(msg[1], inbox, outbox)):
                return
            # anything else is a release of an order already ended: nothing to do
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the runner is gone


class WorkerProcess:
    """The runner's handle on one worker: the process, its two pipes, and the tenure it works on
    (``token``, 0 when free; ``job``, None once that job has let go of it)."""

    def __init__(self, nice: int) -> None:
        child_read, parent_write = os.pipe()
        parent_read, child_write = os.pipe()
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, **ONE_THREAD, "PYTHONPATH": path}
        args = [sys.executable, "-m", __spec__.name, str(child_read), str(child_write), str(nice)]
        try:
            self.process = subprocess.Popen(
                args, env=env, pass_fds=(child_read, child_write), stdin=subprocess.DEVNULL
            )
        finally:
            os.close(child_read)
            os.close(child_write)
        self.outbox = Connection(parent_write, readable=False)
        self.inbox = Connection(parent_read, writable=False)
        self.job: str | None = None
        self.token = 0
        self.idle_since = time.monotonic()

    def send(self, msg: tuple) -> None:
        with contextlib.suppress(OSError):  # the worker is gone; its closed pipe tells the runner
            self.outbox.send(msg)

    def close(self, timeout: float = 2.0) -> None:
        """Ask it to quit, wait ``timeout`` seconds, then kill it; reaps the process. Its pipe to us is
        closed first, so that a worker busy sending a slice fails at once and exits."""
        self.send(("quit",))
        self.outbox.close()
        self.inbox.close()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main(argv: list[str]) -> None:
    read_fd, write_fd, nice = (int(a) for a in argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the server's terminal is the server's
    if nice:
        os.nice(nice)
    serve(Connection(read_fd, writable=False), Connection(write_fd, readable=False))


if __name__ == "__main__":
    main(sys.argv[1:])
