"""The GRU page, headless (AppTest): GRU and LSTM gates of the same sentence, the GRU's equations live.

References come from lstm_core directly: init_gru/init_lstm + run_gru/run_lstm on the token vectors, and
the trained story models through lstm_core.story.
"""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import heat_drawings, open_app

from lstm_core import init_gru, init_lstm, run_gru, run_lstm, sigmoid
from lstm_core.story import load_model, run_text
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence

PAGE = "views/gru.py"
D, H = 16, 8
SHOWN = 5.001e-5  # the heatmap squares show 4 decimals


def seeded(sentence: str = DEFAULT_SENTENCE):
    tokens = parse_sentence(sentence).tokens
    xs = embed(tokens, D)
    params = init_gru(D, H, seed=0)
    return tokens, params, run_gru(params, xs), run_lstm(init_lstm(D, H, seed=0), xs)


def gru_fig(at) -> dict:
    """The GRU's gates drawing: panels "reset" and "update"."""
    return heat_drawings(at)["gru_heat"]


def lstm_fig(at) -> dict:
    """The LSTM's gates drawing: panels "forget" and "input"."""
    return heat_drawings(at)["lstm_heat"]


@pytest.fixture(scope="module")
def page():
    at = open_app(PAGE)
    assert not at.exception
    return at


def test_gru_and_lstm_heatmaps_hold_the_core_numbers(page):
    _tokens, _params, gru, lstm = seeded()
    g, f = gru_fig(page), lstm_fig(page)
    assert list(g["panels"]) == ["reset", "update"] and list(f["panels"]) == ["forget", "input"]
    assert [p["title"] for p in g["panels"].values()] == ["reset gate", "update gate"]
    np.testing.assert_allclose(g["panels"]["reset"]["values"], gru.reset, rtol=0, atol=SHOWN)
    np.testing.assert_allclose(g["panels"]["update"]["values"], gru.update, rtol=0, atol=SHOWN)
    np.testing.assert_allclose(f["panels"]["forget"]["values"], lstm.forget, rtol=0, atol=SHOWN)
    np.testing.assert_allclose(f["panels"]["input"]["values"], lstm.input, rtol=0, atol=SHOWN)
    assert g["bars"] == {"gate": (0.0, 1.0)}
    states = heat_drawings(page)["gru_states"]
    assert states["panels"]["candidate"]["title"] == "candidate n"
    np.testing.assert_allclose(states["panels"]["hidden"]["values"], gru.hidden, rtol=0, atol=SHOWN)


def test_equations_follow_step_and_unit():
    _tokens, params, gru, _lstm = seeded()
    at = open_app(PAGE)
    at.slider(key="step").set_value(4).run()
    at.slider(key="unit").set_value(6).run()
    assert not at.exception
    t, j = 3, 5
    pre_z = (
        params.gate_block("weight_ih", "update")[j] @ gru.xs[t]
        + params.gate_block("bias_ih", "update")[j]
        + params.gate_block("weight_hh", "update")[j] @ gru.hidden[t - 1]
        + params.gate_block("bias_hh", "update")[j]
    )
    assert np.isclose(sigmoid(pre_z), gru.update[t, j])
    tex = "\n".join(e.value for e in at.latex)
    assert f"= {gru.update[t, j]:.3f}" in tex and f"= {gru.reset[t, j]:.3f}" in tex
    h_line = next(e.value for e in at.latex if "(1 - z_t)" in e.value)
    expected = (1 - gru.update[t, j]) * gru.candidate[t, j] + gru.update[t, j] * gru.hidden[t - 1, j]
    assert np.isclose(expected, gru.hidden[t, j])
    assert h_line.rstrip().endswith(rf"= {gru.hidden[t, j]:.3f}\end{{gathered}}" + "\n$$")
    for drawing in heat_drawings(at).values():  # the chosen step and unit outlined in every drawing
        assert drawing["cell_outline"] == (t + 1, j + 1) and set(drawing["row_outlines"]) == {t + 1}


def test_trained_weights_show_the_trained_models():
    at = open_app(PAGE)
    at.text_input(key="sentence").set_value("Bob is a nice person. Dan on the other hand is evil.").run()
    at.radio(key="weights").set_value("trained").run()
    assert not at.exception
    run = run_text(load_model("trained_story_gru"), "Bob is a nice person . Dan on the other hand is evil .")
    z = gru_fig(at)["panels"]["update"]["values"]
    assert z.shape == (len(run.texts), 64)
    np.testing.assert_allclose(z, run.trace.update, rtol=0, atol=SHOWN)
    lstm = run_text(load_model("trained_story"), "Bob is a nice person . Dan on the other hand is evil .")
    np.testing.assert_allclose(lstm_fig(at)["panels"]["forget"]["values"], lstm.trace.forget, atol=SHOWN)


def test_notation_switch_renames_the_hidden_state():
    at = open_app(PAGE, query={"notation": "split"})
    assert not at.exception
    assert any("H_t = (1 - z_t)" in e.value for e in at.latex)
