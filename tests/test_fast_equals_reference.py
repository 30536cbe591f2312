"""The training path (``lstm_core.fast``) computes what the readable reference cells compute.

For the LSTM, GRU and plain RNN, float64, on random cells and inputs of many shapes (T = 1, long T, one
sequence, batches, given or zero initial states, H ≠ D, saturated gates): the two traces have the same
class, and every field the same shape, dtype and values (|fast - reference| ≤ 1e-12; they differ only in
the order of floating-point additions). The backward pass gives the same gradients on either trace.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from lstm_core import (
    fast,
    gru_backward,
    init_gru,
    init_lstm,
    init_rnn,
    lstm_backward,
    rnn_backward,
    run_gru,
    run_lstm,
    run_rnn,
)

TOL = 1e-12
CELLS = {  # init, reference, fast, backward, number of initial states
    "lstm": (init_lstm, run_lstm, fast.run_lstm, lstm_backward, 2),
    "gru": (init_gru, run_gru, fast.run_gru, gru_backward, 1),
    "rnn": (init_rnn, run_rnn, fast.run_rnn, rnn_backward, 1),
}
# (B or None for one sequence, T, D, H, initial states given, weight scale)
SHAPES = {
    "t1_single": (None, 1, 3, 5, True, 1.0),
    "t1_batch": (4, 1, 6, 2, False, 1.0),
    "single_zero_state": (None, 9, 4, 4, False, 1.0),
    "single_square_saturated": (None, 12, 5, 5, True, 4.0),
    "batch_given_state": (5, 17, 2, 7, True, 1.0),
    "batch_saturated": (3, 20, 7, 3, True, 4.0),
    "long_single": (None, 400, 16, 8, True, 1.0),
    "long_batch": (3, 250, 19, 24, False, 1.0),
}


def problem(kind: str, shape: str, seed: int) -> tuple:
    """Parameters (init scaled by ``scale``), xs, the initial states and an upstream δh (and δC_T)."""
    B, T, D, H, given, scale = SHAPES[shape]
    init, *_, n_states = CELLS[kind]
    rng = np.random.default_rng(seed)
    lead = () if B is None else (B,)
    arrays = {k: scale * v for k, v in init(D, H, seed=seed).to_torch().items()}
    params = type(init(D, H))(**arrays)
    xs = rng.normal(size=(*lead, T, D))
    states = tuple(rng.normal(size=(*lead, H)) for _ in range(n_states)) if given else ()
    d_hidden = rng.normal(size=(*lead, T, H))
    d_cell = rng.normal(size=(*lead, H)) if kind == "lstm" else None
    return params, xs, states, d_hidden, d_cell


def assert_close(fast_value: np.ndarray, ref_value: np.ndarray, what: str) -> None:
    assert type(fast_value) is type(ref_value), what
    assert fast_value.shape == ref_value.shape and fast_value.dtype == ref_value.dtype, what
    gap = float(np.max(np.abs(fast_value - ref_value))) if fast_value.size else 0.0
    assert gap <= TOL * max(1.0, float(np.max(np.abs(ref_value)))), f"{what}: |fast - reference| = {gap:.2e}"


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("kind", list(CELLS))
def test_every_field_of_the_fast_trace_equals_the_reference(kind: str, shape: str):
    _, reference, fast_run, _, _ = CELLS[kind]
    params, xs, states, _, _ = problem(kind, shape, seed=len(shape))
    ref, got = reference(params, xs, *states), fast_run(params, xs, *states)
    assert type(got) is type(ref)
    names = [f.name for f in fields(ref)]
    assert len(names) > 3
    for name in names:
        assert not getattr(got, name).flags.writeable, name
        assert_close(getattr(got, name), getattr(ref, name), name)
    if kind == "lstm":  # the gates really vary: the case is not vacuous
        assert np.ptp(ref.forget) > 0.1 and np.ptp(ref.pre_output) > 0.1


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("kind", list(CELLS))
def test_backward_gives_the_same_gradients_on_either_trace(kind: str, shape: str):
    _, reference, fast_run, backward, _ = CELLS[kind]
    params, xs, states, d_hidden, d_cell = problem(kind, shape, seed=10 + len(shape))
    extra = (d_cell,) if kind == "lstm" else ()
    on_ref = backward(params, reference(params, xs, *states), d_hidden, *extra)
    on_fast = backward(params, fast_run(params, xs, *states), d_hidden, *extra)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        assert_close(getattr(on_fast.grads, name), getattr(on_ref.grads, name), name)
    for name in ("d_xs", "d_h0", "d_hidden_total"):
        assert_close(getattr(on_fast, name), getattr(on_ref, name), name)
    if kind == "lstm":
        assert_close(on_fast.d_c0, on_ref.d_c0, "d_c0")
        assert_close(on_fast.d_cell_total, on_ref.d_cell_total, "d_cell_total")
    assert np.abs(on_ref.grads.weight_ih).max() > 1e-3  # gradients that are not all zero


def test_the_fast_trace_of_a_batch_is_each_sequence_alone():
    """The batch runs side by side in one buffer: sequence b of a batch equals sequence b run alone."""
    params, xs, (h0, c0), _, _ = problem("lstm", "batch_given_state", seed=3)
    batch = fast.run_lstm(params, xs, h0, c0)
    for b in range(xs.shape[0]):
        alone = run_lstm(params, xs[b], h0[b], c0[b])
        for f in fields(alone):
            assert_close(getattr(batch, f.name)[b], getattr(alone, f.name), f"{f.name}[{b}]")
