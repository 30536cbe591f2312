"""The "Step through a sentence" page in a real Chromium: what it draws and says (the six panels with the
core's numbers, a typed sentence, a square's value on hover, bad input, the notation switch) and what it
saves (the PNG, the CSV and JSON of the trace).

One server and one browser for the module. Each test opens the URL it needs, so order does not matter.
The moves of the selected step and unit: test_step_through_moves_browser.py.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import PIL.Image
import pytest

from lstm_ui.drawings.folding import fold_arrays, fold_steps, gap_label
from lstm_ui.sentence import DEFAULT_SENTENCE, parse_sentence, token_labels
from tests.browser.heatmap_helpers import (
    HEAT_SVG,
    assert_shown,
    assert_squares_drawn,
    assert_squares_in,
    clipped_y_labels,
    heat_drawings,
    heat_rows,
    heat_rows_js,
    square_centre,
)
from tests.browser.page_helpers import (
    ARTIFACTS,
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

PANELS = ["forget", "input", "candidate", "output", "cell", "hidden"]  # lstm_core's per_step order
TIP = ".gbg-live-svg-tip"
# An SVG element's tree as [name, sorted attributes, children] (text as itself): equal for equal drawings,
# whatever order their attributes were set in.
TREE_JS = """(selector) => { const walk = (n) => n.nodeType === Node.ELEMENT_NODE
  ? [n.nodeName, Array.from(n.attributes, (a) => `${a.name}=${a.value}`).sort(),
     Array.from(n.childNodes, walk)]
  : n.nodeValue;
  return JSON.stringify(walk(document.querySelector(selector))); }"""


def test_deep_link_opens_at_the_step_and_draws_six_panels(server, page):
    open_page(page, server, step_url(step=4, unit=3), svgs=1)
    wait_for(page, SELECTED_IS_JS, [4, 3])
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    ref = reference(tokens)
    (drawing,) = heat_drawings(page)
    assert (drawing["steps"], drawing["units"]) == (len(tokens), 8)
    assert heat_rows(page) == drawing["rows"] == token_labels(tokens)
    assert list(drawing["panels"]) == PANELS
    for name in PANELS:
        assert_shown(drawing["panels"][name]["shown"], ref[name])
    assert drawing["rowOutlines"] == [4] * 6 and drawing["cellOutlines"] == [[4, 3]] * 6
    drawn = page.evaluate(
        f"""() => {{ const svg = document.querySelector({HEAT_SVG!r}); const b = svg.getBoundingClientRect();
          const pictures = Array.from(svg.querySelectorAll('image[data-role="squares"]'));
          const sq = pictures[0].getBoundingClientRect();
          return {{width: b.width, height: b.height, pictures: pictures.length,
                   square: [sq.width / {drawing["units"]}, sq.height / {drawing["steps"]}],
                   bars: svg.querySelectorAll('[data-role="colour-bar"]').length}}; }}"""
    )
    assert drawn["width"] > 800 and drawn["height"] > 300  # really laid out, at the page's width
    assert drawn["square"][0] > 5 and drawn["square"][1] > 5
    assert drawn["pictures"] == 6 and drawn["bars"] >= 2  # one picture per panel, the scales' colour bars
    assert_squares_drawn(page)
    assert clipped_y_labels(page) == []
    assert no_exception(page) == []
    wait_for_url(page, "step=4", "unit=3")
    screenshot(page, "step_deep_link")


def test_typing_a_sentence_redraws_the_heatmap(server, page):
    open_page(page, server, "/step", svgs=1)
    sentence = "Bob knows swimming. He told me over the phone that he had served the navy"
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.fill(sentence)
    box.press("Enter")
    tokens = parse_sentence(sentence).tokens
    wait_for(page, heat_rows_js(), token_labels(tokens))
    (drawing,) = heat_drawings(page)
    ref = reference(tokens)
    assert drawing["steps"] == len(tokens)
    for name in PANELS:
        assert_shown(drawing["panels"][name]["shown"], ref[name])
    assert clipped_y_labels(page) == []
    assert "sentence=Bob+knows" in page.url
    assert page.locator(".gbg-live-svg").first.get_attribute("data-swapped") == "all"  # more rows: redrawn
    screenshot(page, "step_typed_sentence")


def test_hovering_a_square_shows_its_value(server, page):
    open_page(page, server, step_url(step=2, unit=1), svgs=1)
    wait_for(page, SELECTED_IS_JS, [2, 1])
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    value = reference(tokens)["cell"][3, 3]  # step 4, unit 4: a negative C_t
    assert value < 0
    x, y = square_centre(page, "cell", 4, 4)
    page.mouse.move(x, y)
    wait_for(page, f"() => {{ const tip = document.querySelector({TIP!r});"
             " return !!tip && tip.style.display === 'block' && tip.textContent.length > 0; }")  # fmt: skip
    tip = page.locator(TIP)
    name, where, shown = tip.evaluate("el => el.textContent").split("\n")
    assert name == page.locator(f'{HEAT_SVG} g[data-panel="cell"]').get_attribute("data-name")
    assert name.startswith("cell state")
    assert where == f"step 4 “{tokens[3]}”, unit 4"
    assert shown == "= " + f"{value:.4f}".replace("-", "−")  # U+2212 minus, as in text
    assert shown.startswith("= −")
    assert_shown([[shown[2:].replace("−", "-")]], [[value]])
    box = tip.bounding_box()
    assert box["width"] > 50 and box["height"] > 30  # drawn, next to the pointer (below right of it)
    assert x < box["x"] < x + 40 and y < box["y"] < y + 40
    screenshot(page, "step_hover_tip")
    page.get_by_role("heading", name="Step through a sentence").hover()  # away: the tip goes
    wait_for(page, f"() => document.querySelector({TIP!r}).style.display === 'none'")
    wait_for(page, SELECTED_IS_JS, [2, 1])  # hovering selects nothing


def test_heatmap_downloads_as_png_with_every_square(server, page):
    """The PNG button saves the drawing at 2×, its squares (pictures inside the SVG) included: every
    square's centre in the saved file has its colour."""
    open_page(page, server, step_url(step=2, unit=1), svgs=1)
    wait_for(page, SELECTED_IS_JS, [2, 1])
    geometry = page.evaluate(
        f"""() => {{ const svg = document.querySelector({HEAT_SVG!r}); const v = svg.viewBox.baseVal;
          return {{view: [v.width, v.height], T: Number(svg.dataset.steps), H: Number(svg.dataset.units),
            panels: Array.from(svg.querySelectorAll('image[data-role=squares]')).map(im => ({{
              href: im.getAttribute('href'), box: ['x', 'y', 'width', 'height'].map(
                k => Number(im.getAttribute(k)))}}))}}; }}"""
    )
    page.locator(HEAT_SVG).hover()  # the buttons are faint until the pointer is over the drawing
    with page.expect_download() as info:
        page.locator('.gbg-live-svg button[data-download="png"]').click()
    assert info.value.suggested_filename == "gate-by-gate-step_through.png"
    png = Path(info.value.path()).read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "step_download.png").write_bytes(png)
    saved = PIL.Image.open(io.BytesIO(png)).convert("RGB")
    view_w, view_h = geometry["view"]
    assert saved.size == (round(2 * view_w), round(2 * view_h))
    assert len(geometry["panels"]) == 6
    panels = [(panel["href"], tuple(2 * v for v in panel["box"])) for panel in geometry["panels"]]
    T, H = geometry["T"], geometry["H"]
    assert_squares_in(saved, panels, T, H, skip=(2, 1))  # the selected square sits under its outline


def test_bad_input_shows_a_message_and_cjk_emoji_render(server, page):
    open_page(page, server, step_url(sentence=""))
    page.get_by_text("The sentence is empty").wait_for()
    assert page.locator(HEAT_SVG).count() == 0 and page.locator(".js-plotly-plot").count() == 0
    open_page(page, server, step_url(sentence="我爱你 🙂 👩‍👩‍👧 ok"), svgs=1)
    page.get_by_text("Non-Latin characters or emoji").wait_for()
    wait_for(page, heat_rows_js(), token_labels(("我", "爱", "你", "🙂", "👩‍👩‍👧", "ok")))
    assert no_exception(page) == [] and clipped_y_labels(page) == []
    screenshot(page, "step_cjk_emoji")
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.fill(" ".join(f"word{k}" for k in range(2000)))
    box.press("Enter")
    page.get_by_text("A long text: 2,000 words").wait_for()  # run whole, not cut
    wait_for(page, f"() => document.querySelector({HEAT_SVG!r})?.querySelector('[data-gap]') !== null")
    step = int(page.evaluate("() => document.querySelector('table.gbg-strip').dataset.step"))
    fold = fold_steps(2000, (step - 1,), 3)
    words = [f"word{k}" for k in range(2000)]
    labels = token_labels(words)
    want = [labels[r] if isinstance(r, int) else gap_label(r) for r in fold.rows]
    wait_for(page, "(want) => JSON.stringify(Array.from(document.querySelector("
             f"{HEAT_SVG!r}).querySelectorAll('[data-row], [data-gap]')).map(r => r.textContent)) === "
             "JSON.stringify(want)", want)  # fmt: skip
    assert no_exception(page) == [] and clipped_y_labels(page) == []
    (drawing,) = heat_drawings(page)
    expected = fold_arrays({"hidden": reference(tuple(words))["hidden"]}, fold)["hidden"]
    assert_shown(drawing["panels"]["hidden"]["shown"], expected)  # each word's own, each gap's average
    screenshot(page, "step_long_text_folded")


def test_notation_switch_relabels_the_panels(server, page):
    """The switch relabels every panel at once; ``?notation=`` is written once, the step kept."""
    open_page(page, server, step_url(step=2), svgs=1)
    record_url_writes(page)
    page.get_by_text("LTM-STM", exact=True).click()
    wait_for(page, f"() => Array.from(document.querySelectorAll('{HEAT_SVG} [data-role=panel-title]'))"
             ".some(a => a.textContent === 'short-term memory')")  # fmt: skip
    (drawing,) = heat_drawings(page)
    titles = {name: panel["title"] for name, panel in drawing["panels"].items()}
    assert titles["cell"] == "long-term memory" and titles["hidden"] == "short-term memory"
    assert titles["forget"] == "forget factor"
    assert drawing["panels"]["hidden"]["name"].startswith("short-term memory STM")
    wait_for_url(page, "notation=ltm", "step=2")
    page.wait_for_timeout(500)  # nothing more comes
    writes = url_writes(page, "notation=")
    assert len(writes) == 1, writes
    screenshot(page, "step_notation_ltm")
    # Only the labels changed, so only they were changed in the page (lstm_ui/components/svg_patch.js):
    # the drawing is then the same, element for element, as the one a fresh page draws for this view.
    assert page.locator(".gbg-live-svg").first.get_attribute("data-swapped") == "patched"
    fresh = page.context.new_page()
    try:
        open_page(fresh, server, step_url(step=2) + "&notation=ltm", svgs=1)
        assert page.evaluate(TREE_JS, HEAT_SVG) == fresh.evaluate(TREE_JS, HEAT_SVG)
    finally:
        fresh.close()


def test_the_trace_downloads_as_csv_and_json(server, page):
    """The buttons under the heatmaps save the whole trace: the CSV's and the JSON's numbers are the
    core's, exactly."""
    tokens = ("The", "clouds", "are", "in", "the", "sky")
    open_page(page, server, step_url(sentence=" ".join(tokens)), svgs=1)
    ref = reference(tokens)
    with page.expect_download() as info:
        page.locator('.gbg-live-svg button[data-export="csv"]').click()
    assert info.value.suggested_filename == "trace_lstm8.csv"
    frame = pd.read_csv(Path(info.value.path()))
    assert frame["token"].tolist()[::8] == list(tokens)
    for name in PANELS:
        np.testing.assert_array_equal(frame[name].to_numpy().reshape(len(tokens), 8), ref[name])
    with page.expect_download() as info:
        page.locator('.gbg-live-svg button[data-export="json"]').click()
    assert info.value.suggested_filename == "trace_lstm8.json"
    doc = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert doc["tokens"] == list(tokens) and doc["meta"]["sentence"] == " ".join(tokens)
    np.testing.assert_array_equal(np.array(doc["arrays"]["cell"]), ref["cell"])
    later: list = []
    page.on("download", lambda download: later.append(download))
    page.get_by_role("heading", name="Step through a sentence").click()
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_IS_JS, [2, 1])
    page.wait_for_timeout(300)
    assert later == []  # a step after it saves nothing again
    assert no_exception(page) == []
