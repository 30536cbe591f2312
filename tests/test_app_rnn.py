"""The "plain RNN and its memory problem" page, headless (AppTest).

References are computed here straight from lstm_core (init_rnn/init_gru/init_lstm, run_*, *_backward on
the sentence's token vectors), not from the page's cached calls.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from apptest_helpers import ROOT, decode, figures, open_app

from lstm_core import (
    gru_backward,
    init_gru,
    init_lstm,
    init_rnn,
    lstm_backward,
    rnn_backward,
    run_gru,
    run_lstm,
    run_rnn,
)
from lstm_ui import gradient_flow
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence

PAGE = "views/rnn.py"
D, H = 16, 8


def rnn_reference(sentence: str = DEFAULT_SENTENCE):
    tokens = parse_sentence(sentence).tokens
    params = init_rnn(D, H, seed=0)
    return tokens, params, run_rnn(params, embed(tokens, D))


def fig_with(at, name_part: str) -> dict:
    for fig in figures(at):
        if any(name_part in str(t.get("name", "")) for t in fig["data"]):
            return fig
    raise AssertionError(f"no figure with a trace named like {name_part!r}")


def line(fig: dict, name_part: str) -> np.ndarray:
    trace = next(t for t in fig["data"] if name_part in str(t.get("name", "")))
    return decode(trace["y"]).astype(float)


@pytest.fixture(scope="module")
def page():
    at = open_app(PAGE)
    assert not at.exception
    return at


def test_equation_holds_the_traces_numbers(page):
    _tokens, params, trace = rnn_reference()
    tex = page.latex[0].value
    z = (
        params.weight_hh[0] @ trace.h0
        + params.weight_ih[0] @ trace.xs[0]
        + params.bias_ih[0]
        + params.bias_hh[0]
    )
    assert np.isclose(np.tanh(z), trace.hidden[0, 0])
    assert rf"\tanh({z:.3f}) = {trace.hidden[0, 0]:.3f}" in tex
    assert "W_{hh}" in tex and "W_{xh}" in tex


def test_moving_step_and_unit_changes_the_numbers():
    _tokens, params, trace = rnn_reference()
    at = open_app(PAGE)
    at.slider(key="step").set_value(5).run()
    at.slider(key="unit").set_value(3).run()
    assert not at.exception
    rec = params.weight_hh[2] @ trace.hidden[3]
    assert f"= {trace.hidden[4, 2]:.3f}" in at.latex[0].value
    assert f"{abs(rec):.3f}" in at.latex[0].value
    unrolled = fig_with(at, "hidden state")
    heat = next(t for t in unrolled["data"] if t["type"] == "heatmap")
    np.testing.assert_allclose(decode(heat["z"]), trace.hidden.T, rtol=0, atol=1e-12)
    outline = [s for s in unrolled["layout"]["shapes"] if s.get("yref") == "y2"]
    assert outline and outline[0]["x0"] == 4.5  # step 5 outlined in the hidden-state strip


def test_gradient_norms_match_bptt_and_the_rnn_vanishes_fastest(page):
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    xs = embed(tokens, D)
    T = len(tokens)
    dh = np.zeros((T, H))
    dh[-1] = 1 / np.sqrt(H)
    p_rnn, p_gru = init_rnn(D, H, seed=0), init_gru(D, H, seed=0)
    p_lstm, p_rem = init_lstm(D, H, seed=0), init_lstm(D, H, seed=0, forget_bias=2.0)
    ref = {
        "plain RNN": rnn_backward(p_rnn, run_rnn(p_rnn, xs), dh).d_hidden_total,
        "GRU": gru_backward(p_gru, run_gru(p_gru, xs), dh).d_hidden_total,
        "LSTM:": lstm_backward(p_lstm, run_lstm(p_lstm, xs), dh).d_hidden_total,
        "LSTM, forget bias +2:": lstm_backward(p_rem, run_lstm(p_rem, xs), dh).d_hidden_total,
    }
    fig = fig_with(page, "‖∂L/∂")
    assert fig["layout"]["yaxis"]["type"] == "log"
    shown = {}
    for name, grad in ref.items():
        shown[name] = line(fig, f"{name}" if name.endswith(":") else f"{name}:")
        np.testing.assert_allclose(shown[name], np.linalg.norm(grad, axis=1), rtol=1e-12)
        assert np.isclose(shown[name][-1], 1.0)  # ‖∂L/∂h_T‖ = ‖v‖ = 1
    assert shown["plain RNN"][0] < shown["LSTM, forget bias +2:"][0] / 100  # vanishes far faster
    cell = line(fig, "‖∂L/∂C")
    assert cell.shape == (T,)


def test_shipped_results_are_drawn(page):
    doc = json.loads((ROOT / "assets" / "results" / "memory_span.json").read_text())
    figs = figures(page)
    assert len(figs) == 4  # unrolled, live gradient, memory span, shipped gradient flow
    span = next(f for f in figs if f["layout"]["xaxis"].get("type") == "log")
    titles = {"rnn": "plain RNN", "gru": "GRU", "lstm": "LSTM"}
    for cell, title in titles.items():
        rows = sorted((r for r in doc["summary"] if r["cell"] == cell), key=lambda r: r["gap"])
        trace = next(t for t in span["data"] if t["name"] == title)
        np.testing.assert_allclose(decode(trace["x"]), [r["gap"] for r in rows])
        np.testing.assert_allclose(decode(trace["y"]), [r["mean"] for r in rows])
        learned = [r["gap"] for r in rows if r["mean"] >= 0.9]
        reading = f"{title} {max(learned) if learned else 'none'}"
        assert any("Longest gap learned" in m.value and reading in m.value for m in page.markdown), reading
    flow = json.loads((ROOT / "assets" / "results" / "gradient_flow.json").read_text())
    shipped = next(f for f in figs if any("(trained)" in str(t.get("name")) for t in f["data"]))
    trace = next(t for t in shipped["data"] if t["name"].startswith("plain RNN (trained): ‖∂L/∂h"))
    np.testing.assert_allclose(
        decode(trace["y"]), np.maximum(flow["cells"]["rnn"]["trained"]["dh_norm"], 1e-300)
    )


def test_distractor_variants_switch_the_memory_span_curves(page):
    doc = json.loads((ROOT / "assets" / "results" / "memory_span.json").read_text())
    variants = list(doc.get("summary_by_variant") or {})
    if len(variants) < 2:
        assert not page.get("radio") or all(r.key != "distractors" for r in page.radio)
        return
    other = next(v for v in variants if v != doc["summary"][0]["variant"])
    at = open_app(PAGE)
    at.radio(key="distractors").set_value(other).run()
    assert not at.exception
    span = next(f for f in figures(at) if f["layout"]["xaxis"].get("type") == "log")
    rows = sorted(
        (r for r in doc["summary_by_variant"][other] if r["cell"] == "lstm"), key=lambda r: r["gap"]
    )
    trace = next(t for t in span["data"] if t["name"] == "LSTM")
    np.testing.assert_allclose(decode(trace["y"]), [r["mean"] for r in rows])


def test_missing_results_give_a_note_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(gradient_flow, "RESULTS_DIR", tmp_path)
    at = open_app(PAGE)
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "memory_span.json is missing" in notes and "gradient_flow.json is missing" in notes
    assert len(figures(at)) == 2  # the live figures still draw


def test_notation_switch_renames_the_state():
    at = open_app(PAGE, query={"notation": "ltm"})
    assert not at.exception
    assert "STM_t" in at.latex[0].value and "E_t" in at.latex[0].value


def test_presenter_mode_tucks_the_sentence_away():
    at = open_app(PAGE, query={"presenter": "true"})
    assert not at.exception
    assert not any(m.value.startswith("A plain recurrent network") for m in at.markdown)  # intro hidden
    assert at.expander[0].label == "Controls" and at.expander[0].text_input(key="sentence")
