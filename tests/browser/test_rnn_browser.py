"""The plain-RNN page in a real Chromium: the four charts drawn with the core's numbers, deep links and
keyboard stepping move the equation and the unrolled view."""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pytest

from lstm_core import init_rnn, rnn_backward, run_rnn
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence
from tests.browser.conftest import (
    no_exception,
    open_page,
    plot_data,
    tall_screenshot,
    wait_for,
)

pytestmark = pytest.mark.browser
TEX_HAS_JS = (
    "(want) => Array.from(document.querySelectorAll('.katex-mathml annotation'))"
    ".some(a => a.textContent.includes(want))"
)


def reference(sentence: str = DEFAULT_SENTENCE):
    tokens = parse_sentence(sentence).tokens
    params = init_rnn(16, 8, seed=0)
    return tokens, params, run_rnn(params, embed(tokens, 16))


def test_page_draws_the_unrolled_rnn_and_the_gradients(server, page):
    tokens, params, trace = reference()
    open_page(page, server, "/plain-rnn", plots=4)
    wait_for(page, TEX_HAS_JS, f"= {trace.hidden[0, 0]:.3f}")
    charts = plot_data(page)
    unrolled = charts[0][0]
    assert unrolled["type"] == "heatmap"
    np.testing.assert_allclose(np.array(unrolled["z"]), trace.hidden.T, atol=1e-12)
    dh = np.zeros((len(tokens), 8))
    dh[-1] = 1 / np.sqrt(8)
    rnn_line = next(t for t in charts[1] if t["name"].startswith("plain RNN"))
    expected = np.linalg.norm(rnn_backward(params, trace, dh).d_hidden_total, axis=1)
    np.testing.assert_allclose(np.array(rnn_line["y"]), expected, rtol=1e-9)
    assert (
        page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[1]._fullLayout.yaxis.type") == "log"
    )
    assert page.locator(".js-plotly-plot").nth(2).locator("path.js-line").count() >= 3  # memory span curves
    assert no_exception(page) == []
    tall_screenshot(page, "rnn_page", height=3600)


def test_deep_link_and_arrow_key_move_the_step(server, page):
    sentence = "I grew up in France. Blah blah blah. I speak"
    _tokens, _params, trace = reference(sentence)
    open_page(page, server, f"/plain-rnn?sentence={quote(sentence)}&step=3&unit=2", plots=4)
    wait_for(page, TEX_HAS_JS, f"= {trace.hidden[2, 1]:.3f}")
    outline = (
        "() => document.querySelector('.js-plotly-plot')._fullLayout.shapes"
        ".some(s => s.yref === 'y2' && s.x0 === 2.5)"
    )
    wait_for(page, outline)
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_for(page, TEX_HAS_JS, f"= {trace.hidden[3, 1]:.3f}")
    assert "step=4" in page.url
    tall_screenshot(page, "rnn_step4")


def test_empty_sentence_shows_an_error(server, page):
    open_page(page, server, "/plain-rnn?sentence=", plots=0)
    page.get_by_text("The sentence is empty").wait_for()
    assert page.locator(".js-plotly-plot").count() == 0
    assert no_exception(page) == []
