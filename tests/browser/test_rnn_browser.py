"""The plain-RNN page in a real Chromium: the step view (one component: controls, equations, the unrolled
RNN as an SVG) and the three charts drawn with the core's numbers; deep links, the Next / Previous
buttons, the ← / → keys and the sliders move the equations and the unrolled view's outline."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest

from lstm_core import init_rnn, rnn_backward, run_rnn
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence
from tests.browser.heatmap_helpers import assert_shown
from tests.browser.page_helpers import (
    no_exception,
    open_page,
    plot_data,
    screenshot,
    tall_screenshot,
    wait_for,
    wait_for_url,
)

pytestmark = pytest.mark.browser
UNROLLED = '.gbg-live-svg .gbg-live-svg-box svg[data-role="unrolled"]'
TEX_HAS_JS = (
    "(want) => Array.from(document.querySelectorAll('.katex-mathml annotation'))"
    ".some(a => a.textContent.includes(want))"
)
# The step view shows step t, unit j everywhere: the step and unit sliders, the unrolled view's overlay
# (the copy, its column and the unit's square), the caption, and the equation's KaTeX holds ``want``.
SHOWN_JS = (
    """([t, j, want]) => { const svg = document.querySelector("""
    + repr(UNROLLED)
    + """); if (!svg) return false;
  const q = (s) => svg.querySelector(`g[data-role="overlay"] [data-role="${s}"]`);
  const range = (n) => document.querySelector(`.gbg-stepper label[data-range="${n}"] input`);
  const caption = document.querySelector(  // above the drawing, or below it in presenter mode
    '.gbg-live-svg-above .gbg-caption, .gbg-live-svg-below .gbg-caption');
  return !!q('step-outline') && q('step-outline').dataset.t === String(t)
    && q('selected-copy').dataset.t === String(t)
    && q('unit-outline').dataset.t === String(t) && q('unit-outline').dataset.j === String(j)
    && range('step').value === String(t) && range('unit').value === String(j)
    && !!caption && caption.textContent.startsWith(`Step ${t}:`)
    && caption.textContent.includes(`unit ${j} of`)
    && ("""
    + TEX_HAS_JS
    + """)(want); }"""
)


# The component's hover tip is showing exactly ``want``.
TIP_IS_JS = """(want) => { const tip = document.querySelector('.gbg-live-svg-tip');
  return !!tip && tip.style.display === 'block' && tip.textContent === want; }"""


def reference(sentence: str = DEFAULT_SENTENCE):
    tokens = parse_sentence(sentence).tokens
    params = init_rnn(16, 8, seed=0)
    return tokens, params, run_rnn(params, embed(tokens, 16))


def shown(trace, t: int, j: int) -> list:
    """SHOWN_JS's argument: step t, unit j (1-based) and the end of its equation, h = tanh(z) = value."""
    return [t, j, f"= {trace.hidden[t - 1, j - 1]:.3f}"]


def drawn_values(page) -> list[list[str]]:
    """The unrolled view's hidden-state values as drawn (data-values, T × H strings)."""
    return page.evaluate(
        f"""() => {{ const svg = document.querySelector({UNROLLED!r});
          const T = Number(svg.dataset.steps), H = Number(svg.dataset.units);
          const v = svg.querySelector('g[data-role="hidden"]').dataset.values.split(' ');
          return Array.from({{length: T}}, (_, t) => v.slice(t * H, (t + 1) * H)); }}"""
    )


def test_page_draws_the_unrolled_rnn_and_the_gradients(server, page):
    tokens, params, trace = reference()
    open_page(page, server, "/plain-rnn", plots=3)
    wait_for(page, SHOWN_JS, shown(trace, 1, 1))
    assert_shown(drawn_values(page), trace.hidden)
    # one copy of the cell per word, each word under its copy
    copies = page.locator(f'{UNROLLED} [data-role="copy"]')
    assert copies.count() == len(tokens)
    words = page.locator(f"{UNROLLED} [data-step]").evaluate_all("els => els.map(e => e.dataset.token)")
    assert words == list(tokens)
    charts = plot_data(page)
    dh = np.zeros((len(tokens), 8))
    dh[-1] = 1 / np.sqrt(8)
    rnn_line = next(t for t in charts[0] if t["name"].startswith("plain RNN"))
    expected = np.linalg.norm(rnn_backward(params, trace, dh).d_hidden_total, axis=1)
    np.testing.assert_allclose(np.array(rnn_line["y"]), expected, rtol=1e-9)
    assert (
        page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[0]._fullLayout.yaxis.type") == "log"
    )
    assert page.locator(".js-plotly-plot").nth(1).locator("path.js-line").count() >= 3  # memory span curves
    assert no_exception(page) == []
    tall_screenshot(page, "rnn_page", height=3600)


def test_a_chart_downloads_as_png_and_as_svg_from_its_modebar(server, page):
    """The gradient chart's modebar saves it as PNG (plotly's camera) and as SVG (the button the component
    adds), both named after the chart; it offers no upload to Plotly Cloud."""
    open_page(page, server, "/plain-rnn", plots=3)
    chart = page.locator(".js-plotly-plot").first
    saved = {}
    for title, ext in (("Download plot as a PNG", "png"), ("Download plot as SVG", "svg")):
        chart.hover()
        with page.expect_download() as info:
            chart.locator(f'.modebar-btn[data-title="{title}"]').click()
        download = info.value
        assert download.suggested_filename == f"gate-by-gate-gradient.{ext}"
        saved[ext] = Path(download.path()).read_bytes()
    titles = chart.locator(".modebar-btn").evaluate_all("els => els.map(e => e.dataset.title)")
    assert not [t for t in titles if "Share" in t or "Cloud" in t], titles  # nothing leaves the machine
    assert saved["png"].startswith(b"\x89PNG")
    assert saved["svg"].lstrip().startswith(b"<svg") and b"gradient" in saved["svg"].lower()
    assert no_exception(page) == []


def test_deep_link_and_the_step_controls_move_equations_and_outline(server, page):
    sentence = "I grew up in France. Blah blah blah. I speak"
    _tokens, _params, trace = reference(sentence)
    open_page(page, server, f"/plain-rnn?sentence={quote(sentence)}&step=3&unit=2", plots=3)
    wait_for(page, SHOWN_JS, shown(trace, 3, 2))
    page.locator('.gbg-stepper button[data-act="next"]').click()
    wait_for(page, SHOWN_JS, shown(trace, 4, 2))
    wait_for_url(page, "step=4", "unit=2")
    # a step swapped only the drawing's overlay (its outlines), not the whole drawing
    assert page.locator(".gbg-live-svg").first.get_attribute("data-swapped") == "overlay"
    page.locator('.gbg-stepper button[data-act="prev"]').click()
    page.locator('.gbg-stepper button[data-act="prev"]').click()
    wait_for(page, SHOWN_JS, shown(trace, 2, 2))
    page.get_by_role("heading", name="The plain RNN and its memory problem").click()  # focus on no widget
    page.keyboard.press("ArrowRight")
    wait_for(page, SHOWN_JS, shown(trace, 3, 2))
    page.keyboard.press("ArrowRight")
    wait_for(page, SHOWN_JS, shown(trace, 4, 2))
    page.keyboard.press("ArrowLeft")
    wait_for(page, SHOWN_JS, shown(trace, 3, 2))
    step = page.locator('.gbg-stepper label[data-range="step"] input')
    step.focus()
    page.keyboard.press("ArrowRight")
    wait_for(page, SHOWN_JS, shown(trace, 4, 2))
    page.get_by_role("slider", name="Unit j").focus()
    page.keyboard.press("End")  # the last unit
    wait_for(page, SHOWN_JS, shown(trace, 4, 8))
    wait_for_url(page, "step=4", "unit=8")
    assert page.locator('.gbg-stepper label[data-range="step"] output').inner_text() == "4 “in”"
    assert no_exception(page) == []
    tall_screenshot(page, "rnn_step4")


def test_hovering_a_square_names_its_word_unit_and_value_and_a_click_selects_it(server, page):
    """A square's hover text shows at once (the component's tip, like the heatmaps'); the outlines on top
    let the pointer through; clicking a square moves the whole step view to its step and unit."""
    tokens, _params, trace = reference()
    open_page(page, server, "/plain-rnn?step=5&unit=3", plots=3)
    wait_for(page, SHOWN_JS, shown(trace, 5, 3))
    tip = page.locator(".gbg-live-svg-tip")
    for t, j in ((5, 3), (2, 7)):  # the selected square, under its outlines, and another
        square = page.locator(f'{UNROLLED} g[data-t="{t}"] rect[data-j="{j}"]')
        square.hover()
        value = f"{trace.hidden[t - 1, j - 1]:.4f}".replace("-", "−")
        want = f"hₜ after “{tokens[t - 1]}” (step {t}), unit {j}: {value}"
        wait_for(page, TIP_IS_JS, want)
        box, under = tip.bounding_box(), square.bounding_box()
        assert box["x"] > under["x"] and box["y"] > under["y"]  # beside the pointer, not under it
    screenshot(page, "rnn_hover_tip")
    page.locator(f'{UNROLLED} g[data-t="2"] rect[data-j="7"]').click()
    wait_for(page, SHOWN_JS, shown(trace, 2, 7))
    wait_for_url(page, "step=2", "unit=7")
    assert no_exception(page) == []


def test_presenter_mode_draws_the_step_view_large(server, page):
    _tokens, _params, trace = reference()
    open_page(page, server, "/plain-rnn?presenter=true&step=2&unit=4", plots=3)
    wait_for(page, SHOWN_JS, shown(trace, 2, 4))
    assert page.locator(UNROLLED).get_attribute("font-size") == "18"
    assert page.locator(".gbg-stepper").evaluate("el => el.style.fontSize") == "22px"
    assert no_exception(page) == []
    screenshot(page, "rnn_presenter")


def test_empty_sentence_shows_an_error(server, page):
    open_page(page, server, "/plain-rnn?sentence=", plots=0)
    page.get_by_text("The sentence is empty").wait_for()
    assert page.locator(".js-plotly-plot").count() == 0
    assert page.locator(UNROLLED).count() == 0
    assert no_exception(page) == []
