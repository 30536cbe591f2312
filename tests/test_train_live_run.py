"""A live run advanced in slices against the uninterrupted ``train`` run: the same curves bit for bit and
the same snapshots, however it is sliced; Reset replays the same run; a race shares its data."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from lstm_core.tasks import task_registry
from lstm_core.train.live_run import RunSpec, advance, race_specs, start_run, take_run_snapshot
from lstm_core.train.loop import TrainConfig, train
from lstm_core.train.snapshot import probe_example, take_snapshot

TINY = RunSpec(
    task="memory_span",
    options={"gap": 4, "min_gap": 1, "n_train": 64, "n_test": 16},
    config=TrainConfig(hidden_size=6, batch_size=8, steps=70, lr=0.02, eval_every=10, eval_size=16),
    snapshot_every=20,
)


def run_in_slices(spec: RunSpec, n: int):
    state = start_run(spec)
    parts, snaps = [], [take_run_snapshot(state)]
    while state.finished is None:
        state, part, snap = advance(state, n)
        assert part.first_step + len(part.losses) == state.step
        parts.append(part)
        if snap is not None:
            snaps.append(snap)
    curves = {
        name: np.concatenate([getattr(p, name) for p in parts])
        for name in ("losses", "accuracies", "eval_steps", "eval_accuracies")
    }
    return state, curves, snaps


def assert_same_snapshot(a, b) -> None:
    assert a.step == b.step and a.loss == b.loss and a.predictions == b.predictions
    for name in a.arrays:
        np.testing.assert_array_equal(a.arrays[name], b.arrays[name])
    np.testing.assert_array_equal(a.d_hidden_norm, b.d_hidden_norm)


@pytest.mark.parametrize("n", [1, 7, 1000])
def test_any_slicing_gives_the_uninterrupted_run(n: int) -> None:
    whole = train(TINY.make_data(), TINY.config)
    state, curves, snaps = run_in_slices(TINY, n)
    assert state.finished == "steps" and state.step == TINY.config.steps == len(whole.losses)
    for name, arr in curves.items():
        np.testing.assert_array_equal(arr, getattr(whole, name), err_msg=name)
    for mine, ref in zip(state.train.model.to_flat(), whole.model.to_flat(), strict=True):
        np.testing.assert_array_equal(mine, ref)
    assert [s.step for s in snaps] == [0, 20, 40, 60, 70]  # every 20 steps, and the end


def test_a_snapshot_is_the_snapshot_of_the_model_trained_that_far() -> None:
    data = TINY.make_data()
    _, _, snaps = run_in_slices(TINY, 7)
    for snap in snaps[1:]:
        model = train(data, replace(TINY.config, steps=snap.step)).model
        ref = take_snapshot(model, probe_example(data), data.vocab, data.classes, "last", snap.step)
        assert_same_snapshot(snap, ref)


def test_a_run_that_reaches_its_target_stops_there_in_slices_as_in_one_call() -> None:
    spec = replace(TINY, config=replace(TINY.config, steps=1000, target_accuracy=0.9))
    whole = train(spec.make_data(), spec.config)
    state, curves, snaps = run_in_slices(spec, 7)
    assert whole.stopped == "target" and state.finished == "target" and state.step < 1000
    np.testing.assert_array_equal(curves["losses"], whole.losses)
    np.testing.assert_array_equal(curves["eval_accuracies"], whole.eval_accuracies)
    assert curves["eval_accuracies"][-1] >= 0.9 and snaps[-1].step == state.step


def test_reset_replays_the_run_and_a_finished_run_stays_put() -> None:
    first = advance(start_run(TINY), 15)
    again = advance(start_run(TINY), 15)
    np.testing.assert_array_equal(first[1].losses, again[1].losses)
    state, _, _ = run_in_slices(TINY, 1000)
    same, part, snap = advance(state, 5)
    assert same is state and part.losses.size == 0 and snap is None
    with pytest.raises(ValueError, match="n_steps"):
        advance(state, 0)


def test_spec_takes_the_loss_from_the_task_and_checks_its_options() -> None:
    story = RunSpec(task="story", options={"n_train": 20, "n_test": 5}, config=TrainConfig(loss="last"))
    assert story.config.loss == "per_step"
    assert RunSpec(options={"gap": 3, "n_symbols": 2}).options == (("gap", 3), ("n_symbols", 2))
    with pytest.raises(ValueError, match="unknown task 'nope'"):
        RunSpec(task="nope")
    with pytest.raises(ValueError, match="without the seed"):
        RunSpec(options={"seed": 1})


def test_a_race_is_three_cells_on_the_same_data_and_seed() -> None:
    lanes = race_specs(TINY)
    assert [s.config.cell for s in lanes] == ["rnn", "gru", "lstm"]
    assert all(s.same_data(TINY) and s.config.seed == TINY.config.seed for s in lanes)
    assert all(replace(s.config, cell="lstm") == TINY.config for s in lanes)


@pytest.mark.parametrize("task", list(task_registry()))
def test_every_task_of_the_registry_runs_in_slices_with_snapshots(task: str) -> None:
    config = TrainConfig(hidden_size=4, batch_size=4, steps=3, eval_every=2, eval_size=4)
    spec = RunSpec(task=task, options={"n_train": 16, "n_test": 4}, config=config, snapshot_every=2)
    state, part, snap = advance(start_run(spec), 5)
    assert (state.step, len(part.losses), snap.step) == (2, 2, 2)  # cut at the snapshot step
    assert snap.tokens == probe_example(state.data).tokens and np.isfinite(snap.d_hidden_norm).all()
    state, part, snap = advance(state, 5)
    assert (state.step, state.finished, snap.step) == (3, "steps", 3)
