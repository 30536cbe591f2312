"""The memory-span and events tasks keep their promises: the answer is where they say, chance is what
they say, and no distractor gives the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core.tasks import TASK_MODULES, get_task
from lstm_core.tasks import events as ev
from lstm_core.tasks import memory_span as ms


def test_memory_span_recalls_the_first_token_after_the_gap() -> None:
    data = ms.make(seed=2, gap=7, n_train=300, n_test=100)
    assert get_task("memory_span").make is ms.make and "memory_span" in TASK_MODULES
    assert data.vocab == ("A", "B", "C", "D", "x", "y", "z", "?") and data.classes == ("A", "B", "C", "D")
    for ex in data.train + data.test:
        assert len(ex.tokens) == 9 and ex.tokens[-1] == "?"
        assert ex.targets[:-1] == (None,) * 8 and ex.targets[-1] == ex.tokens[0]
        assert set(ex.tokens[1:-1]) <= {"x", "y", "z"}  # distractors never name a class
    firsts = [ex.tokens[0] for ex in data.train]
    assert min(firsts.count(s) for s in data.classes) > 50  # balanced: chance = 1/4
    assert data.info["chance"] == 0.25 and data.info["gap"] == 7
    assert ms.make(seed=2, gap=7, n_train=300, n_test=100) == data  # deterministic
    assert ms.make(seed=2, gap=7, n_train=10, n_test=100).test == data.test  # test set independent of n_train
    assert ms.make(seed=3, gap=7, n_train=300, n_test=100).train != data.train


def test_memory_span_options() -> None:
    data = ms.make(gap=1000, n_train=5, n_test=5, n_symbols=8, n_distractors=2)
    assert len(data.test[0].tokens) == 1002 and len(data.classes) == 8 and len(data.vocab) == 11
    mixed = ms.make(gap=20, min_gap=2, n_train=400, n_test=50)
    lengths = {len(ex.tokens) for ex in mixed.train}
    assert min(lengths) == 4 and max(lengths) == 22 and {len(ex.tokens) for ex in mixed.test} == {22}
    for bad in (
        {"gap": 0},
        {"gap": 1001},
        {"gap": 2.5},
        {"n_symbols": 1},
        {"n_distractors": 9},
        {"gap": 5, "min_gap": 6},
        {"n_train": 0},
        {"gap": True},
    ):
        with pytest.raises(ValueError):
            ms.make(**bad)


def test_events_wolf_exactly_when_a_bear_was_seen() -> None:
    data = ev.make(seed=1, min_len=5, max_len=30, min_gap=3, n_train=500, n_test=200)
    assert get_task("events").loss == "last" and data.classes == ("dog", "wolf")
    wolves = 0
    for ex in data.train + data.test:
        assert ex.tokens[-1] == "canine" and ex.targets[:-1] == (None,) * (len(ex.tokens) - 1)
        assert 6 <= len(ex.tokens) <= 31
        bears = [k for k, tok in enumerate(ex.tokens) if tok == "bear"]
        assert ex.targets[-1] == ("wolf" if bears else "dog")
        assert len(bears) <= 1 and all(len(ex.tokens) - 1 - k >= 3 for k in bears)  # >= min_gap back
        assert set(ex.tokens[:-1]) <= set(ev.DISTRACTORS) | {"bear"}
        wolves += bool(bears)
    assert 0.4 < wolves / 700 < 0.6  # chance = 50 %
    bear_at = [ex.tokens.index("bear") for ex in data.train if "bear" in ex.tokens]
    assert min(bear_at) == 0  # the clue can come first, long before the question
    assert ev.make(seed=1, min_len=5, max_len=30, n_train=500, n_test=200) == data
    for bad in ({"min_len": 0}, {"min_len": 50, "max_len": 40}, {"min_gap": 20, "min_len": 10}):
        with pytest.raises(ValueError):
            ev.make(**bad)


def test_a_memoryless_guess_stays_at_chance() -> None:
    """The last few tokens say nothing: the best rule that reads only them is at chance."""
    data = ms.make(seed=0, gap=30, n_train=2000, n_test=10)
    by_tail: dict[tuple[str, ...], list[str]] = {}
    for ex in data.train:
        by_tail.setdefault(ex.tokens[-3:], []).append(ex.targets[-1])
    best = sum(max(labels.count(c) for c in data.classes) for labels in by_tail.values()) / 2000
    assert best < 0.4  # majority class per tail ≈ chance (0.25) plus small-sample noise
    events = ev.make(seed=0, min_gap=3, n_train=2000, n_test=10)
    by_tail = {}
    for ex in events.train:
        by_tail.setdefault(ex.tokens[-2:], []).append(ex.targets[-1])
    best = sum(max(v.count("dog"), v.count("wolf")) for v in by_tail.values()) / 2000
    assert best < 0.6
    assert np.isclose(events.info["chance"], 0.5)
