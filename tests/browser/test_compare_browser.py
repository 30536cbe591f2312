"""The Compare page and the clamps in a real Chromium: what a person sees and does.

A link opens a comparison as it was (both sides, the clamps, the step, the array shown); the heatmaps and
the two memory ledgers are drawn; hovering a ledger square gives the word's share; ← / → move the
ledger's step and the address follows; a clamp set with the form on the step page reaches the address
and draws what it changed; an empty second sentence gets a message and nothing else. Screenshots at
1400 px, 420 px and 1280 × 720 in presenter mode go to test-artifacts/compare_*.png: look at them.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from lstm_core.story.designed import designed_model
from tests.browser.page_helpers import (
    ARTIFACTS,
    PHONE,
    PRESENTER,
    no_exception,
    page_in_new_context,
    screenshot,
    wait_for,
    wait_for_url,
    wait_idle,
)

pytestmark = pytest.mark.browser

BRAVE = (
    "Bob is a nice person. Dan on the other hand single handedly fought the enemy. "
    "For his contributions, brave ___."
)
SUBJECT = [u + 1 for u in designed_model().units_of("subject")]
KEEP_BOB = "~".join(f"{g}_7_{u}_{v}" for u in SUBJECT for g, v in (("f", 1), ("i", 0)))
KEEP_LINK = "/compare?" + urlencode(
    {"compare": "clamp", "sentence": BRAVE, "model1": "designed_story", "clamps": KEEP_BOB, "step": 23}
)
COMPARE_SVG = '.gbg-live-svg svg[data-role="compare-heatmap"]'
LEDGERS_JS = """(n) => { const s = document.querySelectorAll('.gbg-live-svg svg[data-role="ledger"]');
  return s.length === n && Array.from(s).every(svg => svg.getBoundingClientRect().width > 100); }"""
LEDGER_TITLE_HAS_JS = """(want) => Array.from(
  document.querySelectorAll('.gbg-live-svg svg[data-role="ledger"]'))
  .every(svg => (svg.getAttribute('aria-label') || '').includes(want))"""
TIP_SHOWN_JS = """() => Array.from(document.querySelectorAll('.gbg-live-svg-tip'))
  .some(t => t.style.display === 'block')"""
ERROR_SAYS_JS = """(want) => Array.from(document.querySelectorAll('[data-testid="stAlertContentError"]'))
  .some(e => e.textContent.includes(want))"""
ANSWERS_JS = """() => { const t = document.querySelector('table[data-role="answers"]');
  return t ? Array.from(t.querySelectorAll('td b')).map(b => b.textContent) : []; }"""


def open_comparison(page, base: str, path: str) -> None:
    page.goto(base + path)
    wait_for(page, f"() => !!document.querySelector({COMPARE_SVG!r})", timeout=30_000)
    wait_for(page, LEDGERS_JS, 2, timeout=30_000)


@pytest.fixture(scope="module")
def warm(server, page):
    page.goto(server + "/")
    wait_idle(page, timeout=30_000)
    return server


def test_a_link_opens_the_keep_bob_comparison_with_its_answers_and_ledgers(warm, page):
    open_comparison(page, warm, KEEP_LINK)
    assert page.evaluate(ANSWERS_JS) == ["Dan", "Bob"]  # A, the model's own run; B, with the clamps
    drawn = page.evaluate(
        f"""() => {{ const svg = document.querySelector({COMPARE_SVG!r});
          return Array.from(svg.querySelectorAll('g[data-panel]'), g => [g.dataset.panel,
            g.querySelector('image').getBoundingClientRect().width > 150]); }}"""
    )
    assert drawn == [["A", True], ["B", True], ["diff", True]]
    text = page.locator(".gbg-live-svg-below").first.inner_text()
    assert "A, step 23: subject: “Dan” (100 %)" in text and "B, step 23: subject: “Bob” (100 %)" in text
    assert no_exception(page) == []
    screenshot(page, "compare_keep_bob_1400")


def test_hovering_a_ledger_square_gives_the_words_share(warm, page):
    open_comparison(page, warm, KEEP_LINK)
    square = (
        page.locator('.gbg-live-svg svg[data-role="ledger"]').nth(1).locator('g[data-t="1"] rect[data-j="1"]')
    )
    square.scroll_into_view_if_needed()
    box = square.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for(page, TIP_SHOWN_JS)
    shown = [t for t in page.locator(".gbg-live-svg-tip").all_inner_texts() if t]
    assert any(t.startswith("“Bob” (step 1) wrote") and "share 100.0 %" in t for t in shown), shown
    screenshot(page, "compare_ledger_hover")


def test_the_arrow_keys_move_the_ledgers_step_and_the_address_follows(warm, page):
    open_comparison(page, warm, KEEP_LINK.replace("step=23", "step=8"))
    wait_for(page, LEDGER_TITLE_HAS_JS, "at step 8 (“on”)")
    page.locator("h1").first.click()
    page.keyboard.press("ArrowLeft")
    wait_for(page, LEDGER_TITLE_HAS_JS, "at step 7 (“Dan”)")
    wait_for_url(page, "step=7")
    page.keyboard.press("ArrowLeft")
    wait_for(page, LEDGER_TITLE_HAS_JS, "at step 6 (“.”)")
    wait_for_url(page, "step=6")
    page.locator(".gbg-choice button", has_text="hidden state").click()
    wait_for_url(page, "show=hidden")
    wait_for(
        page, f"() => document.querySelector({COMPARE_SVG!r}).getAttribute('aria-label').startsWith('hidden')"
    )


def test_a_clamp_set_on_the_step_page_reaches_the_address_and_draws_its_changes(warm, page):
    page.goto(
        warm
        + "/step?"
        + urlencode({"sentence": "Bob is a nice person. Dan is evil.", "step": "4", "unit": "2"})
    )
    wait_for(
        page, "() => !!document.querySelector('.gbg-live-svg svg[data-role=\"heatmap\"]')", timeout=30_000
    )
    page.get_by_role("button", name="What if? Set a gate by hand").click()
    page.get_by_role("radio", name="output gate", exact=True).click()
    page.get_by_role("textbox", name="to the value").fill("1")
    page.get_by_role("button", name="Clamp at the selected step and unit").click()
    wait_for_url(page, "clamps=o_4_2_1")
    wait_for(page, f"() => !!document.querySelector({COMPARE_SVG!r})")
    wait_for(page, '() => !!document.querySelector(\'table.gbg-ba[data-step="4"][data-unit="2"]\')')
    assert no_exception(page) == []
    screenshot(page, "compare_step_page_clamped_1400")


def test_an_empty_second_sentence_gets_a_message_and_nothing_else(warm, page):
    page.goto(warm + "/compare?sentence2=")
    wait_for(page, f"() => !!document.querySelector({COMPARE_SVG!r})", timeout=30_000)
    warning = page.locator('[data-testid="stAlertContentWarning"]').first.inner_text()
    assert "second sentence '' cannot be used: it is empty" in warning  # the link's empty value: dropped
    box = page.get_by_label("Sentence B")
    box.fill("")
    box.press("Enter")
    wait_for(page, ERROR_SAYS_JS, "Sentence B is empty")
    assert page.locator(COMPARE_SVG).count() == 0 and no_exception(page) == []


def test_a_phone_sees_the_comparison_whole(browser, warm):
    with page_in_new_context(browser, PHONE) as page:
        open_comparison(page, warm, KEEP_LINK)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1  # the page itself never scrolls sideways (a wide drawing scrolls in its box)
        assert page.evaluate(ANSWERS_JS) == ["Dan", "Bob"]
        page.set_viewport_size({"width": 420, "height": 6000})  # Streamlit scrolls inside: show it all
        wait_for(page, LEDGERS_JS, 2)
        screenshot(page, "compare_keep_bob_420")


def test_presenter_mode_fits_a_projector(browser, warm):
    with page_in_new_context(browser, PRESENTER) as page:
        open_comparison(page, warm, KEEP_LINK + "&presenter=true")
        top = page.evaluate(f"() => document.querySelector({COMPARE_SVG!r}).getBoundingClientRect().top")
        assert top < 720  # the comparison starts on the first screen
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "compare_presenter_1280x720.png"))  # the first screen only
        assert no_exception(page) == []
