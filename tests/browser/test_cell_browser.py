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

from lstm_core import run_lstm, sigmoid
from lstm_ui.compute import DEFAULT_MODEL, MODELS
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence
from tests.browser.page_helpers import ARTIFACTS, no_exception, open_page, screenshot, wait_for, wait_for_url

pytestmark = pytest.mark.browser

# The diagram (an SVG swapped in by lstm_ui/live_svg.py) draws the label of ``wire`` ending with ``want``.
DIAGRAM = ".gbg-live-svg-drawings svg"
WIRE_DRAWN_JS = """([wire, want]) => { const el = document.querySelector(
  `.gbg-live-svg svg [data-wire="${wire}"]`);
  return !!el && el.getBBox().width > 0 && el.textContent.trim().endsWith(want); }"""
SLIDER_AT_JS = """(want) => {
  const s = document.querySelector('.gbg-stepper label[data-range="step"] input');
  return !!s && s.value === want;
}"""
# The σ or tanh drawing under the diagram (lstm_ui/filters.py): its probe dot's value and label.
PROBE_JS = """(kind) => { const g = document.querySelector(
  `.gbg-live-svg svg[data-kind="${kind}"] [data-dot="probe"]`);
  return g ? [Number(g.dataset.value), g.textContent.trim()] : null; }"""
KATEX_HAS_JS = """(want) => Array.from(document.querySelectorAll('.katex-mathml annotation'))
  .some(e => e.textContent.includes(want))"""
TITLE_HAS_JS = """(want) => {
  const el = document.querySelector('.gbg-live-svg-drawings svg [data-role="title"]');
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
    open_page(page, warm, "/inside-cell?step=3&unit=2")
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
    filters = page.evaluate(
        """() => Array.from(document.querySelectorAll('.gbg-live-svg svg[data-kind]'), (svg) => {
          const r = svg.getBoundingClientRect();
          const curves = svg.querySelectorAll('polyline').length;
          return [svg.dataset.kind, r.width > 250 && r.height > 150, curves]; })"""
    )
    assert filters == [["sigmoid", True, 1], ["tanh", True, 1]]  # the σ and tanh filters are drawn
    assert no_exception(page) == []
    screenshot(page, "cell_forget_step")


def test_arrow_keys_step_through_the_sentence(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=3&unit=2")
    at_step(page, trace, 3)
    page.locator("h1").first.click()  # focus the page, not a widget
    for key, step in [("ArrowRight", 4), ("ArrowLeft", 3), ("ArrowLeft", 2)]:
        page.keyboard.press(key)
        at_step(page, trace, step)
        wait_for_url(page, f"step={step}")
    wait_for(page, KATEX_HAS_JS, f"{trace.forget[1, 1]:.3f}")
    assert not np.isclose(trace.cell[1, 1], trace.cell[3, 1])


def at_step(page, trace, step: int) -> None:
    """The diagram shows C_t of ``step`` (unit 2) and the step slider's own state has caught up: a key
    pressed before the slider holds the new step would be applied to the old one (Streamlit sends the
    slider's last known value with the button's trigger)."""
    wait_for(page, WIRE_DRAWN_JS, ["c_out", shown(trace.cell[step - 1, 1])])
    wait_for(page, SLIDER_AT_JS, str(step))


def test_the_four_steps_recolour_the_diagram_and_swap_the_equations(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=5&unit=3")
    wait_for(page, TITLE_HAS_JS, "forget")
    forget_colour = page.evaluate(WIRE_COLOR_JS, "f")
    page.locator(".gbg-choice button", has_text="Output").click()
    wait_for(page, TITLE_HAS_JS, "output")
    wait_for(page, KATEX_HAS_JS, "h_t = o_t")
    wait_for(page, KATEX_HAS_JS, f"{trace.hidden[4, 2]:.3f}")
    assert page.evaluate(WIRE_COLOR_JS, "o") == forget_colour  # o is now the highlighted path
    assert page.evaluate(WIRE_COLOR_JS, "f") != forget_colour  # and f is greyed
    screenshot(page, "cell_output_step")


def test_lecture_mode_is_legible(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=5&unit=3&presenter=true")
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
    open_page(page, warm, "/inside-cell?step=4&unit=1")
    wait_for(page, WIRE_DRAWN_JS, ["c_out", shown(trace.cell[3, 0])])
    view_w, view_h = page.evaluate(
        "() => { const b = document.querySelector('.gbg-live-svg svg').viewBox.baseVal;"
        " return [b.width, b.height]; }"
    )
    page.locator(DIAGRAM).hover()  # the buttons are faint until the pointer is over the diagram
    with page.expect_download() as info:
        page.locator('.gbg-live-svg-drawings button[data-download="svg"]').click()
    svg_file = info.value
    assert svg_file.suggested_filename == "gate-by-gate-cell-diagram.svg"
    root = ET.fromstring(Path(svg_file.path()).read_bytes())
    labels = {el.get("data-wire"): "".join(el.itertext()) for el in root.iter() if el.get("data-wire")}
    assert labels["c_out"].endswith(shown(trace.cell[3, 0]))
    assert float(root.get("width")) == view_w and float(root.get("height")) == view_h
    with page.expect_download() as info:
        page.locator('.gbg-live-svg-drawings button[data-download="png"]').click()
    png_file = info.value
    assert png_file.suggested_filename == "gate-by-gate-cell-diagram.png"
    png = Path(png_file.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (round(2 * view_w), round(2 * view_h))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "cell_download.png").write_bytes(png)
    assert no_exception(page) == []


def test_buttons_and_sliders_of_the_diagram_move_step_and_unit(warm, page, trace):
    """The Previous / Next buttons and the step and unit sliders (by keyboard) inside the diagram's
    component move the diagram, the equations and the URL."""
    open_page(page, warm, "/inside-cell?step=3&unit=2")
    at_step(page, trace, 3)
    page.evaluate(
        """() => { document.querySelector('svg[data-kind="sigmoid"]').__kept = true;
          document.querySelector('.gbg-live-svg-side h3').__kept = true; }"""
    )
    page.locator('.gbg-stepper button[data-act="next"]').click()
    at_step(page, trace, 4)
    # The σ drawing is the same element, its dots (overlay) swapped: at the new step's gate values.
    kept = page.evaluate(
        """() => { const svg = document.querySelector('svg[data-kind="sigmoid"]');
          return [svg.__kept === true, Number(svg.querySelector('[data-dot^="mark f"]').dataset.value)]; }"""
    )
    assert kept[0] and abs(kept[1] - trace.forget[3, 1]) < 1e-12
    # Beside it, only the equations were replaced: the heading above them is the same element.
    assert page.evaluate("() => document.querySelector('.gbg-live-svg-side h3').__kept === true")
    page.locator('.gbg-stepper button[data-act="prev"]').click()
    page.locator('.gbg-stepper button[data-act="prev"]').click()  # a quick second press adds up
    at_step(page, trace, 2)
    assert page.locator('.gbg-stepper button[data-act="play"]').is_hidden()  # no animation on this page
    unit = page.locator('.gbg-stepper label[data-range="unit"] input')
    unit.focus()
    page.keyboard.press("ArrowRight")
    wait_for(page, WIRE_DRAWN_JS, ["c_out", shown(trace.cell[1, 2])])
    wait_for(page, KATEX_HAS_JS, f"{trace.forget[1, 2]:.3f}")
    wait_for(page, "() => location.search.includes('step=2') && location.search.includes('unit=3')")
    assert no_exception(page) == []


def test_probing_sigma_moves_its_dot_and_keeps_the_keyboard(warm, page, trace):
    """The σ probe slider (under the diagram) reports when let go: the page draws the probe at σ(z) of
    the core's sigmoid; the slider keeps the keyboard, so a second arrow goes on from there."""
    open_page(page, warm, "/inside-cell?step=3&unit=2")
    wait_for(page, "() => !!document.querySelector('input[data-report=\"probe_sigmoid\"]')")
    probe = page.locator('input[data-report="probe_sigmoid"]')
    probe.focus()
    page.keyboard.press("ArrowRight")
    want = float(sigmoid(np.array(0.1)))
    wait_for(
        page, f"() => {{ const p = ({PROBE_JS})('sigmoid'); return !!p && Math.abs(p[0] - {want}) < 1e-9; }}"
    )
    page.keyboard.press("ArrowRight")  # the re-drawn slider still has the focus
    want = float(sigmoid(np.array(0.2)))
    wait_for(
        page, f"() => {{ const p = ({PROBE_JS})('sigmoid'); return !!p && Math.abs(p[0] - {want}) < 1e-9; }}"
    )
    _value, label = page.evaluate(PROBE_JS, "sigmoid")
    assert label == f"σ(0.200) = {want:.3f}"
    assert page.evaluate(PROBE_JS, "tanh")[0] == 0.0  # the other probe did not move
    screenshot(page, "cell_probe")
    assert no_exception(page) == []


def test_a_link_opens_at_a_stage_and_pressing_one_writes_it(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=5&unit=3&stage=update")
    wait_for(page, TITLE_HAS_JS, "update")
    checked = page.locator('.gbg-choice button[aria-checked="true"]')
    assert checked.inner_text() == "3 Update"
    page.locator(".gbg-choice button", has_text="Store").click()
    wait_for(page, TITLE_HAS_JS, "store")
    wait_for(page, "() => location.search.includes('stage=store')")
    wait_for(page, KATEX_HAS_JS, f"{trace.input[4, 2]:.3f}")
