"""Measured lesson (a): how long a gap a plain RNN, a GRU and an LSTM learn to bridge (gaps 1 … 1000).

The protocol (task, options, cells, training budget, seeds, gaps, what counts as success and why) is
``assets/experiments/memory_span.json``. Every finished (cell, gap, seed) run is appended as one JSON
line to ``assets/results/memory_span_runs.jsonl``; a rerun skips what is there, so the measurement can
be stopped and resumed. Each run is a pure function of (protocol, cell, gap, seed) apart from its timing,
and carries the fingerprint of what decides it: the task, training and success parts of the protocol
and its own cell's entry of ``cells`` (``cell_fingerprint``), so adding a cell (a row) to the protocol
keeps the stored runs of the other cells, while changing a cell's entry or any shared part does not.
At the end the summary the app reads is written to ``assets/results/memory_span.json``: per cell and
gap the median, quartiles, min, max and mean of the per-seed held-out accuracies, the fraction of seeds
that reached the target (``fraction_reached``), and the cost in seconds.

    OPENBLAS_NUM_THREADS=1 nice -n 15 python scripts/measure_memory_span.py              # measure, summarise
    OPENBLAS_NUM_THREADS=1 nice -n 15 python scripts/measure_memory_span.py --pilot 20   # time the steps
    python scripts/measure_memory_span.py --summarise                                    # no training
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_core.tasks import get_task  # noqa: E402
from lstm_core.tasks.base import TaskData  # noqa: E402
from lstm_core.train import TrainConfig, encode, evaluate_encoded, train  # noqa: E402

PROTOCOL = ROOT / "assets" / "experiments" / "memory_span.json"
READING = ROOT / "assets" / "experiments" / "memory_span_reading.json"
RUNS = ROOT / "assets" / "results" / "memory_span_runs.jsonl"
SUMMARY = ROOT / "assets" / "results" / "memory_span.json"
COMMAND = "OPENBLAS_NUM_THREADS=1 nice -n 15 python scripts/measure_memory_span.py"
MEASURED_KEYS = ("task", "cells", "training", "success")  # what the runs' outcomes depend on
RUN_KEYS = ("cell", "gap", "seed")


def _short_hash(measured: dict) -> str:
    return hashlib.sha256(json.dumps(measured, sort_keys=True).encode()).hexdigest()[:16]


def fingerprint(protocol: dict) -> str:
    """A short hash of the parts of the protocol that decide the runs' outcomes, every cell included
    (not seeds, gaps, texts outside them): what the summary and the students' reading were made for."""
    return _short_hash({k: protocol[k] for k in MEASURED_KEYS})


def cell_fingerprint(protocol: dict, cell: str) -> str:
    """A run's fingerprint: ``fingerprint`` of the protocol with its ``cells`` table cut to ``cell``'s
    own entry, i.e. of everything that decides a run of ``cell`` and nothing about the other cells."""
    return fingerprint(protocol | {"cells": {cell: protocol["cells"][cell]}})


def make_data(protocol: dict, gap: int, seed: int) -> TaskData:
    task = protocol["task"]
    return get_task(task["name"]).make(seed=seed, gap=gap, **task["options"])


def task_loss(protocol: dict) -> str:
    return get_task(protocol["task"]["name"]).loss


def config_for(protocol: dict, cell: str, seed: int, lr: float, steps: int) -> TrainConfig:
    t, spec = protocol["training"], protocol["cells"][cell]
    return TrainConfig(
        cell=spec["cell"],
        hidden_size=t["hidden_size"],
        lr=lr,
        batch_size=t["batch_size"],
        steps=steps,
        clip=t["clip"],
        dtype=t["dtype"],
        seed=seed,
        forget_bias=spec["forget_bias"],
        loss=task_loss(protocol),
        eval_every=t["eval_every"],
        eval_size=protocol["task"]["options"]["n_test"],
        target_accuracy=protocol["success"]["target_accuracy"],
    )


def run_one(protocol: dict, cell: str, gap: int, seed: int) -> dict:
    """One (cell, gap, seed) run: the learning rates tried in order until one reaches the target."""
    t = protocol["training"]
    if t["max_steps_per_rate"] % t["eval_every"]:
        raise ValueError("max_steps_per_rate must be a multiple of eval_every (the last check is the end)")
    start = time.perf_counter()
    data = make_data(protocol, gap, seed)
    attempts = []
    for lr in t["lr_grid"]:
        began = time.perf_counter()
        res = train(data, config_for(protocol, cell, seed, lr, t["max_steps_per_rate"]))
        attempts.append(
            {
                "lr": lr,
                "accuracy": float(res.eval_accuracies[-1]),  # all n_test held-out sequences, at the end
                "steps": int(res.state.step),
                "stopped": res.stopped,
                "final_loss": float(np.mean(res.losses[-t["eval_every"] :])),
                "seconds": round(time.perf_counter() - began, 2),
            }
        )
        if res.stopped == "target":
            break
    best = max(attempts, key=lambda a: a["accuracy"])  # first of equals: the earlier rate
    return {
        "cell": cell,
        "gap": gap,
        "seed": seed,
        "fingerprint": cell_fingerprint(protocol, cell),
        "accuracy": best["accuracy"],
        "reached_target": best["stopped"] == "target",
        "lr": best["lr"],
        "steps": best["steps"],
        "steps_all_rates": sum(a["steps"] for a in attempts),
        "attempts": attempts,
        "seconds": round(time.perf_counter() - start, 2),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def read_runs(path: Path, protocol: dict) -> list[dict]:
    """The runs stored so far; ``ValueError`` if any was measured under another protocol: its cell is
    not in ``cells`` or its fingerprint is not its cell's ``cell_fingerprint``."""
    if not path.exists():
        return []
    runs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    want = {cell: cell_fingerprint(protocol, cell) for cell in protocol["cells"]}
    stale = sorted({(r["cell"], r["fingerprint"]) for r in runs if want.get(r["cell"]) != r["fingerprint"]})
    if stale:
        raise ValueError(f"{path} holds runs of another protocol ({stale}); move it away first")
    return runs


def planned(protocol: dict) -> list[tuple[str, int, int]]:
    """Every (cell, gap, seed) of the protocol: short gaps first, the cells side by side at each seed."""
    return [(c, g, s) for g in protocol["gaps"] for s in protocol["seeds"] for c in protocol["cells"]]


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, median, q3 = np.percentile(values, [25, 50, 75])  # linear interpolation (NumPy's default)
    return float(q1), float(median), float(q3)


def summary_row(protocol: dict, cell: str, gap: int, runs: list[dict]) -> dict:
    """Per (cell, gap): the per-seed numbers and their median, quartiles, min, max and mean."""
    sel = sorted(runs, key=lambda r: r["seed"])
    accs = [r["accuracy"] for r in sel]
    q1, median, q3 = quartiles(accs)
    return {
        "cell": cell,
        "label": protocol["cells"][cell]["label"],
        "gap": gap,
        "n_seeds": len(sel),
        "median": median,
        "q1": q1,
        "q3": q3,
        "min": min(accs),
        "max": max(accs),
        "mean": float(np.mean(accs)),
        "fraction_reached": sum(r["reached_target"] for r in sel) / len(sel),
        "seeds": [r["seed"] for r in sel],
        "accuracies": accs,
        "steps": [r["steps"] for r in sel],
        "seconds_per_run": round(float(np.median([r["seconds"] for r in sel])), 2),
        "seconds_per_step": round(sum(r["seconds"] for r in sel) / sum(r["steps_all_rates"] for r in sel), 5),
    }


def machine() -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")),
        platform.processor() or platform.machine(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
    }


def _cpuinfo() -> list[str]:
    path = Path("/proc/cpuinfo")
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def summarise(protocol: dict, runs: list[dict], reading: dict) -> dict:
    """The results document the app reads (see the module docstring)."""
    groups: dict[tuple[str, int], list[dict]] = {}
    for r in runs:
        groups.setdefault((r["cell"], r["gap"]), []).append(r)
    rows = [
        summary_row(protocol, c, g, groups[(c, g)])
        for c in protocol["cells"]
        for g in protocol["gaps"]
        if (c, g) in groups
    ]
    finished = sorted(r["finished"] for r in runs)
    return {
        "what": protocol["what"],
        "reading": reading.get("reading", ""),
        "how_measured": protocol["how_measured"],
        "chance": protocol["task"]["chance"],
        "target_accuracy": protocol["success"]["target_accuracy"],
        "summary": rows,
        "protocol": protocol,
        "fingerprint": fingerprint(protocol),
        "cell_fingerprints": {cell: cell_fingerprint(protocol, cell) for cell in protocol["cells"]},
        "command": COMMAND,
        "date": finished[-1][:10] if finished else None,
        "first_run_finished": finished[0] if finished else None,
        "last_run_finished": finished[-1] if finished else None,
        "machine": machine(),
        "cost": {
            "runs": len(runs),
            "seconds_total": round(sum(r["seconds"] for r in runs), 1),
            "seconds_per_run": round(float(np.mean([r["seconds"] for r in runs])), 2) if runs else None,
            "training_steps_total": sum(r["steps_all_rates"] for r in runs),
        },
    }


def pilot(protocol: dict, steps: int) -> list[dict]:
    """Seconds per training step and per held-out check for every cell at every gap (no early stop)."""
    out = []
    for gap in protocol["gaps"]:
        data = make_data(protocol, gap, 0)
        test = encode(data.test, data.vocab, data.classes)
        for cell in protocol["cells"]:
            lr = protocol["training"]["lr_grid"][0]
            train(data, config_for(protocol, cell, 0, lr, 2))  # warm-up
            began = time.perf_counter()
            res = train(data, config_for(protocol, cell, 0, lr, steps))
            per_step = (time.perf_counter() - began) / steps  # includes the checks, if steps >= eval_every
            began = time.perf_counter()
            evaluate_encoded(res.model, test, task_loss(protocol))
            row = {"cell": cell, "gap": gap, "seconds_per_step": round(per_step, 5)}
            out.append(row | {"seconds_per_check": round(time.perf_counter() - began, 4)})
            print(json.dumps(out[-1]), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--protocol", type=Path, default=PROTOCOL)
    ap.add_argument("--reading", type=Path, default=READING, help="the students' reading of the results")
    ap.add_argument("--runs", type=Path, default=RUNS, help="one JSON line per finished run (resumable)")
    ap.add_argument("--out", type=Path, default=SUMMARY, help="the summary the app reads")
    ap.add_argument("--summarise", action="store_true", help="no training: summarise the runs file")
    ap.add_argument("--pilot", type=int, metavar="STEPS", help="time STEPS steps per cell and gap, then stop")
    args = ap.parse_args()
    protocol = json.loads(args.protocol.read_text(encoding="utf-8"))
    if args.pilot:
        pilot(protocol, args.pilot)
        return
    runs = read_runs(args.runs, protocol)
    if not args.summarise:
        done = {tuple(r[k] for k in RUN_KEYS) for r in runs}
        todo = [key for key in planned(protocol) if key not in done]
        print(f"{len(done)} runs stored, {len(todo)} to go", flush=True)
        args.runs.parent.mkdir(parents=True, exist_ok=True)
        for cell, gap, seed in todo:
            run = run_one(protocol, cell, gap, seed)
            with open(args.runs, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(run) + "\n")
            runs.append(run)
            verdict = "reached" if run["reached_target"] else "missed"
            print(
                f"{cell:>9} gap {gap:>4} seed {seed}: {run['accuracy']:.3f} (lr {run['lr']}, "
                f"{run['steps']} steps, {verdict}) {run['seconds']} s",
                flush=True,
            )
    reading = json.loads(args.reading.read_text(encoding="utf-8")) if args.reading.exists() else {}
    doc = summarise(protocol, runs, reading)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(runs)} runs, {doc['cost']['seconds_total']} s of training", flush=True)


if __name__ == "__main__":
    main()
