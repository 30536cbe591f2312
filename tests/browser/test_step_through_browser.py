"""The "Step through a sentence" page in a real Chromium: what a person sees and does.

One server and one browser for the module. Each test opens the URL it needs, so order does not matter.
"""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import pytest

from lstm_core import init_lstm, run_lstm
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence, token_labels
from tests.browser.conftest import (
    clipped_y_labels,
    heat_y_is_js,
    no_exception,
    open_page,
    plot_data,
    screenshot,
    wait_for,
    y_labels,
)

pytestmark = pytest.mark.browser

SLIDERS = '[data-testid="stSlider"] input[type="range"]'
# The selected (step t, unit j), both 1-based, read from the step strip and from the two sliders.
SELECTED_IS_JS = """([t, j]) => {
  const strip = document.querySelector('table.gbg-strip');
  const s = Array.from(document.querySelectorAll('[data-testid="stSlider"] input[type="range"]'));
  return !!strip && strip.dataset.step === String(t) && strip.dataset.unit === String(j)
    && !!strip.querySelector('td.sel') && s.length === 2
    && s[0].value === String(t) && s[1].value === String(j);
}"""


def reference_forget(tokens: tuple[str, ...]) -> np.ndarray:
    return run_lstm(init_lstm(16, 8, seed=0), embed(tokens, 16)).forget


def step_url(**query: object) -> str:
    return "/step?" + urlencode({k: str(v) for k, v in query.items()})


def slider_values(page) -> list[int]:
    return [int(v) for v in page.locator(SLIDERS).evaluate_all("els => els.map(e => e.value)")]


def test_deep_link_opens_at_the_step_and_draws_six_panels(server, page):
    open_page(page, server, step_url(step=4, unit=3), plots=1)
    wait_for(page, SELECTED_IS_JS, [4, 3])
    (fig,) = plot_data(page)
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    assert [t["type"] for t in fig].count("heatmap") == 6
    assert y_labels(page) == token_labels(tokens)
    assert fig[0]["y"] == list(range(1, len(tokens) + 1))
    np.testing.assert_allclose(np.array(fig[0]["z"]), reference_forget(tokens), rtol=0, atol=1e-12)
    assert page.locator("svg.main-svg .heatmaplayer image, svg.main-svg .hm image").count() >= 6
    assert no_exception(page) == []
    assert "step=4" in page.url and "unit=3" in page.url
    screenshot(page, "step_deep_link")


def test_typing_a_sentence_redraws_the_heatmap(server, page):
    open_page(page, server, "/step", plots=1)
    sentence = "Bob knows swimming. He told me over the phone that he had served the navy"
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.fill(sentence)
    box.press("Enter")
    tokens = parse_sentence(sentence).tokens
    wait_for(page, heat_y_is_js(), token_labels(tokens))
    (fig,) = plot_data(page)
    np.testing.assert_allclose(np.array(fig[0]["z"]), reference_forget(tokens), rtol=0, atol=1e-12)
    assert clipped_y_labels(page) == []
    assert "sentence=Bob+knows" in page.url
    screenshot(page, "step_typed_sentence")


def test_arrow_keys_step_through_the_sentence(server, page):
    open_page(page, server, step_url(step=2, unit=5), plots=1)
    wait_for(page, SELECTED_IS_JS, [2, 5])
    page.get_by_role("heading", name="Step through a sentence").click()  # focus on no widget
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [3, 5])
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [4, 5])
    page.keyboard.press("ArrowLeft")
    wait_for(page, SELECTED_IS_JS, [3, 5])
    assert "step=3" in page.url
    screenshot(page, "step_keyboard")


def test_two_quick_key_presses_move_two_steps(server, page):
    """A double tap (or a held arrow key, ~30 ms apart) moves two steps, not one."""
    open_page(page, server, step_url(step=2, unit=1), plots=1)
    wait_for(page, SELECTED_IS_JS, [2, 1])
    page.get_by_role("heading", name="Step through a sentence").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(30)
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [4, 1])
    page.wait_for_timeout(300)  # and it stays there: no late rerun moves it back
    wait_for(page, SELECTED_IS_JS, [4, 1])


def test_clicking_a_heatmap_square_selects_its_step_and_unit(server, page):
    open_page(page, server, "/step", plots=1)
    wait_for(page, SELECTED_IS_JS, [1, 1])
    x, y = page.evaluate(
        """() => { const g = document.querySelector('.js-plotly-plot'); const b = g.getBoundingClientRect();
        const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis;
        return [b.left + xa._offset + xa.l2p(6), b.top + ya._offset + ya.l2p(5)]; }"""
    )  # unit 6, step 5, in the forget panel
    page.mouse.click(x, y)
    wait_for(page, SELECTED_IS_JS, [5, 6])
    assert "step=5" in page.url and "unit=6" in page.url


def test_play_advances_and_pause_stops(server, page):
    open_page(page, server, step_url(sentence="The clouds are in the sky today"), plots=1)
    page.get_by_role("button", name="Play").click()
    first_slider = 'document.querySelector(\'[data-testid="stSlider"] input[type="range"]\')'
    wait_for(
        page, f"() => {{ const s = {first_slider}; return !!s && Number(s.value) >= 3; }}", timeout=20_000
    )
    page.get_by_role("button", name="Pause").click()
    wait_for(
        page,
        "() => !!Array.from(document.querySelectorAll('button')).find(b => b.innerText.includes('Play'))",
    )
    stopped = slider_values(page)[0]
    page.wait_for_timeout(2000)  # two ticks' worth: nothing may move now
    assert slider_values(page)[0] == stopped


def test_bad_input_shows_a_message_and_cjk_emoji_render(server, page):
    open_page(page, server, step_url(sentence=""), plots=0)
    page.get_by_text("The sentence is empty").wait_for()
    assert page.locator(".js-plotly-plot").count() == 0
    open_page(page, server, step_url(sentence="我爱你 🙂 👩‍👩‍👧 ok"), plots=1)
    page.get_by_text("Non-Latin characters or emoji").wait_for()
    wait_for(page, heat_y_is_js(), token_labels(("我", "爱", "你", "🙂", "👩‍👩‍👧", "ok")))
    assert no_exception(page) == [] and clipped_y_labels(page) == []
    screenshot(page, "step_cjk_emoji")
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.fill(" ".join(f"word{k}" for k in range(2000)))
    box.press("Enter")
    page.get_by_text("The sentence has 2,000 tokens; showing the first 60").wait_for()
    wait_for(page, heat_y_is_js(), token_labels([f"word{k}" for k in range(60)]))
    assert no_exception(page) == [] and clipped_y_labels(page) == []


def test_notation_switch_relabels_the_panels(server, page):
    open_page(page, server, step_url(step=2), plots=1)
    page.get_by_text("LTM-STM", exact=True).click()
    wait_for(page, "() => Array.from(document.querySelectorAll('.js-plotly-plot .annotation-text'))"
             ".some(a => a.textContent.includes('short-term memory'))")  # fmt: skip
    assert "notation=LTM-STM" in page.url
    screenshot(page, "step_notation_ltm")
