"""The home page in a real Chromium: the France sentence's heatmap is drawn with the core's numbers."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from lstm_core.story import load_model, run_text
from lstm_ui.sentence import token_labels
from tests.browser.heatmap_helpers import (
    HEAT_SVG,
    assert_shown,
    assert_squares_drawn,
    clipped_y_labels,
    heat_drawings,
    heat_rows_js,
)
from tests.browser.page_helpers import (
    ROOT,
    VIEWPORT,
    no_exception,
    open_page,
    page_in_new_context,
    record_url_writes,
    screenshot,
    url_writes,
    wait_for,
    wait_for_url,
)

pytestmark = pytest.mark.browser


SENTENCE = json.loads((ROOT / "assets" / "home.json").read_text(encoding="utf-8"))["sentence"]


def france_run():
    """The reference: the designed story model itself on the home sentence, and its country units."""
    run = run_text(load_model("designed_story"), SENTENCE)
    names = list(run.unit_names)
    units = [names.index(f"country {k}") for k in range(1, 9)] + [names.index("language cue")]
    return run, units


def test_home_draws_the_clue_carried_across_the_gap(server, page):
    """Home's figure is the designed LSTM's own numbers on the France sentence: f, C and o of the country
    units, every word a row, every square the core's value; the answer at the blank is read live."""
    open_page(page, server, "/", svgs=1)
    run, units = france_run()
    tokens = tuple(tok.text for tok in run.tokens)
    wait_for(page, heat_rows_js(), token_labels(tokens))
    (drawing,) = heat_drawings(page)
    assert list(drawing["panels"]) == ["forget", "cell", "output"]
    for name in ("forget", "cell", "output"):
        assert_shown(drawing["panels"][name]["shown"], np.asarray(getattr(run.trace, name))[:, units])
    blank = tokens.index("___") + 1
    assert {tuple(c) for c in drawing["cellOutlines"]} == {(blank, 1)}  # the word where the answer is read
    drawn = page.evaluate(
        f"() => {{ const b = document.querySelector({HEAT_SVG!r}).getBoundingClientRect();"
        " return {width: b.width, height: b.height}; }"
    )
    assert drawn["width"] > 400 and drawn["height"] > 300  # drawn at its column's width
    assert_squares_drawn(page)  # every square painted in its colour
    assert page.locator(".js-plotly-plot").count() == 0
    assert clipped_y_labels(page) == []
    assert page.get_by_text("“French”").first.is_visible()  # the answer, read from the live run
    assert page.get_by_role("heading", name="The long-term dependency problem").is_visible()
    assert no_exception(page) == []
    screenshot(page, "home")


def test_notation_switch_relabels_the_heatmap_and_reaches_the_url(server, page):
    """A notation switch relabels the drawing and writes ``?notation=`` once, in its own run; the next
    page opens in that notation, and the address keeps it."""
    open_page(page, server, "/", svgs=1)
    record_url_writes(page)
    page.get_by_text("LTM-STM", exact=True).click()
    title = f"() => document.querySelector('{HEAT_SVG} [data-role=panel-title]').textContent"
    wait_for(page, f"() => ({title})() === 'forget factor'")
    wait_for_url(page, "notation=ltm")
    page.wait_for_timeout(500)  # nothing more comes
    writes = url_writes(page, "notation=")
    assert len(writes) == 1, writes
    page.get_by_role("link", name=re.compile("\\. Step through a sentence")).click()
    page.wait_for_url(lambda url: "/step" in url)
    wait_for_url(page, "notation=ltm")
    panels = f"document.querySelectorAll('{HEAT_SVG} [data-role=panel-title]')"
    wait_for(page, f"() => Array.from({panels}).some(t => t.textContent === 'long-term memory')")
    assert no_exception(page) == []


def test_home_link_opens_stories_on_the_same_sentence(server, page):
    """The link "Change the sentence …" opens Stories on the France example, the same sentence."""
    open_page(page, server, "/", svgs=1)
    page.get_by_role("link", name=re.compile("^Change the sentence")).click()
    page.wait_for_url(lambda url: "/lecture-stories" in url)
    wait_for_url(page, "example=france_french")
    boxes = "document.querySelectorAll('input[type=text]')"
    wait_for(page, f"(want) => Array.from({boxes}).some(t => t.value === want)", SENTENCE)
    run, _ = france_run()
    wait_for(page, heat_rows_js(), token_labels(tuple(tok.text for tok in run.tokens)))
    assert no_exception(page) == []


def test_presenter_link_enlarges_the_type(server, page):
    open_page(page, server, "/?presenter=true&notation=PyTorch", svgs=1)
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "20px"
    wait_for(page, f"() => Array.from(document.querySelectorAll('{HEAT_SVG} [data-role=panel-title]'))"
             ".some(a => a.textContent === 'forget gate f')")  # fmt: skip
    font = page.evaluate(f"() => Number(document.querySelector({HEAT_SVG!r}).getAttribute('font-size'))")
    assert font > 12  # the drawing's type is larger too
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
    from tests.browser.page_helpers import start_server, stop_server

    proc, base = start_server()
    try:
        with page_in_new_context(browser, VIEWPORT) as page:
            open_page(page, base, "/step?step=4&unit=3", svgs=1)
            wait_for(page, "() => document.querySelector('table.gbg-strip')?.dataset.step === '4'")
            outlines = f"document.querySelectorAll('{HEAT_SVG} [data-role=row-outline][data-t=\"4\"]')"
            wait_for(page, f"() => {outlines}.length === 6")
            assert page.get_by_role("heading", name="Step through a sentence").is_visible()
            assert page.get_by_text("Page not found").count() == 0
            assert page.locator('[data-testid="stSidebar"]').get_by_text("Notation").count() >= 1
            assert no_exception(page) == []
            screenshot(page, "first_visit_deep_link")
    finally:
        stop_server(proc)


def test_no_page_loads_anything_from_another_host(browser, server):
    """A class may have no internet, and a student's visit should not reach a third party: every page,
    its favicon and its fonts, scripts and pictures come from the app's own server."""
    from urllib.parse import urlsplit

    from lstm_ui.layout import PAGES

    with page_in_new_context(browser, VIEWPORT) as page:
        asked = []
        page.on("request", lambda request: asked.append(request.url))
        for entry in PAGES:
            open_page(page, server, "/" + ("" if entry.default else entry.url_path))
            page.wait_for_timeout(300)  # the favicon and late fonts
            assert no_exception(page) == [], entry.url_path
        icon = page.evaluate("() => document.querySelector('link[rel~=icon]').href")
    favicon = (ROOT / "assets" / "favicon.svg").read_text(encoding="utf-8")
    assert base64.b64decode(icon.removeprefix("data:image/svg+xml;base64,")).decode() == favicon
    own = urlsplit(server).netloc
    elsewhere = sorted({url for url in asked if urlsplit(url).scheme in ("http", "https")
                        and urlsplit(url).netloc != own})  # fmt: skip
    assert elsewhere == []
    assert any("/app/static/" in url for url in asked)  # the vendored KaTeX / plotly.js are asked for here


def test_on_every_page_a_notation_switch_relabels_the_drawing_and_reaches_the_url(browser, server):
    """On every page a switch relabels the drawing and ``?notation=`` holds the new notation."""
    from lstm_ui.layout import PAGES

    with page_in_new_context(browser, VIEWPORT) as page:
        drawing = (
            "() => { const d = document.querySelector('.gbg-live-svg'); return d ? d.innerHTML : null; }"
        )
        for entry in PAGES:
            if entry.url_path == "train":
                continue  # it draws once a run has trained (tests/browser/test_train_browser.py)
            story = "?example=output_brave" if entry.url_path == "lecture-stories" else ""  # a live drawing
            open_page(page, server, "/" + ("" if entry.default else entry.url_path) + story)
            wait_for(page, f"() => ({drawing})() !== null")
            before = page.evaluate(drawing)
            page.get_by_text("LTM-STM", exact=True).click()
            wait_for(page, f"(before) => ({drawing})() !== before", before)
            wait_for_url(page, "notation=ltm")
            assert no_exception(page) == [], entry.url_path
