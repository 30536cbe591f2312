"""Memory span: recall the first token after a gap of ``gap`` distractor tokens.

Each sequence is one symbol to remember (one of ``n_symbols``, e.g. "A" … "D"), then ``gap``
distractors drawn from a separate set ("x", "y", …), then the query "?". The model is scored once, at
the query: which symbol came first? Chance is 1 / ``n_symbols`` (25 % with four symbols), and no
distractor says anything about the answer, so anything above chance is memory.

    A  x  z  y  x  …  y  ?   →  A          (T = gap + 2 steps)

This is the lectures' long-term dependency problem in its barest form: with gap = 1 it is "the clouds
are in the ___" (the clue is right there); with gap = 100 it is "I grew up in France … I speak ___".
Train and held-out sets come from independent random streams (the held-out set does not depend on
``n_train``). With tiny gaps the few possible sequences repeat, which is fine: the task tests memory,
not generalisation.
"""

from __future__ import annotations

import numpy as np

from lstm_core.tasks.base import Example, TaskData, TaskSpec

SYMBOLS = ("A", "B", "C", "D", "E", "F", "G", "H")
DISTRACTORS = ("x", "y", "z", "w", "v", "u", "t", "s")
QUERY = "?"
MAX_GAP = 1000


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    return int(value)


def _examples(
    rng: np.random.Generator, n: int, gaps: tuple[int, int], n_symbols: int, pool: tuple[str, ...]
) -> tuple[Example, ...]:
    symbols = rng.integers(0, n_symbols, size=n)
    lengths = rng.integers(gaps[0], gaps[1] + 1, size=n)
    noise = rng.integers(0, len(pool), size=(n, gaps[1]))
    return tuple(
        Example(
            (SYMBOLS[s], *(pool[d] for d in row[:g]), QUERY),
            (*(None,) * (g + 1), SYMBOLS[s]),
        )
        for s, g, row in zip(symbols, lengths, noise, strict=True)
    )


def make(
    seed: int = 0,
    gap: int = 10,
    n_symbols: int = 4,
    n_distractors: int = 3,
    n_train: int = 2000,
    n_test: int = 500,
    min_gap: int | None = None,
    distractors: str = "separate",
) -> TaskData:
    """Memory-span data: vocab = symbols, distractors, "?" (D = n_symbols + n_distractors + 1);
    classes = the symbols; the target sits at the last step (the query).

    ``min_gap`` (default: ``gap``) makes the *training* gaps vary uniformly from ``min_gap`` to
    ``gap`` (short gaps teach the trick, long ones test it); held-out sequences always have ``gap``.
    ``distractors="symbols"`` draws the gap from the symbols themselves (no separate distractor set;
    D = n_symbols + 1): the model must keep the *first* symbol and ignore look-alikes that follow.
    """
    if distractors not in ("separate", "symbols"):
        raise ValueError(f"distractors must be 'separate' or 'symbols'; got {distractors!r}")
    gap = _whole("gap", gap, 1, MAX_GAP)
    min_gap = gap if min_gap is None else _whole("min_gap", min_gap, 1, gap)
    n_symbols = _whole("n_symbols", n_symbols, 2, len(SYMBOLS))
    n_distractors = _whole("n_distractors", n_distractors, 1, len(DISTRACTORS))
    n_train = _whole("n_train", n_train, 1, 100_000)
    n_test = _whole("n_test", n_test, 1, 100_000)
    if (n_train + n_test) * (gap + 2) > 20_000_000:
        raise ValueError("too much data: (n_train + n_test) * (gap + 2) must stay under 20 million tokens")
    symbols = SYMBOLS[:n_symbols]
    pool = DISTRACTORS[:n_distractors] if distractors == "separate" else symbols
    vocab = (*symbols, *pool, QUERY) if distractors == "separate" else (*symbols, QUERY)
    train = _examples(np.random.default_rng((seed, 0)), n_train, (min_gap, gap), n_symbols, pool)
    test = _examples(np.random.default_rng((seed, 1)), n_test, (gap, gap), n_symbols, pool)
    info = {
        "gap": gap,
        "min_gap": min_gap,
        "length": gap + 2,
        "chance": 1.0 / n_symbols,
        "distractors": distractors,
    }
    return TaskData("memory_span", vocab, symbols, train, test, info)


SPEC = TaskSpec(
    name="memory_span",
    title="Memory span",
    description=(
        "Remember the first symbol through a gap of distractors, then name it at the '?'. "
        "Chance is one in the number of symbols; the longer the gap, the harder for a plain RNN."
    ),
    loss="last",
    make=make,
    defaults={
        "seed": 0,
        "gap": 10,
        "n_symbols": 4,
        "n_distractors": 3,
        "n_train": 2000,
        "n_test": 500,
        "min_gap": None,
        "distractors": "separate",
    },
)
