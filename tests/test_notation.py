"""The lectures' notations (colah's W·[h, x], split x U + h W, Keras, PyTorch) are lossless views.

Round trips view → params → view are exact; params → view → params gives a bit-identical trace; and
each view, evaluated with its own formula, reproduces the core's gates.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_core import (
    ConcatWeights,
    GRUParams,
    LSTMParams,
    RNNParams,
    SplitWeights,
    from_concat,
    from_split,
    gru_params_from_torch,
    gru_params_to_torch,
    lstm_params_from_keras,
    lstm_params_from_torch,
    lstm_params_to_keras,
    lstm_params_to_torch,
    rnn_params_from_torch,
    rnn_params_to_torch,
    run_lstm,
    sigmoid,
    to_concat,
    to_split,
)
from lstm_core.notation import CONCAT_GATES, SPLIT_GATES

FIELDS = ("input", "forget", "candidate", "output", "cell", "cell_tanh", "hidden")
SETTINGS = settings(derandomize=True, max_examples=40, deadline=None)


@st.composite
def arrays_for(draw, rows_per_h: int):
    """Torch-layout arrays with random sizes, seed and magnitude (scale 1e-3 … 1e3)."""
    D, H = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    scale = draw(st.sampled_from([1e-3, 1.0, 1e3]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    G = rows_per_h * H
    shapes = {"weight_ih": (G, D), "weight_hh": (G, H), "bias_ih": (G,), "bias_hh": (G,)}
    return {k: rng.normal(scale=scale, size=s) for k, s in shapes.items()}


def lstm_inputs(params: LSTMParams, seed: int):
    rng = np.random.default_rng(seed)
    H = params.hidden_size
    return rng.normal(size=(6, params.input_size)), rng.normal(size=H), rng.normal(size=H)


def assert_same_dict(a: dict, b: dict):
    assert a.keys() == b.keys()
    for k in a:
        assert a[k].shape == b[k].shape, k
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def assert_bit_identical_traces(p: LSTMParams, q: LSTMParams, seed: int):
    xs, h0, c0 = lstm_inputs(p, seed)
    a, b = run_lstm(p, xs, h0, c0), run_lstm(q, xs, h0, c0)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


@SETTINGS
@given(arrays_for(4))
def test_torch_dict_params_torch_dict_is_exact(d):
    assert_same_dict(LSTMParams(**d).to_torch(), d)
    assert_same_dict(lstm_params_to_torch(lstm_params_from_torch(**d)), d)


@SETTINGS
@given(arrays_for(3), arrays_for(1))
def test_gru_and_rnn_torch_dicts_round_trip_exactly(g, r):
    assert_same_dict(gru_params_to_torch(gru_params_from_torch(**g)), g)
    assert_same_dict(rnn_params_to_torch(rnn_params_from_torch(**r)), r)
    assert isinstance(gru_params_from_torch(**g), GRUParams)
    assert isinstance(rnn_params_from_torch(**r), RNNParams)


@SETTINGS
@given(arrays_for(4), st.integers(0, 100))
def test_concat_view_round_trips(d, seed):
    p = LSTMParams(**d)
    view = to_concat(p)
    again = to_concat(from_concat(view, p.input_size))  # concat → params → concat
    for letter in CONCAT_GATES:
        np.testing.assert_array_equal(again.W[letter], view.W[letter])
        np.testing.assert_array_equal(again.b[letter], view.b[letter])
    assert_bit_identical_traces(p, from_concat(view, p.input_size), seed)  # params → concat → params


@SETTINGS
@given(arrays_for(4), st.integers(0, 100))
def test_split_view_round_trips(d, seed):
    p = LSTMParams(**d)
    view = to_split(p)
    again = to_split(from_split(view))
    for letter in SPLIT_GATES:
        for part in ("U", "W", "b"):
            np.testing.assert_array_equal(getattr(again, part)[letter], getattr(view, part)[letter])
    assert_bit_identical_traces(p, from_split(view), seed)


@SETTINGS
@given(arrays_for(4), st.integers(0, 100))
def test_keras_round_trips(d, seed):
    p = LSTMParams(**d)
    k = lstm_params_to_keras(p)
    H, D = p.hidden_size, p.input_size
    assert k["kernel"].shape == (D, 4 * H) and k["recurrent_kernel"].shape == (H, 4 * H)
    assert_same_dict(lstm_params_to_keras(lstm_params_from_keras(**k)), k)
    assert_bit_identical_traces(p, lstm_params_from_keras(**k), seed)


def test_views_written_by_hand_round_trip_exactly():
    """A concat / split view that did not come from params (one bias per gate) survives exactly."""
    rng = np.random.default_rng(7)
    H, D = 3, 2
    concat = ConcatWeights(
        W={g: rng.normal(size=(H, H + D)) for g in CONCAT_GATES}, b={g: rng.normal(size=H) for g in "fiCo"}
    )
    back = to_concat(from_concat(concat, D))
    for g in CONCAT_GATES:
        np.testing.assert_array_equal(back.W[g], concat.W[g])
        np.testing.assert_array_equal(back.b[g], concat.b[g])
    split = SplitWeights(
        U={g: rng.normal(size=(D, H)) for g in SPLIT_GATES},
        W={g: rng.normal(size=(H, H)) for g in SPLIT_GATES},
        b={g: rng.normal(size=H) for g in SPLIT_GATES},
    )
    back_split = to_split(from_split(split))
    for g in SPLIT_GATES:
        np.testing.assert_array_equal(back_split.U[g], split.U[g])
        np.testing.assert_array_equal(back_split.W[g], split.W[g])


@SETTINGS
@given(arrays_for(4), st.integers(0, 100))
def test_each_notation_reproduces_the_gates_with_its_own_formula(d, seed):
    p = LSTMParams(**{k: v / np.max(np.abs(v)) for k, v in d.items()})  # moderate weights
    xs, h0, c0 = lstm_inputs(p, seed)
    tr = run_lstm(p, xs, h0, c0)
    h_prev, x = tr.hidden_prev, tr.xs  # (T, H), (T, D)
    act = {"f": sigmoid, "i": sigmoid, "o": sigmoid, "C": np.tanh, "c": np.tanh}
    concat, split, keras = to_concat(p), to_split(p), lstm_params_to_keras(p)
    hx = np.concatenate([h_prev, x], axis=1)  # [h_{t-1}, x_t]
    for letter, name in CONCAT_GATES.items():  # σ(W_f·[h_{t-1}, x_t] + b_f)
        got = act[letter](hx @ concat.W[letter].T + concat.b[letter])
        np.testing.assert_allclose(got, getattr(tr, name), rtol=0, atol=1e-14, err_msg=letter)
    for letter, name in SPLIT_GATES.items():  # σ(x_t U_f + h_{t-1} W_f + b_f)
        got = act[letter](x @ split.U[letter] + h_prev @ split.W[letter] + split.b[letter])
        np.testing.assert_allclose(got, getattr(tr, name), rtol=0, atol=1e-14, err_msg=letter)
    z = x @ keras["kernel"] + h_prev @ keras["recurrent_kernel"] + keras["bias"]  # Keras: i, f, c, o
    for k, (letter, name) in enumerate(zip("ifco", ("input", "forget", "candidate", "output"), strict=True)):
        got = act[letter](z[:, k * p.hidden_size : (k + 1) * p.hidden_size])
        np.testing.assert_allclose(got, getattr(tr, name), rtol=0, atol=1e-14, err_msg=letter)


def test_concat_puts_h_before_x():
    """colah's [h_{t-1}, x_t]: the first H columns of W_f are weight_hh's forget block."""
    p = LSTMParams(**{k: np.arange(np.prod(s), dtype=float).reshape(s) for k, s in _shapes(2, 3).items()})
    W_f = to_concat(p).W["f"]
    np.testing.assert_array_equal(W_f[:, :3], p.gate_block("weight_hh", "forget"))
    np.testing.assert_array_equal(W_f[:, 3:], p.gate_block("weight_ih", "forget"))
    np.testing.assert_array_equal(to_split(p).U["c"], p.gate_block("weight_ih", "candidate").T)


def _shapes(D: int, H: int) -> dict[str, tuple[int, ...]]:
    return {"weight_ih": (4 * H, D), "weight_hh": (4 * H, H), "bias_ih": (4 * H,), "bias_hh": (4 * H,)}
