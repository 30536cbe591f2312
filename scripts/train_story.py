"""Train the story language models (LSTM, plain RNN, GRU; same hidden size, same steps) and save them.

Usage (from the repository root; deterministic: same command → same files)::

    OPENBLAS_NUM_THREADS=1 python scripts/train_story.py              # all three cells
    OPENBLAS_NUM_THREADS=1 python scripts/train_story.py --cells rnn  # just one

Writes ``assets/models/story_<cell>.npz`` + ``.json``. The JSON's ``metrics`` hold the held-out
next-word accuracy over every step and at the informative steps (``story.probe_metrics``): the language
after "i speak" by gap length, the subject after "brave", and "sky".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_core.tasks import story  # noqa: E402
from lstm_core.train import (  # noqa: E402
    Model,
    TrainConfig,
    encode,
    evaluate,
    one_hot,
    one_hot_table,
    run_model,
    save_model,
    train,
)

DATA_OPTIONS = dict(story.SPEC.defaults)  # seed 0, 3000 train, 300 test, max gap 24
COMMON = dict(hidden_size=64, batch_size=32, steps=5000, clip=1.0, seed=0, loss="per_step")
FORGET_BIAS = {"lstm": 2.0, "gru": 0.0, "rnn": 0.0}  # a remembering start for the LSTM's forget gate
# The RNN's rate was picked from {0.01, 0.003} by its final training loss (0.394 vs 0.346), not by test.
LR = {"lstm": 0.01, "gru": 0.01, "rnn": 0.003}


def predict_ids(model: Model, examples: tuple[story.Example, ...], data: story.TaskData) -> list[np.ndarray]:
    """The most likely next word (class id) at every step of every example, float64 forward."""
    enc = encode(examples, data.vocab, data.classes)
    table = one_hot_table(len(data.vocab), model.dtype)
    out: list[np.ndarray] = []
    for start in range(0, len(enc), 128):
        batch = enc.take(np.arange(start, min(start + 128, len(enc))))
        _, logits = run_model(model, one_hot(batch.ids, table))  # (B, T, K)
        out += [logits[b, :n].argmax(axis=-1) for b, n in enumerate(batch.lengths)]
    return out


def story_metrics(model: Model, data: story.TaskData) -> dict[str, object]:
    """Held-out metrics of ``model`` (cast to float64) on ``data.test``."""
    model = model.astype("float64")
    ev = evaluate(model, data.test, data.vocab, data.classes, loss="per_step")
    probes = story.probe_metrics(data.test, predict_ids(model, data.test, data), data.classes)
    return {"test_accuracy": ev.accuracy, "test_loss": ev.loss, "test_count": ev.count, **probes}


def train_one(cell: str, data: story.TaskData, out_dir: Path, steps: int, lr: float) -> dict[str, object]:
    config = TrainConfig(
        cell=cell,
        forget_bias=FORGET_BIAS[cell],
        eval_every=500,
        eval_size=100,
        **{**COMMON, "steps": steps},
        lr=lr,
    )
    start = time.perf_counter()

    def progress(step: int, loss: float, accuracy: float) -> bool:
        if step % 250 == 0:
            print(f"  {cell} step {step}: loss {loss:.3f}  batch accuracy {accuracy:.3f}", flush=True)
        return True

    result = train(data, config, callback=progress)
    seconds = time.perf_counter() - start
    model = result.model.astype("float64")
    metrics = story_metrics(model, data)
    curve = result.losses.reshape(-1, 100).mean(axis=1) if steps % 100 == 0 else result.losses
    info = {
        "data_options": DATA_OPTIONS,
        "train_seconds": round(seconds, 1),
        "loss_every_100_steps": [round(float(v), 4) for v in curve],
        "eval_steps": result.eval_steps.tolist(),
        "eval_accuracies": [round(float(v), 4) for v in result.eval_accuracies],
    }
    save_model(out_dir / f"story_{cell}.npz", model, data.vocab, data.classes, "story", config, metrics, info)
    return {"seconds": seconds, **metrics}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", nargs="+", default=["lstm", "rnn", "gru"], choices=sorted(FORGET_BIAS))
    parser.add_argument("--steps", type=int, default=COMMON["steps"])
    parser.add_argument("--lr", type=float, default=None, help="override every cell's learning rate")
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "models")
    args = parser.parse_args()
    data = story.make(**DATA_OPTIONS)
    for cell in args.cells:
        m = train_one(cell, data, args.out, args.steps, args.lr or LR[cell])
        acc = m["accuracy"]
        gaps = "  ".join(f"{k[13:]}: {v:.2f}" for k, v in acc.items() if k.startswith("language_gap"))
        line = f"{cell}: {m['seconds']:.0f} s, next word {m['test_accuracy']:.3f}"
        print(f"{line}, language {acc['language']:.3f}")
        print(f"  by gap {gaps}; subject {acc['subject']:.3f}; sky {acc['sky']:.3f}", flush=True)


if __name__ == "__main__":
    main()
