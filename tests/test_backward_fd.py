"""Backpropagation through time against central finite differences of the forward pass (float64).

The loss is L = Σ_t δh_t · h_t (+ δC · C_T for the LSTM) with random δh, δC. Every entry of every
parameter array, of xs, h_0 and C_0 is perturbed (the sizes are small enough for a full check), and the
total gradients dh_t, dC_t are checked by perturbing the state at step t and re-running the rest of the
sequence from there. The forward pass here is the reference cell (the traces the app's pages hold);
``test_backward_golden.py`` checks the training path's traces against torch. Also: input checks and the
float32 path.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import (
    GRUParams,
    LSTMParams,
    RNNParams,
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

EPS = 1e-6
REL_TOL = 1e-6
KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
CELLS = {
    "lstm": (init_lstm, run_lstm, lstm_backward, LSTMParams),
    "gru": (init_gru, run_gru, gru_backward, GRUParams),
    "rnn": (init_rnn, run_rnn, rnn_backward, RNNParams),
}
SHAPES = {"single": (None, 5, 3, 4), "batch": (3, 4, 2, 5), "batch_t1": (2, 1, 3, 2)}  # B, T, D, H


def make_problem(kind: str, shape: str, seed: int = 0) -> dict:
    B, T, D, H = SHAPES[shape]
    rng = np.random.default_rng(seed)
    lead = () if B is None else (B,)
    init = CELLS[kind][0]
    params = init(D, H, seed=seed + 1)
    # larger weights than the default init so that the gates leave their linear range
    arrays = {k: 2.0 * v for k, v in params.to_torch().items()}
    return {
        "kind": kind,
        "arrays": arrays,
        "xs": rng.normal(size=(*lead, T, D)),
        "h0": rng.normal(size=(*lead, H)),
        "c0": rng.normal(size=(*lead, H)) if kind == "lstm" else None,
        "d_hidden": rng.normal(size=(*lead, T, H)),
        "d_cell_last": rng.normal(size=(*lead, H)) if kind == "lstm" else None,
    }


def forward(p: dict, arrays: dict, xs: np.ndarray, h0: np.ndarray, c0: np.ndarray | None):
    _, run, _, cls = CELLS[p["kind"]]
    params = cls(**arrays)
    return params, (run(params, xs, h0, c0) if p["kind"] == "lstm" else run(params, xs, h0))


def loss(p: dict, arrays: dict, xs: np.ndarray, h0: np.ndarray, c0: np.ndarray | None) -> float:
    _, trace = forward(p, arrays, xs, h0, c0)
    total = float(np.sum(p["d_hidden"] * trace.hidden))
    if p["kind"] == "lstm":
        total += float(np.sum(p["d_cell_last"] * trace.cell[..., -1, :]))
    return total


def analytic(p: dict):
    params, trace = forward(p, p["arrays"], p["xs"], p["h0"], p["c0"])
    back = CELLS[p["kind"]][2]
    if p["kind"] == "lstm":
        return back(params, trace, p["d_hidden"], p["d_cell_last"])
    return back(params, trace, p["d_hidden"])


def numeric(fn, x: np.ndarray) -> np.ndarray:
    """Central differences of the scalar fn(x) for every entry of x."""
    grad = np.empty_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + EPS
        up = fn(x)
        x[idx] = old - EPS
        down = fn(x)
        x[idx] = old
        grad[idx] = (up - down) / (2 * EPS)
    return grad


def assert_rel(ours: np.ndarray, fd: np.ndarray, what: str) -> None:
    assert ours.shape == fd.shape, what
    rel = np.linalg.norm(ours - fd) / max(np.linalg.norm(fd), 1e-12)
    assert rel < REL_TOL, f"{what}: relative error {rel:.2e}"
    assert np.linalg.norm(fd) > 1e-6, f"{what}: the check is vacuous (zero gradient)"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", CELLS)
def test_parameter_and_input_gradients_match_finite_differences(kind: str, shape: str):
    p = make_problem(kind, shape)
    res = analytic(p)
    arrays = {k: v.copy() for k, v in p["arrays"].items()}
    for k in KEYS:
        fd = numeric(lambda a, k=k: loss(p, {**arrays, k: a}, p["xs"], p["h0"], p["c0"]), arrays[k])
        assert_rel(getattr(res.grads, k), fd, k)
    xs, h0 = p["xs"].copy(), p["h0"].copy()
    assert_rel(res.d_xs, numeric(lambda a: loss(p, arrays, a, h0, p["c0"]), xs), "d_xs")
    assert_rel(res.d_h0, numeric(lambda a: loss(p, arrays, xs, a, p["c0"]), h0), "d_h0")
    if kind == "lstm":
        c0 = p["c0"].copy()
        assert_rel(res.d_c0, numeric(lambda a: loss(p, arrays, xs, h0, a), c0), "d_c0")
    else:
        assert res.d_c0 is None and res.d_cell_total is None


def split_loss(p: dict, t: int, h_t: np.ndarray, c_t: np.ndarray | None, trace) -> float:
    """L with the state after step t replaced by (h_t, C_t): steps before t are fixed, the tail re-runs.

    For the LSTM, h_t = o_t * tanh(C_t) when only C_t is given (o_t from the trace).
    """
    T = trace.steps
    total = float(np.sum(p["d_hidden"][..., :t, :] * trace.hidden[..., :t, :]))
    total += float(np.sum(p["d_hidden"][..., t, :] * h_t))
    if t == T - 1:
        return total + (float(np.sum(p["d_cell_last"] * c_t)) if p["kind"] == "lstm" else 0.0)
    tail = {**p, "d_hidden": p["d_hidden"][..., t + 1 :, :]}
    return total + loss(tail, p["arrays"], p["xs"][..., t + 1 :, :], h_t, c_t)


@pytest.mark.parametrize("shape", ["single", "batch"])
@pytest.mark.parametrize("kind", CELLS)
def test_gradient_flow_matches_finite_differences(kind: str, shape: str):
    """dh_t = ∂L/∂h_t and dC_t = ∂L/∂C_t through every later step, checked at every t."""
    p = make_problem(kind, shape, seed=3)
    res = analytic(p)
    _, trace = forward(p, p["arrays"], p["xs"], p["h0"], p["c0"])
    for t in range(trace.steps):
        h_t = trace.hidden[..., t, :].copy()
        c_t = trace.cell[..., t, :].copy() if kind == "lstm" else None
        fd = numeric(lambda a, t=t, c_t=c_t: split_loss(p, t, a, c_t, trace), h_t)
        assert_rel(res.d_hidden_total[..., t, :], fd, f"d_hidden_total[{t}]")
        if kind == "lstm":
            o_t = trace.output[..., t, :]

            def through_cell(c, t=t, o_t=o_t):
                return split_loss(p, t, o_t * np.tanh(c), c, trace)

            fd_c = numeric(through_cell, c_t)
            assert_rel(res.d_cell_total[..., t, :], fd_c, f"d_cell_total[{t}]")


@pytest.mark.parametrize("kind", CELLS)
def test_float32_follows_float64(kind: str):
    p = make_problem(kind, "batch", seed=5)
    ref = analytic(p)
    _, run, back, cls = CELLS[kind]
    params = cls(**p["arrays"]).astype(np.float32)
    trace = run(params, p["xs"], p["h0"], p["c0"]) if kind == "lstm" else run(params, p["xs"], p["h0"])
    extra = (p["d_cell_last"],) if kind == "lstm" else ()
    res = back(params, trace, p["d_hidden"].astype(np.float32), *extra)
    for k in KEYS:
        got = getattr(res.grads, k)
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, getattr(ref.grads, k), rtol=1e-4, atol=1e-4)
    assert res.d_xs.dtype == np.float32 and res.d_h0.dtype == np.float32
    np.testing.assert_allclose(res.d_hidden_total, ref.d_hidden_total, rtol=1e-4, atol=1e-4)


def test_float64_params_with_a_float32_trace_compute_in_float64():
    p = make_problem("lstm", "single")
    params = LSTMParams(**p["arrays"])
    trace32 = run_lstm(params.astype(np.float32), p["xs"], p["h0"], p["c0"])
    res = lstm_backward(params, trace32, p["d_hidden"])
    assert res.grads.dtype == np.float64 and res.d_cell_total.dtype == np.float64


@pytest.mark.parametrize("kind", CELLS)
def test_bad_upstream_gradients_are_rejected_clearly(kind: str):
    p = make_problem(kind, "batch")
    params, trace = forward(p, p["arrays"], p["xs"], p["h0"], p["c0"])
    back = CELLS[kind][2]
    with pytest.raises(ValueError, match="d_hidden must have the shape"):
        back(params, trace, p["d_hidden"][0])
    with pytest.raises(ValueError, match="d_hidden must have the shape"):
        back(params, trace, p["d_hidden"][:, :-1])
    with pytest.raises(ValueError, match="non-finite"):
        back(params, trace, np.full_like(p["d_hidden"], np.nan))
    with pytest.raises(ValueError, match="numbers only"):
        back(params, trace, "not an array")


def test_bad_cell_gradient_and_mismatched_inputs_are_rejected():
    p = make_problem("lstm", "batch")
    params, trace = forward(p, p["arrays"], p["xs"], p["h0"], p["c0"])
    with pytest.raises(ValueError, match="d_cell_last must have the shape"):
        lstm_backward(params, trace, p["d_hidden"], p["d_cell_last"][0])
    with pytest.raises(ValueError, match="needs LSTMParams"):
        lstm_backward(init_gru(2, 5), trace, p["d_hidden"])
    with pytest.raises(ValueError, match="needs the LSTMTrace"):
        lstm_backward(params, run_rnn(init_rnn(2, 5), p["xs"]), p["d_hidden"])
    with pytest.raises(ValueError, match="does not come from these parameters"):
        lstm_backward(init_lstm(2, 6), trace, p["d_hidden"])
    with pytest.raises(ValueError, match="needs GRUParams"):
        gru_backward(params, run_gru(init_gru(2, 5), p["xs"]), p["d_hidden"])


@pytest.mark.parametrize("shape", ["single", "batch"])
def test_lstm_backward_reads_the_forward_buffers_without_copying(shape: str):
    """The backward pass views the fast forward's buffers (gates side by side, C^i above C^f, h_{t-1} above
    x_t; C_0 before C_1 …); a trace with separate arrays (the reference's) is copied, same numbers."""
    from lstm_core.fast import run_lstm as fast_run_lstm
    from lstm_core.fast.backward.common import feature_major, joined
    from lstm_core.fast.lstm import ORDER

    p = make_problem("lstm", shape)
    trace = fast_run_lstm(LSTMParams(**p["arrays"]), p["xs"], p["h0"], p["c0"])

    def fm(name: str) -> np.ndarray:
        return feature_major(getattr(trace, name), trace.batched, np.float64)

    H = trace.hidden_size
    cases = [
        ([fm(n) for n in ORDER], 1),  # (T, 4H, B) gates
        ([fm("c0")[None], fm("cell")], 0),  # (T + 1, H, B) C_0 … C_T
        ([fm("input_part"), fm("forget_part")], 1),  # (T, 2H, B) [C^i; C^f]
        ([fm("h0")[None], fm("hidden")[:-1]], 0),  # (T, H, B) h_0 … h_{T-1}
    ]
    cases.append(([joined(*cases[3]), fm("xs")], 1))  # (T, H + D, B) [h_{t-1}; x_t]
    for views, axis in cases:
        s = joined(views, axis)
        assert np.shares_memory(s, views[-1]) and not s.flags.writeable
        copies = [v.copy() for v in views]
        s_copy = joined(copies, axis)
        assert not np.shares_memory(s_copy, copies[0])
        np.testing.assert_array_equal(s, s_copy)
        np.testing.assert_array_equal(s, np.concatenate(views, axis=axis))
    s = joined(cases[0][0], 1)
    for k, v in enumerate(cases[0][0]):
        np.testing.assert_array_equal(s[:, k * H : (k + 1) * H], v)
