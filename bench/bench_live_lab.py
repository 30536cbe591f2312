"""The live training lab's engine: time for the default memory-span run to reach its target on one core,
and what the lab adds on top of plain training (slices, snapshots, a worker process).

Per seed (0–4 by default; the default run ``RunSpec()``: the live lab's LSTM on memory span at gap 50,
stopping at 95 % held-out, ``lstm_core/train/live_lab.py``):

- ``train()``: the run in one ``train`` call (training only, the data made beforehand);
- ``sliced``: the run as the lab runs it, ``advance`` slice after slice at the default snapshot period
  (``DEFAULT_SNAPSHOT_EVERY`` steps), snapshots included;
- ``snapshots``: the time of those snapshots (each taken again on the same state and timed alone), and
  their ``share`` = snapshots / (sliced - snapshots), the cost relative to the training they watch;
- ``runner``: submit → done through a ``JobRunner`` with one warm worker (queue, worker process, pipes,
  the data made in the worker), as a student waits for it; ``worker`` = the training time it reports.

Targets (shared/PERFORMANCE.md): time to target ≤ 1 s of training on one core; snapshots ≤ 10 % of the
training time. Run with one BLAS thread (the workers always use one; the numbers of a run depend on it):

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/bench_live_lab.py [--seeds 0 1 2 3 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lstm_core.train.jobs import JobRunner
from lstm_core.train.live_run import DEFAULT_SNAPSHOT_EVERY, RunSpec, advance, start_run, take_run_snapshot
from lstm_core.train.loop import train


def in_process(spec: RunSpec) -> dict[str, float]:
    """One call, then the lab's slices with the snapshots timed again on their own."""
    data = spec.make_data()
    start = time.perf_counter()
    whole = train(data, spec.config)
    one_call = time.perf_counter() - start
    state, sliced, snapshots = start_run(spec, data), 0.0, 0.0
    while state.finished is None:
        start = time.perf_counter()
        state, _, snap = advance(state, DEFAULT_SNAPSHOT_EVERY)
        sliced += time.perf_counter() - start
        if snap is not None:
            start = time.perf_counter()
            take_run_snapshot(state)
            snapshots += time.perf_counter() - start
    assert state.step == whole.state.step, "slices must replay the one-call run"
    return {
        "steps": whole.state.step,
        "reached": whole.stopped == "target",
        "one_call": one_call,
        "sliced": sliced,
        "snapshots": snapshots,
        "share": snapshots / (sliced - snapshots),
    }


def through_runner(runner: JobRunner, spec: RunSpec, seed: int) -> tuple[float, float]:
    """(submit → done wall time, training time the worker reports) for one run."""
    owner = f"bench-{seed}"
    start = time.perf_counter()
    job = runner.submit(owner, spec)
    while (status := runner.poll(owner, job)).state not in ("done", "failed"):
        time.sleep(0.005)
    wall = time.perf_counter() - start
    runner.cancel(owner, job)
    if status.state == "failed":
        raise RuntimeError(status.message)
    return wall, status.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    args = parser.parse_args()
    blas = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")}
    print(f"BLAS environment: {blas}; snapshot every {DEFAULT_SNAPSHOT_EVERY} steps")
    header = "seed  steps  train()   sliced  snapshots  share   runner   worker"
    print(header)
    rows = []
    with JobRunner(workers=1) as runner:
        base = RunSpec()
        through_runner(runner, replace(base, config=replace(base.config, steps=5)), -1)  # start the worker
        for seed in args.seeds:
            spec = replace(base, config=replace(base.config, seed=seed))
            row = in_process(spec)
            row["runner"], row["worker"] = through_runner(runner, spec, seed)
            rows.append(row)
            mark = "" if row["reached"] else "  (missed the target)"
            print(
                f"{seed:4d}  {row['steps']:5d}  {row['one_call']:6.2f} s  {row['sliced']:5.2f} s  "
                f"{row['snapshots']:7.3f} s  {row['share']:5.1%}  {row['runner']:5.2f} s  "
                f"{row['worker']:5.2f} s{mark}"
            )
    med = {
        k: statistics.median(r[k] for r in rows) for k in ("one_call", "sliced", "share", "runner", "worker")
    }
    print(
        f"median      {med['one_call']:6.2f} s  {med['sliced']:5.2f} s             {med['share']:5.1%}  "
        f"{med['runner']:5.2f} s  {med['worker']:5.2f} s"
    )
    print(
        f"targets: time to target <= 1 s of training on one core (median sliced {med['sliced']:.2f} s); "
        f"snapshots <= 10 % of training (median {med['share']:.1%})"
    )


if __name__ == "__main__":
    main()
