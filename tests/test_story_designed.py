"""The designed story LSTM: its weights are the documented ones, and its gates take the documented values."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lstm_core import LSTMParams, run_lstm
from lstm_core.story import designed_model, encode, tokenize, weights_table_markdown
from lstm_core.story.designed import parse_designed

STORY = Path(__file__).resolve().parents[1] / "assets" / "story"


def _sigma(z: float) -> float:
    return 1.0 / (1.0 + np.exp(-z))


def test_weights_md_holds_the_table_of_weights_json() -> None:
    md = (STORY / "weights.md").read_text(encoding="utf-8")
    assert weights_table_markdown() in md
    raw = json.loads((STORY / "weights.json").read_text(encoding="utf-8"))
    assert all(rule["why"].strip() for rule in raw["rules"])  # every weight explained
    for group in raw["groups"]:
        assert f"| {group['name']} |" in md


def test_shapes_and_unit_names() -> None:
    m = designed_model()
    assert isinstance(m.params, LSTMParams)
    assert (m.params.input_size, m.params.hidden_size) == (19, 31)
    assert m.unit_names[:2] == ("subject 1", "subject 2")
    assert m.unit_names[-2:] == ("language cue", "place cue")
    assert m.units_of("subject") == tuple(range(8))
    assert m.units_of("fact count") == (12,)
    np.testing.assert_array_equal(m.params.bias_hh, 0.0)
    # the non-zero entries are exactly those the rules name: count them by hand from the JSON
    raw = json.loads((STORY / "weights.json").read_text(encoding="utf-8"))
    size = {g["name"]: g["size"] for g in raw["groups"]}
    expected = sum(size[r["units"]] for r in raw["rules"])  # x:code is a diagonal: one per unit too
    p = m.params
    assert (
        np.count_nonzero(p.weight_ih) + np.count_nonzero(p.weight_hh) + np.count_nonzero(p.bias_ih)
        == expected
    )


def test_gates_take_the_documented_values() -> None:
    """At "Dan" the subject forget gate is σ(12 - 24) and the input gate σ(-12 + 24); elsewhere σ(12)."""
    m = designed_model()
    tokens = tokenize("Bob is nice. Dan is evil.")
    trace = run_lstm(m.params, encode(tokens)[0])
    subject = list(m.units_of("subject"))
    np.testing.assert_allclose(trace.forget[4, subject], _sigma(12 - 24), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(trace.input[4, subject], _sigma(-12 + 24), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(trace.forget[1, subject], _sigma(12), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(np.abs(trace.candidate[4, subject]), np.tanh(2.0), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(trace.output[1, subject], _sigma(-6), rtol=1e-9, atol=1e-15)


def test_language_cue_opens_the_country_output_through_weight_hh() -> None:
    m = designed_model()
    tokens = tokenize("I grew up in France. I speak ___")
    trace = run_lstm(m.params, encode(tokens)[0])
    cue = m.units_of("language cue")[0]
    country = list(m.units_of("country"))
    h_cue = trace.hidden[-2, cue]
    np.testing.assert_allclose(h_cue, _sigma(12) * np.tanh(_sigma(12) * np.tanh(4.0)), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(trace.output[-1, country], _sigma(12 + 16 * h_cue - 18), rtol=1e-9, atol=1e-15)
    assert trace.output[-1, country].min() > 0.99
    assert trace.output[:-1, country].max() < 0.01


def test_bad_weights_files_say_what_is_wrong() -> None:
    good = {"groups": [{"name": "a", "size": 2, "job": ""}], "rules": []}
    assert parse_designed(good).params.hidden_size == 2
    cases = {
        "unknown group": {**good, "rules": [{"units": "b", "gate": "input", "from": "bias", "value": 1}]},
        "gate must be": {**good, "rules": [{"units": "a", "gate": "remember", "from": "bias", "value": 1}]},
        "'from' must": {**good, "rules": [{"units": "a", "gate": "input", "from": "x:colour", "value": 1}]},
        "finite number": {**good, "rules": [{"units": "a", "gate": "input", "from": "bias", "value": "1"}]},
        "same weight": {**good, "rules": [{"units": "a", "gate": "input", "from": "bias", "value": 1}] * 2},
        "non-empty list": {"groups": [], "rules": []},
    }
    for message, raw in cases.items():
        with pytest.raises(ValueError, match=message):
            parse_designed(raw)
