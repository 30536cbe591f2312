"""Properties every forward pass must have, on many random cells (hypothesis, derandomized).

Ranges (sigmoid gates in [0, 1], tanh values in [-1, 1]) hold even for huge weights and inputs, with
every NumPy warning turned into an error, on the reference cells and on the training path; a batch equals
its sequences run one by one; float32 is close to float64; seeded initialisation is reproducible; the
trace's parts add up to its totals.
"""

from __future__ import annotations

import warnings
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_core import (
    GRUParams,
    GRUTrace,
    LSTMParams,
    LSTMTrace,
    RNNParams,
    RNNTrace,
    fast,
    init_gru,
    init_lstm,
    init_rnn,
    run_gru,
    run_lstm,
    run_rnn,
    sigmoid,
    tanh,
)

SETTINGS = settings(derandomize=True, max_examples=100, deadline=None)
CELLS = {"lstm": (LSTMParams, run_lstm, 4), "gru": (GRUParams, run_gru, 3), "rnn": (RNNParams, run_rnn, 1)}
FAST = {"lstm": fast.run_lstm, "gru": fast.run_gru, "rnn": fast.run_rnn}
INITS = {"lstm": init_lstm, "gru": init_gru, "rnn": init_rnn}
UNIT = {"lstm": ("input", "forget", "output"), "gru": ("reset", "update"), "rnn": ()}  # in [0, 1]
SIGNED = {"lstm": ("candidate", "cell_tanh", "hidden"), "gru": ("candidate",), "rnn": ("hidden",)}  # [-1, 1]
TRACES = {"lstm": LSTMTrace, "gru": GRUTrace, "rnn": RNNTrace}
STATES = ("xs", "h0", "c0")  # every other field is per step
PER_STEP = {k: tuple(f.name for f in fields(t) if f.name not in STATES) for k, t in TRACES.items()}


@st.composite
def cases(draw, kinds=tuple(CELLS), scales=(1e-3, 1.0, 1e2, 1e4), batch=True, dtypes=("float64", "float32")):
    """A random cell, input sequence (or batch) and initial states."""
    kind = draw(st.sampled_from(kinds))
    cls, _, G = CELLS[kind]
    D, H, T = draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(st.integers(1, 8))
    B = draw(st.sampled_from([None, 1, 3])) if batch else None
    w_scale, x_scale = draw(st.sampled_from(scales)), draw(st.sampled_from(scales))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = cls(
        *(rng.uniform(-w_scale, w_scale, size=s) for s in ((G * H, D), (G * H, H), (G * H,), (G * H,)))
    ).astype(dtype)
    lead = () if B is None else (B,)
    xs = rng.uniform(-x_scale, x_scale, size=(*lead, T, D))
    states = [rng.uniform(-1, 1, size=(*lead, H)) for _ in range(2 if kind == "lstm" else 1)]
    if kind == "lstm":  # the cell state is unbounded: give it a large one too
        states[1] *= x_scale
    return kind, params, xs, states


def quiet_run(kind, params, xs, states, path="reference"):
    """Run with every NumPy floating-point problem and every warning raised as an error."""
    run = CELLS[kind][1] if path == "reference" else FAST[kind]
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return run(params, xs, *states)


@pytest.mark.parametrize("path", ["reference", "fast"])
@SETTINGS
@given(cases())
def test_gates_and_squashed_values_stay_in_range_without_warnings(path, case):
    kind, params, xs, states = case
    trace = quiet_run(kind, params, xs, states, path)
    for name in PER_STEP[kind]:
        arr = getattr(trace, name)
        assert arr.dtype == params.dtype and np.isfinite(arr).all(), name
        assert arr.shape == (*xs.shape[:-1], params.hidden_size), name
    for name in UNIT[kind]:
        arr = getattr(trace, name)
        assert arr.min() >= 0.0 and arr.max() <= 1.0, name
    for name in SIGNED[kind]:
        arr = getattr(trace, name)
        assert arr.min() >= -1.0 and arr.max() <= 1.0, name
    if kind == "gru":  # h_t is a convex mix of n_t and h_{t-1}; h0 is in [-1, 1]
        assert np.abs(trace.hidden).max() <= 1.0
    if kind == "lstm":  # |C_t| <= |C_{t-1}| + 1 since f <= 1 and |i * C̃| <= 1
        prev = np.abs(trace.cell_prev).astype(np.float64)
        rounding = 4 * np.finfo(params.dtype).eps * (prev + 1.0)
        assert (np.abs(trace.cell) <= prev + 1.0 + rounding).all()


@pytest.mark.parametrize("path", ["reference", "fast"])
@SETTINGS
@given(cases(scales=(1e-3, 1.0, 1e2)))
def test_trace_values_follow_from_each_other_exactly(path, case):
    """Each gate is its activation of its pre-activation, and each part combines into its total, bit for
    bit, on both paths (the fast path's halved sigmoid rows are exact)."""
    kind, params, xs, states = case
    tr = quiet_run(kind, params, xs, states, path)
    same = np.testing.assert_array_equal
    if kind == "lstm":
        for gate, act in (("forget", sigmoid), ("input", sigmoid), ("candidate", tanh), ("output", sigmoid)):
            same(getattr(tr, gate), act(getattr(tr, f"pre_{gate}")), err_msg=gate)
        same(tr.forget_part, tr.forget * tr.cell_prev)  # C^f = f * C_{t-1}
        same(tr.input_part, tr.input * tr.candidate)  # C^i = i * C̃
        same(tr.cell, tr.forget_part + tr.input_part)  # C = C^f + C^i
        same(tr.cell_tanh, np.tanh(tr.cell))
        same(tr.hidden, tr.output * tr.cell_tanh)  # h = o * tanh(C)
    elif kind == "gru":
        same(tr.reset, sigmoid(tr.reset_from_x + tr.reset_from_h))
        same(tr.update, sigmoid(tr.update_from_x + tr.update_from_h))
        same(tr.candidate, np.tanh(tr.candidate_from_x + tr.reset * tr.candidate_from_h))
        tol = 4 * np.finfo(params.dtype).eps  # h_t is n + z (h_{t-1} - n) on the fast path
        mix = (1 - tr.update) * tr.candidate + tr.update * tr.hidden_prev
        np.testing.assert_allclose(tr.hidden, mix, rtol=0, atol=tol)
    else:
        same(tr.hidden, np.tanh(tr.pre_hidden))
        np.testing.assert_array_equal(
            tr.bias, np.broadcast_to(params.bias_ih + params.bias_hh, tr.hidden.shape)
        )
        parts = tr.from_h + tr.from_x + tr.bias  # summed in another order on the fast path
        tol = 4 * np.finfo(params.dtype).eps * (1 + np.abs(tr.from_h) + np.abs(tr.from_x) + np.abs(tr.bias))
        assert (np.abs(tr.pre_hidden - parts) <= tol).all()


@SETTINGS
@given(cases(scales=(0.1, 1.0), dtypes=("float64",)))
def test_gates_match_a_plain_numpy_recomputation(case):
    """Recompute every step from h_{t-1} (and C_{t-1}) with textbook formulas (1 / (1 + e^-z))."""
    kind, p, xs, states = case
    tr = quiet_run(kind, p, xs, states)
    H = p.hidden_size
    zx = xs @ p.weight_ih.T + p.bias_ih  # (…, T, G*H)
    zh = tr.hidden_prev @ p.weight_hh.T + p.bias_hh

    def block(z, k):
        return z[..., k * H : (k + 1) * H]

    def logistic(z):
        return 1.0 / (1.0 + np.exp(-z))

    if kind == "lstm":
        z = zx + zh
        want = {f"pre_{g}": block(z, k) for k, g in enumerate(("input", "forget", "candidate", "output"))}
        want.update(input=logistic(block(z, 0)), forget=logistic(block(z, 1)))
        want.update(candidate=np.tanh(block(z, 2)), output=logistic(block(z, 3)))
        want["cell"] = want["forget"] * tr.cell_prev + want["input"] * want["candidate"]
    elif kind == "gru":
        r, u = logistic(block(zx, 0) + block(zh, 0)), logistic(block(zx, 1) + block(zh, 1))
        n = np.tanh(block(zx, 2) + r * block(zh, 2))
        want = {"reset": r, "update": u, "candidate": n, "hidden": (1 - u) * n + u * tr.hidden_prev}
        for k, g in enumerate(("reset", "update", "candidate")):
            want.update({f"{g}_from_x": block(zx, k), f"{g}_from_h": block(zh, k)})
    else:
        want = {"hidden": np.tanh(zx + zh), "from_x": xs @ p.weight_ih.T, "pre_hidden": zx + zh}
        want["from_h"] = tr.hidden_prev @ p.weight_hh.T
    for name, value in want.items():
        np.testing.assert_allclose(getattr(tr, name), value, rtol=0, atol=1e-13, err_msg=name)


@SETTINGS
@given(cases(scales=(0.1, 1.0), dtypes=("float64", "float32")), st.integers(2, 4))
def test_batch_equals_each_sequence_alone(case, B):
    kind, params, xs, states = case
    xs = np.stack([xs * (b + 1) / B for b in range(B)]) if xs.ndim == 2 else xs
    if states[0].ndim == 1:
        states = [np.stack([s * (b + 1) / B for b in range(xs.shape[0])]) for s in states]
    batch = quiet_run(kind, params, xs, states)
    tol = 1e-14 if params.dtype == np.float64 else 1e-6
    for b in range(xs.shape[0]):
        alone = quiet_run(kind, params, xs[b], [s[b] for s in states])
        for name in PER_STEP[kind]:
            np.testing.assert_allclose(
                getattr(alone, name), getattr(batch, name)[b], rtol=0, atol=tol, err_msg=name
            )


@SETTINGS
@given(cases(scales=(0.1, 1.0), dtypes=("float64",)))
def test_float32_is_close_to_float64(case):
    kind, params, xs, states = case
    t64 = quiet_run(kind, params, xs, states)
    t32 = quiet_run(
        kind, params.astype(np.float32), xs.astype(np.float32), [s.astype(np.float32) for s in states]
    )
    for name in PER_STEP[kind]:
        a32, a64 = getattr(t32, name), getattr(t64, name)
        assert a32.dtype == np.float32, name
        np.testing.assert_allclose(a32, a64, rtol=0, atol=2e-5 * max(1.0, np.abs(a64).max()), err_msg=name)


@SETTINGS
@given(cases(scales=(0.1, 1.0), batch=False, dtypes=("float64",)), st.integers(1, 7))
def test_the_future_does_not_change_the_past(case, k):
    """The trace of the first k steps is the first k steps of the whole trace."""
    kind, params, xs, states = case
    k = min(k, xs.shape[0])
    whole, prefix = quiet_run(kind, params, xs, states), quiet_run(kind, params, xs[:k], states)
    for name in PER_STEP[kind]:
        np.testing.assert_allclose(getattr(prefix, name), getattr(whole, name)[:k], rtol=0, atol=1e-15)


@pytest.mark.parametrize("kind", list(INITS))
@SETTINGS
@given(D=st.integers(1, 6), H=st.integers(1, 6), seed=st.integers(0, 2**31))
def test_same_seed_same_weights_different_seed_different_weights(kind, D, H, seed):
    a, b, c = INITS[kind](D, H, seed=seed), INITS[kind](D, H, seed=seed), INITS[kind](D, H, seed=seed + 1)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert np.abs(getattr(a, name)).max() <= 1 / np.sqrt(H)  # U(-1/√H, 1/√H) like PyTorch
    assert not np.array_equal(a.weight_hh, c.weight_hh)
    assert not np.array_equal(a.bias_ih, c.bias_ih)
    assert (a.input_size, a.hidden_size, a.dtype) == (D, H, np.float64)
    f32 = INITS[kind](D, H, seed=seed, dtype=np.float32)
    assert f32.dtype == np.float32
    np.testing.assert_array_equal(f32.weight_ih, a.weight_ih.astype(np.float32))


def test_forget_bias_shifts_only_the_forget_block():
    base, shifted = init_lstm(3, 4, seed=5), init_lstm(3, 4, seed=5, forget_bias=1.0)
    np.testing.assert_array_equal(
        shifted.gate_block("bias_ih", "forget"), base.gate_block("bias_ih", "forget") + 1
    )
    for gate in ("input", "candidate", "output"):
        np.testing.assert_array_equal(shifted.gate_block("bias_ih", gate), base.gate_block("bias_ih", gate))
    np.testing.assert_array_equal(shifted.weight_ih, base.weight_ih)
    np.testing.assert_array_equal(shifted.bias_hh, base.bias_hh)


def test_traces_and_params_are_read_only_copies():
    w = np.zeros((8, 1))
    params = LSTMParams(w, np.zeros((8, 2)), np.zeros(8), np.zeros(8))
    w[:] = 1.0  # changing the caller's array afterwards does not change the cell
    assert not params.weight_ih.any()
    with pytest.raises(ValueError):
        params.weight_ih[0, 0] = 1.0
    xs = np.ones((3, 1))
    trace = run_lstm(params, xs)
    for name in (*PER_STEP["lstm"], "xs", "h0", "c0"):
        with pytest.raises(ValueError):
            getattr(trace, name)[...] = 0.0
    xs[:] = 5.0
    np.testing.assert_array_equal(trace.xs, 1.0)


def test_trace_views_by_step_and_by_name():
    params = init_lstm(2, 3, seed=1)
    xs = np.random.default_rng(0).normal(size=(4, 2))
    tr = run_lstm(params, xs, h0=np.full(3, 0.5), c0=np.full(3, -2.0))
    assert tr.steps == 4 and tr.hidden_size == 3 and not tr.batched
    assert list(tr.per_step()) == ["forget", "input", "candidate", "output", "cell", "hidden"]
    np.testing.assert_array_equal(tr.hidden_prev[0], 0.5)
    np.testing.assert_array_equal(tr.hidden_prev[1:], tr.hidden[:-1])
    np.testing.assert_array_equal(tr.cell_prev[0], -2.0)
    np.testing.assert_array_equal(tr.cell_prev[1:], tr.cell[:-1])
    step = tr.at(2)
    np.testing.assert_array_equal(step["forget"], tr.forget[2])
    np.testing.assert_array_equal(step["xs"], xs[2])
    np.testing.assert_array_equal(tr.at(-1)["hidden"], tr.hidden[3])
    batch = run_lstm(params, np.stack([xs, xs]))
    assert batch.batched and batch.hidden.shape == (2, 4, 3) and batch.cell_prev.shape == (2, 4, 3)
    np.testing.assert_array_equal(batch.hidden_prev[:, 1:], batch.hidden[:, :-1])
    assert sigmoid(np.array(0.0)) == 0.5
