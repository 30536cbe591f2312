"""The GRU page in a real Chromium: GRU and LSTM heatmaps drawn side by side with the core's numbers; the
weights switch redraws them with the trained models."""

from __future__ import annotations

import pytest

from lstm_core import init_gru, init_lstm, run_gru, run_lstm
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence, token_labels
from tests.browser.conftest import (
    HEAT_SVG,
    assert_shown,
    assert_squares_drawn,
    heat_drawings,
    no_exception,
    open_page,
    tall_screenshot,
    wait_for,
)

pytestmark = pytest.mark.browser
# All three drawings (GRU gates, LSTM gates, GRU states) are h units wide.
WIDTH_JS = (
    f"(h) => {{ const s = Array.from(document.querySelectorAll({HEAT_SVG!r}));"
    " return s.length === 3 && s.every(svg => svg.dataset.units === String(h)"
    " && Array.from(svg.querySelectorAll('g[data-panel]')).every("
    " g => g.dataset.values.split(' ').length === h * Number(svg.dataset.steps))); }"
)
# Every drawing outlines row t.
STEP_JS = (
    f"(t) => {{ const s = Array.from(document.querySelectorAll({HEAT_SVG!r}));"
    " return s.length === 3 && s.every(svg => { const r = svg.querySelectorAll('[data-role=row-outline]');"
    " return r.length > 0 && Array.from(r).every(o => o.dataset.t === String(t)); }); }"
)


def test_gru_and_lstm_gates_are_drawn(server, page):
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    xs = embed(tokens, 16)
    gru, lstm = run_gru(init_gru(16, 8, seed=0), xs), run_lstm(init_lstm(16, 8, seed=0), xs)
    open_page(page, server, "/gru-variant", svgs=3)
    gru_heat, lstm_heat, states = heat_drawings(page)
    assert [d["name"] for d in (gru_heat, lstm_heat, states)] == ["gru_heat", "lstm_heat", "gru_states"]
    assert list(gru_heat["panels"]) == ["reset", "update"]
    assert list(lstm_heat["panels"]) == ["forget", "input"]
    assert list(states["panels"]) == ["candidate", "hidden"]
    assert_shown(gru_heat["panels"]["reset"]["shown"], gru.reset)
    assert_shown(gru_heat["panels"]["update"]["shown"], gru.update)
    assert_shown(lstm_heat["panels"]["forget"]["shown"], lstm.forget)
    assert_shown(lstm_heat["panels"]["input"]["shown"], lstm.input)
    assert_shown(states["panels"]["candidate"]["shown"], gru.candidate)
    assert_shown(states["panels"]["hidden"]["shown"], gru.hidden)
    assert gru_heat["panels"]["reset"]["title"] == "reset gate"
    assert states["panels"]["hidden"]["title"] == "hidden state h"
    for d in (gru_heat, lstm_heat, states):
        assert d["rows"] == token_labels(tokens)
        assert d["rowOutlines"] == [1, 1] and d["cellOutlines"] == [[1, 1], [1, 1]]
    assert page.locator(".katex").count() >= 4
    squares = page.locator(f"{HEAT_SVG} image[data-role=squares]").first
    assert squares.evaluate("el => getComputedStyle(el).cursor") != "pointer"  # a click does nothing here
    for k in range(3):
        assert_squares_drawn(page, k)
    assert no_exception(page) == []
    tall_screenshot(page, "gru_seeded")


def test_step_slider_moves_every_outline(server, page):
    open_page(page, server, "/gru-variant?step=3", svgs=3)
    wait_for(page, STEP_JS, 3)
    page.locator('[data-testid="stSlider"] input[type="range"]').first.focus()
    page.keyboard.press("ArrowRight")
    wait_for(page, STEP_JS, 4)
    assert "step=4" in page.url


def test_trained_weights_redraw_with_64_units(server, page):
    open_page(page, server, "/gru-variant?weights=trained", svgs=3)
    wait_for(page, WIDTH_JS, 64)
    tall_screenshot(page, "gru_trained")
    page.get_by_text("seeded (random)").click()
    wait_for(page, WIDTH_JS, 8)
    assert "weights" not in page.url
