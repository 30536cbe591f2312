"""The training machinery end to end: whole-model gradients by finite differences, padding that changes
nothing, a loop that is a pure function of its inputs (same seed → same curve; N + N steps = 2N),
real convergence, evaluation and the saved model files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lstm_core.tasks import Example, TaskData, memory_span
from lstm_core.train import (
    TrainConfig,
    encode,
    evaluate,
    init_model,
    load_model,
    loss_and_grads,
    run_model,
    save_model,
    train,
)

VOCAB = ("a", "b", "c", "?")
CLASSES = ("x", "y", "z")
EXAMPLES = (  # different lengths; some with targets at several steps, one with none but the last
    Example(("a", "b", "?"), ("x", None, "y")),
    Example(("c", "a", "b", "c", "?"), (None, "z", None, "x", "x")),
    Example(("b", "?"), ("y", "z")),
    Example(("a", "c", "c", "?"), (None, None, None, "y")),
)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("loss", ["per_step", "last"])
def test_model_gradients_match_finite_differences(kind: str, loss: str) -> None:
    model = init_model(kind, len(VOCAB), 3, len(CLASSES), seed=2, forget_bias=1.0 if kind == "lstm" else 0.0)
    batch = encode(EXAMPLES, VOCAB, CLASSES).take(np.arange(4))
    res = loss_and_grads(model, batch, loss)
    flat = model.to_flat()
    rng = np.random.default_rng(0)
    for k, arr in enumerate(flat):
        for idx in [tuple(rng.integers(0, s) for s in arr.shape) for _ in range(4)]:
            values = []
            for sign in (1, -1):
                bumped = arr.copy()
                bumped[idx] += sign * 1e-6
                arrays = (*flat[:k], bumped, *flat[k + 1 :])
                values.append(loss_and_grads(model.from_flat(arrays), batch, loss).loss)
            numeric = (values[0] - values[1]) / 2e-6
            assert res.grads[k][idx] == pytest.approx(numeric, abs=1e-8), (k, idx)


@pytest.mark.parametrize("loss", ["per_step", "last"])
def test_padded_batch_equals_separate_unpadded_runs(loss: str) -> None:
    model = init_model("lstm", len(VOCAB), 4, len(CLASSES), seed=5)
    enc = encode(EXAMPLES, VOCAB, CLASSES)
    together = loss_and_grads(model, enc.take(np.arange(4)), loss)
    assert enc.take(np.arange(4)).ids.shape == (4, 5)  # really padded
    alone = [loss_and_grads(model, enc.take(np.array([n])), loss) for n in range(4)]
    for n in range(4):
        assert enc.take(np.array([n])).ids.shape[1] == len(EXAMPLES[n].tokens)  # no padding at all
    total = sum(r.count for r in alone)
    assert together.count == total
    assert together.loss == pytest.approx(sum(r.loss * r.count for r in alone) / total, rel=1e-12)
    assert together.correct == sum(r.correct for r in alone)
    for k in range(6):
        summed = sum(r.grads[k] * r.count for r in alone) / total
        np.testing.assert_allclose(together.grads[k], summed, rtol=1e-10, atol=1e-14)


def test_last_loss_needs_a_target_at_the_last_step() -> None:
    bad = (Example(("a", "?"), ("x", None)),)
    model = init_model("rnn", len(VOCAB), 2, len(CLASSES))
    with pytest.raises(ValueError, match="last step"):
        loss_and_grads(model, encode(bad, VOCAB, CLASSES).take(np.arange(1)), "last")
    with pytest.raises(ValueError, match="outside the vocabulary"):
        encode((Example(("q",), ("x",)),), VOCAB, CLASSES)


@pytest.fixture(scope="module")
def small_task() -> TaskData:
    return memory_span.make(seed=1, gap=5, n_train=300, n_test=200)


def test_same_seed_same_curve_and_resume_is_bitwise(small_task: TaskData) -> None:
    cfg = TrainConfig(hidden_size=8, steps=30, batch_size=16, loss="last", seed=3, eval_every=10)
    a, b = train(small_task, cfg), train(small_task, cfg)
    assert np.array_equal(a.losses, b.losses) and np.array_equal(a.eval_accuracies, b.eval_accuracies)
    assert not np.array_equal(a.losses, train(small_task, TrainConfig(**{**cfg.__dict__, "seed": 4})).losses)
    first = train(small_task, TrainConfig(**{**cfg.__dict__, "steps": 15}))
    second = train(small_task, TrainConfig(**{**cfg.__dict__, "steps": 15}), state=first.state)
    assert second.state.step == 30
    assert np.array_equal(np.concatenate([first.losses, second.losses]), a.losses)
    for x, y in zip(second.model.to_flat(), a.model.to_flat(), strict=True):
        assert np.array_equal(x, y)
    for x, y in zip(second.state.adam.v, a.state.adam.v, strict=True):
        assert np.array_equal(x, y)


def test_callback_sees_every_step_and_can_stop(small_task: TaskData) -> None:
    seen: list[tuple[int, float, float]] = []

    def stop_at_7(step: int, loss: float, accuracy: float) -> bool:
        seen.append((step, loss, accuracy))
        return step < 7

    res = train(small_task, TrainConfig(hidden_size=4, steps=50, loss="last"), callback=stop_at_7)
    assert res.stopped == "callback" and res.state.step == 7 and [s[0] for s in seen] == list(range(1, 8))
    assert [s[1] for s in seen] == list(res.losses)
    with pytest.raises(ValueError, match="cannot resume"):
        train(small_task, TrainConfig(hidden_size=5, steps=1, loss="last"), state=res.state)


def test_lstm_learns_memory_span_gap_5(small_task: TaskData) -> None:
    cfg = TrainConfig(
        hidden_size=16, steps=400, loss="last", lr=0.01, seed=0, eval_every=25, target_accuracy=0.98
    )
    res = train(small_task, cfg)
    assert res.stopped == "target"
    ev = evaluate(res.model, small_task.test, small_task.vocab, small_task.classes, loss="last")
    assert ev.accuracy > 0.9 and res.losses[-1] < 0.5 * res.losses[0]
    assert ev.confusion.shape == (4, 4) and ev.confusion.sum() == 200 == ev.count
    assert np.trace(ev.confusion) == round(ev.accuracy * 200)
    # the confusion rows count the true symbols of the held-out set
    firsts = [ex.tokens[0] for ex in small_task.test]
    assert list(ev.confusion.sum(axis=1)) == [firsts.count(s) for s in small_task.classes]
    # run_model on one sequence gives the same prediction as the batched evaluation
    ids = encode(small_task.test[:1], small_task.vocab, small_task.classes).ids[0]
    _, logits = run_model(res.model, np.eye(len(small_task.vocab))[ids].astype(np.float32))
    assert logits.shape == (7, 4)


def test_save_and_load_round_trip(tmp_path, small_task: TaskData) -> None:
    model = init_model("gru", len(small_task.vocab), 6, len(small_task.classes), seed=9)
    cfg = TrainConfig(cell="gru", hidden_size=6)
    meta = save_model(
        tmp_path / "m.npz",
        model,
        small_task.vocab,
        small_task.classes,
        "memory_span",
        cfg,
        {"accuracy": np.float64(0.5)},
    )
    loaded, meta2 = load_model(tmp_path / "m.npz")
    assert meta2 == meta and meta2["seed"] == 0 and meta2["metrics"]["accuracy"] == 0.5
    assert meta2["cell"] == "gru" and meta2["vocab"] == list(small_task.vocab)
    for x, y in zip(loaded.to_flat(), model.to_flat(), strict=True):
        assert np.array_equal(x, y)
    with np.load(tmp_path / "m.npz", allow_pickle=False) as z:
        assert set(z.files) == {"kind", "weight_ih", "weight_hh", "bias_ih", "bias_hh", "W_y", "b_y"}


def test_malformed_model_files_raise_value_error(tmp_path, small_task: TaskData) -> None:
    model = init_model("lstm", len(small_task.vocab), 3, len(small_task.classes))
    path = tmp_path / "m.npz"
    save_model(path, model, small_task.vocab, small_task.classes)
    meta = json.loads(path.with_suffix(".json").read_text())
    with pytest.raises(ValueError, match="no model file"):
        load_model(tmp_path / "missing.npz")
    with pytest.raises(ValueError, match=r"\.npz"):
        load_model(tmp_path / "m.txt")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    (tmp_path / "junk.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="readable"):
        load_model(tmp_path / "junk.npz")
    np.savez(tmp_path / "obj.npz", kind=np.array("lstm"), weight_ih=np.array([{"a": 1}], dtype=object))
    (tmp_path / "obj.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match=r"missing|Python objects"):
        load_model(tmp_path / "obj.npz")
    arrays = dict(np.load(path, allow_pickle=False))
    np.savez(tmp_path / "short.npz", **{k: v for k, v in arrays.items() if k != "W_y"})
    (tmp_path / "short.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="W_y"):
        load_model(tmp_path / "short.npz")
    path.with_suffix(".json").write_text(json.dumps({**meta, "classes": ["only", "two"]}))
    with pytest.raises(ValueError, match="do not match"):
        load_model(path)
    path.with_suffix(".json").write_text(json.dumps({**meta, "cell": "gru"}))
    with pytest.raises(ValueError, match="says"):
        load_model(path)
    path.with_suffix(".json").write_text("{not json")
    with pytest.raises(ValueError, match="JSON"):
        load_model(path)
    with pytest.raises(ValueError, match="must match"):
        save_model(path, model, small_task.vocab[:-1], small_task.classes)


def test_config_rejects_bad_values() -> None:
    for bad in (
        {"cell": "tcn"},
        {"hidden_size": 0},
        {"lr": -1.0},
        {"dtype": "float16"},
        {"loss": "sum"},
        {"target_accuracy": 1.5},
        {"target_accuracy": 0.9, "eval_every": 0},
        {"steps": -1},
    ):
        with pytest.raises(ValueError):
            TrainConfig(**bad)
