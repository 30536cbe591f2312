"""The long-lag task keeps its promises: the answer is the first symbol and nothing else, the noise
says nothing about it, and the data is a pure function of the seed."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from lstm_core.tasks import TASK_MODULES, get_task
from lstm_core.tasks import long_lag as ll


def test_shapes_vocabulary_and_where_the_answer_is() -> None:
    data = ll.make(seed=2, gap=7, n_classes=3, n_noise=5, n_train=300, n_test=100)
    assert "long_lag" in TASK_MODULES and get_task("long_lag").make is ll.make
    assert get_task("long_lag").loss == "last"
    assert data.classes == ("A", "B", "C")
    assert data.vocab == ("A", "B", "C", "n00", "n01", "n02", "n03", "n04", "?")
    assert data.info == {"gap": 7, "length": 9, "chance": pytest.approx(1 / 3), "n_noise": 5}
    assert len(data.train) == 300 and len(data.test) == 100
    for ex in data.train + data.test:
        assert len(ex.tokens) == 9 and ex.tokens[-1] == "?"
        assert ex.targets[:-1] == (None,) * 8
        assert ex.targets[-1] == ex.tokens[0]  # the label is exactly the first symbol
        assert set(ex.tokens[1:-1]) <= set(ll.noise_symbols(5))  # no class symbol in the noise


def test_defaults_and_the_longest_gap() -> None:
    spec = get_task("long_lag")
    data = spec.make(**{**spec.defaults, "n_train": 20, "n_test": 10})
    assert len(data.vocab) == 4 + 32 + 1 and data.info["chance"] == 0.25 and data.info["gap"] == 100
    long = ll.make(gap=1000, n_train=3, n_test=2)
    assert {len(ex.tokens) for ex in long.train + long.test} == {1002}


def test_the_same_seed_gives_the_same_data_and_the_held_out_set_does_not_depend_on_n_train() -> None:
    data = ll.make(seed=5, gap=20, n_train=200, n_test=50)
    assert ll.make(seed=5, gap=20, n_train=200, n_test=50) == data
    assert ll.make(seed=5, gap=20, n_train=7, n_test=50).test == data.test
    assert ll.make(seed=6, gap=20, n_train=200, n_test=50).train != data.train
    assert data.train[:50] != data.test  # train and held-out come from different streams


def test_classes_are_balanced_and_the_noise_is_fresh_every_time() -> None:
    data = ll.make(seed=0, gap=30, n_train=4000, n_test=10)
    firsts = Counter(ex.tokens[0] for ex in data.train)
    assert all(abs(firsts[c] / 4000 - 0.25) < 0.03 for c in data.classes)  # chance = 1/4
    fillers = {ex.tokens[1:-1] for ex in data.train}
    assert len(fillers) == 4000  # never the same filler twice (a latch task would repeat one)


def test_noise_symbols_are_independent_of_the_label() -> None:
    """Chi-square test of independence on the (label, noise symbol) counts: the statistic stays
    within a few standard deviations of its mean under independence (dof = 3 * 31 = 93)."""
    data = ll.make(seed=1, gap=50, n_train=4000, n_test=10)
    table = np.zeros((4, 32))
    for ex in data.train:
        k = data.classes.index(ex.targets[-1])
        for tok in ex.tokens[1:-1]:
            table[k, int(tok[1:])] += 1
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    chi2 = float(((table - expected) ** 2 / expected).sum())
    dof = 3 * 31
    assert chi2 < dof + 5 * np.sqrt(2 * dof)


def test_a_reader_of_the_noise_alone_stays_at_chance() -> None:
    """Naive Bayes on the noise-symbol counts, fitted on the training set, scores held-out sequences at
    chance: the whole filler carries no information about the answer (the first symbol carries all)."""
    data = ll.make(seed=3, gap=40, n_train=4000, n_test=2000)

    def counts(examples: tuple) -> tuple[np.ndarray, np.ndarray]:
        x = np.zeros((len(examples), 32))
        for n, ex in enumerate(examples):
            np.add.at(x[n], [int(tok[1:]) for tok in ex.tokens[1:-1]], 1)
        return x, np.array([data.classes.index(ex.targets[-1]) for ex in examples])

    x_train, y_train = counts(data.train)
    x_test, y_test = counts(data.test)
    log_p = np.log(np.stack([x_train[y_train == k].sum(axis=0) + 1 for k in range(4)]))
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    prior = np.log(np.bincount(y_train, minlength=4))
    noise_only = np.mean((x_test @ log_p.T + prior).argmax(axis=1) == y_test)
    first_symbol = np.mean([ex.tokens[0] == ex.targets[-1] for ex in data.test])
    assert abs(noise_only - 0.25) < 0.04 and first_symbol == 1.0  # sd of chance over 2000: 0.01


@pytest.mark.parametrize(
    "bad",
    [
        {"gap": 0},
        {"gap": 1001},
        {"gap": 2.5},
        {"gap": True},
        {"n_classes": 1},
        {"n_classes": 9},
        {"n_noise": 0},
        {"n_noise": 101},
        {"n_train": 0},
        {"gap": 1000, "n_train": 20_000, "n_test": 500},  # over 20 million tokens
    ],
)
def test_bad_options_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        ll.make(**bad)
