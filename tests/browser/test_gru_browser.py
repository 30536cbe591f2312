"""The GRU page in a real Chromium: GRU and LSTM heatmaps drawn side by side with the core's numbers; the
weights switch redraws them with the trained models."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import init_gru, init_lstm, run_gru, run_lstm
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence
from tests.browser.conftest import (
    no_exception,
    open_page,
    plot_data,
    tall_screenshot,
    wait_for,
)

pytestmark = pytest.mark.browser
WIDTH_JS = (
    "(h) => { const g = document.querySelector('.js-plotly-plot');"
    " return !!g && !!g._fullData && g._fullData.length > 0 && g._fullData[0].z[0].length === h; }"
)


def test_gru_and_lstm_gates_are_drawn(server, page):
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    xs = embed(tokens, 16)
    gru, lstm = run_gru(init_gru(16, 8, seed=0), xs), run_lstm(init_lstm(16, 8, seed=0), xs)
    open_page(page, server, "/gru-variant", plots=3)
    gru_chart, lstm_chart, states = plot_data(page)
    by_name = {t["name"]: np.array(t["z"]) for t in gru_chart}
    np.testing.assert_allclose(by_name["reset gate"], gru.reset, atol=1e-12)
    np.testing.assert_allclose(by_name["update gate"], gru.update, atol=1e-12)
    forget = next(t for t in lstm_chart if t["name"] == "forget gate")
    np.testing.assert_allclose(np.array(forget["z"]), lstm.forget, atol=1e-12)
    hidden = next(t for t in states if t["name"] == "hidden state h")
    np.testing.assert_allclose(np.array(hidden["z"]), gru.hidden, atol=1e-12)
    assert page.locator(".katex").count() >= 4
    assert no_exception(page) == []
    tall_screenshot(page, "gru_seeded")


def test_trained_weights_redraw_with_64_units(server, page):
    open_page(page, server, "/gru-variant?weights=trained", plots=3)
    wait_for(page, WIDTH_JS, 64)
    tall_screenshot(page, "gru_trained")
    page.get_by_text("seeded (random)").click()
    wait_for(page, WIDTH_JS, 8)
    assert "weights" not in page.url
