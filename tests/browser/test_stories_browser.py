"""The Stories page in a real Chromium: a deep link opens its example, the bars and heatmap are drawn, and
typing another name changes the answer."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import load_examples, run_example
from lstm_ui.text import token_labels
from tests.browser.conftest import (
    HEAT_SVG,
    assert_shown,
    heat_drawings,
    heat_rows_js,
    no_exception,
    open_page,
    plot_data,
    tall_screenshot,
    wait_for,
)

pytestmark = pytest.mark.browser
EXAMPLES = load_examples()
BEST_BAR_JS = (
    "(want) => Array.from(document.querySelectorAll('.js-plotly-plot')).some(g => g._fullData"
    " && g._fullData[0] && g._fullData[0].type === 'bar' && g._fullData[0].y[0] === want)"
)


def bar_trace(page) -> dict:
    return next(chart[0] for chart in plot_data(page) if chart and chart[0]["type"] == "bar")


def test_deep_link_opens_the_output_story(server, page):
    open_page(page, server, "/lecture-stories?example=output_brave", plots=1, svgs=1)
    wait_for(page, BEST_BAR_JS, "Bob")
    ref_result = run_example(EXAMPLES["output_brave"])
    wait_for(page, heat_rows_js(), token_labels(ref_result.tokens))
    (heat,) = heat_drawings(page)
    assert_shown(heat["panels"]["hidden"]["shown"], ref_result.trace.hidden[:, list(ref_result.highlight)])
    picker = page.locator('[data-testid="stSelectbox"]').first.locator("input").first
    assert picker.input_value() == EXAMPLES["output_brave"].title
    ref = run_example(EXAMPLES["output_brave"]).predictions[0]
    bars = bar_trace(page)
    np.testing.assert_allclose(bars["x"], ref.probabilities[: len(bars["x"])], atol=1e-12)
    assert bars["x"][0] > 0.5
    assert no_exception(page) == []
    tall_screenshot(page, "stories_output_brave")


def test_typing_another_name_changes_the_answer(server, page):
    open_page(page, server, "/lecture-stories?example=output_brave", plots=1, svgs=1)
    wait_for(page, BEST_BAR_JS, "Bob")
    box = page.get_by_role("textbox", name="Sentence (edit it: another name, more words in between)")
    box.fill(EXAMPLES["output_brave"].sentence.replace("Bob", "Maria"))
    box.press("Enter")
    wait_for(page, BEST_BAR_JS, "Maria")
    wait_for(page, f"() => document.querySelector({HEAT_SVG!r}).querySelector('[data-row]').textContent"
             " === '1 Maria'")  # fmt: skip
    assert "text=" in page.url
    assert no_exception(page) == []
    # another example brings its own sentence back, although the edited one is still in the URL
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=EXAMPLES["forget_bob_dan"].title).click()
    wait_for(
        page,
        "(want) => Array.from(document.querySelectorAll('input')).some(i => i.value === want)",
        EXAMPLES["forget_bob_dan"].sentence,
    )
    page.locator('[data-testid="stMetric"]').first.wait_for()
    assert "0.000006" in page.locator('[data-testid="stMetric"]').first.inner_text()
    assert "example=forget_bob_dan" in page.url and "Maria" not in page.url
    tall_screenshot(page, "stories_output_maria")


def test_forget_story_shows_the_gate_at_dan(server, page):
    open_page(page, server, "/lecture-stories?example=forget_bob_dan", svgs=1)
    metric = page.locator('[data-testid="stMetric"]').first
    metric.wait_for()
    assert "0.000006" in metric.inner_text()
    ref = run_example(EXAMPLES["forget_bob_dan"])
    wait_for(page, heat_rows_js(), token_labels(ref.tokens))
    (heat,) = heat_drawings(page)
    units = list(ref.highlight)
    assert heat["units"] == len(units)
    assert heat["panels"]["forget"]["title"] == "forget gate"
    assert_shown(heat["panels"]["forget"]["shown"], ref.trace.forget[:, units])
    assert_shown(heat["panels"]["cell"]["shown"], ref.trace.cell[:, units])
    (outlined,) = set(heat["rowOutlines"])  # the decisive word, in every panel
    assert 1 <= outlined <= len(ref.tokens)
    assert page.locator('[data-testid="stSlider"] input[type="range"]').first.input_value() == str(outlined)
    x_axis = f'{HEAT_SVG} g[data-panel="forget"] [data-role="x-axis"] text'
    x_labels = page.locator(x_axis).all_text_contents()
    assert len(x_labels) == len(units) and all(x_labels)  # one (slanted) name per unit
    assert no_exception(page) == []
    tall_screenshot(page, "stories_forget_dan")


def test_an_unknown_example_in_the_link_gets_a_warning(server, page):
    open_page(page, server, "/lecture-stories?example=no_such_story", plots=1)
    page.get_by_text("Unknown example 'no_such_story' in the link").wait_for()
    assert no_exception(page) == []
