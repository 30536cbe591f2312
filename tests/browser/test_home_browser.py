"""The home page in a real Chromium: the forget-gate heatmap is drawn with the core's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import init_lstm, run_lstm
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence, token_labels
from tests.browser.conftest import heat_y_is_js, no_exception, open_page, plot_data, screenshot, wait_for

pytestmark = pytest.mark.browser


def test_home_draws_the_forget_gate_heatmap(server, page):
    open_page(page, server, "/", plots=1)
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    wait_for(page, heat_y_is_js(), token_labels(tokens))
    ((trace,),) = plot_data(page)
    assert trace["type"] == "heatmap"
    expected = run_lstm(init_lstm(16, 8, seed=0), embed(tokens, 16)).forget
    np.testing.assert_allclose(np.array(trace["z"]), expected, rtol=0, atol=1e-12)
    assert page.locator(".js-plotly-plot .hm image, .js-plotly-plot .heatmaplayer image").count() == 1
    colorbar = page.locator(".js-plotly-plot .colorbar").text_content()
    assert "0" in colorbar and "1" in colorbar and "0.5" in colorbar  # fixed range 0 … 1
    assert page.get_by_role("heading", name="The long-term dependency problem").is_visible()
    assert no_exception(page) == []
    screenshot(page, "home")


def test_home_link_opens_the_step_page_with_the_sentence(server, page):
    open_page(page, server, "/", plots=1)
    page.get_by_role("link", name="Step through this sentence, gate by gate").click()
    wait_for(page, "() => document.querySelectorAll('[data-testid=\"stSlider\"]').length === 2")
    assert "/step" in page.url
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    wait_for(page, heat_y_is_js(), token_labels(tokens))


def test_presenter_link_enlarges_the_type(server, page):
    open_page(page, server, "/?presenter=true&notation=PyTorch", plots=1)
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "20px"
    wait_for(page, "() => Array.from(document.querySelectorAll('.js-plotly-plot .annotation-text'))"
             ".some(a => a.textContent.includes('forget gate f'))")  # fmt: skip
    screenshot(page, "home_presenter")
    assert page.get_by_test_id(
        "stExpandSidebarButton"
    ).is_visible()  # sidebar collapsed: controls tucked away
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_text("Presenter mode").click()
    wait_for(page, "() => getComputedStyle(document.documentElement).fontSize === '16px'")
    assert "presenter" not in page.url


def test_a_deep_link_is_the_first_visit_after_a_server_start(browser):
    """An instructor's prepared link, opened first after the server starts, shows its page at its step:
    no "Page not found" dialog (Streamlit's legacy pages/ mode once did that), the sidebar is there."""
    from tests.browser.conftest import VIEWPORT, start_server, stop_server

    proc, base = start_server()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        open_page(page, base, "/step?step=4&unit=3", plots=1)
        wait_for(page, "() => document.querySelector('table.gbg-strip')?.dataset.step === '4'")
        assert page.get_by_role("heading", name="Step through a sentence").is_visible()
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator('[data-testid="stSidebar"]').get_by_text("Notation").count() >= 1
        assert no_exception(page) == []
        screenshot(page, "first_visit_deep_link")
    finally:
        context.close()
        stop_server(proc)
