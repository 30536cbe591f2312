"""Exercises in a real Chromium: a whole set answered right through the widgets (the right answers drawn
here from the core with the link's class seed), the reveal's figure drawn, two sessions with different
numbers, a phone (text at least 11 px, nothing sideways) and presenter mode's three steps at 1280×720.
Screenshots go to the artifacts folder, to be looked at."""

from __future__ import annotations

import re

import pytest

from lstm_core.exercises import LETTERS, fmt, generate, load_sets, question_seed
from tests.browser.page_helpers import (
    ARTIFACTS,
    PHONE,
    PRESENTER,
    no_exception,
    page_in_new_context,
    wait_for,
    wait_idle,
)
from tests.browser.test_small_screens_browser import SMALLEST_TEXT_JS

pytestmark = pytest.mark.browser

CLASS_SEED = 7
LECTURE = load_sets()["lecture"]
MAIN = '[data-testid="stMain"]'
OPTIONS_SHOWN_JS = """() => document.querySelectorAll(
  '[data-testid="stMain"] [data-testid="stRadio"] [data-testid="stRadioOption"]').length >= 3"""
SUBHEADER_IS_JS = """(want) => Array.from(document.querySelectorAll('[data-testid="stMain"] h3'))
  .some(h => h.textContent.startsWith(want))"""
ALERT_JS = (
    """(kind) => !!document.querySelector(`[data-testid="stMain"] [data-testid="stAlertContent${kind}"]`)"""
)
DRAWN_JS = """() => {
  const d = document.querySelector('.gbg-live-svg-drawing svg, .js-plotly-plot .main-svg');
  return !!d && d.getBoundingClientRect().width > 0; }"""


def class_question(k: int):
    return generate(LECTURE, k, question_seed(CLASS_SEED, "lecture", k, 0))


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # late fonts and KaTeX
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def scroll_to(page, selector: str) -> None:
    page.locator(selector).last.scroll_into_view_if_needed()
    page.wait_for_timeout(200)


def radios(page, group: int):
    return page.locator(f'{MAIN} [data-testid="stRadio"]').nth(group).locator('[data-testid="stRadioOption"]')


def give_answer(page, q) -> None:
    """Answer ``q`` right through its widgets and press Check."""
    if q.kind == "number":
        page.locator(f'{MAIN} input[aria-label="Your answer"]').fill(fmt(q.answer).replace("−", "-"))
    elif q.kind == "choice":
        radios(page, 0).nth(q.answer).click()
    elif q.kind == "order":
        box = page.locator(f'{MAIN} [data-testid="stMultiSelect"]')
        for k in q.answer:  # type to filter the options, Enter picks the one left
            box.locator("input").click()
            page.keyboard.type(f"{LETTERS[k]}: ")
            page.keyboard.press("Enter")
        page.keyboard.press("Escape")
    else:
        yes, reason = q.answer
        radios(page, 0).nth(0 if yes else 1).click()
        radios(page, 1).nth(reason).click()
    page.get_by_role("button", name="Check my answer").click()


def test_a_whole_set_answered_right_through_the_widgets(browser, server):
    with page_in_new_context(browser, {"width": 1400, "height": 1000}) as page:
        page.goto(f"{server}/exercises?set=lecture&class_seed={CLASS_SEED}")
        wait_for(page, DRAWN_JS, timeout=30_000)
        shot(page, "exercises_desktop_question")
        n = len(LECTURE.questions)
        for k in range(n):
            wait_for(page, SUBHEADER_IS_JS, f"Question {k + 1} of {n}")
            q = class_question(k)
            assert q.values.get("word", q.values.get("gap", "")) in page.locator(MAIN).inner_text()
            give_answer(page, q)
            wait_for(page, ALERT_JS, "Success")
            wait_for(page, DRAWN_JS)
            assert no_exception(page) == []
            said = page.locator(f'{MAIN} [data-testid="stAlertContentSuccess"]').inner_text()
            assert "Right:" in said, said
            if k in (0, 1, 4, 6, 8, 10, 11):
                scroll_to(page, ".gbg-live-svg-drawing, .js-plotly-plot")
                shot(page, f"exercises_desktop_reveal_{k + 1}_{q.template}")
            page.get_by_role("button", name=re.compile("On to question|Back to question 1")).click()
        wait_for(page, SUBHEADER_IS_JS, f"Question 1 of {n}")
        assert f"{n} of {n} right" in page.locator(MAIN).inner_text()


def test_two_sessions_get_different_numbers(browser, server):
    texts = []
    for _ in range(2):
        with page_in_new_context(browser, {"width": 1400, "height": 1000}) as page:
            page.goto(f"{server}/exercises?q=2")
            wait_for(page, DRAWN_JS, timeout=30_000)
            texts.append(page.locator(f"{MAIN} p", has_text="its forget gate is").inner_text())
    assert texts[0] != texts[1]


def test_on_a_phone_every_text_is_readable_and_the_reveal_fits(browser, server):
    with page_in_new_context(browser, PHONE) as page:
        page.goto(f"{server}/exercises?set=lecture&q=2&class_seed={CLASS_SEED}")
        wait_for(page, DRAWN_JS, timeout=30_000)
        shot(page, "exercises_phone_question")
        give_answer(page, class_question(1))
        wait_for(page, ALERT_JS, "Success")
        wait_for(page, DRAWN_JS)
        size, text = page.evaluate(SMALLEST_TEXT_JS)
        assert size >= 11 - 0.01, f"{text!r} is {size:.1f} px on screen"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 420
        scroll_to(page, ".gbg-live-svg-drawing")
        shot(page, "exercises_phone_reveal")
        page.goto(f"{server}/inside-cell")
        page.get_by_role("button", name="Predict, then reveal: answer a question about this page").click()
        wait_for(page, SUBHEADER_IS_JS, "Predict, then reveal", timeout=30_000)
        page.locator(f'{MAIN} [data-testid="stForm"]').wait_for()
        size, text = page.evaluate(SMALLEST_TEXT_JS)
        assert size >= 11 - 0.01, f"{text!r} is {size:.1f} px on screen"
        scroll_to(page, '[data-testid="stForm"]')
        shot(page, "exercises_phone_box_on_cell_page")


def test_presenter_mode_steps_question_answers_reveal_at_1280x720(browser, server):
    with page_in_new_context(browser, PRESENTER) as page:
        page.goto(f"{server}/exercises?presenter=true&set=lecture&class_seed={CLASS_SEED}")
        wait_for(page, SUBHEADER_IS_JS, "Question 1 of", timeout=30_000)
        wait_for(page, DRAWN_JS)
        assert page.locator(f'{MAIN} [data-testid="stRadio"]').count() == 0  # the question alone
        font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('"
                             '[data-testid="stMain"] [data-testid="stMarkdownContainer"] p'
                             "')).fontSize)")  # fmt: skip
        assert font >= 24  # lecture type size
        shot(page, "exercises_presenter_1_question")
        page.get_by_role("button", name="Show the answers").click()
        wait_for(page, OPTIONS_SHOWN_JS)
        shot(page, "exercises_presenter_2_answers")
        page.get_by_role("button", name="Reveal the answer").click()
        wait_for(page, ALERT_JS, "Info")
        wait_idle(page)
        shot(page, "exercises_presenter_3_reveal")
        scroll_to(page, ".gbg-live-svg-drawing")
        shot(page, "exercises_presenter_3_reveal_figure")
        assert no_exception(page) == []
