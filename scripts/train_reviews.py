"""Train the review-rating LSTM on generated reviews; test it on the hand-written ones; save it.

Usage (from the repository root; deterministic: same command → same files)::

    OPENBLAS_NUM_THREADS=1 python scripts/train_reviews.py

Writes ``assets/models/reviews_lstm.npz`` + ``.json``. The JSON's ``metrics`` hold the accuracy and
confusion matrix (rows = true rating, columns = predicted) on the hand-written reviews (never seen in
training) and on generated held-out reviews, plus the share of predictions within one star.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_core.tasks import reviews  # noqa: E402
from lstm_core.train import Model, TrainConfig, evaluate, save_model, train  # noqa: E402

DATA_OPTIONS = {"seed": 0, "n_train": 8000, "n_test": 500}
CONFIG = dict(cell="lstm", hidden_size=32, lr=0.005, batch_size=32, steps=3000, clip=1.0, seed=0, loss="last")


def review_metrics(model: Model, data: reviews.TaskData) -> dict[str, object]:
    """Accuracy, within-one-star accuracy and confusion matrices of ``model`` (cast to float64)."""
    model = model.astype("float64")
    out: dict[str, object] = {}
    for name, examples in (("handwritten", data.test), ("generated", data.info["generated_test"])):
        ev = evaluate(model, examples, data.vocab, data.classes, loss="last")
        k = np.arange(len(data.classes))
        near = ev.confusion[np.abs(k[:, None] - k[None, :]) <= 1].sum() / ev.count
        out[name] = {
            "accuracy": ev.accuracy,
            "within_one_star": float(near),
            "loss": ev.loss,
            "count": ev.count,
            "confusion": ev.confusion.tolist(),
        }
    vocab = set(data.vocab)
    tokens = [t for ex in data.test for t in ex.tokens]
    out["handwritten"]["unknown_word_share"] = sum(t not in vocab for t in tokens) / len(tokens)  # type: ignore[index]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=CONFIG["steps"])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "models")
    args = parser.parse_args()
    data = reviews.make(**DATA_OPTIONS)
    if data.info["test_source"] != "handwritten":
        raise SystemExit(f"the hand-written reviews are missing: {reviews.HANDWRITTEN}")
    config = TrainConfig(**{**CONFIG, "steps": args.steps}, eval_every=250, eval_size=500)
    start = time.perf_counter()

    def progress(step: int, loss: float, accuracy: float) -> bool:
        if step % 250 == 0:
            print(f"  step {step}: loss {loss:.3f}  batch accuracy {accuracy:.3f}", flush=True)
        return True

    result = train(data, config, callback=progress)
    seconds = time.perf_counter() - start
    model = result.model.astype("float64")
    metrics = review_metrics(model, data)
    info = {
        "data_options": DATA_OPTIONS,
        "train_seconds": round(seconds, 1),
        "eval_steps": result.eval_steps.tolist(),
        "eval_accuracies_handwritten": [round(float(v), 4) for v in result.eval_accuracies],
        "test_file": "assets/data/reviews_handwritten.jsonl",
    }
    save_model(
        args.out / "reviews_lstm.npz", model, data.vocab, data.classes, "reviews", config, metrics, info
    )
    for name in ("handwritten", "generated"):
        m = metrics[name]
        print(f"{name}: accuracy {m['accuracy']:.3f}, within one star {m['within_one_star']:.3f}")  # type: ignore[index]
        print("  confusion (rows true 1-5, columns predicted):", m["confusion"])  # type: ignore[index]
    print(f"{seconds:.0f} s")


if __name__ == "__main__":
    main()
