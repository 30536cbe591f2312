"""The GRU page, headless (AppTest): the choice of weights. The trained story models (GRU and LSTM) in
place of the seeded ones, the numbers tables with them, ``?weights=`` in a link, and a trained model that
is missing.

AppTest cannot press the component's weights choice (tests/browser/test_gru_browser.py does): the choice
goes into session state or the URL, as its callback puts it. References come from lstm_core.story.
"""

from __future__ import annotations

import numpy as np
from apptest_gru_page import PAGE, SHOWN, H, controls, equations, gru_fig, lstm_fig, payload
from apptest_helpers import open_app, set_in_view, vkey

from lstm_core.story import load_model, run_text
from lstm_ui.sentence import DEFAULT_SENTENCE, parse_sentence


def test_trained_weights_show_the_trained_models():
    at = open_app(PAGE)
    at.text_input(key=vkey(at, "sentence")).set_value(
        "Bob is a nice person. Dan on the other hand is evil."
    ).run()
    set_in_view(at, unit=40)
    set_in_view(at, weights="trained")  # what the weights choice reports (on_weights)
    at.run()
    assert not at.exception
    run = run_text(load_model("trained_story_gru"), "Bob is a nice person . Dan on the other hand is evil .")
    z = gru_fig(at)["panels"]["update"]["values"]
    assert z.shape == (len(run.texts), 64)
    np.testing.assert_allclose(z, run.trace.update, rtol=0, atol=SHOWN)
    lstm = run_text(load_model("trained_story"), "Bob is a nice person . Dan on the other hand is evil .")
    np.testing.assert_allclose(lstm_fig(at)["panels"]["forget"]["values"], lstm.trace.forget, atol=SHOWN)
    assert controls(at)["units"] == 64 and controls(at)["unit"] == 40
    assert controls(at)["choice"]["value"] == "trained"
    assert equations(at)[1].endswith(f"= {run.trace.update[0, 39]:.3f}")
    assert "H = 64" in payload(at)["html"]
    assert at.query_params["weights"] == "trained"
    set_in_view(at, weights="seeded")  # back to 8 units: the unit is clamped
    at.run()
    assert not at.exception
    assert controls(at)["units"] == H and controls(at)["unit"] == H
    assert "weights" not in at.query_params


def test_numbers_tables_follow_the_weights():
    at = open_app(PAGE)
    at.toggle(key="gru_numbers").set_value(True).run()
    set_in_view(at, weights="trained")
    at.run()
    assert not at.exception
    run = run_text(load_model("trained_story_gru"), " ".join(parse_sentence(DEFAULT_SENTENCE).tokens))
    np.testing.assert_array_equal(np.asarray(at.dataframe[0].value, dtype=float), run.trace.reset)


def test_weights_deep_link_and_an_unknown_one():
    at = open_app(PAGE, query={"weights": "trained", "step": "2", "unit": "64"})
    assert not at.exception
    assert controls(at)["choice"]["value"] == "trained"
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    run = run_text(load_model("trained_story_gru"), " ".join(tokens))
    assert (controls(at)["step"], controls(at)["unit"]) == (2, 64)
    assert equations(at)[3].endswith(f"= {run.trace.hidden[1, 63]:.3f}")
    at = open_app(PAGE, query={"weights": "imaginary"})
    assert not at.exception
    assert controls(at)["choice"]["value"] == "seeded" and controls(at)["units"] == H


def test_a_missing_trained_model_falls_back_to_the_seeded_weights(monkeypatch):
    from lstm_ui.viewmodels import gru as gru_view

    def missing(weights, tokens):
        if weights == "trained":
            raise ValueError("no file trained_story_gru.npz")
        return gru_view.compute_pair(weights, tokens)

    monkeypatch.setattr(gru_view, "cached_pair", missing)
    at = open_app(PAGE, query={"weights": "trained"})
    assert not at.exception
    assert any("cannot be shown (no file trained_story_gru.npz)" in e.value for e in at.error)
    assert controls(at)["choice"]["value"] == "seeded" and controls(at)["units"] == H
    assert "weights" not in at.query_params
