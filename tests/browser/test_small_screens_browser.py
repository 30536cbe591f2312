"""Phone and projector layouts (issue 16), in a real Chromium, on every page.

At 420 px (a phone) every text on a page is at least 11 px on screen (a drawing that would shrink its
labels below that keeps its width and scrolls sideways, with a note), the page itself does not scroll
sideways, no download button covers a title, and an equation wider than its column says it scrolls. At
1280×720 in presenter mode the page's main figure is on the first screen. Screenshots of both sizes are
kept in the artifacts folder, to be looked at."""

from __future__ import annotations

import pytest

from lstm_ui.layout import PAGES
from tests.browser.page_helpers import (
    ARTIFACTS,
    PHONE,
    PRESENTER,
    no_exception,
    page_in_new_context,
    wait_idle,
)

pytestmark = pytest.mark.browser

READABLE_PX = 11
FIRST_SCREEN = 0.35  # the least share of a 720 px screen the main figure fills (or all of it, if smaller)
# Each page's main figure: the name of its drawing (lstm_ui.components.live_svg), or "plot" (plotly).
MAIN_FIGURE = {
    "": "home_clue",
    "plain-rnn": "unrolled",
    "step": "step_through",
    "inside-cell": "cell-diagram",
    "gates": "gate-lab",
    "lecture-stories?example=forget_bob_dan": "focus",
    "gru-variant": "gru_heat",
}
PATHS = ["" if p.default else p.url_path for p in PAGES]
STORIES = "lecture-stories?example=forget_bob_dan"

# The smallest text on the page, on screen: an SVG text's font size times its drawing's scale, an HTML
# text's computed size (KaTeX's glyphs too; the sidebar and text hidden from view left out). Measured after
# the next frame: a drawing put in since the last one is made readable by a ResizeObserver, which the
# browser calls after laying the frame out and before painting it, so a reader never sees it unchecked.
SMALLEST_TEXT_JS = """async () => {
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));  // after that frame
  let smallest = [Infinity, ''];
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.replace(/[\\u200b\\s]/g, '')) continue;
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    let px = parseFloat(style.fontSize);
    const svg = el.closest('svg');
    if (svg && !el.closest('.js-plotly-plot') && svg.viewBox && svg.viewBox.baseVal.width) {
      px *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;  // a drawing scaled to its column
    }
    if (px < smallest[0]) smallest = [px, node.textContent.trim().slice(0, 40)];
  }
  return smallest;
}"""

# Download buttons that overlap a drawing's title or a text of its own picture.
COVERED_JS = """() => {
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const out = [];
  for (const drawing of document.querySelectorAll('.gbg-live-svg-drawing')) {
    const tools = drawing.querySelector('.gbg-live-svg-tools');
    if (!tools) continue;
    const t = tools.getBoundingClientRect();
    const texts = [drawing.querySelector('.gbg-live-svg-title'), ...drawing.querySelectorAll('svg text')];
    for (const el of texts) {
      if (el && el.textContent.trim() && hit(t, el.getBoundingClientRect())) out.push(el.textContent.trim());
    }
  }
  return out;
}"""

# Equations wider than their column, and whether each says it scrolls.
WIDE_EQUATIONS_JS = """() => Array.from(document.querySelectorAll('.gbg-tex'))
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => [e.dataset.scrolls, getComputedStyle(e, '::after').content])"""


def open_settled(page, url: str, drawn: bool = True) -> None:
    """Open ``url`` and wait until it is idle and (``drawn``) its first figure is drawn."""
    page.goto(url)
    wait_idle(page, timeout=30_000)
    if drawn:
        page.wait_for_function("() => document.querySelector('.gbg-live-svg svg, .js-plotly-plot') !== null")
    page.wait_for_timeout(600)  # late fonts, KaTeX and the drawings' own resize
    wait_idle(page, timeout=30_000)


@pytest.mark.parametrize("path", [*PATHS, STORIES])
def test_at_420_px_every_text_is_readable_and_nothing_overlaps(browser, server, path):
    with page_in_new_context(browser, PHONE) as page:
        open_settled(page, f"{server}/{path}", drawn=path in MAIN_FIGURE)
        assert no_exception(page) == []
        size, text = page.evaluate(SMALLEST_TEXT_JS)
        assert size >= READABLE_PX - 0.01, f"{text!r} is {size:.1f} px on screen"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 420  # no sideways page
        assert page.evaluate(CLIPPED_JS, False) == []  # no label cut off (home's links to every page)
        assert page.evaluate(COVERED_JS) == []
        for scrolls, note in page.evaluate(WIDE_EQUATIONS_JS):
            assert scrolls == "1" and "Scroll sideways" in note
        ARTIFACTS.mkdir(exist_ok=True)
        name = path.split("?")[0] or "home"
        page.screenshot(path=str(ARTIFACTS / f"phone_{name}_top.png"))
        figure = page.locator(".gbg-live-svg-drawing, .js-plotly-plot").first
        if figure.count():  # the page scrolls inside Streamlit's main block: show its first figure
            figure.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"phone_{name}_figure.png"))


# Text cut off: an element of the main area that hides what overflows it (a page link's label), or, with
# ``equations``, an equation wider than its column (KaTeX then scrolls it, hiding its end; on a phone a
# long equation scrolls by design), by more than rounding.
CLIPPED_JS = """(equations) => Array.from(document.querySelectorAll('[data-testid="stMain"] *'))
  .filter(el => {
  const hides = ['hidden', 'clip'].includes(getComputedStyle(el).overflowX)
    || (equations && el.matches('.katex-display'));
  return hides && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 3 && el.textContent.trim();
}).map(el => el.textContent.trim().slice(0, 60))"""


@pytest.mark.parametrize("path", [*MAIN_FIGURE, "lecture-stories?example=forget_product"])
def test_presenter_at_1280x720_cuts_no_text_off(browser, server, path):
    with page_in_new_context(browser, PRESENTER) as page:
        join = "&" if "?" in path else "?"
        open_settled(page, f"{server}/{path}{join}presenter=true", drawn=path in MAIN_FIGURE)
        assert page.evaluate(CLIPPED_JS, True) == []


@pytest.mark.parametrize("path", list(MAIN_FIGURE))
def test_presenter_at_1280x720_shows_the_main_figure_on_the_first_screen(browser, server, path):
    with page_in_new_context(browser, PRESENTER) as page:
        join = "&" if "?" in path else "?"
        open_settled(page, f"{server}/{path}{join}presenter=true")
        assert no_exception(page) == []
        top, bottom = page.evaluate(
            """(name) => { const d = document.querySelector(`.gbg-live-svg-drawing[data-name="${name}"] svg`);
              const b = d.getBoundingClientRect(); return [b.top, b.bottom]; }""",
            MAIN_FIGURE[path],
        )
        shown = min(bottom, 720) - max(top, 0)
        assert shown >= min(bottom - top, FIRST_SCREEN * 720), (MAIN_FIGURE[path], top, bottom)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"presenter_{path.split('?')[0] or 'home'}.png"))
