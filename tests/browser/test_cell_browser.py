"""The "Inside the LSTM cell" page in a real Chromium: the diagram is drawn with the trace's numbers,
stepping (keyboard ← / →) moves them, the equations (KaTeX) follow, and the four steps recolour it.

The diagram is an SVG (lstm_ui/live_svg.py): labels are ``[data-wire]`` texts, wires ``[data-wire-path]``.
Screenshots go to test-artifacts/ (cell_*.png, and cell_download.png from the PNG button); look at them.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from lstm_core import run_lstm
from lstm_ui.models import DEFAULT_MODEL, MODELS
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence
from tests.browser.conftest import ARTIFACTS, no_exception, open_page, screenshot, wait_for

pytestmark = pytest.mark.browser

# The diagram (an SVG swapped in by lstm_ui/live_svg.py) draws the label of ``wire`` ending with ``want``.
DIAGRAM = ".gbg-live-svg svg"
WIRE_DRAWN_JS = """([wire, want]) => { const el = document.querySelector(
  `.gbg-live-svg svg [data-wire="${wire}"]`);
  return !!el && el.getBBox().width > 0 && el.textContent.trim().endsWith(want); }"""
SLIDER_AT_JS = """(want) => {
  const s = document.querySelector('[data-testid="stSlider"] input');
  return !!s && s.value === want;
}"""
KATEX_HAS_JS = """(want) => Array.from(document.querySelectorAll('.katex-mathml annotation'))
  .some(e => e.textContent.includes(want))"""
TITLE_HAS_JS = """(want) => { const el = document.querySelector('.gbg-live-svg svg [data-role="title"]');
  return !!el && el.textContent.includes(want); }"""
# The colour the wire's path is drawn in (computed style, "rgb(r, g, b)").
WIRE_COLOR_JS = """(wire) => {
  const el = document.querySelector(`.gbg-live-svg svg [data-wire-path="${wire}"]`);
  return el ? getComputedStyle(el).stroke : null; }"""


@pytest.fixture(scope="module")
def trace():
    spec = MODELS[DEFAULT_MODEL]
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    return run_lstm(spec.build(), embed(tokens, spec.input_size))


def shown(v: float) -> str:
    return f"{v:.3f}".replace("-", "−")


@pytest.fixture(scope="module")
def warm(server, page):
    open_page(page, server, "/", svgs=1)  # the app's first run registers st.navigation's pages
    return server


def test_diagram_is_drawn_with_the_trace_values(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=3&unit=2", plots=2)
    t, j = 2, 1  # 0-based
    for wire, values in (
        ("f", trace.forget),
        ("c_out", trace.cell),
        ("h", trace.hidden),
        ("g", trace.candidate),
    ):
        wait_for(page, WIRE_DRAWN_JS, [wire, shown(values[t, j])])
    wait_for(page, WIRE_DRAWN_JS, ["c_prev", shown(trace.cell[t - 1, j])])
    wait_for(page, KATEX_HAS_JS, f"{trace.forget[t, j]:.3f}")
    drawn = page.evaluate(
        """() => { const svg = document.querySelector('.gbg-live-svg svg');
          const r = svg.getBoundingClientRect();
          return {paths: svg.querySelectorAll('path').length, width: r.width, height: r.height,
                  nodes: svg.querySelectorAll('[data-node]').length}; }"""
    )
    assert drawn["paths"] > 20 and drawn["nodes"] == 9  # wires, arrowheads and nodes are really drawn
    assert drawn["width"] > 400 and drawn["height"] > 250  # scaled to its column
    assert page.locator(".js-plotly-plot").count() == 2  # the σ and tanh filters stay plotly
    assert no_exception(page) == []
    screenshot(page, "cell_forget_step")


def test_arrow_keys_step_through_the_sentence(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=3&unit=2", plots=2)
    at_step(page, trace, 3)
    page.locator("h1").first.click()  # focus the page, not a widget
    for key, step in [("ArrowRight", 4), ("ArrowLeft", 3), ("ArrowLeft", 2)]:
        page.keyboard.press(key)
        at_step(page, trace, step)
        assert f"step={step}" in page.url
    wait_for(page, KATEX_HAS_JS, f"{trace.forget[1, 1]:.3f}")
    assert not np.isclose(trace.cell[1, 1], trace.cell[3, 1])


def at_step(page, trace, step: int) -> None:
    """The diagram shows C_t of ``step`` (unit 2) and the step slider's own state has caught up: a key
    pressed before the slider holds the new step would be applied to the old one (Streamlit sends the
    slider's last known value with the button's trigger)."""
    wait_for(page, WIRE_DRAWN_JS, ["c_out", shown(trace.cell[step - 1, 1])])
    wait_for(page, SLIDER_AT_JS, str(step))


def test_the_four_steps_recolour_the_diagram_and_swap_the_equations(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=5&unit=3", plots=2)
    forget_colour = page.evaluate(WIRE_COLOR_JS, "f")
    page.locator('[data-testid="stButtonGroup"] button', has_text="Output").click()
    wait_for(page, TITLE_HAS_JS, "output")
    wait_for(page, KATEX_HAS_JS, "h_t = o_t")
    wait_for(page, KATEX_HAS_JS, f"{trace.hidden[4, 2]:.3f}")
    assert page.evaluate(WIRE_COLOR_JS, "o") == forget_colour  # o is now the highlighted path
    assert page.evaluate(WIRE_COLOR_JS, "f") != forget_colour  # and f is greyed
    screenshot(page, "cell_output_step")


def test_lecture_mode_is_legible(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=5&unit=3&presenter=true", plots=2)
    wait_for(page, WIRE_DRAWN_JS, ["f", shown(trace.forget[4, 2])])
    size = page.evaluate(
        """() => { const svg = document.querySelector('.gbg-live-svg svg');
          const label = svg.querySelector('[data-wire="f"]');
          const css = parseFloat(getComputedStyle(label).fontSize);  // in viewBox units
          return {css, shown: css * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width}; }"""
    )
    assert size["css"] >= 16 and size["shown"] >= 16  # large type, also as drawn on the screen
    assert no_exception(page) == []
    screenshot(page, "cell_presenter")


def test_diagram_downloads_as_svg_and_png(warm, page, trace):
    """The two buttons over the diagram save gate-by-gate-cell-diagram.svg (the drawing with its labels)
    and .png (drawn at 2×)."""
    open_page(page, warm, "/inside-cell?step=4&unit=1", plots=2)
    wait_for(page, WIRE_DRAWN_JS, ["c_out", shown(trace.cell[3, 0])])
    view_w, view_h = page.evaluate(
        "() => { const b = document.querySelector('.gbg-live-svg svg').viewBox.baseVal;"
        " return [b.width, b.height]; }"
    )
    page.locator(DIAGRAM).hover()  # the buttons are faint until the pointer is over the diagram
    with page.expect_download() as info:
        page.locator('.gbg-live-svg button[data-download="svg"]').click()
    svg_file = info.value
    assert svg_file.suggested_filename == "gate-by-gate-cell-diagram.svg"
    root = ET.fromstring(Path(svg_file.path()).read_bytes())
    labels = {el.get("data-wire"): "".join(el.itertext()) for el in root.iter() if el.get("data-wire")}
    assert labels["c_out"].endswith(shown(trace.cell[3, 0]))
    assert float(root.get("width")) == view_w and float(root.get("height")) == view_h
    with page.expect_download() as info:
        page.locator('.gbg-live-svg button[data-download="png"]').click()
    png_file = info.value
    assert png_file.suggested_filename == "gate-by-gate-cell-diagram.png"
    png = Path(png_file.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (round(2 * view_w), round(2 * view_h))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "cell_download.png").write_bytes(png)
    assert no_exception(page) == []
