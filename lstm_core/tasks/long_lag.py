"""Long-lag recall through noise, after Hochreiter & Schmidhuber (1997), Experiment 2c.

Each sequence is one class symbol (one of ``n_classes``: "A", "B", …), then ``gap`` noise symbols drawn
uniformly and independently from a larger alphabet of ``n_noise`` symbols ("n00", "n01", …), then the
end marker "?". The model is scored once, at the marker: which class symbol came first?

    C  n17 n03 n29 n03 …  n11  ?   →  C          (T = gap + 2 steps)

Unlike a latch or "2-sequence" task, whose filler after the clue is the same for every sequence,
here the filler is fresh random noise every time, so no fixed set of weights guessed at random can
ignore it by luck; the class is the only thing worth keeping, and it must be kept for ``gap`` steps.
The noise never depends on the class (both are drawn independently), so the best rule that ignores
the first symbol is at chance (1 / ``n_classes``). Train and held-out sets come from independent
random streams: the held-out set does not depend on ``n_train``.
"""

from __future__ import annotations

import numpy as np

from lstm_core.tasks.base import Example, TaskData, TaskSpec

CLASS_SYMBOLS = ("A", "B", "C", "D", "E", "F", "G", "H")
MAX_NOISE = 100
END = "?"
MAX_GAP = 1000
MAX_TOKENS = 20_000_000


def noise_symbols(n_noise: int) -> tuple[str, ...]:
    """The first ``n_noise`` noise symbols: "n00", "n01", …"""
    return tuple(f"n{k:02d}" for k in range(n_noise))


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    return int(value)


def _examples(
    rng: np.random.Generator, n: int, gap: int, classes: tuple[str, ...], noise: tuple[str, ...]
) -> tuple[Example, ...]:
    labels = rng.integers(0, len(classes), size=n)
    fillers = rng.integers(0, len(noise), size=(n, gap))
    targets = (*(None,) * (gap + 1),)
    return tuple(
        Example((classes[k], *(noise[j] for j in row), END), (*targets, classes[k]))
        for k, row in zip(labels, fillers, strict=True)
    )


def make(
    seed: int = 0,
    gap: int = 100,
    n_classes: int = 4,
    n_noise: int = 32,
    n_train: int = 2000,
    n_test: int = 500,
) -> TaskData:
    """Long-lag data: vocab = class symbols, noise symbols, "?" (D = n_classes + n_noise + 1);
    classes = the class symbols; the target sits at the last step (the end marker)."""
    gap = _whole("gap", gap, 1, MAX_GAP)
    n_classes = _whole("n_classes", n_classes, 2, len(CLASS_SYMBOLS))
    n_noise = _whole("n_noise", n_noise, 1, MAX_NOISE)
    n_train = _whole("n_train", n_train, 1, 100_000)
    n_test = _whole("n_test", n_test, 1, 100_000)
    if (n_train + n_test) * (gap + 2) > MAX_TOKENS:
        raise ValueError(f"too much data: (n_train + n_test) * (gap + 2) must stay under {MAX_TOKENS:,}")
    classes, noise = CLASS_SYMBOLS[:n_classes], noise_symbols(n_noise)
    train = _examples(np.random.default_rng((seed, 0)), n_train, gap, classes, noise)
    test = _examples(np.random.default_rng((seed, 1)), n_test, gap, classes, noise)
    info = {"gap": gap, "length": gap + 2, "chance": 1.0 / n_classes, "n_noise": n_noise}
    return TaskData("long_lag", (*classes, *noise, END), classes, train, test, info)


SPEC = TaskSpec(
    name="long_lag",
    title="Long-lag recall through noise",
    description=(
        "Remember the first symbol through a long stretch of random noise symbols, then name it at "
        "the '?'. The noise is fresh every time and says nothing about the answer; chance is one in "
        "the number of classes."
    ),
    loss="last",
    make=make,
    defaults={"seed": 0, "gap": 100, "n_classes": 4, "n_noise": 32, "n_train": 2000, "n_test": 500},
)
