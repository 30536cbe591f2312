"""The core's forward passes against PyTorch's ``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` (float64).

The fixtures in ``tests/golden/forward_*.npz`` were written by ``tests/golden/make_forward_golden.py``
(torch is needed only to regenerate them). Gates, pre-activations and parts come from an independent torch
per-step loop that the script checked against the fused module before saving. Both the reference cells the
pages run (``lstm_core.run_lstm`` …) and the training path (``lstm_core.fast``) are checked.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_core import (
    GRUTrace,
    LSTMTrace,
    RNNTrace,
    fast,
    gru_params_from_torch,
    lstm_params_from_torch,
    lstm_step,
    params_from_arrays,
    rnn_params_from_torch,
    run_gru,
    run_lstm,
    run_rnn,
)

TOL = 1e-10
GOLDEN = sorted((Path(__file__).parent / "golden").glob("forward_*.npz"))
ZERO_STATE = [p for p in GOLDEN if "zero_state" in p.stem]
BATCHED = [p for p in GOLDEN if "batch" in p.stem]
RUN = {"lstm": run_lstm, "gru": run_gru, "rnn": run_rnn}
RUN_FAST = {"lstm": fast.run_lstm, "gru": fast.run_gru, "rnn": fast.run_rnn}
PATHS = {"reference": RUN, "fast": RUN_FAST}
FROM_TORCH = {"lstm": lstm_params_from_torch, "gru": gru_params_from_torch, "rnn": rnn_params_from_torch}
TRACE = {"lstm": LSTMTrace, "gru": GRUTrace, "rnn": RNNTrace}
# every per-step field of the traces, each stored under its own name by torch or its per-step loop
PER_STEP = {
    "lstm": (
        *("pre_input", "pre_forget", "pre_candidate", "pre_output", "input", "forget", "candidate"),
        *("output", "forget_part", "input_part", "cell", "cell_tanh", "hidden"),
    ),
    "gru": (
        *("reset_from_x", "update_from_x", "candidate_from_x", "reset_from_h", "update_from_h"),
        *("candidate_from_h", "reset", "update", "candidate", "hidden"),
    ),
    "rnn": ("from_h", "from_x", "pre_hidden", "hidden"),
}


def load(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def states(g: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    names = ("h0", "c0") if str(g["kind"]) == "lstm" else ("h0",)
    return tuple(g[n] for n in names if n in g)


def run_golden(g: dict[str, np.ndarray], path: str = "reference"):
    kind = str(g["kind"])
    params = params_from_arrays(g)
    return kind, params, PATHS[path][kind](params, g["xs"], *states(g))


def test_fixtures_cover_the_required_shapes():
    assert len(GOLDEN) >= 9
    cases = [load(p) for p in GOLDEN]
    for kind in RUN:
        mine = [g for g in cases if str(g["kind"]) == kind]
        assert any(g["xs"].ndim == 3 and g["xs"].shape[0] > 1 for g in mine), f"{kind}: no B > 1"
        assert any(g["xs"].shape[-2] == 1 for g in mine), f"{kind}: no T = 1"
        assert any(g["xs"].shape[-1] != g["weight_hh"].shape[1] for g in mine), f"{kind}: no D != H"
        assert any("h0" in g for g in mine), f"{kind}: no given h0"
        assert any("h0" not in g for g in mine), f"{kind}: no zero-state case"
    assert any("c0" in g for g in cases)
    assert any("bias_ih" not in g for g in cases), "no bias=False case"


@pytest.mark.parametrize("run", list(PATHS))
@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_every_value_matches_torch(path: Path, run: str):
    g = load(path)
    kind, params, trace = run_golden(g, run)
    assert isinstance(trace, TRACE[kind])
    assert params.input_size == g["xs"].shape[-1]
    for name in PER_STEP[kind]:
        got, want = getattr(trace, name), g[name]
        assert got.shape == want.shape, (name, got.shape, want.shape)
        np.testing.assert_allclose(got, want, rtol=0, atol=TOL, err_msg=name)
    if kind == "rnn":  # b = b_ih + b_hh at every step
        b = g.get("bias_ih", 0.0) + g.get("bias_hh", np.zeros(params.hidden_size))
        np.testing.assert_allclose(trace.bias, np.broadcast_to(b, trace.hidden.shape), rtol=0, atol=TOL)
    # final states: the last step of the trace is torch's h_n (and c_n)
    np.testing.assert_allclose(trace.hidden[..., -1, :], g["h_n"], rtol=0, atol=TOL)
    if kind == "lstm":
        np.testing.assert_allclose(trace.cell[..., -1, :], g["c_n"], rtol=0, atol=TOL)
        np.testing.assert_array_equal(trace.c0, g.get("c0", np.zeros_like(g["c_n"])))
    # the initial states are echoed back (zeros when the case gave none)
    h0 = g.get("h0", np.zeros_like(g["h_n"]))
    np.testing.assert_array_equal(trace.h0, h0)
    assert trace.xs.shape == g["xs"].shape
    np.testing.assert_array_equal(trace.xs, g["xs"])


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_kind_specific_from_torch_gives_the_same_trace(path: Path):
    g = load(path)
    kind, _, trace = run_golden(g)
    params = FROM_TORCH[kind](g["weight_ih"], g["weight_hh"], g.get("bias_ih"), g.get("bias_hh"))
    again = RUN[kind](params, g["xs"], *states(g))
    for name in PER_STEP[kind]:
        np.testing.assert_array_equal(getattr(again, name), getattr(trace, name))


@pytest.mark.parametrize("path", ZERO_STATE, ids=[p.stem for p in ZERO_STATE])
def test_omitted_state_equals_explicit_zeros(path: Path):
    g = load(path)
    kind, params, trace = run_golden(g)
    H = params.hidden_size
    zero = np.zeros((*g["xs"].shape[:-2], H))
    explicit = RUN[kind](params, g["xs"], *((zero, zero) if kind == "lstm" else (zero,)))
    np.testing.assert_array_equal(explicit.hidden, trace.hidden)


def test_lstm_step_matches_torch_on_one_step():
    g = load(next(p for p in GOLDEN if p.stem == "forward_lstm_t1_given_state"))
    step = lstm_step(params_from_arrays(g), g["xs"][0], g["h0"], g["c0"])
    for name in PER_STEP["lstm"]:
        np.testing.assert_allclose(getattr(step, name), g[name], rtol=0, atol=TOL, err_msg=name)


@pytest.mark.parametrize("path", BATCHED, ids=[p.stem for p in BATCHED])
def test_each_sequence_of_a_batch_matches_torch_alone(path: Path):
    g = load(path)
    kind, params, _ = run_golden(g)
    for b in range(g["xs"].shape[0]):
        one = RUN[kind](params, g["xs"][b], *(s[b] for s in states(g)))
        for name in PER_STEP[kind]:
            np.testing.assert_allclose(getattr(one, name), g[name][b], rtol=0, atol=TOL, err_msg=name)
