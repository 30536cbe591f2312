"""Gates set by hand (``lstm_core.intervene``, ``run_lstm(..., clamps=...)``).

Checked against an independent reference: an LSTM step written here from PyTorch's equations on the
weights as ``nn.LSTM`` stores them (``to_torch``), with the gate set by hand where a clamp says so. Nothing
before the clamped step changes (bit for bit); from the clamped step on, the run equals a rerun by hand
from the state before it; several clamps apply together in any order; the trace records the clamps; bad
clamps are refused with a message.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from lstm_core import LSTMTrace, init_lstm, run_lstm
from lstm_core.intervene import Clamp, ClampedTrace, without_clamps

TOL = 1e-12
FIELDS = [f.name for f in fields(LSTMTrace) if f.name not in ("xs", "h0", "c0")]


def problem(seed: int, T: int = 12, D: int = 5, H: int = 6, batch: int | None = None):
    rng = np.random.default_rng(seed)
    lead = () if batch is None else (batch,)
    params = init_lstm(D, H, seed=seed)
    return params, rng.normal(size=(*lead, T, D)), rng.normal(size=(*lead, H)), rng.normal(size=(*lead, H))


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def step_by_hand(params, x, h, c, set_gates=None):
    """One LSTM step from torch's layout (rows i, f, g, o), gates replaced by ``set_gates`` {gate: {unit:
    value}}: returns (gates dict, h, c)."""
    w = params.to_torch()
    z = w["weight_ih"] @ x + w["bias_ih"] + w["weight_hh"] @ h + w["bias_hh"]
    H = len(h)
    gates = {
        "input": sig(z[:H]),
        "forget": sig(z[H : 2 * H]),
        "candidate": np.tanh(z[2 * H : 3 * H]),
        "output": sig(z[3 * H :]),
    }
    for gate, entries in (set_gates or {}).items():
        for unit, value in entries.items():
            gates[gate][unit] = value
    c_new = gates["forget"] * c + gates["input"] * gates["candidate"]
    return gates, gates["output"] * np.tanh(c_new), c_new


def run_by_hand(params, xs, h, c, clamps=()):
    """The whole run by hand: {gate or state: (T, H)}."""
    out = {name: [] for name in ("forget", "input", "candidate", "output", "cell", "hidden")}
    for t, x in enumerate(xs):
        here = {}
        for k in clamps:
            if k.step == t:
                here.setdefault(k.gate, {})[k.unit] = k.value
        gates, h, c = step_by_hand(params, x, h, c, here)
        for name, value in (*gates.items(), ("cell", c), ("hidden", h)):
            out[name].append(value)
    return {name: np.array(values) for name, values in out.items()}


def test_torch_layout_keys():
    """The helper reads nn.LSTM's names (a renamed key would make every test below fail for nothing)."""
    assert set(init_lstm(2, 3, seed=0).to_torch()) >= {"weight_ih", "weight_hh", "bias_ih"}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("gate", ["forget", "input", "candidate", "output"])
def test_nothing_before_the_clamped_step_changes(seed, gate):
    params, xs, h0, c0 = problem(seed)
    s = 3 + seed
    plain = run_lstm(params, xs, h0, c0)
    clamped = run_lstm(params, xs, h0, c0, clamps=[Clamp(gate, 2, s, 1.0 if gate != "candidate" else -1.0)])
    for name in FIELDS:
        assert np.array_equal(getattr(clamped, name)[:s], getattr(plain, name)[:s]), name
    # and the clamp did something from its step on: the gate is set, the cell state moved
    assert getattr(clamped, gate)[s, 2] == (1.0 if gate != "candidate" else -1.0)
    assert not np.allclose(clamped.cell[s:], plain.cell[s:])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("value", [0.0, 1.0, 0.37])
def test_the_run_equals_a_rerun_by_hand_from_the_clamped_step(seed, value):
    """From the state before step s (the unclamped run's h_{s-1}, C_{s-1}), step s by hand with the gate
    set, then the rest of the sentence run from the state it gives."""
    params, xs, h0, c0 = problem(seed, T=10)
    s, unit = 4, seed % 6
    plain = run_lstm(params, xs, h0, c0)
    clamped = run_lstm(params, xs, h0, c0, clamps=[Clamp("forget", unit, s, value)])
    gates, h_s, c_s = step_by_hand(
        params, xs[s], plain.hidden[s - 1], plain.cell[s - 1], {"forget": {unit: value}}
    )
    for name, v in gates.items():
        np.testing.assert_allclose(getattr(clamped, name)[s], v, rtol=0, atol=TOL)
    np.testing.assert_allclose(clamped.cell[s], c_s, rtol=0, atol=TOL)
    np.testing.assert_allclose(clamped.hidden[s], h_s, rtol=0, atol=TOL)
    rest = run_lstm(params, xs[s + 1 :], h_s, c_s)  # the reference, from the clamped step's state
    for name in FIELDS:
        np.testing.assert_allclose(getattr(clamped, name)[s + 1 :], getattr(rest, name), rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", range(5))
def test_several_clamps_compose(seed):
    """Clamps at two steps, two gates of one step and two units: any order gives the same run, equal to the
    run by hand, and to clamping the first, then rerunning from the second by hand."""
    params, xs, h0, c0 = problem(seed, T=11)
    clamps = [
        Clamp("forget", 1, 2, 1.0),
        Clamp("input", 1, 2, 0.0),
        Clamp("output", 4, 2, 0.5),
        Clamp("candidate", 0, 7, 0.25),
        Clamp("forget", 5, 7, 0.0),
    ]
    together = run_lstm(params, xs, h0, c0, clamps=clamps)
    reversed_ = run_lstm(params, xs, h0, c0, clamps=clamps[::-1])
    for name in FIELDS:
        assert np.array_equal(getattr(together, name), getattr(reversed_, name)), name
    by_hand = run_by_hand(params, xs, h0, c0, clamps)
    for name, values in by_hand.items():
        np.testing.assert_allclose(getattr(together, name), values, rtol=0, atol=TOL)
    first = run_lstm(params, xs, h0, c0, clamps=clamps[:3])  # the clamps at step 2 only
    _, h7, c7 = step_by_hand(
        params, xs[7], first.hidden[6], first.cell[6], {"candidate": {0: 0.25}, "forget": {5: 0.0}}
    )
    rest = run_lstm(params, xs[8:], h7, c7)
    np.testing.assert_allclose(together.cell[8:], rest.cell, rtol=0, atol=TOL)
    np.testing.assert_allclose(together.hidden[8:], rest.hidden, rtol=0, atol=TOL)


def test_a_batch_clamps_every_sequence_like_one_run_each():
    params, xs, h0, c0 = problem(11, T=9, batch=4)
    clamps = [Clamp("forget", 3, 5, 0.0), Clamp("input", 0, 1, 1.0)]
    batch = run_lstm(params, xs, h0, c0, clamps=clamps)
    for b in range(4):
        one = run_lstm(params, xs[b], h0[b], c0[b], clamps=clamps)
        for name in FIELDS:
            np.testing.assert_allclose(getattr(batch, name)[b], getattr(one, name), rtol=0, atol=TOL)


def test_the_trace_records_the_clamps_applied():
    params, xs, h0, c0 = problem(3)
    clamps = [Clamp("output", 1, 6, 0.0), Clamp("forget", 2, 1, 1.0), Clamp("forget", 0, 6, 1.0)]
    trace = run_lstm(params, xs, h0, c0, clamps=clamps)
    assert isinstance(trace, ClampedTrace)
    assert trace.clamps == (clamps[1], clamps[2], clamps[0])  # by step, unit, gate
    plain = run_lstm(params, xs, h0, c0)
    assert type(plain) is LSTMTrace and not hasattr(plain, "clamps")
    # the pre-activations are the weights' own: the clamped entry is where the gate is not σ(z)
    assert trace.forget[1, 2] == 1.0 and sig(trace.pre_forget[1, 2]) != 1.0
    assert trace.at(1)["forget"][2] == 1.0 and "clamps" not in trace.at(1)
    assert type(without_clamps(trace)) is LSTMTrace


def test_clamps_of_no_effect_change_nothing():
    """Setting a gate to the value the weights gave it already changes nothing (a clamp only sets)."""
    params, xs, h0, c0 = problem(5)
    plain = run_lstm(params, xs, h0, c0)
    same = run_lstm(params, xs, h0, c0, clamps=[Clamp("forget", 1, 4, float(plain.forget[4, 1]))])
    for name in FIELDS:
        assert np.array_equal(getattr(same, name), getattr(plain, name)), name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("forgot", 0, 0, 1.0), "not a gate"),
        (("forget", -1, 0, 1.0), "0 or more"),
        (("forget", 0, 1.5, 1.0), "whole number"),
        (("input", 0, 0, 1.5), "from 0 to 1"),
        (("candidate", 0, 0, -1.01), "from -1 to 1"),
        (("output", 0, 0, float("nan")), "from 0 to 1"),
        (("output", 0, 0, "open"), "must be a number"),
    ],
)
def test_a_bad_clamp_says_why(args, message):
    with pytest.raises(ValueError, match=message):
        Clamp(*args)


@pytest.mark.parametrize(
    ("clamps", "message"),
    [
        ([Clamp("forget", 0, 12, 1.0)], "outside the run"),
        ([Clamp("forget", 6, 0, 1.0)], "outside the cell"),
        ([Clamp("forget", 0, 0, 1.0), Clamp("forget", 0, 0, 0.0)], "two clamps"),
        ([("forget", 0, 0, 1.0)], "Clamp objects"),
    ],
)
def test_clamps_that_do_not_fit_the_run_are_refused(clamps, message):
    params, xs, h0, c0 = problem(0, T=12, H=6)
    with pytest.raises(ValueError, match=message):
        run_lstm(params, xs, h0, c0, clamps=clamps)
