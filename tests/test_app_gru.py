"""The GRU page, headless (AppTest): GRU and LSTM gates of the same sentence, the GRU's equations live.

References come from lstm_core directly: init_gru/init_lstm + run_gru/run_lstm on the token vectors, and
the trained story models through lstm_core.story.
"""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import decode, figures, open_app, trace_by_name

from lstm_core import init_gru, init_lstm, run_gru, run_lstm, sigmoid
from lstm_core.story import load_model, run_text
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence

PAGE = "views/gru.py"
D, H = 16, 8


def seeded(sentence: str = DEFAULT_SENTENCE):
    tokens = parse_sentence(sentence).tokens
    xs = embed(tokens, D)
    params = init_gru(D, H, seed=0)
    return tokens, params, run_gru(params, xs), run_lstm(init_lstm(D, H, seed=0), xs)


def gru_fig(at) -> dict:
    return next(f for f in figures(at) if any(t.get("name") == "reset gate" for t in f["data"]))


def lstm_fig(at) -> dict:
    return next(f for f in figures(at) if any(t.get("name") == "forget gate" for t in f["data"]))


@pytest.fixture(scope="module")
def page():
    at = open_app(PAGE)
    assert not at.exception
    return at


def test_gru_and_lstm_heatmaps_hold_the_core_numbers(page):
    _tokens, _params, gru, lstm = seeded()
    g, f = gru_fig(page), lstm_fig(page)
    np.testing.assert_allclose(decode(trace_by_name(g, "reset gate")["z"]), gru.reset, rtol=0, atol=1e-12)
    np.testing.assert_allclose(decode(trace_by_name(g, "update gate")["z"]), gru.update, rtol=0, atol=1e-12)
    np.testing.assert_allclose(decode(trace_by_name(f, "forget gate")["z"]), lstm.forget, rtol=0, atol=1e-12)
    np.testing.assert_allclose(decode(trace_by_name(f, "input gate")["z"]), lstm.input, rtol=0, atol=1e-12)
    assert (g["layout"]["coloraxis"]["cmin"], g["layout"]["coloraxis"]["cmax"]) == (0.0, 1.0)
    states = next(x for x in figures(page) if any(t.get("name") == "candidate n" for t in x["data"]))
    np.testing.assert_allclose(decode(trace_by_name(states, "hidden state h")["z"]), gru.hidden, atol=1e-12)


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
    fig = gru_fig(at)
    ys = list(decode(trace_by_name(fig, "reset gate")["y"]))
    row = float(ys[t]) if isinstance(ys[t], int | float | np.number) else t  # numeric or category axis
    cells = [s for s in fig["layout"]["shapes"] if s["x1"] - s["x0"] == 1]
    assert any(
        (s["y0"] + s["y1"]) / 2 == row and s["x0"] == j + 0.5 for s in cells
    )  # the chosen cell outlined


def test_trained_weights_show_the_trained_models():
    at = open_app(PAGE)
    at.text_input(key="sentence").set_value("Bob is a nice person. Dan on the other hand is evil.").run()
    at.radio(key="weights").set_value("trained").run()
    assert not at.exception
    run = run_text(load_model("trained_story_gru"), "Bob is a nice person . Dan on the other hand is evil .")
    z = decode(trace_by_name(gru_fig(at), "update gate")["z"])
    assert z.shape == (len(run.texts), 64)
    np.testing.assert_allclose(z, run.trace.update, rtol=0, atol=1e-12)
    lstm = run_text(load_model("trained_story"), "Bob is a nice person . Dan on the other hand is evil .")
    np.testing.assert_allclose(
        decode(trace_by_name(lstm_fig(at), "forget gate")["z"]), lstm.trace.forget, atol=1e-12
    )


def test_notation_switch_renames_the_hidden_state():
    at = open_app(PAGE, query={"notation": "split"})
    assert not at.exception
    assert any("H_t = (1 - z_t)" in e.value for e in at.latex)
