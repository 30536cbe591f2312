"""The gate lab in a real Chromium: the lecture's forget product, a typed edit recomputes, the demos.

Screenshots go to test-artifacts/ (gate_lab_*.png); look at them.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lstm_core import cell_update
from tests.browser.page_helpers import BARS_ARE_JS, BARS_JS, no_exception, open_page, screenshot, wait_for

pytestmark = pytest.mark.browser

# The direct mode's table (its accessible copy of the canvas grid): each row's label, C_{t-1} and f_t.
GRID_ROWS_JS = """(want) => { const rows = Array.from(
  document.querySelectorAll('[data-testid="stDataFrame"] table tr')).slice(1, 1 + want.length)
  .map(r => Array.from(r.children, c => c.textContent.trim()).slice(0, 3));
  return JSON.stringify(rows) === JSON.stringify(want); }"""
KATEX_HAS_JS = """(want) => Array.from(document.querySelectorAll('.katex-mathml annotation'))
  .some(e => e.textContent.includes(want))"""
INDEX_PX = 92  # width of the editor's row-label column ("unit 1") at this viewport
ROW_PX, HEADER_PX = 35, 35


@pytest.fixture(scope="module")
def warm(server, page):
    open_page(page, server, "/", svgs=1)
    return server


def drawn_bars(page) -> dict[str, list[float]]:
    return page.evaluate(BARS_JS)


def vectors(tex: str) -> list[list[float]]:
    """Every [a, b, c] in a TeX string, as floats, in order."""
    return [[float(v) for v in m.split(",")] for m in re.findall(r"\[([-\d., ]+)\]", tex)]


def type_into_cell(page, row: int, col: int, text: str, n_cols: int = 5) -> None:
    """Open cell (row, col) of the first data editor (a canvas grid), replace its text, press Enter."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.locator("canvas").first.wait_for()
    box = grid.bounding_box()
    col_w = (box["width"] - INDEX_PX) / n_cols
    # a position relative to the grid: Playwright scrolls it into view at the moment of the click
    where = {"x": INDEX_PX + col_w * (col + 0.5), "y": HEADER_PX + ROW_PX * (row + 0.5)}
    editor = page.locator(".gdg-input")
    for _ in range(10):  # like a person: click the cell, and click it again once selected to edit it
        grid.click(position=where)
        try:
            editor.wait_for(timeout=700)
            break
        except PlaywrightTimeout:
            continue
    editor.fill(text)
    page.keyboard.press("Enter")


def test_default_is_the_lectures_forget_product(warm, page):
    open_page(page, warm, "/gates")
    wait_for(page, KATEX_HAS_JS, "[1, 2, 4] * [1, 0, 1] = [1, 0, 4]")
    wait_for(page, BARS_ARE_JS, ["forget_part", [1, 0, 4]])
    assert drawn_bars(page)["forget_part"] == [1, 0, 4]
    assert no_exception(page) == []
    screenshot(page, "gate_lab_default")


def test_typing_a_value_recomputes(warm, page):
    open_page(page, warm, "/gates")
    wait_for(page, KATEX_HAS_JS, "= [1, 0, 4]")
    type_into_cell(page, row=0, col=0, text="3")  # C_{t-1}[unit 1] = 3
    wait_for(page, KATEX_HAS_JS, "[3, 2, 4] * [1, 0, 1] = [3, 0, 4]")
    wait_for(page, BARS_ARE_JS, ["forget_part", [3, 0, 4]])
    c_new = cell_update([3, 2, 4], [1, 0, 1], [0, 1, 0.5], [0.9, 0.8, -0.5], [1, 1, 0]).cell
    wait_for(page, KATEX_HAS_JS, "= [" + ", ".join(f"{v:g}" for v in c_new) + "]")
    screenshot(page, "gate_lab_edited")
    page.get_by_role("button", name="f = 0: forget everything").click()
    wait_for(page, KATEX_HAS_JS, "[3, 2, 4] * [0, 0, 0] = [0, 0, 0]")
    wait_for(page, BARS_ARE_JS, ["forget_part", [0, 0, 0]])  # the bars follow, in the same component
    assert drawn_bars(page)["cell_prev"] == [3, 2, 4]
    # The table shows the demo's gates next to the reader's edit (the editor keeps its edit: no conflict).
    wait_for(page, GRID_ROWS_JS, [["unit 1", "3", "0"], ["unit 2", "2", "0"], ["unit 3", "4", "0"]])
    # An edited forget value and then a demo that sets f: the demo wins, in the numbers and the table.
    type_into_cell(page, row=1, col=1, text="0.5")
    wait_for(page, KATEX_HAS_JS, "[3, 2, 4] * [0, 0.5, 0] = [0, 1, 0]")
    page.get_by_role("button", name="f = 1: forget nothing").click()
    wait_for(page, KATEX_HAS_JS, "[3, 2, 4] * [1, 1, 1] = [3, 2, 4]")
    wait_for(page, GRID_ROWS_JS, [["unit 1", "3", "1"], ["unit 2", "2", "1"], ["unit 3", "4", "1"]])
    assert no_exception(page) == []


def test_from_weights_mode(warm, page):
    open_page(page, warm, "/gates")
    page.locator('[data-testid="stButtonGroup"] button', has_text="From weights").click()
    wait_for(page, KATEX_HAS_JS, r"\sigma(W_f \cdot [h_{t-1}, x_t] + b_f)")
    wait_for(page, KATEX_HAS_JS, "f_t = [")
    tex = page.locator(".katex-mathml annotation").evaluate_all("els => els.map(e => e.textContent)")
    (f,) = vectors(next(t for t in tex if t.startswith("f_t = [")))
    c_prev, f_shown, c_forget = vectors(next(t for t in tex if t.startswith("C_t^f = C_{t-1} * f_t")))
    assert c_prev == [1, 2, 4] and f_shown == f
    assert c_forget == pytest.approx(np.multiply(c_prev, f), abs=2e-3)
    assert f[0] > 0.99 and f[1] < 0.01 and f[2] > 0.99  # the default weights mimic the lecture's [1, 0, 1]
    assert no_exception(page) == []
    screenshot(page, "gate_lab_weights")
