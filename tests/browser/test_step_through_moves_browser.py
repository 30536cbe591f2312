"""The "Step through a sentence" page in a real Chromium: moving the selected step and unit, as a person
does (arrow keys, Previous / Next, the sliders, a click on a square, Play / Pause), and the address that
follows.

One server and one browser for the module. Each test opens the URL it needs, so order does not matter.
"""

from __future__ import annotations

import pytest

from lstm_ui.sentence import DEFAULT_SENTENCE, parse_sentence
from tests.browser.heatmap_helpers import HEAT_SVG, square_centre
from tests.browser.page_helpers import (
    no_exception,
    open_page,
    record_url_writes,
    screenshot,
    url_writes,
    wait_for,
    wait_for_url,
)
from tests.browser.step_through_page import SELECTED_IS_JS, reference, step_url

pytestmark = pytest.mark.browser

SLIDERS = '.gbg-stepper input[type="range"]'  # step, unit: drawn by the heatmap component
KATEX_HAS_JS = """(want) => Array.from(document.querySelectorAll('.gbg-live-svg .katex-mathml annotation'))
  .some(e => e.textContent.includes(want))"""


def squares(panel: str) -> str:
    """The selector of ``panel``'s squares (one picture) in the heatmap drawing."""
    return f'{HEAT_SVG} g[data-panel="{panel}"] image[data-role="squares"]'


def slider_values(page) -> list[int]:
    return [int(v) for v in page.locator(SLIDERS).evaluate_all("els => els.map(e => e.value)")]


def test_a_step_reaches_the_url_with_its_own_run(server, page):
    """A step is drawn and written to the URL by the same run, once: a link copied at any moment opens
    the step on screen (lstm_ui/state/view.py)."""
    open_page(page, server, step_url(step=2, unit=5), svgs=1)
    wait_for(page, SELECTED_IS_JS, [2, 5])
    page.get_by_role("heading", name="Step through a sentence").click()  # focus on no widget
    record_url_writes(page)
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [3, 5])
    wait_for_url(page, "step=3", "unit=5")
    page.wait_for_timeout(500)  # nothing more comes
    writes = url_writes(page, "step=")
    assert len(writes) == 1 and "step=3" in writes[0][0], writes
    assert no_exception(page) == []


def test_arrow_keys_step_through_the_sentence(server, page):
    open_page(page, server, step_url(step=2, unit=5), svgs=1)
    wait_for(page, SELECTED_IS_JS, [2, 5])
    page.get_by_role("heading", name="Step through a sentence").click()  # focus on no widget
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [3, 5])
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [4, 5])
    page.keyboard.press("ArrowLeft")
    wait_for(page, SELECTED_IS_JS, [3, 5])
    wait_for_url(page, "step=3")
    # The detail under the heatmaps: C_t and h_t of step 3, unit 5, typeset (KaTeX) with the core's numbers.
    ref = reference(parse_sentence(DEFAULT_SENTENCE).tokens)
    for name in ("forget", "cell", "hidden"):
        wait_for(page, KATEX_HAS_JS, f"{ref[name][2, 4]:.3f}")
    screenshot(page, "step_keyboard")


def test_buttons_and_sliders_move_the_step_and_unit(server, page):
    """The component's own controls: Previous / Next, the step and unit sliders (keyboard on a focused
    slider, as a person would), and ← / → are ignored while typing in the sentence box."""
    open_page(page, server, step_url(step=3, unit=2), svgs=1)
    wait_for(page, SELECTED_IS_JS, [3, 2])
    page.get_by_role("button", name="Next").click()
    wait_for(page, SELECTED_IS_JS, [4, 2])
    page.get_by_role("button", name="Previous").click()
    page.get_by_role("button", name="Previous").click()
    wait_for(page, SELECTED_IS_JS, [2, 2])
    unit = page.get_by_role("slider", name="Unit j")
    unit.focus()
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [2, 3])
    page.keyboard.press("End")  # the last unit
    wait_for(page, SELECTED_IS_JS, [2, 8])
    step = page.get_by_role("slider", name="Step t (word)")
    step.focus()
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [3, 8])
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    assert page.locator('.gbg-stepper label[data-range="step"] output').inner_text() == f"3 “{tokens[2]}”"
    wait_for_url(page, "step=3", "unit=8")
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.click()
    box.press("ArrowLeft")  # moves the text cursor, not the step
    page.wait_for_timeout(400)
    wait_for(page, SELECTED_IS_JS, [3, 8])
    assert no_exception(page) == []


def test_two_quick_key_presses_move_two_steps(server, page):
    """A double tap (or a held arrow key, ~30 ms apart) moves two steps, not one."""
    open_page(page, server, step_url(step=2, unit=1), svgs=1)
    wait_for(page, SELECTED_IS_JS, [2, 1])
    page.get_by_role("heading", name="Step through a sentence").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(30)
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [4, 1])
    page.wait_for_timeout(300)  # and it stays there: no late rerun moves it back
    wait_for(page, SELECTED_IS_JS, [4, 1])


def test_clicking_a_heatmap_square_selects_its_step_and_unit(server, page):
    open_page(page, server, "/step", svgs=1)
    wait_for(page, SELECTED_IS_JS, [1, 1])
    assert page.locator(squares("output")).evaluate("el => getComputedStyle(el).cursor") == "pointer"
    page.mouse.click(*square_centre(page, "output", 5, 3))  # a real click, at the square's centre
    wait_for(page, SELECTED_IS_JS, [5, 3])
    wait_for_url(page, "step=5", "unit=3")
    page.mouse.click(*square_centre(page, "forget", 2, 7))  # and again, in another panel
    wait_for(page, SELECTED_IS_JS, [2, 7])
    wait_for_url(page, "step=2", "unit=7")
    page.mouse.click(*square_centre(page, "input", 6, 4))
    page.keyboard.press("ArrowRight")  # at once, before the page answers: a step on from the clicked square
    wait_for(page, SELECTED_IS_JS, [7, 4])
    screenshot(page, "step_clicked_square")


def test_play_advances_and_pause_stops(server, page):
    open_page(page, server, step_url(sentence="The clouds are in the sky today"), svgs=1)
    page.get_by_role("button", name="Play").click()
    first_slider = "document.querySelector('.gbg-stepper input[type=range]')"
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
