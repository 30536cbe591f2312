"""Events: a stream of animals and scenery; at the end an ambiguous grey canine. Wolf or dog?

The lectures' event-sequence example: a network watches pictures go by (tree, squirrel, river, …) and
must decide whether the animal in the current picture is a wolf or a dog. On its own the picture is
ambiguous; the clue is context: a bear seen earlier (possibly long ago) means we are in the wild, so
it is a wolf; no bear means a dog.

Each stream has a random length from ``min_len`` to ``max_len``; it is made of distractors (other
animals and scenery, which say nothing about the answer) and, in half of the streams, one bear
placed uniformly from the first picture up to ``min_gap`` pictures before the end. The last picture
is always "canine"; the target sits there (``loss = "last"``). Chance is 50 %, and a model that
ignores everything but the last few pictures stays near chance.
"""

from __future__ import annotations

import numpy as np

from lstm_core.tasks.base import Example, TaskData, TaskSpec

CLUE = "bear"
QUERY = "canine"
ANIMALS = ("squirrel", "deer", "rabbit", "owl", "fox", "duck", "eagle", "frog")
SCENERY = ("tree", "river", "rock", "grass", "mountain", "flower", "cloud", "lake")
DISTRACTORS = (*ANIMALS, *SCENERY)
CLASSES = ("dog", "wolf")
VOCAB = (CLUE, *DISTRACTORS, QUERY)


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    return int(value)


def _stream(rng: np.random.Generator, min_len: int, max_len: int, min_gap: int) -> Example:
    n = int(rng.integers(min_len, max_len + 1))  # pictures before the query
    pictures = [DISTRACTORS[k] for k in rng.integers(0, len(DISTRACTORS), size=n)]
    wolf = bool(rng.random() < 0.5)
    if wolf:
        pictures[int(rng.integers(0, n - min_gap + 1))] = CLUE
    tokens = (*pictures, QUERY)
    return Example(tokens, (*(None,) * n, CLASSES[wolf]))


def make(
    seed: int = 0,
    min_len: int = 10,
    max_len: int = 40,
    min_gap: int = 3,
    n_train: int = 2000,
    n_test: int = 500,
) -> TaskData:
    """Event streams: vocab = bear, the distractors, "canine"; classes = dog, wolf."""
    max_len = _whole("max_len", max_len, 1, 1000)
    min_len = _whole("min_len", min_len, 1, max_len)
    min_gap = _whole("min_gap", min_gap, 1, min_len)
    n_train = _whole("n_train", n_train, 1, 100_000)
    n_test = _whole("n_test", n_test, 1, 100_000)
    train_rng, test_rng = np.random.default_rng((seed, 0)), np.random.default_rng((seed, 1))
    train = tuple(_stream(train_rng, min_len, max_len, min_gap) for _ in range(n_train))
    test = tuple(_stream(test_rng, min_len, max_len, min_gap) for _ in range(n_test))
    info = {"min_len": min_len, "max_len": max_len, "min_gap": min_gap, "chance": 0.5}
    return TaskData("events", VOCAB, CLASSES, train, test, info)


SPEC = TaskSpec(
    name="events",
    title="Wolf or dog?",
    description=(
        "Pictures of animals and scenery go by; the last one is an ambiguous grey canine. "
        "A bear seen earlier means the wild: a wolf. No bear: a dog."
    ),
    loss="last",
    make=make,
    defaults={"seed": 0, "min_len": 10, "max_len": 40, "min_gap": 3, "n_train": 2000, "n_test": 500},
)
