"""View state in a real browser (lstm_ui/state/view.py): a link's view survives every move between any two
pages, a copied address reopens the same view in a fresh browser, and after a click on the notation
switch the ← / → keys step the page (issue 15, bugs 1 to 3); Back and Forward show the view their address
holds."""

from __future__ import annotations

from itertools import permutations
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from lstm_ui.layout import PAGES
from tests.browser.page_helpers import (
    VIEWPORT,
    no_exception,
    open_page,
    page_in_new_context,
    screenshot,
    wait_for,
    wait_for_url,
)

# Every page's own parameters too: each must survive a visit to every other page.
LINK = {
    "sentence": "Bob is a nice person",
    "model": "lstm16",
    "step": "3",
    "unit": "5",
    "notation": "ltm",
    "example": "output_brave",
    "word": "4",
    "stage": "output",
    "weights": "trained",
    "lab": "weights",
    # the Train page's run (issue 17)
    "task": "long_lag",
    "cell": "gru",
    "hidden": "32",
    "lr": "0.01",
    "steps": "300",
    "forget_bias": "2.0",
    "seed": "3",
    "gap": "30",
    # clamps and Compare (issue 18)
    "clamps": "f_2_1_0",
    "compare": "models",
    "sentence2": "Bob is a nice person. Bob is evil.",
    "model1": "lstm16",
    "model2": "lstm8",
    "show": "forget",
    # exercises (issue 19)
    "set": "gates",
    "q": "2",
    "draw": "1",
    "class_seed": "7",
}
CHECKED_NOTATION_IS = """(want) => document.querySelector(
  '[data-testid="stSidebar"] input[type=radio]:checked').closest('label').innerText.startsWith(want)"""
SENTENCE_STARTS = "(w) => document.querySelector('input[aria-label^=\"Sentence\"]').value.startsWith(w)"
PATHS = {entry.title: "" if entry.default else entry.url_path for entry in PAGES}
SENTENCE_BOX = (
    "() => { const b = document.querySelector('input[aria-label^=\"Sentence\"]'); return b && b.value; }"
)


def params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def go_to(page, title: str) -> None:
    """Click the page's entry in the sidebar, as a student does, and wait for its first full draw."""
    path = PATHS[title]
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    page.wait_for_url(lambda url: urlsplit(url).path.rstrip("/") == ("/" + path).rstrip("/"))
    wait_for(page, "() => !document.querySelector('[data-testid=\"stSkeleton\"]')")


@pytest.mark.parametrize(("first", "second"), list(permutations(PATHS, 2)), ids=lambda t: PATHS[t] or "home")
def test_a_links_view_survives_a_move_to_any_other_page(server, page, first, second):
    """Opened from a deep link on ``first``, then a click on ``second`` in the sidebar: the address holds
    the same view, and the page shows it."""
    open_page(page, server, f"/{PATHS[first]}?{urlencode(LINK)}")
    assert params(page.url) == LINK, first
    go_to(page, second)
    wait_for_url(page, *(f"{k}={v}" for k, v in LINK.items()))
    assert params(page.url) == LINK, (first, second)
    if page.evaluate(SENTENCE_BOX) is not None:
        sentence = LINK["text"] if PATHS[second] == "lecture-stories" and "text" in LINK else LINK["sentence"]
        if PATHS[second] != "lecture-stories":
            assert page.evaluate(SENTENCE_BOX) == sentence, (first, second)
    assert no_exception(page) == [], (first, second)


@pytest.mark.parametrize("path", [path for path in PATHS.values()], ids=lambda p: p or "home")
def test_a_copied_address_reopens_the_same_view_in_a_fresh_browser(browser, server, page, path):
    """Change the view on a page (the notation, and a step where the page has step controls), copy the
    address, open it in a new browser context: the same view."""
    open_page(page, server, f"/{path}?sentence=The+clouds+are+in+the+sky&model=lstm16&step=2")
    page.locator('[data-testid="stSidebar"]').get_by_text("PyTorch", exact=True).click()
    wait_for_url(page, "notation=pytorch")
    if page.locator(".gbg-stepper").count():
        page.locator('.gbg-stepper button[data-act="next"]').first.click()
        wait_for_url(page, "step=3")
    copied = page.url
    with page_in_new_context(browser, VIEWPORT) as fresh:
        fresh.goto(copied)
        wait_for(fresh, "() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
        assert params(fresh.url) == params(copied)
        radio = fresh.locator('[data-testid="stSidebar"] input[type="radio"]:checked')
        assert radio.evaluate("el => el.closest('label').innerText").startswith("PyTorch")
        if fresh.locator(".gbg-stepper").count():
            wait_for(fresh, "() => document.querySelector('.gbg-stepper input[type=range]').value === '3'")
        assert no_exception(fresh) == []


def test_after_a_click_on_the_notation_the_arrow_keys_step(server, page):
    """Bug 3: after a click on a notation option, ← / → changed the notation instead of stepping."""
    open_page(page, server, "/step?sentence=Bob+is+a+nice+person&step=3", svgs=1)
    page.locator('[data-testid="stSidebar"]').get_by_text("LTM-STM", exact=True).click()
    wait_for_url(page, "notation=ltm", "step=3")
    wait_for(page, "() => document.querySelector('[data-role=panel-title]').textContent === 'forget factor'")
    page.keyboard.press("ArrowRight")
    wait_for_url(page, "notation=ltm", "step=4")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    wait_for_url(page, "notation=ltm", "step=2")
    screenshot(page, "step_after_notation_click")
    # A keyboard user who tabs into the radio keeps its arrow keys.
    page.locator('[data-testid="stSidebar"] input[type="radio"]:checked').focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.wait_for_function("() => document.activeElement.matches('input[type=radio]:checked')")
    page.keyboard.press("ArrowDown")
    wait_for_url(page, "notation=pytorch", "step=2")
    assert no_exception(page) == []


def test_back_and_forward_show_the_view_their_address_holds(server, page):
    """Each notation switch and each sentence typed is an entry in the tab's history (Streamlit writes the
    address with pushState). Back and Forward reopen the view their address holds: the page never shows
    another notation or sentence than its address."""
    open_page(page, server, "/step?sentence=Bob+is+a+nice+person", svgs=1)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("split", exact=True).click()
    wait_for_url(page, "notation=split")
    sidebar.get_by_text("LTM-STM", exact=True).click()
    wait_for_url(page, "notation=ltm")
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.fill("Dan is a nice person")
    box.press("Enter")
    wait_for_url(page, "sentence=Dan is a nice person", "notation=ltm")

    def shows(notation_label: str, first_word: str) -> None:
        """The sidebar's checked notation and the sentence box hold what the address says."""
        wait_for(page, CHECKED_NOTATION_IS, notation_label)
        wait_for(page, SENTENCE_STARTS, first_word)

    page.go_back()
    wait_for_url(page, "sentence=Bob is a nice person", "notation=ltm")
    shows("LTM-STM", "Bob")
    wait_for(page, "() => document.querySelector('[data-role=panel-title]').textContent === 'forget factor'")
    page.go_back()
    wait_for_url(page, "sentence=Bob is a nice person", "notation=split")
    shows("split", "Bob")
    page.go_forward()
    wait_for_url(page, "sentence=Bob is a nice person", "notation=ltm")
    shows("LTM-STM", "Bob")
    page.go_forward()
    wait_for_url(page, "sentence=Dan is a nice person", "notation=ltm")
    shows("LTM-STM", "Dan")
    assert no_exception(page) == []
