"""Measured lesson (a): held-out accuracy against gap length for a plain RNN, a GRU and an LSTM.

Task ``memory_span``: recall the first of 4 symbols after ``gap`` distractors (chance 25 %). Protocol
(the same for every row): hidden size, batch size, step budget and learning-rate grid are shared; each
(row, gap, seed) tries the learning rates of the grid in order, each from a fresh model, stops a run
early when the held-out accuracy reaches ``--target`` and stops trying rates at the first run that
reaches it; the reported number is the best held-out accuracy over the rates tried (every attempt is
stored too). Rows: RNN, GRU, LSTM with the standard forget-gate bias 1, and an LSTM with forget bias 0
for transparency. Two distractor designs (``--variants``):

- ``symbols``: the gap is filled with the symbols themselves, so the cell must keep the *first* one and
  ignore look-alikes; no input weight can be dedicated to "the token to remember".
- ``separate``: distractors come from their own set (x, y, z); a cell can learn to ignore them, and the
  symbols' input columns receive gradient only through the long path (which Adam rescales).

Writes ``assets/results/memory_span.json`` (protocol, every run, a per row/gap summary) and ``.csv``.

    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python scripts/measure_memory_span.py --jobs 2   # ~22 min
    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python scripts/measure_memory_span.py --quick --out /tmp/m.json

The shipped file was measured as seeds 0-2 (13 min) plus seeds 3-4 (``--seeds 3 4``, 2 jobs each) and
merged with ``--rebuild a.json b.json`` (same protocol; the results do not depend on how the seeds or
jobs are split: every run is a pure function of its (variant, row, gap, seed)).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_core.tasks import memory_span  # noqa: E402
from lstm_core.train import TrainConfig, evaluate, train  # noqa: E402

# row name → (cell, LSTM forget-gate bias at init, label shown in the app)
ROWS: dict[str, tuple[str, float, str]] = {
    "rnn": ("rnn", 0.0, "RNN"),
    "gru": ("gru", 0.0, "GRU"),
    "lstm": ("lstm", 1.0, "LSTM (forget bias 1)"),
    "lstm_fb0": ("lstm", 0.0, "LSTM, forget bias 0"),
}
DEFAULTS = {
    "gaps": [1, 5, 10, 20, 50, 100],
    "seeds": [0, 1, 2, 3, 4],
    "lrs": [0.003, 0.01],
    "hidden": 32,
    "batch": 32,
    "steps": 2000,
    "eval_every": 50,
    "target": 0.99,
    "n_train": 2000,
    "n_test": 500,
    "variants": ["symbols", "separate"],
    "main_variant": "symbols",
}
PROTOCOL_TEXT = (
    "Every row has the same hidden size, batch size, Adam (clip 1.0), float32, step budget and learning-"
    "rate grid. For each (row, gap, seed) the rates are tried in order, each from the same fresh seeded "
    "model; a run stops early when the held-out accuracy (all n_test sequences, every eval_every steps) "
    "reaches target_accuracy, and no further rate is tried once one reaches it. The reported accuracy is "
    "the best final held-out accuracy over the rates tried (all attempts are in 'runs'). No curriculum: "
    "training gaps equal the test gap. The main LSTM row uses the standard forget-gate bias 1 (Gers et al. "
    "2000; Jozefowicz et al. 2015); 'lstm_fb0' is the same LSTM with bias 0. Variant 'symbols' fills the gap "
    "with the symbols themselves (the cell must keep the first and ignore look-alikes); variant 'separate' "
    "uses a separate distractor set (x, y, z) that a cell can learn to ignore, which lets Adam rescale the "
    "tiny long-path gradient of the symbols' own input weights. Budget-limited: a row 'fails' a gap when no "
    "rate of the grid learns it within max_steps; more steps could move the curves right."
)


def params_from_protocol(protocol: dict[str, object]) -> dict[str, object]:
    """The ``run_one`` parameters stored in a results file's "protocol" (to re-run one cell)."""
    keys = {"gaps": "gaps", "seeds": "seeds", "lrs": "lr_grid", "hidden": "hidden_size"}
    keys |= {"batch": "batch_size", "steps": "max_steps", "eval_every": "eval_every"}
    keys |= {"target": "target_accuracy", "n_train": "n_train", "n_test": "n_test", "variants": "variants"}
    keys |= {"main_variant": "main_variant"}
    return {k: protocol[v] for k, v in keys.items() if v in protocol}


def run_one(variant: str, row: str, gap: int, seed: int, p: dict[str, object]) -> dict[str, object]:
    """One (variant, row, gap, seed) cell of the protocol ``p``: the rates tried and the best."""
    cell, forget_bias, _ = ROWS[row]
    data = memory_span.make(seed=seed, gap=gap, n_train=p["n_train"], n_test=p["n_test"], distractors=variant)
    attempts = []
    for lr in p["lrs"]:
        cfg = TrainConfig(
            cell=cell,
            hidden_size=p["hidden"],
            lr=lr,
            batch_size=p["batch"],
            steps=p["steps"],
            seed=seed,
            forget_bias=forget_bias,
            loss="last",
            eval_every=p["eval_every"],
            eval_size=p["n_test"],
            target_accuracy=p["target"],
        )
        start = time.perf_counter()
        res = train(data, cfg)
        acc = evaluate(res.model, data.test, data.vocab, data.classes, loss="last").accuracy
        attempts.append(
            {
                "lr": lr,
                "accuracy": acc,
                "steps": res.state.step,
                "stopped": res.stopped,
                "final_loss": float(np.mean(res.losses[-20:])),
                "seconds": round(time.perf_counter() - start, 2),
            }
        )
        if res.stopped == "target":
            break
    best = max(attempts, key=lambda a: a["accuracy"])  # first of equals: the earlier rate
    return {
        "variant": variant,
        "row": row,
        "cell": cell,
        "forget_bias": forget_bias,
        "gap": gap,
        "seed": seed,
        **{k: best[k] for k in ("lr", "accuracy", "steps", "stopped", "final_loss")},
        "steps_all_rates": sum(a["steps"] for a in attempts),
        "seconds": round(sum(a["seconds"] for a in attempts), 2),
        "attempts": attempts,
    }


def summarise(runs: list[dict[str, object]], variant: str) -> list[dict[str, object]]:
    """Per (row, gap) of one variant: mean, sample standard deviation, min and max over seeds.

    ``cell`` holds the row name (rnn, gru, lstm, lstm_fb0): the key the app groups its curves by."""
    out = []
    for row in ROWS:
        gaps = sorted({r["gap"] for r in runs if (r["variant"], r["row"]) == (variant, row)})
        for gap in gaps:
            sel = sorted(
                (r for r in runs if (r["variant"], r["row"], r["gap"]) == (variant, row, gap)),
                key=lambda r: r["seed"],
            )
            accs = [r["accuracy"] for r in sel]
            out.append(
                {
                    "cell": row,
                    "label": ROWS[row][2],
                    "variant": variant,
                    "gap": gap,
                    "mean": float(np.mean(accs)),
                    "std": float(np.std(accs, ddof=1)) if len(accs) > 1 else 0.0,
                    "min": min(accs),
                    "max": max(accs),
                    "seeds": [r["seed"] for r in sel],
                    "accuracies": accs,
                    "steps": [r["steps"] for r in sel],
                    "solved": sum(r["stopped"] == "target" for r in sel),
                    "runs": len(sel),
                }
            )
    return out


def document(runs: list[dict[str, object]], p: dict[str, object], command: str, extra: dict) -> dict:
    """The results file: protocol, the main variant's summary (what the app plots), every variant's
    summary and every run."""
    variants = p["variants"]
    main = p["main_variant"] if p["main_variant"] in variants else variants[0]
    return {
        "what": "held-out accuracy of recalling the first of 4 symbols after `gap` distractors (chance 0.25)",
        "command": command,
        "note": f"Main curve: distractor variant '{main}'. Budget-limited ({p['steps']} steps per rate, "
        f"rates {p['lrs']}); a failure means 'not learnt within this budget'.",
        "protocol": {
            "text": PROTOCOL_TEXT,
            "hidden_size": p["hidden"],
            "batch_size": p["batch"],
            "max_steps": p["steps"],
            "eval_every": p["eval_every"],
            "target_accuracy": p["target"],
            "lr_grid": p["lrs"],
            "optimizer": "Adam (beta 0.9, 0.999, eps 1e-8), global gradient-norm clip 1.0",
            "loss": "cross-entropy at the query (last step)",
            "dtype": "float32",
            "n_symbols": 4,
            "n_distractors": 3,
            "n_train": p["n_train"],
            "n_test": p["n_test"],
            "curriculum": "none (min_gap = gap)",
            "seeds": p["seeds"],
            "gaps": p["gaps"],
            "variants": variants,
            "main_variant": main,
            "rows": {k: {"cell": c, "forget_bias": fb, "label": lab} for k, (c, fb, lab) in ROWS.items()},
            "total_steps": int(sum(r["steps_all_rates"] for r in runs)),
            **extra,
        },
        "chance": 0.25,
        "summary": summarise(runs, main),
        "summary_by_variant": {v: summarise(runs, v) for v in variants},
        "runs": runs,
    }


def merged(olds: list[dict], main_variant: str) -> dict:
    """One results document from files measured with the same protocol on different seeds."""
    params = [params_from_protocol(o["protocol"]) for o in olds]
    same = [{k: v for k, v in q.items() if k not in ("seeds", "main_variant")} for q in params]
    if any(q != same[0] for q in same):
        raise ValueError("these results files were measured with different protocols")
    seeds = sorted(s for q in params for s in q["seeds"])
    if len(set(seeds)) != len(seeds):
        raise ValueError("these results files share seeds")
    p = params[0] | {"seeds": seeds, "main_variant": main_variant}
    runs = [r for o in olds for r in o["runs"]]
    runs.sort(
        key=lambda r: (p["variants"].index(r["variant"]), list(ROWS).index(r["row"]), r["gap"], r["seed"])
    )
    extra = {
        "openblas_num_threads": olds[0]["protocol"]["openblas_num_threads"],
        "jobs": olds[0]["protocol"]["jobs"],
        "wall_seconds": round(sum(o["protocol"]["wall_seconds"] for o in olds), 1),
    }
    return document(runs, p, " && ".join(o["command"] for o in olds), extra)


def measure(p: dict[str, object], rows: list[str], jobs: int) -> list[dict[str, object]]:
    """Every (variant, row, gap, seed) cell, longest gaps first so that slow cells do not end up alone."""
    cells = [
        (v, row, gap, seed)
        for gap in sorted(p["gaps"], reverse=True)
        for v in p["variants"]
        for row in rows
        for seed in p["seeds"]
    ]
    runs = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for fut in [pool.submit(run_one, *c, p) for c in cells]:
            runs.append(fut.result())
            r = runs[-1]
            print(
                f"{r['variant']:>8} {r['row']:>8} gap {r['gap']:>3} seed {r['seed']} lr {r['lr']}: "
                f"{r['accuracy']:.3f} ({r['stopped']} at {r['steps']}) {r['seconds']} s",
                flush=True,
            )
    order = list(ROWS)
    runs.sort(key=lambda r: (p["variants"].index(r["variant"]), order.index(r["row"]), r["gap"], r["seed"]))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gaps", type=int, nargs="+", default=DEFAULTS["gaps"])
    ap.add_argument("--seeds", type=int, nargs="+", default=DEFAULTS["seeds"])
    ap.add_argument("--lrs", type=float, nargs="+", default=DEFAULTS["lrs"])
    ap.add_argument("--rows", nargs="+", default=list(ROWS), choices=list(ROWS))
    ap.add_argument("--variants", nargs="+", default=DEFAULTS["variants"], choices=["symbols", "separate"])
    ap.add_argument("--main-variant", default=DEFAULTS["main_variant"], choices=["symbols", "separate"])
    for name in ("hidden", "batch", "steps", "eval_every", "n_train", "n_test"):
        ap.add_argument("--" + name.replace("_", "-"), type=int, default=DEFAULTS[name])
    ap.add_argument("--target", type=float, default=DEFAULTS["target"])
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (results do not depend on it)")
    ap.add_argument("--quick", action="store_true", help="gaps 1 10 50, one seed, 500 steps")
    ap.add_argument(
        "--rebuild",
        type=Path,
        nargs="+",
        help="no training: re-summarise the runs of these results files (same protocol, other seeds)",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "results" / "memory_span.json")
    args = ap.parse_args()
    if args.rebuild:
        doc = merged([json.loads(f.read_text(encoding="utf-8")) for f in args.rebuild], args.main_variant)
    else:
        if args.quick:
            args.gaps, args.seeds, args.steps = [1, 10, 50], [0], 500
        p = {k: getattr(args, k) for k in DEFAULTS}
        start = time.perf_counter()
        runs = measure(p, args.rows, args.jobs)
        extra = {
            "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
            "jobs": args.jobs,
            "wall_seconds": round(time.perf_counter() - start, 1),
        }
        command = "OPENBLAS_NUM_THREADS=1 python " + " ".join(
            ["scripts/measure_memory_span.py", *sys.argv[1:]]
        )
        doc = document(runs, p, command, extra)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1) + "\n")
    fields = [k for k in doc["runs"][0] if k != "attempts"]
    with open(args.out.with_suffix(".csv"), "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(doc["runs"])
    print(f"wrote {args.out} ({doc['protocol']['wall_seconds']} s of measuring)")


if __name__ == "__main__":
    main()
