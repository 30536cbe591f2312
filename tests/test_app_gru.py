"""The GRU page, headless (AppTest): GRU and LSTM gates of the same sentence, the GRU's equations live.

The step view is one component (``lstm_ui.components.live_svg``, key "gru_step"): its step controls with
the choice of weights, the GRU's equations in general form above the drawings, the three heatmap drawings and,
below them, the step's heading and its equations with numbers (KaTeX sources in ``data-tex``). AppTest cannot
press the component's controls (tests/browser/test_gru_browser.py does): here the step, unit and weights
go into session state or the URL, as the controls' callbacks put them.

References come from lstm_core directly: init_gru/init_lstm + run_gru/run_lstm on the token vectors, and
the trained story models through lstm_core.story.

The choice of weights (seeded, trained): test_app_gru_weights.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from apptest_gru_page import (
    DRAWINGS,
    PAGE,
    SHOWN,
    VIEW,
    H,
    controls,
    equations,
    general,
    gru_fig,
    heading,
    lstm_fig,
    paren,
    payload,
    seeded,
)
from apptest_helpers import heat_drawings, open_app, set_in_view, svg_payloads, vkey

from lstm_core import sigmoid
from lstm_ui.sentence import DEFAULT_SENTENCE, parse_sentence, token_labels


@pytest.fixture(scope="module")
def page():
    at = open_app(PAGE)
    assert not at.exception
    return at


def test_gru_and_lstm_heatmaps_hold_the_core_numbers(page):
    tokens, _params, gru, lstm = seeded()
    assert list(heat_drawings(page)) == list(DRAWINGS)  # one component, three drawings
    g, f = gru_fig(page), lstm_fig(page)
    assert list(g["panels"]) == ["reset", "update"] and list(f["panels"]) == ["forget", "input"]
    assert [p["title"] for p in g["panels"].values()] == ["reset gate", "update gate"]
    np.testing.assert_allclose(g["panels"]["reset"]["values"], gru.reset, rtol=0, atol=SHOWN)
    np.testing.assert_allclose(g["panels"]["update"]["values"], gru.update, rtol=0, atol=SHOWN)
    np.testing.assert_allclose(f["panels"]["forget"]["values"], lstm.forget, rtol=0, atol=SHOWN)
    np.testing.assert_allclose(f["panels"]["input"]["values"], lstm.input, rtol=0, atol=SHOWN)
    assert g["bars"] == {"gate": (0.0, 1.0)}
    states = heat_drawings(page)[f"{VIEW}/gru_states"]
    assert states["panels"]["candidate"]["title"] == "candidate n"
    np.testing.assert_allclose(states["panels"]["candidate"]["values"], gru.candidate, rtol=0, atol=SHOWN)
    np.testing.assert_allclose(states["panels"]["hidden"]["values"], gru.hidden, rtol=0, atol=SHOWN)
    for drawing in heat_drawings(page).values():
        assert drawing["rows"] == token_labels(tokens)


def test_drawings_are_titled_gates_side_by_side_states_below(page):
    entries = {p["key"]: p for p in svg_payloads(page)}
    assert [(entries[k]["name"], entries[k]["title"], entries[k]["wide"]) for k in DRAWINGS] == [
        ("gru_heat", "GRU: reset and update gates", False),
        ("lstm_heat", "LSTM: forget and input gates", False),
        ("gru_states", "The GRU's candidate n and new state h", True),
    ]
    p = payload(page)
    assert p["clickable"] is True  # a click on a square selects its step and unit
    assert "The same sentence through both cells" in p["html"]  # what the drawings show, above them
    assert "Random weights (seed 0), D = 16, H = 8" in p["html"]  # and which weights
    assert "<strong>The GRU's equations with the live numbers</strong>" in p["below"]  # and under them


def test_general_equations_above_the_step_view(page):
    r, z, n, h = general(page)
    assert r == r"r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})"
    assert z == r"z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})"
    assert n == r"n_t = \tanh(W_{in} x_t + b_{in} + r_t * (W_{hn} h_{t-1} + b_{hn}))"
    assert h == r"h_t = (1 - z_t) * n_t + z_t * h_{t-1}"


def test_controls_start_at_the_first_step_and_unit(page):
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    c = controls(page)
    assert (c["steps"], c["units"], c["step"], c["unit"]) == (len(tokens), H, 1, 1)
    assert c["tokens"] == list(tokens) and c["play"] is False and c["unitSlider"] is True
    assert c["choice"] == {
        "label": "Weights",
        "options": [["seeded", "seeded (random)"], ["trained", "trained on stories"]],
        "value": "seeded",
    }
    assert (c["stepLabel"], c["unitLabel"]) == ("Step t (word)", "Unit j")
    assert heading(page) == f"Step 1: “{tokens[0]}”, unit 1"


def test_equations_follow_step_and_unit():
    tokens, params, gru, _lstm = seeded()
    at = open_app(PAGE)
    set_in_view(at, step=4)  # what the component's controls report (on_move → state.set_cell)
    set_in_view(at, unit=6)
    at.run()
    assert not at.exception
    t, j = 3, 5
    pre_z = (
        params.gate_block("weight_ih", "update")[j] @ gru.xs[t]
        + params.gate_block("bias_ih", "update")[j]
        + params.gate_block("weight_hh", "update")[j] @ gru.hidden[t - 1]
        + params.gate_block("bias_hh", "update")[j]
    )
    assert np.isclose(sigmoid(pre_z), gru.update[t, j])
    r_tex, z_tex, n_tex, h_tex = equations(at)
    for tex, sym in zip((r_tex, z_tex, n_tex, h_tex), ("r_t", "z_t", "n_t", "h_t"), strict=True):
        assert tex.startswith(rf"\left[{sym}\right]_{{{j + 1}}} = ")  # unit j's entry
    assert r_tex.endswith(f"= {gru.reset[t, j]:.3f}")
    assert z_tex.endswith(f"= {gru.update[t, j]:.3f}")
    assert n_tex.endswith(f"= {gru.candidate[t, j]:.3f}")
    expected = (1 - gru.update[t, j]) * gru.candidate[t, j] + gru.update[t, j] * gru.hidden[t - 1, j]
    assert np.isclose(expected, gru.hidden[t, j])
    assert h_tex == (
        rf"\left[h_t\right]_{{6}} = (1 - {gru.update[t, j]:.3f}) \times {paren(gru.candidate[t, j])}"
        rf" + {gru.update[t, j]:.3f} \times {paren(gru.hidden[t - 1, j])} = {gru.hidden[t, j]:.3f}"
    )
    # z from its two parts, as the core computes them
    in_z = params.gate_block("weight_ih", "update")[j] @ gru.xs[t] + params.gate_block("bias_ih", "update")[j]
    rec_z = pre_z - in_z
    assert (
        z_tex == rf"\left[z_t\right]_{{6}} = \sigma({paren(in_z)} + {paren(rec_z)}) = {gru.update[t, j]:.3f}"
    )
    assert heading(at) == f"Step 4: “{tokens[3]}”, unit 6"
    assert (controls(at)["step"], controls(at)["unit"]) == (4, 6)
    for drawing in heat_drawings(at).values():  # the chosen step and unit outlined in every drawing
        assert drawing["cell_outline"] == (t + 1, j + 1) and set(drawing["row_outlines"]) == {t + 1}
    assert (at.query_params["step"], at.query_params["unit"]) == ("4", "6")


def test_deep_link_opens_at_step_and_unit_and_clamps():
    tokens, _params, gru, _lstm = seeded()
    at = open_app(PAGE, query={"step": "5", "unit": "3"})
    assert not at.exception
    assert (controls(at)["step"], controls(at)["unit"]) == (5, 3)
    assert equations(at)[0].endswith(f"= {gru.reset[4, 2]:.3f}")
    assert all(d["cell_outline"] == (5, 3) for d in heat_drawings(at).values())
    at = open_app(PAGE, query={"step": "99", "unit": "-4"})  # beyond the sentence: its last step, unit 1
    assert not at.exception
    assert (controls(at)["step"], controls(at)["unit"]) == (len(tokens), 1)
    assert heading(at) == f"Step {len(tokens)}: “{tokens[-1]}”, unit 1"
    at = open_app(PAGE, query={"step": "two", "unit": "x"})  # not numbers: the first step and unit
    assert not at.exception and (controls(at)["step"], controls(at)["unit"]) == (1, 1)


def test_notation_switch_renames_the_hidden_state():
    at = open_app(PAGE, query={"notation": "split"})
    assert not at.exception
    assert general(at)[3] == r"H_t = (1 - z_t) * n_t + z_t * H_{t-1}"
    assert equations(at)[3].startswith(r"\left[H_t\right]_{1} = ")


@pytest.mark.parametrize(
    ("text", "level", "needle"),
    [
        ("", "error", "empty"),
        ("— ; : ( )", "error", "punctuation"),
        (" ".join(f"word{k}" for k in range(2000)), "info", "2,000 words"),
        ("我爱你 🙂 👩‍👩‍👧 ok", "warning", "emoji"),
    ],
)
def test_bad_input_shows_a_message_not_a_traceback(text, level, needle):
    at = open_app(PAGE)
    set_in_view(at, step=9)
    at.text_input(key=vkey(at, "sentence")).set_value(text).run()
    assert not at.exception
    assert any(needle in m.value for m in getattr(at, level))
    parsed = parse_sentence(text)
    if not parsed.ok:
        assert not svg_payloads(at)  # no drawing of nothing
        return
    tokens, _params, gru, _lstm = seeded(text)
    assert controls(at)["tokens"] == list(tokens)
    assert controls(at)["step"] == min(9, len(tokens))
    t = controls(at)["step"]
    drawing = gru_fig(at)
    row = drawing["rows"].index(token_labels(tokens)[t - 1])  # a long text's drawing folds the rest
    assert len(drawing["rows"]) == min(len(tokens), 11)  # 2,000 words: 1, a gap, 6 … 12, a gap, 2000
    np.testing.assert_allclose(
        drawing["panels"]["reset"]["values"][row], gru.reset[t - 1], rtol=0, atol=SHOWN
    )
    assert heading(at) == f"Step {t}: “{tokens[t - 1]}”, unit 1"
