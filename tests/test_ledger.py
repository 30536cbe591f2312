"""The memory ledger (``lstm_core.ledger``): C_t split exactly into what each step wrote.

The parts sum to the trace's C_t within 1e-12 on random models (one sequence and batches; the reference
cell and the training path); each part equals the formula's product computed here another way (from the
gates, with ``np.prod``); shares are sizes that sum to 1; and the lectures' story: in the designed model,
the subject units' cell state at the end of "Bob … Dan …" was written by "Dan", and Bob's share is ~0
from "Dan" on.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import fast, init_lstm, load_examples, run_example, run_lstm
from lstm_core.intervene import Clamp
from lstm_core.ledger import memory_ledger
from lstm_core.story.designed import designed_model

TOL = 1e-12
RUNS = {"reference": run_lstm, "fast": fast.run_lstm}


def random_run(path: str, seed: int, batch: int | None, T: int = 30, D: int = 7, H: int = 9, scale=1.0):
    rng = np.random.default_rng(seed)
    lead = () if batch is None else (batch,)
    arrays = {k: scale * v for k, v in init_lstm(D, H, seed=seed, forget_bias=1.0).to_torch().items()}
    params = type(init_lstm(D, H))(**arrays)
    xs = rng.normal(size=(*lead, T, D))
    return RUNS[path](params, xs, rng.normal(size=(*lead, H)), 3 * rng.normal(size=(*lead, H)))


@pytest.mark.parametrize("path", list(RUNS))
@pytest.mark.parametrize("batch", [None, 1, 5])
@pytest.mark.parametrize("seed", range(4))
def test_the_parts_sum_to_the_cell_state(path, batch, seed):
    trace = random_run(path, seed, batch, scale=1.0 + seed)
    for t in (0, 1, 7, trace.steps - 1, -1):
        ledger = memory_ledger(trace, t)
        lead = () if batch is None else (batch,)
        assert ledger.parts.shape == (*lead, t % trace.steps + 1, 9)
        np.testing.assert_allclose(ledger.total(), trace.cell[..., t, :], rtol=0, atol=TOL)
        assert np.array_equal(ledger.cell, trace.cell[..., t, :])


@pytest.mark.parametrize("path", list(RUNS))
def test_each_part_is_the_formula(path):
    """parts[s] = (Π_{s<r≤t} f_r) i_s C̃_s and initial = (Π_{r≤t} f_r) C_0, by np.prod on the gates."""
    trace = random_run(path, 3, 2, T=12)
    t = 9
    ledger = memory_ledger(trace, t)
    f, i, g = trace.forget, trace.input, trace.candidate
    for s in range(t + 1):
        want = np.prod(f[:, s + 1 : t + 1], axis=1) * i[:, s] * g[:, s]
        np.testing.assert_allclose(ledger.parts[:, s], want, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(ledger.initial, np.prod(f[:, : t + 1], axis=1) * trace.c0, rtol=1e-13)


def test_the_batch_ledger_is_each_sequence_ledger():
    trace = random_run("fast", 7, 3, T=15)
    one_by_one = [
        run_lstm(init_lstm(7, 9, seed=7, forget_bias=1.0), trace.xs[b], trace.h0[b], trace.c0[b])
        for b in range(3)
    ]
    batch = memory_ledger(trace, 11)
    for b, single in enumerate(one_by_one):
        np.testing.assert_allclose(batch.parts[b], memory_ledger(single, 11).parts, rtol=0, atol=TOL)


def test_a_clamped_run_has_its_ledger_too():
    """A forget gate clamped to 0 at step s wipes every earlier part of that unit at any t ≥ s."""
    params = init_lstm(4, 5, seed=2)
    xs = np.random.default_rng(2).normal(size=(10, 4))
    trace = run_lstm(params, xs, clamps=[Clamp("forget", 3, 4, 0.0)])
    ledger = memory_ledger(trace, 8)
    assert np.all(ledger.parts[:4, 3] == 0.0) and ledger.initial[3] == 0.0
    np.testing.assert_allclose(ledger.total(), trace.cell[8], rtol=0, atol=TOL)


def test_shares_are_sizes_that_sum_to_one():
    trace = random_run("reference", 1, None, T=20)
    ledger = memory_ledger(trace, 15)
    words, initial = ledger.shares()
    assert words.shape == ledger.parts.shape and initial.shape == ledger.initial.shape
    assert np.all(words >= 0) and np.all(initial >= 0)
    np.testing.assert_allclose(words.sum(axis=0) + initial, 1.0, rtol=0, atol=1e-12)
    sizes = np.abs(ledger.parts)
    np.testing.assert_allclose(words, sizes / (sizes.sum(axis=0) + np.abs(ledger.initial)), rtol=1e-14)
    assert np.array_equal(ledger.main_writer(), np.argmax(sizes, axis=0))


def test_an_empty_cell_has_no_shares():
    params = init_lstm(3, 2, seed=0)
    trace = run_lstm(
        params, np.zeros((4, 3)), clamps=[Clamp("input", u, s, 0.0) for u in (0, 1) for s in range(4)]
    )
    words, initial = memory_ledger(trace, 3).shares()
    assert np.all(words == 0) and np.all(initial == 0)


@pytest.mark.parametrize("bad", [5, -6, 100])
def test_a_step_outside_the_sentence_is_refused(bad):
    trace = random_run("reference", 0, None, T=5)
    with pytest.raises(ValueError, match=r"outside the sequence \(0 … 4\)"):
        memory_ledger(trace, bad)


def test_the_lectures_story_dan_wrote_the_subject():
    """'Bob is a nice person. Dan on the other hand is evil.': at the end the subject units hold what
    'Dan' wrote; from 'Dan' on, Bob's share is ~0 (f ≈ 6e-6 at 'Dan')."""
    result = run_example(load_examples()["forget_bob_dan"])
    tokens = result.tokens
    bob, dan = tokens.index("Bob"), tokens.index("Dan")
    subject = list(designed_model().units_of("subject"))
    end = memory_ledger(result.trace, len(tokens) - 1)
    assert {tokens[s] for s in end.main_writer()[subject]} == {"Dan"}
    words, _ = end.shares()
    assert np.all(words[dan, subject] > 0.999)
    for t in range(dan, len(tokens)):
        words, _ = memory_ledger(result.trace, t).shares()
        assert np.all(words[bob, subject] < 1e-4), tokens[t]
    before, _ = memory_ledger(result.trace, dan - 1).shares()
    assert np.all(before[bob, subject] > 0.999)  # before 'Dan', Bob wrote it
