"""The "plain RNN and its memory problem" page, headless (AppTest).

References are computed here straight from lstm_core (init_rnn/init_gru/init_lstm, run_*, *_backward on
the sentence's token vectors), not from the page's cached calls.

The measurements (gradient norms, memory span, the shipped gradient flow): test_app_rnn_measurements.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import figures, open_app, set_in_view, svg_payloads, vkey
from apptest_rnn_page import (
    PAGE,
    SHOWN,
    H,
    equations,
    rnn_reference,
    selected,
    step_view,
    unit_numbers,
    unrolled,
)

from lstm_ui.drawings.colours import scale_for
from lstm_ui.drawings.heatmap import OVERLAY
from lstm_ui.drawings.pixels import scale_colours


@pytest.fixture(scope="module")
def page():
    at = open_app(PAGE)
    assert not at.exception
    return at


def test_equation_holds_the_traces_numbers(page):
    _tokens, params, trace = rnn_reference()
    state_tex, output_tex = equations(page)
    v = unit_numbers(params, trace, 0, 0)
    assert np.isclose(v["h"], trace.hidden[0, 0])
    assert rf"\tanh({v['z']:.3f}) = {trace.hidden[0, 0]:.3f}" in state_tex
    assert "W_{hh}" in state_tex and "W_{xh}" in state_tex
    y = np.random.default_rng(7).standard_normal((4, H)) / np.sqrt(H) @ trace.hidden[0]
    assert f"y_{{1}} = [{', '.join(f'{val:.3f}' for val in y)}]" in output_tex
    assert "Step 1: “I”, unit 1 of 8" in step_view(page)["html"]


def test_step_view_is_one_component_with_its_controls(page):
    payload = step_view(page)
    tokens, _params, _trace = rnn_reference()
    c = payload["controls"]
    assert (c["steps"], c["units"], c["step"], c["unit"]) == (len(tokens), H, 1, 1)
    assert c["tokens"] == list(tokens) and c["play"] is False
    assert (c["stepLabel"], c["unitLabel"]) == ("Step t (word)", "Unit j")
    assert payload["clickable"] is True  # the controls report through on_click
    assert "Unrolled: one cell, copied along the sentence" in payload["html"]
    assert not page.get("slider") and not page.latex  # no Streamlit sliders or st.latex left for a step


def test_unrolled_view_matches_the_core(page):
    tokens, _params, trace = rnn_reference()
    drawing = unrolled(page)
    assert (drawing["T"], drawing["H"]) == trace.hidden.shape == (len(tokens), H)
    np.testing.assert_allclose(drawing["values"], trace.hidden, rtol=0, atol=SHOWN)
    assert drawing["copies"] == list(range(1, len(tokens) + 1))  # one copy of the cell per word
    assert drawing["tokens"] == dict(enumerate(tokens, start=1))  # each copy's word under it
    # every square: coloured on the fixed −1 … 1 scale of tanh, its hover text naming word, unit, value
    np.testing.assert_array_equal(drawing["fills"], scale_colours(scale_for("hidden"), trace.hidden, -1, 1))
    for t, j in ((0, 0), (4, 2), (len(tokens) - 1, H - 1)):
        v = f"{trace.hidden[t, j]:.4f}".replace("-", "−")
        assert drawing["titles"][t][j] == f"hₜ after “{tokens[t]}” (step {t + 1}), unit {j + 1}: {v}"


def test_moving_step_and_unit_changes_the_numbers():
    """Previous / Next / the sliders / ← → are drawn by the component (the browser tests press them);
    what they report lands in session state, and the page draws that step and unit everywhere."""
    _tokens, params, trace = rnn_reference()
    at = open_app(PAGE)
    set_in_view(at, step=5)
    set_in_view(at, unit=3)
    at.run()
    assert not at.exception
    assert selected(at) == (5, 3)
    v = unit_numbers(params, trace, 4, 2)
    tex = equations(at)[0]
    assert f"= {trace.hidden[4, 2]:.3f}" in tex and rf"\tanh({v['z']:.3f})" in tex
    assert f"{abs(v['recurrent']):.3f}" in tex and f"{abs(v['input']):.3f}" in tex
    assert "Step 5: “France”, unit 3 of 8" in step_view(at)["html"]
    np.testing.assert_allclose(unrolled(at)["values"], trace.hidden, rtol=0, atol=SHOWN)


def test_a_step_changes_only_the_drawings_overlay():
    """The browser swaps just the overlay group when nothing else of the drawing changed."""
    at = open_app(PAGE)
    before = step_view(at)["svg"]
    set_in_view(at, step=7)
    set_in_view(at, unit=6)
    at.run()
    after = step_view(at)["svg"]
    assert before != after
    assert before[: before.rindex(OVERLAY)] == after[: after.rindex(OVERLAY)]
    assert selected(at) == (7, 6)  # and the overlay (the drawing's last group) holds the new selection


def test_deep_link_opens_at_the_step_and_unit():
    sentence = "The clouds are in the sky"
    _tokens, _params, trace = rnn_reference(sentence)
    at = open_app(PAGE, query={"sentence": sentence, "step": "4", "unit": "6"})
    assert not at.exception
    assert selected(at) == (4, 6)
    assert f"= {trace.hidden[3, 5]:.3f}" in equations(at)[0]
    assert "Step 4: “in”, unit 6 of 8" in step_view(at)["html"]
    np.testing.assert_allclose(unrolled(at)["values"], trace.hidden, rtol=0, atol=SHOWN)


@pytest.mark.parametrize(
    ("step", "unit", "want"), [("99", "-4", (6, 1)), ("abc", "2.5", (1, 1)), ("0", "9", (1, 8))]
)
def test_bad_step_or_unit_in_the_url_opens_inside_the_sentence(step, unit, want):
    sentence = "The clouds are in the sky"
    _tokens, _params, trace = rnn_reference(sentence)
    at = open_app(PAGE, query={"sentence": sentence, "step": step, "unit": unit})
    assert not at.exception
    assert selected(at) == want
    assert f"= {trace.hidden[want[0] - 1, want[1] - 1]:.3f}" in equations(at)[0]


def test_a_shorter_sentence_clamps_the_step():
    at = open_app(PAGE)
    set_in_view(at, step=12)
    at.run()
    at.text_input(key=vkey(at, "sentence")).set_value("Hello there world").run()
    assert not at.exception
    _tokens, _params, trace = rnn_reference("Hello there world")
    assert selected(at) == (3, 1)
    assert unrolled(at)["T"] == 3
    assert f"= {trace.hidden[2, 0]:.3f}" in equations(at)[0]


def test_empty_sentence_draws_no_step_view():
    at = open_app(PAGE, query={"sentence": ""})
    assert not at.exception
    assert any("The sentence is empty" in e.value for e in at.error)
    assert not svg_payloads(at) and not figures(at)


def test_notation_switch_renames_the_state():
    at = open_app(PAGE, query={"notation": "ltm"})
    assert not at.exception
    tex = equations(at)[0]
    assert "STM_t" in tex and "E_t" in tex
    assert unrolled(at)["titles"][0][0].startswith("STMₜ after “I”")  # the drawing's hover texts too
    _tokens, _params, trace = rnn_reference()
    np.testing.assert_allclose(unrolled(at)["values"], trace.hidden, rtol=0, atol=SHOWN)  # same numbers


def test_presenter_mode_tucks_the_sentence_away():
    at = open_app(PAGE, query={"presenter": "true"})
    assert not at.exception
    assert not any(m.value.startswith("A plain recurrent network") for m in at.markdown)  # intro hidden
    assert at.expander[0].label == "Controls" and at.expander[0].text_input(key=vkey(at, "sentence"))
    assert step_view(at)["controls"]["fontPx"] == 22  # larger controls and drawing for the room
    assert 'font-size="18"' in step_view(at)["svg"][:600]


def test_a_long_sentence_draws_every_copy():
    sentence = " ".join(f"w{k}" for k in range(60))  # MAX_TOKENS words
    tokens, _params, trace = rnn_reference(sentence)
    at = open_app(PAGE, query={"sentence": sentence, "step": "60"})
    assert not at.exception
    drawing = unrolled(at)
    assert drawing["copies"] == list(range(1, 61)) and selected(at) == (60, 1)
    np.testing.assert_allclose(drawing["values"], trace.hidden, rtol=0, atol=SHOWN)
    assert drawing["titles"][59][7].startswith("hₜ after “w59” (step 60), unit 8: ")
    shown = drawing["tokens"]  # the word labels are thinned out where they would overlap
    assert 1 in shown and len(shown) >= 20 and all(shown[t] == tokens[t - 1] for t in shown)
