"""The gate lab's pure functions (lstm_ui.viewmodels.gate_lab) against the lecture's numbers and a
by-hand LSTM step written here with numpy (PyTorch's gate order i, f, g, o)."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_ui.editors import Parsed
from lstm_ui.notation import get_notation
from lstm_ui.viewmodels import gate_lab as lab


def by_hand(lists: dict, x, h, c) -> dict[str, np.ndarray]:
    w_ih, w_hh = np.asarray(lists["weight_ih"]), np.asarray(lists["weight_hh"])
    z = (
        w_ih @ np.asarray(x)
        + w_hh @ np.asarray(h)
        + np.asarray(lists["bias_ih"])
        + np.asarray(lists["bias_hh"])
    )
    z_i, z_f, z_g, z_o = np.split(z, 4)

    def sig(v: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-v))

    return {"input": sig(z_i), "forget": sig(z_f), "candidate": np.tanh(z_g), "output": sig(z_o)}


def test_the_lecture_example_is_the_forget_product():
    r = lab.compute_update(lab.LECTURE).update
    np.testing.assert_array_equal(r.forget_part, [1, 0, 4])  # [1, 2, 4] * [1, 0, 1]
    np.testing.assert_allclose(r.input_part, [0.0, 0.8, -0.25])  # [0, 1, 0.5] * [0.9, 0.8, -0.5]
    np.testing.assert_allclose(r.cell, [1.0, 0.8, 3.75])
    np.testing.assert_allclose(r.hidden, [np.tanh(1.0), np.tanh(0.8), 0.0])


def test_the_lab_and_stories_show_the_same_lecture_numbers():
    """Issue 16: the Gate lab and Stories gave different input-gate and candidate numbers for the same
    forget-product example; both now read assets/examples/forget_product.json."""
    import json

    from apptest_helpers import ROOT

    raw = json.loads((ROOT / "assets" / "examples" / "forget_product.json").read_text())["numbers"]
    for name, key in (("cell_prev", "c_prev"), ("forget", "forget"), ("input", "input"),
                      ("candidate", "candidate"), ("output", "output")):  # fmt: skip
        assert lab.LECTURE[name] == tuple(float(v) for v in raw[key]), name


def test_default_weights_give_the_lectures_forget_gate_and_match_a_step_by_hand():
    lists, vec = lab.default_params(), lab.default_vectors()
    assert np.shape(lists["weight_ih"]) == (4 * lab.H, lab.D)
    gates = lab.compute_gates(lab.params_from_lists(lists), vec)
    np.testing.assert_allclose(gates["forget"], [1, 0, 1], atol=0.01)
    ref = by_hand(lists, vec["x"], vec["hidden_prev"], vec["cell_prev"])
    for name, want in ref.items():
        np.testing.assert_allclose(gates[name], want, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(gates["cell_prev"], vec["cell_prev"])
    assert lab.params_to_lists(lab.params_from_lists(lists)) == lists


def test_cached_calls_give_the_uncached_numbers_exactly():
    rng = np.random.default_rng(3)
    params = lab.params_from_lists(lab.default_params())
    vec = {
        "x": tuple(rng.normal(size=2)),
        "hidden_prev": tuple(rng.normal(size=3)),
        "cell_prev": (1.0, 2.0, 4.0),
    }
    cached, plain = lab.gates_from_weights(params, vec), lab.compute_gates(params, vec)
    for name in lab.CELL_INPUTS:
        np.testing.assert_array_equal(cached[name], plain[name])
    a, b = lab.lab_update(cached).update, lab.compute_update(plain).update
    for field in ("forget_part", "input_part", "cell", "hidden"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


def test_demos_set_the_forget_gate_and_keep_the_edited_memory():
    edited = {**lab.LECTURE, "cell_prev": (1.0, -7.0, 4.0)}
    kept = lab.apply_demo(edited, lab.DEMOS["f = 1: forget nothing"])
    assert kept["cell_prev"] == (1.0, -7.0, 4.0) and kept["forget"] == (1.0, 1.0, 1.0)
    assert lab.apply_demo(edited, lab.DEMOS["Lecture example"]) == dict(lab.LECTURE)


def test_tables_round_trip():
    frame = lab.gates_frame(lab.LECTURE)
    assert list(frame.columns) == list(lab.CELL_INPUTS) and list(frame.index) == [
        "unit 1",
        "unit 2",
        "unit 3",
    ]
    assert lab.read_gates(Parsed("t", frame.to_numpy())) == dict(lab.LECTURE)
    x, states = lab.vector_frames(lab.DEFAULT_VECTORS)
    back = lab.read_vectors(Parsed("x", x.to_numpy()), Parsed("s", states.to_numpy()))
    assert back == dict(lab.DEFAULT_VECTORS)


def test_gates_outside_their_range_warn():
    notation = get_notation("colah")
    assert lab.range_warnings(lab.LECTURE, notation) == []
    bad = {**lab.LECTURE, "forget": (1.5, 0.0, 1.0), "candidate": (0.0, -2.0, 0.0)}
    messages = lab.range_warnings(bad, notation)
    assert len(messages) == 2
    assert "outside 0 … 1" in messages[0] and "σ" in messages[0]
    assert "outside -1 … 1" in messages[1] and "tanh" in messages[1]


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        ({"forget": (1.0, 0.0)}, "same length"),
        ({"input": (0.0, float("nan"), 1.0)}, "finite"),
        ({"cell_prev": ()}, "same length"),
    ],
)
def test_bad_values_are_a_clear_value_error(change, phrase):
    with pytest.raises(ValueError, match=phrase):
        lab.compute_update({**lab.LECTURE, **change})
    with pytest.raises(ValueError, match="needs output"):
        lab.compute_update({k: v for k, v in lab.LECTURE.items() if k != "output"})
    with pytest.raises(ValueError, match="unusable"):
        lab.read_gates(Parsed("Cell inputs", None, ("empty",)))


def test_a_demo_starts_the_editor_afresh_only_over_an_edit_it_changes():
    demo_overrides_edits = lab.demo_overrides_edits
    forget_zero, lecture = lab.DEMOS["f = 0: forget everything"], lab.DEMOS["Lecture example"]
    assert not demo_overrides_edits({}, forget_zero) and not demo_overrides_edits({}, lecture)
    assert not demo_overrides_edits({1: {"cell_prev": -7.0}}, forget_zero)  # the edit stays, f changes
    assert demo_overrides_edits({0: {"forget": 0.5}}, forget_zero)  # the demo's f must win
    assert demo_overrides_edits({1: {"cell_prev": -7.0}}, lecture)  # back to every lecture number
