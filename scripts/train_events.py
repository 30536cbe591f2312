"""Train the wolf-or-dog models on the ``events`` task and ship them in ``assets/models/``.

An LSTM (the model the app explains) and, for comparison, a plain RNN with the same hidden size and
budget. Trained in float32, saved in float64 as ``events_<cell>.npz`` + ``.json`` with the held-out
accuracy, the confusion matrix and the accuracy on streams whose bear is far back (≥ 20 pictures).

    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python scripts/train_events.py        # ~1 min
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_core.tasks import events  # noqa: E402
from lstm_core.train import TrainConfig, evaluate, save_model, train  # noqa: E402

OPTIONS = {"seed": 0, "min_len": 10, "max_len": 40, "min_gap": 3, "n_train": 2000, "n_test": 500}


def far_bears(data: events.TaskData, at_least: int) -> tuple:
    """Held-out streams with a bear at least ``at_least`` pictures before the question."""
    return tuple(
        ex
        for ex in data.test
        if events.CLUE in ex.tokens and len(ex.tokens) - 1 - ex.tokens.index("bear") >= at_least
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", nargs="+", default=["lstm", "rnn"])
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "models")
    args = ap.parse_args()
    data = events.make(**OPTIONS)
    far = far_bears(data, 20)
    for cell in args.cells:
        cfg = TrainConfig(
            cell=cell,
            hidden_size=args.hidden,
            lr=0.005,
            batch_size=32,
            steps=args.steps,
            seed=0,
            forget_bias=1.0,
            loss="last",
            eval_every=100,
            target_accuracy=1.0,
        )
        start = time.perf_counter()
        res = train(data, cfg)
        ev = evaluate(res.model, data.test, data.vocab, data.classes, loss="last")
        ev_far = evaluate(res.model, far, data.vocab, data.classes, loss="last")
        metrics = {
            "held_out_accuracy": ev.accuracy,
            "held_out_loss": ev.loss,
            "held_out_count": ev.count,
            "confusion": ev.confusion.tolist(),
            "confusion_rows": "true class (dog, wolf); columns: predicted",
            "far_bear_accuracy": ev_far.accuracy,
            "far_bear_count": ev_far.count,
            "far_bear_min_distance": 20,
            "train_steps": res.state.step,
            "stopped": res.stopped,
            "train_seconds": round(time.perf_counter() - start, 1),
        }
        path = args.out / f"events_{cell}.npz"
        save_model(
            path,
            res.model.astype("float64"),
            data.vocab,
            data.classes,
            "events",
            cfg,
            metrics,
            {"task_options": OPTIONS, "script": "scripts/train_events.py"},
        )
        print(cell, {k: v for k, v in metrics.items() if k != "confusion"}, "->", path, flush=True)


if __name__ == "__main__":
    main()
