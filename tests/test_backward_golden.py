"""Backpropagation through time against PyTorch autograd (float64 golden values).

The fixtures ``tests/golden/grads_*.npz`` were written by ``tests/golden/make_grad_golden.py``: torch's
gradients of L = Σ δh · h (+ Σ δC · C_T) for every parameter array, the inputs and the initial states
(fused ``nn.LSTM``/``nn.GRU``/``nn.RNN``), and the total ∂L/∂h_t, ∂L/∂C_t at every step (a per-step
torch loop with ``retain_grad``). No torch needed here. The backward passes run on the trace of the
training path (``lstm_core.fast``) and on the reference trace the pages hold (the gradient-flow page).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_core import (
    fast,
    gru_backward,
    lstm_backward,
    lstm_params_to_torch,
    params_from_arrays,
    rnn_backward,
    run_gru,
    run_lstm,
    run_rnn,
)

TOL = 1e-9
GOLDEN = sorted((Path(__file__).parent / "golden").glob("grads_*.npz"))
KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def load(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


FORWARD = {
    "fast": {"lstm": fast.run_lstm, "gru": fast.run_gru, "rnn": fast.run_rnn},
    "reference": {"lstm": run_lstm, "gru": run_gru, "rnn": run_rnn},
}


def backward(g: dict[str, np.ndarray], dtype: object = np.float64, forward: str = "fast", **options):
    kind = str(g["kind"])
    params = params_from_arrays(g, dtype=dtype)
    run = FORWARD[forward][kind]
    if kind == "lstm":
        trace = run(params, g["xs"], g["h0"], g["c0"])
        return lstm_backward(params, trace, g["d_hidden"], g.get("d_cell_last"), **options)
    back = {"gru": gru_backward, "rnn": rnn_backward}[kind]
    return back(params, run(params, g["xs"], g["h0"]), g["d_hidden"], **options)


def close(ours: np.ndarray, theirs: np.ndarray, tol: float, what: str) -> None:
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != torch's {theirs.shape}"
    scale = max(1.0, float(np.max(np.abs(theirs))))
    err = float(np.max(np.abs(ours - theirs)))
    assert err <= tol * scale, f"{what}: max |ours - torch| = {err:.3e} (scale {scale:.2f})"


def test_fixtures_cover_the_required_shapes():
    cases = [load(p) for p in GOLDEN]
    assert len(cases) >= 9
    kinds = {str(g["kind"]) for g in cases}
    assert kinds == {"lstm", "gru", "rnn"}
    for kind in kinds:
        mine = [g for g in cases if str(g["kind"]) == kind]
        assert any(g["xs"].ndim == 3 and g["xs"].shape[0] > 1 for g in mine), f"{kind}: no batch B > 1"
        assert any(g["xs"].shape[-2] == 1 for g in mine), f"{kind}: no T = 1"
        assert any(g["xs"].ndim == 2 for g in mine), f"{kind}: no single sequence"
        assert any(g["weight_ih"].shape[1] != g["weight_hh"].shape[1] for g in mine), f"{kind}: no D != H"
    lstm = [g for g in cases if str(g["kind"]) == "lstm"]
    assert any("d_cell_last" in g for g in lstm) and any("d_cell_last" not in g for g in lstm)


@pytest.mark.parametrize("forward", list(FORWARD))
@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_gradients_match_torch(path: Path, forward: str):
    g = load(path)
    res = backward(g, forward=forward)
    grads = lstm_params_to_torch(res.grads)  # the same dict for every cell kind
    for k in KEYS:
        close(grads[k], g[f"grad_{k}"], TOL, k)
    close(res.d_xs, g["grad_xs"], TOL, "d_xs")
    close(res.d_h0, g["grad_h0"], TOL, "d_h0")
    if str(g["kind"]) == "lstm":
        close(res.d_c0, g["grad_c0"], TOL, "d_c0")
    else:
        assert res.d_c0 is None and res.d_cell_total is None


@pytest.mark.parametrize("forward", list(FORWARD))
@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_gradient_flow_matches_torch(path: Path, forward: str):
    """d_hidden_total / d_cell_total are torch's h_t.grad / C_t.grad of a per-step loop."""
    g = load(path)
    res = backward(g, forward=forward)
    close(res.d_hidden_total, g["d_hidden_total"], TOL, "d_hidden_total")
    if str(g["kind"]) == "lstm":
        close(res.d_cell_total, g["d_cell_total"], TOL, "d_cell_total")
    # the last step only sees its own upstream gradient
    np.testing.assert_array_equal(res.d_hidden_total[..., -1, :], g["d_hidden"][..., -1, :])


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_float32_backward_is_close_to_torch(path: Path):
    g = load(path)
    res = backward(g, dtype=np.float32)
    grads = lstm_params_to_torch(res.grads)
    for k in KEYS:
        assert grads[k].dtype == np.float32
        close(grads[k], g[f"grad_{k}"], 1e-4, f"float32 {k}")
    assert res.d_xs.dtype == np.float32 and res.d_hidden_total.dtype == np.float32
    close(res.d_xs, g["grad_xs"], 1e-4, "float32 d_xs")
    close(res.d_hidden_total, g["d_hidden_total"], 1e-4, "float32 d_hidden_total")


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_without_input_gradients_the_rest_is_unchanged(path: Path):
    """Training asks for no ∂L/∂x_t (``input_grads=False``, as loss_and_grads does): d_xs is None and every
    other result is bit for bit the one with it."""
    g = load(path)
    full, lean = backward(g), backward(g, input_grads=False)
    assert lean.d_xs is None and full.d_xs is not None
    for k in KEYS:
        np.testing.assert_array_equal(getattr(lean.grads, k), getattr(full.grads, k), err_msg=k)
    for name in ("d_h0", "d_c0", "d_hidden_total", "d_cell_total"):
        a, b = getattr(lean, name), getattr(full, name)
        assert (a is None) == (b is None), name
        if a is not None:
            np.testing.assert_array_equal(a, b, err_msg=name)


def test_unpacking_gives_grads_and_input_gradients():
    g = load(next(p for p in GOLDEN if "lstm_batch" in p.stem))
    res = backward(g)
    grads, d_xs = res
    assert grads is res.grads and d_xs is res.d_xs
    assert type(grads).__name__ == "LSTMParams"
