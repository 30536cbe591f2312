"""The "Inside the LSTM cell" page in a real Chromium: the diagram is drawn with the trace's numbers,
stepping (keyboard ← / →) moves them, the equations (KaTeX) follow, and the four steps recolour it.

Screenshots go to test-artifacts/ (cell_*.png); look at them.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import run_lstm
from lstm_ui.models import DEFAULT_MODEL, MODELS
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence
from tests.browser.conftest import no_exception, open_page, screenshot, wait_for

pytestmark = pytest.mark.browser

# The drawn SVG text of the diagram's label for ``wire`` ends with ``want`` (layout.annotations names it).
WIRE_DRAWN_JS = """([wire, want]) => Array.from(document.querySelectorAll('.js-plotly-plot')).some(gd => {
  const i = (gd.layout.annotations || []).findIndex(a => a.name === 'wire:' + wire);
  if (i < 0) return false;
  const g = gd.querySelector(`g.annotation[data-index="${i}"] text`);
  return !!g && g.textContent.trim().endsWith(want);
})"""
SLIDER_AT_JS = """(want) => {
  const s = document.querySelector('[data-testid="stSlider"] input');
  return !!s && s.value === want;
}"""
KATEX_HAS_JS = """(want) => Array.from(document.querySelectorAll('.katex-mathml annotation'))
  .some(e => e.textContent.includes(want))"""
TITLE_HAS_JS = """(want) => { const gd = document.querySelector('.js-plotly-plot');
  return !!gd && !!gd.layout.title && String(gd.layout.title.text).includes(want); }"""
WIRE_COLOR_JS = """(wire) => { for (const gd of document.querySelectorAll('.js-plotly-plot')) {
  const s = (gd.layout.shapes || []).find(s => s.name === 'wire:' + wire); if (s) return s.line.color; }
  return null; }"""


@pytest.fixture(scope="module")
def trace():
    spec = MODELS[DEFAULT_MODEL]
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    return run_lstm(spec.build(), embed(tokens, spec.input_size))


def shown(v: float) -> str:
    return f"{v:.3f}".replace("-", "−")


@pytest.fixture(scope="module")
def warm(server, page):
    open_page(page, server, "/", plots=1)  # the app's first run registers st.navigation's pages
    return server


def test_diagram_is_drawn_with_the_trace_values(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=3&unit=2", plots=3)
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
        "() => document.querySelectorAll('.js-plotly-plot')[0].querySelectorAll('path').length"
    )
    assert drawn > 20  # wires, arrows and nodes are really in the SVG
    assert no_exception(page) == []
    screenshot(page, "cell_forget_step")


def test_arrow_keys_step_through_the_sentence(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=3&unit=2", plots=3)
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
    open_page(page, warm, "/inside-cell?step=5&unit=3", plots=3)
    forget_colour = page.evaluate(WIRE_COLOR_JS, "f")
    page.locator('[data-testid="stButtonGroup"] button', has_text="Output").click()
    wait_for(page, TITLE_HAS_JS, "output")
    wait_for(page, KATEX_HAS_JS, "h_t = o_t")
    wait_for(page, KATEX_HAS_JS, f"{trace.hidden[4, 2]:.3f}")
    assert page.evaluate(WIRE_COLOR_JS, "o") == forget_colour  # o is now the highlighted path
    assert page.evaluate(WIRE_COLOR_JS, "f") != forget_colour  # and f is greyed
    screenshot(page, "cell_output_step")


def test_lecture_mode_is_legible(warm, page, trace):
    open_page(page, warm, "/inside-cell?step=5&unit=3&presenter=true", plots=3)
    wait_for(page, WIRE_DRAWN_JS, ["f", shown(trace.forget[4, 2])])
    size = page.evaluate(
        "() => parseFloat(getComputedStyle("
        "document.querySelector('.js-plotly-plot g.annotation text')).fontSize)"
    )
    assert size >= 16
    assert no_exception(page) == []
    screenshot(page, "cell_presenter")
