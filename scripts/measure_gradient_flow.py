"""Measured lesson (b): how far back the gradient reaches, for a plain RNN, a GRU and an LSTM.

One input sequence (the first held-out ``memory_span`` sequence with gap 50, T = 52); loss = the
cross-entropy of the prediction at the query (last step). Recorded at every step t: ‖∂loss/∂h_t‖
(``Backward.d_hidden_total``) and for the LSTM ‖∂loss/∂C_t‖ (``d_cell_total``), for each cell
untrained and after training on the task (same hidden size, budget and learning rate; the held-out
accuracy reached is stored next to the curves), and for untrained LSTMs with forget-gate bias 0, 1, 3
(plus the accuracy each reaches with the same budget). Writes ``assets/results/gradient_flow.json``.

    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python scripts/measure_gradient_flow.py        # ~1–3 min
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_core.tasks import memory_span  # noqa: E402
from lstm_core.train import (  # noqa: E402
    CELLS,
    Model,
    TrainConfig,
    cross_entropy,
    encode,
    evaluate,
    init_state,
    readout_backward,
    run_model,
    train,
)


def flow(model: Model, xs: np.ndarray, target: int) -> dict[str, list[float]]:
    """Norms of ∂loss/∂h_t (and ∂loss/∂C_t) at every step, float64, loss at the last step."""
    model = model.astype(np.float64)
    trace, logits = run_model(model, xs)  # (T, H), (T, K)
    _, dy = cross_entropy(logits[-1:], np.array([target]))
    _, _, dh_last = readout_backward(model.W_y, trace.hidden[-1:], dy)
    d_hidden = np.zeros_like(trace.hidden)
    d_hidden[-1] = dh_last[0]
    back = CELLS[model.kind].backward(model.cell, trace, d_hidden)
    out = {"dh_norm": np.linalg.norm(back.d_hidden_total, axis=1).tolist()}
    if back.d_cell_total is not None:
        out["dc_norm"] = np.linalg.norm(back.d_cell_total, axis=1).tolist()
    return out


def summary(curves: dict[str, list[float]]) -> dict[str, float]:
    dh = np.asarray(curves["dh_norm"])
    res = {
        "dh_first_over_last": float(dh[0] / dh[-1]),
        "log10_dh_first_over_last": float(np.log10(dh[0] / dh[-1])),
    }
    if "dc_norm" in curves:
        dc = np.asarray(curves["dc_norm"])
        res["dc_first_over_last"] = float(dc[0] / dc[-1])
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gap", type=int, default=50)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--lr", type=float, default=0.005)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "results" / "gradient_flow.json")
    args = ap.parse_args()
    start = time.perf_counter()
    data = memory_span.make(seed=args.seed, gap=args.gap)
    seq = data.test[0]
    enc = encode((seq,), data.vocab, data.classes)
    xs = np.eye(len(data.vocab))[enc.ids[0]]  # (T, D) one-hot, float64
    target = int(enc.targets[0, -1])

    def config(cell: str, forget_bias: float = 1.0) -> TrainConfig:
        return TrainConfig(
            cell=cell,
            hidden_size=args.hidden,
            lr=args.lr,
            steps=args.steps,
            seed=args.seed,
            forget_bias=forget_bias,
            loss="last",
            eval_every=50,
            eval_size=300,
            target_accuracy=0.99,
        )

    def trained(cfg: TrainConfig) -> tuple[Model, float, int]:
        res = train(data, cfg)
        acc = evaluate(res.model, data.test, data.vocab, data.classes, loss="last").accuracy
        return res.model, acc, res.state.step

    cells = {}
    for cell in ("rnn", "gru", "lstm"):
        cfg = config(cell)
        model, acc, steps = trained(cfg)
        cells[cell] = {
            "untrained": flow(init_state(data, cfg).model, xs, target),
            "trained": flow(model, xs, target),
            "trained_accuracy": acc,
            "trained_steps": steps,
        }
        cells[cell]["summary"] = {k: summary(cells[cell][k]) for k in ("untrained", "trained")}
        print(cell, acc, steps, cells[cell]["summary"], flush=True)
    forget = {}
    for fb in (0.0, 1.0, 3.0):
        cfg = config("lstm", fb)
        _, acc, steps = trained(cfg)
        curves = flow(init_state(data, cfg).model, xs, target)
        forget[str(fb)] = {
            **curves,
            "summary": summary(curves),
            "trained_accuracy": acc,
            "trained_steps": steps,
        }
        print("forget bias", fb, acc, steps, forget[str(fb)]["summary"], flush=True)
    out = {
        "what": "norm of the gradient of the last-step loss with respect to h_t (and LSTM C_t) at every t",
        "chance": float(data.info["chance"]),
        "how_measured": (
            f"One sequence: a letter, {args.gap} other symbols, then a question mark, where the network must "
            "name the letter. At the question mark we measure the error and send it back through the "
            "network, and record how big the signal is when it reaches each earlier step. We do this for a "
            "plain RNN, a GRU and an LSTM of the same size, once with random weights and once after "
            f"{args.steps} training steps on many such sequences."
        ),
        "command": "OPENBLAS_NUM_THREADS=1 python scripts/measure_gradient_flow.py",
        "sequence": list(seq.tokens),
        "target": data.classes[target],
        "config": {
            "gap": args.gap,
            "hidden_size": args.hidden,
            "max_steps": args.steps,
            "lr": args.lr,
            "seed": args.seed,
            "lstm_forget_bias": 1.0,
            "train_dtype": "float32",
            "measure_dtype": "float64",
        },
        "cells": cells,
        "lstm_forget_bias": forget,
        "runtime_seconds": round(time.perf_counter() - start, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {args.out} in {out['runtime_seconds']} s")


if __name__ == "__main__":
    main()
