"""The caller-owned ``Workspace``: the training loop's reused buffers change no number, bit for bit.

Forward, backward, one training step and whole training runs with a workspace are compared with the
same calls without one (``np.array_equal``: exact equality, not a tolerance), across batches whose
shapes change (the buffers grow or are reused as a prefix), and the documented hazard (the next call
overwrites a trace computed into the workspace) is checked to really happen.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from lstm_core import GRUTrace, LSTMTrace, RNNTrace, init_lstm, lstm_backward
from lstm_core.fast import Workspace, run_lstm
from lstm_core.tasks import Example, TaskData
from lstm_core.train import (
    TrainConfig,
    adam_init,
    adam_step,
    batch_index,
    encode,
    evaluate_encoded,
    init_model,
    loss_and_grads,
    one_hot_table,
    train,
)

TRACE_FIELDS = tuple(f.name for f in fields(LSTMTrace))
BACKWARD_FIELDS = ("d_xs", "d_h0", "d_c0", "d_hidden_total", "d_cell_total")
GRAD_FIELDS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


def _case(T: int, B: int | None, D: int, H: int, dtype: type, seed: int) -> tuple:
    """Parameters, inputs, h0, c0, δh and δC_T; B None = one unbatched sequence."""
    rng = np.random.default_rng(seed)
    lead = () if B is None else (B,)
    params = init_lstm(D, H, seed=seed, forget_bias=1.0, dtype=dtype)
    xs = rng.standard_normal((*lead, T, D)).astype(dtype)
    h0, c0 = (rng.standard_normal((*lead, H)).astype(dtype) for _ in range(2))
    dh = rng.standard_normal((*lead, T, H)).astype(dtype)
    dc = rng.standard_normal((*lead, H)).astype(dtype)
    return params, xs, h0, c0, dh, dc


# Shapes in this order make one workspace grow (T, B, H up), reuse a prefix (smaller), change dtype and
# handle a single sequence.
SHAPES = [
    (6, 3, 4, 5, np.float32),
    (11, 7, 4, 8, np.float32),
    (4, 2, 4, 3, np.float32),
    (9, 5, 3, 6, np.float64),
    (7, None, 2, 4, np.float64),
    (50, 32, 8, 16, np.float32),
]


def test_forward_and_backward_are_bit_identical_with_a_reused_workspace() -> None:
    ws = Workspace()
    for k, (T, B, D, H, dtype) in enumerate(SHAPES):
        params, xs, h0, c0, dh, dc = _case(T, B, D, H, dtype, seed=k)
        fresh = run_lstm(params, xs, h0, c0)
        back_fresh = lstm_backward(params, fresh, dh, dc)
        for _ in range(2):  # the second round reuses every buffer as it is
            trace = run_lstm(params, xs, h0, c0, workspace=ws)
            for name in TRACE_FIELDS:
                assert _same(getattr(trace, name), getattr(fresh, name)), (k, name)
                assert not getattr(trace, name).flags.writeable, name
            back = lstm_backward(params, trace, dh, dc, workspace=ws)
            for name in BACKWARD_FIELDS:
                assert _same(getattr(back, name), getattr(back_fresh, name)), (k, name)
            for name in GRAD_FIELDS:
                assert _same(getattr(back.grads, name), getattr(back_fresh.grads, name)), (k, name)
            for name in TRACE_FIELDS:  # the backward pass's buffers are not the trace's
                assert _same(getattr(trace, name), getattr(fresh, name)), (k, name)


def test_buffers_grow_only_when_a_call_needs_more() -> None:
    ws = Workspace()
    big = _case(20, 16, 4, 8, np.float32, seed=1)
    run_lstm(big[0], big[1], workspace=ws)
    held = ws.nbytes
    assert held >= 20 * 16 * (4 * 8 + 3 * 8) * 4  # gates (4H) and cell, tanh C, h (3H), float32
    small = _case(5, 3, 4, 8, np.float32, seed=2)
    run_lstm(small[0], small[1], workspace=ws)
    assert ws.nbytes == held  # a prefix of the same buffers
    bigger = _case(40, 16, 4, 8, np.float32, seed=3)
    run_lstm(bigger[0], bigger[1], workspace=ws)
    assert ws.nbytes > held


def test_the_next_call_overwrites_a_trace_computed_into_the_workspace() -> None:
    """The hazard the docstrings warn about is real: keep a workspace out of code that keeps results."""
    ws = Workspace()
    params, xs, *_ = _case(8, 4, 3, 5, np.float64, seed=4)
    first = run_lstm(params, xs, workspace=ws)
    kept = first.hidden.copy()
    second = run_lstm(params, -xs, workspace=ws)
    assert not np.array_equal(second.hidden, kept)
    assert np.array_equal(first.hidden, second.hidden)  # the first trace now shows the second run
    assert np.array_equal(run_lstm(params, xs).hidden, kept)  # without a workspace nothing is shared


@pytest.mark.parametrize("bad", [{}, np.empty(3), "ws"])
def test_a_workspace_that_is_not_one_is_a_clear_error(bad: object) -> None:
    params, xs, _, _, dh, _ = _case(3, 2, 2, 3, np.float64, seed=5)
    with pytest.raises(ValueError, match="workspace must be"):
        run_lstm(params, xs, workspace=bad)
    trace = run_lstm(params, xs)
    with pytest.raises(ValueError, match="workspace must be"):
        lstm_backward(params, trace, dh, workspace=bad)


VOCAB = ("a", "b", "c", "?")
CLASSES = ("x", "y", "z")


def _examples(n: int, seed: int) -> tuple[Example, ...]:
    """Sequences of different lengths (so batches are padded to different T), targets at some steps."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        L = int(rng.integers(2, 9))
        tokens = tuple(VOCAB[k] for k in rng.integers(0, len(VOCAB), L))
        targets = tuple(CLASSES[k] if rng.random() < 0.5 else None for k in rng.integers(0, 3, L - 1))
        out.append(Example(tokens, (*targets, CLASSES[int(rng.integers(0, 3))])))
    return tuple(out)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("loss", ["per_step", "last"])
def test_training_steps_are_bit_identical_with_a_workspace(kind: str, loss: str) -> None:
    data = encode(_examples(40, seed=6), VOCAB, CLASSES)
    fb = 1.0 if kind == "lstm" else 0.0
    model = init_model(kind, len(VOCAB), 6, len(CLASSES), seed=3, forget_bias=fb, dtype="float32")
    table = one_hot_table(len(VOCAB), model.dtype)
    states = {"fresh": (model, adam_init(model.to_flat())), "ws": (model, adam_init(model.to_flat()))}
    ws = Workspace()
    lengths = set()
    for step in range(6):
        batch = data.take(batch_index(len(data), 7, seed=1, step=step))
        lengths.add(batch.ids.shape[1])
        results = {}
        for name, (m, adam) in states.items():
            res = loss_and_grads(m, batch, loss, table, workspace=ws if name == "ws" else None)
            flat, adam = adam_step(m.to_flat(), res.grads, adam, lr=0.01, clip=1.0)
            states[name] = (m.from_flat(flat), adam)
            results[name] = res
        a, b = results["fresh"], results["ws"]
        assert (a.loss, a.correct, a.count) == (b.loss, b.correct, b.count)
        assert all(_same(x, y) for x, y in zip(a.grads, b.grads, strict=True))
        new_params = zip(states["fresh"][0].to_flat(), states["ws"][0].to_flat(), strict=True)
        assert all(_same(x, y) for x, y in new_params)
        full = evaluate_encoded(states["ws"][0], data, loss, batch_size=16, workspace=ws)
        plain = evaluate_encoded(states["fresh"][0], data, loss, batch_size=16)
        assert (full.accuracy, full.loss) == (plain.accuracy, plain.loss)
        assert np.array_equal(full.confusion, plain.confusion)
    assert len(lengths) > 1  # the batches really had different T


def test_train_with_its_workspace_equals_a_loop_without_one() -> None:
    """``train`` reuses one workspace across steps and evaluations; a hand-written loop without it gives
    the same losses and parameters, bit for bit."""
    examples = _examples(60, seed=7)
    data = TaskData("toy", VOCAB, CLASSES, train=examples[:45], test=examples[45:])
    config = TrainConfig(cell="lstm", hidden_size=8, steps=12, batch_size=9, lr=0.02, seed=4, eval_every=4)
    result = train(data, config)

    enc = encode(data.train, VOCAB, CLASSES)
    model = init_model("lstm", len(VOCAB), 8, len(CLASSES), 4, config.forget_bias, config.dtype)
    adam = adam_init(model.to_flat())
    losses = []
    for step in range(config.steps):
        res = loss_and_grads(model, enc.take(batch_index(len(enc), 9, 4, step)), config.loss)
        flat, adam = adam_step(model.to_flat(), res.grads, adam, config.lr, clip=config.clip)
        model = model.from_flat(flat)
        losses.append(res.loss)
    assert np.array_equal(result.losses, np.asarray(losses))
    assert all(_same(x, y) for x, y in zip(result.model.to_flat(), model.to_flat(), strict=True))


def test_a_helper_thread_changes_no_number() -> None:
    """``Workspace(threads=2)`` sums the weight gradients on a helper thread (shapes big enough to use
    it, and small ones that do not); gradients and total derivatives equal the one-thread ones exactly."""
    ws1, ws2 = Workspace(), Workspace(threads=2)
    for k, (T, B, D, H) in enumerate([(50, 64, 8, 64), (23, 40, 5, 48), (6, 3, 4, 5)]):
        params, xs, h0, c0, dh, dc = _case(T, B, D, H, np.float32, seed=20 + k)
        for _ in range(2):
            results = []
            for ws in (ws1, ws2):
                trace = run_lstm(params, xs, h0, c0, workspace=ws)
                back = lstm_backward(params, trace, dh, dc, workspace=ws)
                results.append((back, trace))
            (a, _), (b, _) = results
            for name in GRAD_FIELDS:
                assert _same(getattr(a.grads, name), getattr(b.grads, name)), (k, name)
            for name in BACKWARD_FIELDS:
                assert _same(getattr(a, name), getattr(b, name)), (k, name)
    ws2.close()
    with pytest.raises(ValueError, match="threads must be 1 or 2"):
        Workspace(threads=3)


def test_train_with_a_helper_thread_gives_the_same_run() -> None:
    examples = _examples(80, seed=8)
    data = TaskData("toy", VOCAB, CLASSES, train=examples[:64], test=examples[64:])
    base = dict(cell="lstm", hidden_size=64, steps=5, batch_size=64, lr=0.02, seed=2, eval_every=5)
    one, two = (train(data, TrainConfig(**base, threads=n)) for n in (1, 2))
    assert np.array_equal(one.losses, two.losses)
    assert all(_same(x, y) for x, y in zip(one.model.to_flat(), two.model.to_flat(), strict=True))
    with pytest.raises(ValueError, match="threads must be 1 or 2"):
        TrainConfig(threads=0)


@pytest.mark.parametrize("kind", ["gru", "rnn"])
def test_gru_and_rnn_forward_and_backward_are_bit_identical_with_a_reused_workspace(kind: str) -> None:
    from lstm_core import gru_backward, init_gru, init_rnn, rnn_backward
    from lstm_core.fast import run_gru, run_rnn

    init, run, backward = {
        "gru": (init_gru, run_gru, gru_backward),
        "rnn": (init_rnn, run_rnn, rnn_backward),
    }[kind]
    ws = Workspace()
    names = [f.name for f in fields(GRUTrace if kind == "gru" else RNNTrace)]
    for k, (T, B, D, H, dtype) in enumerate(SHAPES):
        rng = np.random.default_rng(30 + k)
        lead = () if B is None else (B,)
        params = init(D, H, seed=k, dtype=dtype)
        xs = rng.standard_normal((*lead, T, D)).astype(dtype)
        h0 = rng.standard_normal((*lead, H)).astype(dtype)
        dh = rng.standard_normal((*lead, T, H)).astype(dtype)
        fresh = run(params, xs, h0)
        back_fresh = backward(params, fresh, dh)
        for _ in range(2):
            trace = run(params, xs, h0, workspace=ws)
            for name in names:
                assert _same(getattr(trace, name), getattr(fresh, name)), (k, name)
            back = backward(params, trace, dh, workspace=ws)
            for name in ("d_xs", "d_h0", "d_hidden_total"):
                assert _same(getattr(back, name), getattr(back_fresh, name)), (k, name)
            for name in GRAD_FIELDS:
                assert _same(getattr(back.grads, name), getattr(back_fresh.grads, name)), (k, name)
