"""The live lab's snapshot of a model on its probe: the gradient-flow norms ‖∂L/∂h_t‖ and ‖∂L/∂C_t‖ against
central finite differences of a plain forward pass (the state after step t perturbed, the rest of the
sequence run again from it, float64), and the drawn numbers against the loss they claim."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core.gru import run_gru
from lstm_core.lstm import run_lstm
from lstm_core.rnn import run_rnn
from lstm_core.tasks import Example, memory_span
from lstm_core.train.model import init_model
from lstm_core.train.snapshot import probe_example, take_snapshot

EPS = 1e-6
VOCAB = ("a", "b", "c", "?")
CLASSES = ("x", "y", "z")
PER_STEP_PROBE = Example(("c", "a", "b", "c", "b", "?"), (None, "z", None, "x", None, "y"))
RUN = {"lstm": run_lstm, "gru": run_gru, "rnn": run_rnn}


def one_hot(tokens: tuple[str, ...], vocab: tuple[str, ...]) -> np.ndarray:
    return np.eye(len(vocab))[[vocab.index(tok) for tok in tokens]]


def probe_loss(model, xs, scored, targets, t, h_t, c_t=None) -> float:
    """Mean cross-entropy at ``scored`` when the state after step t is (h_t, c_t): steps before t as
    in the plain run, the readout at t on h_t, the steps after t run again from (h_t, c_t)."""
    run = RUN[model.kind]
    hidden = run(model.cell, xs).hidden.copy()  # (T, H)
    hidden[t] = h_t
    if t + 1 < len(xs):
        state = (h_t, c_t) if model.kind == "lstm" else (h_t,)
        hidden[t + 1 :] = run(model.cell, xs[t + 1 :], *state).hidden
    logits = hidden[scored] @ model.W_y.T + model.b_y
    log_p = logits - logits.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return float(-np.mean(log_p[np.arange(len(scored)), targets]))


def numeric_gradient(f, x: np.ndarray) -> np.ndarray:
    grad = np.empty_like(x)
    for j in range(x.size):
        bump = np.zeros_like(x)
        bump[j] = EPS
        grad[j] = (f(x + bump) - f(x - bump)) / (2 * EPS)
    return grad


def case(loss: str) -> tuple[Example, tuple[str, ...], tuple[str, ...]]:
    if loss == "last":
        data = memory_span.make(seed=3, gap=5, n_train=4, n_test=2)
        return probe_example(data), data.vocab, data.classes
    return PER_STEP_PROBE, VOCAB, CLASSES


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("loss", ["last", "per_step"])
def test_gradient_norms_match_finite_differences(kind: str, loss: str) -> None:
    probe, vocab, classes = case(loss)
    fb = 1.0 if kind == "lstm" else 0.0
    model = init_model(kind, len(vocab), 3, len(classes), seed=7, forget_bias=fb, dtype=np.float64)
    snap = take_snapshot(model, probe, vocab, classes, loss, step=12)
    xs = one_hot(probe.tokens, vocab)
    scored = np.array([t for t, y in enumerate(probe.targets) if y is not None])
    if loss == "last":
        scored = scored[-1:]
    targets = np.array([classes.index(probe.targets[t]) for t in scored])
    trace = RUN[kind](model.cell, xs)
    T = len(probe.tokens)
    assert snap.d_hidden_norm.shape == (T,)
    for t in range(T):
        c_t = trace.cell[t] if kind == "lstm" else None
        dh = numeric_gradient(
            lambda h, t=t, c=c_t: probe_loss(model, xs, scored, targets, t, h, c), trace.hidden[t]
        )
        assert snap.d_hidden_norm[t] == pytest.approx(np.linalg.norm(dh), rel=1e-6, abs=1e-10), t
        if kind == "lstm":  # C_t changed, and h_t = o_t tanh(C_t) with it
            o_t = trace.output[t]
            dc = numeric_gradient(
                lambda c, t=t, o=o_t: probe_loss(model, xs, scored, targets, t, o * np.tanh(c), c),
                trace.cell[t],
            )
            assert snap.d_cell_norm[t] == pytest.approx(np.linalg.norm(dc), rel=1e-6, abs=1e-10), t
    if kind != "lstm":
        assert snap.d_cell_norm is None and snap.cell_step is None  # no cell state, no cell diagram


@pytest.mark.parametrize("loss", ["last", "per_step"])
def test_snapshot_draws_the_probe_and_the_loss_it_reports(loss: str) -> None:
    probe, vocab, classes = case(loss)
    model = init_model("lstm", len(vocab), 4, len(classes), seed=1, forget_bias=1.0, dtype=np.float32)
    snap = take_snapshot(model, probe, vocab, classes, loss, step=25)
    trace = run_lstm(model.cell.astype(np.float64), one_hot(probe.tokens, vocab))
    assert snap.step == 25 and snap.tokens == probe.tokens
    assert list(snap.arrays) == [*trace.GATE_NAMES, *trace.STATE_NAMES]
    for name, arr in snap.arrays.items():
        assert arr.dtype == np.float16 and not arr.flags.writeable
        np.testing.assert_allclose(arr, getattr(trace, name), atol=2e-3)
    expected_steps = [t for t, y in enumerate(probe.targets) if y is not None]
    assert list(snap.scored_steps) == (expected_steps if loss == "per_step" else [len(probe.tokens) - 1])
    assert snap.targets == tuple(probe.targets[t] for t in snap.scored_steps)
    np.testing.assert_allclose(snap.probabilities.sum(axis=1), 1.0, rtol=1e-6)
    assert snap.predictions == tuple(classes[k] for k in snap.probabilities.argmax(axis=1))
    picked = snap.probabilities[np.arange(len(snap.targets)), [classes.index(y) for y in snap.targets]]
    assert snap.loss == pytest.approx(-np.mean(np.log(picked)), rel=1e-5)
    step = snap.cell_step  # the cell diagram's values at the probe's second step, float64
    assert set(step) >= {"xs", "cell_prev", "hidden_prev", "forget_part", "input_part", "cell_tanh"}
    for name, arr in step.items():
        want = {"cell_prev": trace.cell[0], "hidden_prev": trace.hidden[0]}.get(name)
        want = getattr(trace, name)[1] if want is None else want
        assert arr.dtype == np.float64 and not arr.flags.writeable
        np.testing.assert_allclose(arr, want, rtol=1e-12, atol=1e-15)
    assert snap.nbytes == sum(a.nbytes for a in (*snap.arrays.values(), *step.values())) + sum(
        a.nbytes for a in (snap.d_hidden_norm, snap.d_cell_norm, snap.scored_steps, snap.probabilities)
    )


def test_the_probe_is_the_first_held_out_example() -> None:
    data = memory_span.make(seed=0, gap=3, n_train=5, n_test=3)
    assert probe_example(data) == data.test[0]
