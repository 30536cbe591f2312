"""The GRU page in a real Chromium: GRU and LSTM heatmaps drawn side by side with the core's numbers, the
step view's own controls (Next / Previous, ← / →, the sliders, a click on a square) moving all three
drawings' outlines and the equations; the weights switch redraws them with the trained models."""

from __future__ import annotations

import pytest

from lstm_core import init_gru, init_lstm, run_gru, run_lstm
from lstm_core.story import load_model, run_text
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence, token_labels
from tests.browser.heatmap_helpers import (
    HEAT_SVG,
    assert_shown,
    assert_squares_drawn,
    heat_drawings,
    square_centre,
)
from tests.browser.page_helpers import (
    no_exception,
    open_page,
    screenshot,
    tall_screenshot,
    wait_for,
    wait_for_url,
)

pytestmark = pytest.mark.browser
TOKENS = parse_sentence(DEFAULT_SENTENCE).tokens
# All three drawings (GRU gates, LSTM gates, GRU states) are h units wide.
WIDTH_JS = (
    f"(h) => {{ const s = Array.from(document.querySelectorAll({HEAT_SVG!r}));"
    " return s.length === 3 && s.every(svg => svg.dataset.units === String(h)"
    " && Array.from(svg.querySelectorAll('g[data-panel]')).every("
    " g => g.dataset.values.split(' ').length === h * Number(svg.dataset.steps))); }"
)
# Step t, unit j everywhere: the two sliders, every panel of the three drawings outlines row t and square
# (t, j), the heading under them names step t, its token and unit j, and the four KaTeX equations (their
# TeX sources) are of unit j and end with the given numbers.
SELECTED_JS = (
    """([t, j, heading, ends]) => {
  const s = Array.from(document.querySelectorAll('.gbg-stepper input[type="range"]'));
  const svgs = Array.from(document.querySelectorAll("""
    + repr(HEAT_SVG)
    + """));
  const h3 = document.querySelector('.gbg-live-svg-below h3');
  const tex = Array.from(document.querySelectorAll('.gbg-live-svg-below .katex-mathml annotation'),
    a => a.textContent);
  return s.length === 2 && s[0].value === String(t) && s[1].value === String(j)
    && svgs.length === 3 && svgs.every(svg => {
      const rows = Array.from(svg.querySelectorAll('[data-role="row-outline"]'));
      const cells = Array.from(svg.querySelectorAll('[data-role="cell-outline"]'));
      return rows.length === 2 && rows.every(r => r.dataset.t === String(t)) && cells.length === 2
        && cells.every(c => c.dataset.t === String(t) && c.dataset.j === String(j)); })
    && !!h3 && h3.textContent === heading
    && tex.length === 4 && tex.every((x, k) => x.includes(`\\\\right]_{${j}}`) && x.endsWith(ends[k]));
}"""
)


def seeded(tokens: tuple[str, ...] = TOKENS):
    xs = embed(tokens, 16)
    return run_gru(init_gru(16, 8, seed=0), xs), run_lstm(init_lstm(16, 8, seed=0), xs)


def selected(t: int, j: int) -> list:
    """SELECTED_JS's argument for step t, unit j (1-based) of the seeded GRU on the default sentence:
    the equations end with r, z, n and h of that step and unit, as the core computes them."""
    gru, _ = seeded()
    ends = [f"= {getattr(gru, name)[t - 1, j - 1]:.3f}" for name in GRU_ORDER]
    return [t, j, f"Step {t}: “{TOKENS[t - 1]}”, unit {j}", ends]


GRU_ORDER = ("reset", "update", "candidate", "hidden")


def test_gru_and_lstm_gates_are_drawn(server, page):
    gru, lstm = seeded()
    open_page(page, server, "/gru-variant", svgs=3)
    wait_for(page, SELECTED_JS, selected(1, 1))
    gru_heat, lstm_heat, states = heat_drawings(page)
    drawn = page.evaluate(
        f"""() => Array.from(document.querySelectorAll({HEAT_SVG!r}), svg => {{
          const d = svg.closest('.gbg-live-svg-drawing'); const b = svg.getBoundingClientRect();
          const title = d.querySelector('.gbg-live-svg-title').textContent;
          return [d.dataset.name, title, b.x, b.y, b.width]; }})"""
    )
    assert [d[:2] for d in drawn] == [
        ["gru_heat", "GRU: reset and update gates"],
        ["lstm_heat", "LSTM: forget and input gates"],
        ["gru_states", "The GRU's candidate n and new state h"],
    ]
    (_, _, x1, y1, w1), (_, _, x2, y2, w2), (_, _, x3, y3, w3) = drawn
    assert abs(y1 - y2) < 2 and abs(w1 - w2) < 2 and x2 > x1 + w1  # the gates side by side
    assert y3 > y1 + 100 and abs(x3 - x1) < 2 and w3 > 1.8 * w1  # the states below, full width
    assert list(gru_heat["panels"]) == ["reset", "update"]
    assert list(lstm_heat["panels"]) == ["forget", "input"]
    assert list(states["panels"]) == ["candidate", "hidden"]
    assert_shown(gru_heat["panels"]["reset"]["shown"], gru.reset)
    assert_shown(gru_heat["panels"]["update"]["shown"], gru.update)
    assert_shown(lstm_heat["panels"]["forget"]["shown"], lstm.forget)
    assert_shown(lstm_heat["panels"]["input"]["shown"], lstm.input)
    assert_shown(states["panels"]["candidate"]["shown"], gru.candidate)
    assert_shown(states["panels"]["hidden"]["shown"], gru.hidden)
    assert gru_heat["panels"]["reset"]["title"] == "reset gate"
    assert states["panels"]["hidden"]["title"] == "hidden state h"
    for d in (gru_heat, lstm_heat, states):
        assert d["rows"] == token_labels(TOKENS)
        assert d["rowOutlines"] == [1, 1] and d["cellOutlines"] == [[1, 1], [1, 1]]
    squares = page.locator(f"{HEAT_SVG} image[data-role=squares]").first
    assert squares.evaluate("el => getComputedStyle(el).cursor") == "pointer"  # a click selects
    for k in range(3):
        assert_squares_drawn(page, k)
    assert page.locator('[data-testid="stSlider"]').count() == 0  # the controls are the component's
    math = page.locator('[data-testid="stMarkdownContainer"] .katex-mathml annotation')
    (general,) = math.all_text_contents()
    assert general.replace("&=", "=").split(r" \\ ") == [  # the general forms, typeset above the step view
        r"\begin{aligned} r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})",
        r"z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})",
        r"n_t = \tanh(W_{in} x_t + b_{in} + r_t * (W_{hn} h_{t-1} + b_{hn}))",
        r"h_t = (1 - z_t) * n_t + z_t * h_{t-1} \end{aligned}",
    ]
    assert no_exception(page) == []
    tall_screenshot(page, "gru_seeded")


def test_deep_link_opens_at_the_step_and_unit(server, page):
    open_page(page, server, "/gru-variant?step=5&unit=3", svgs=3)
    wait_for(page, SELECTED_JS, selected(5, 3))
    assert page.locator('.gbg-stepper label[data-range="step"] output').inner_text() == f"5 “{TOKENS[4]}”"
    wait_for_url(page, "step=5", "unit=3")


def test_next_previous_and_arrow_keys_move_everything(server, page):
    open_page(page, server, "/gru-variant?step=3&unit=2", svgs=3)
    wait_for(page, SELECTED_JS, selected(3, 2))
    page.locator('.gbg-stepper button[data-act="next"]').click()
    wait_for(page, SELECTED_JS, selected(4, 2))
    wait_for_url(page, "step=4", "unit=2")
    page.locator('.gbg-stepper button[data-act="prev"]').click()
    wait_for(page, SELECTED_JS, selected(3, 2))
    page.get_by_role("heading", name="GRU: two gates, one state").click()  # focus on no widget
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_JS, selected(4, 2))
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_JS, selected(5, 2))
    page.keyboard.press("ArrowLeft")
    wait_for(page, SELECTED_JS, selected(4, 2))
    wait_for_url(page, "step=4")
    assert page.locator('.gbg-stepper button[data-act="play"]').is_hidden()  # no animation here
    page.keyboard.press("p")  # and no P key either
    page.wait_for_timeout(1000)
    wait_for(page, SELECTED_JS, selected(4, 2))
    assert no_exception(page) == []


def test_sliders_move_the_step_and_unit(server, page):
    open_page(page, server, "/gru-variant?step=2&unit=2", svgs=3)
    wait_for(page, SELECTED_JS, selected(2, 2))
    page.locator('.gbg-stepper label[data-range="unit"] input').focus()
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_JS, selected(2, 3))
    page.keyboard.press("End")
    wait_for(page, SELECTED_JS, selected(2, 8))
    page.locator('.gbg-stepper label[data-range="step"] input').focus()
    page.keyboard.press("ArrowRight")
    wait_for(page, SELECTED_JS, selected(3, 8))
    wait_for_url(page, "step=3", "unit=8")
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.click()
    box.press("ArrowLeft")  # moves the text cursor, not the step
    page.wait_for_timeout(400)
    wait_for(page, SELECTED_JS, selected(3, 8))


def test_clicking_a_square_in_any_drawing_selects_it(server, page):
    open_page(page, server, "/gru-variant", svgs=3)
    wait_for(page, SELECTED_JS, selected(1, 1))
    page.mouse.click(*square_centre(page, "update", 5, 3, drawing=0))  # the GRU's gates
    wait_for(page, SELECTED_JS, selected(5, 3))
    wait_for_url(page, "step=5", "unit=3")
    page.mouse.click(*square_centre(page, "input", 2, 7, drawing=1))  # the LSTM's gates
    wait_for(page, SELECTED_JS, selected(2, 7))
    page.locator(HEAT_SVG).nth(2).scroll_into_view_if_needed()  # below the first screen
    page.mouse.click(*square_centre(page, "hidden", 9, 4, drawing=2))  # the GRU's states
    wait_for(page, SELECTED_JS, selected(9, 4))
    page.mouse.click(*square_centre(page, "candidate", 6, 8, drawing=2))
    page.keyboard.press("ArrowRight")  # at once, before the page answers: a step on from the clicked square
    wait_for(page, SELECTED_JS, selected(7, 8))
    screenshot(page, "gru_clicked_square")


def test_weights_choice_redraws_with_64_units_and_back(server, page):
    open_page(page, server, "/gru-variant?weights=trained&step=4&unit=50", svgs=3)
    wait_for(page, WIDTH_JS, 64)
    unit = page.locator('.gbg-stepper label[data-range="unit"] input')
    assert unit.input_value() == "50" and unit.get_attribute("max") == "64"
    trained = page.locator(".gbg-choice button", has_text="trained on stories")
    assert trained.get_attribute("aria-checked") == "true"
    assert "H = 64" in page.locator(".gbg-live-svg-above .gbg-caption").inner_text()
    tall_screenshot(page, "gru_trained")
    page.locator(".gbg-choice button", has_text="seeded (random)").click()
    wait_for(page, WIDTH_JS, 8)
    wait_for(page, SELECTED_JS, selected(4, 8))  # the step kept, the unit inside the 8 units
    page.wait_for_function("() => !new URLSearchParams(location.search).has('weights')")  # after the pause
    assert "H = 8" in page.locator(".gbg-live-svg-above .gbg-caption").inner_text()
    trained.click()  # and forth again: the trained drawings, the unit where it was clamped
    wait_for(page, WIDTH_JS, 64)
    wait_for_url(page, "weights=trained")
    assert unit.input_value() == "8"
    assert no_exception(page) == []


# The first numbers table's first row: its cells (the token label, then units 1, 2, …) hold these values.
TABLE_ROW_JS = """([label, values]) => { const cells = Array.from(
  document.querySelectorAll('[data-testid="stDataFrame"] [role="gridcell"]'), c => c.textContent);
  return cells[0] === label && values.every((v, k) => Math.abs(Number(cells[k + 1]) - v) < 1e-9); }"""


def test_weights_switch_with_the_numbers_shown_redraws_the_tables(server, page):
    """The switch reruns only the step view, unless a numbers table is shown: then the page too."""
    gru, _ = seeded()
    trained = run_text(load_model("trained_story_gru"), " ".join(TOKENS)).trace
    open_page(page, server, "/gru-variant", svgs=3)
    page.get_by_text("Show the GRU's numbers").click()
    label = token_labels(TOKENS)[0]
    wait_for(page, TABLE_ROW_JS, [label, gru.reset[0, :4].tolist()])
    page.locator(".gbg-choice button", has_text="trained on stories").click()
    wait_for(page, WIDTH_JS, 64)
    wait_for(page, TABLE_ROW_JS, [label, trained.reset[0, :4].tolist()])
    assert no_exception(page) == []


def test_bad_input_shows_a_message(server, page):
    open_page(page, server, "/gru-variant?sentence=")
    page.get_by_text("The sentence is empty").wait_for()
    assert page.locator(HEAT_SVG).count() == 0 and no_exception(page) == []


def test_presenter_mode_is_large(server, page):
    open_page(page, server, "/gru-variant?step=4&unit=6", svgs=3)
    wait_for(page, SELECTED_JS, selected(4, 6))
    sizes_js = """() => [document.querySelector('.gbg-stepper').style.fontSize,
      getComputedStyle(document.querySelector('.gbg-live-svg-below .katex')).fontSize,
      getComputedStyle(document.querySelector('.gbg-live-svg-below p')).fontSize]"""
    normal = [float(v.rstrip("px")) for v in page.evaluate(sizes_js)]
    open_page(page, server, "/gru-variant?step=4&unit=6&presenter=true", svgs=3)
    wait_for(page, SELECTED_JS, selected(4, 6))
    large = [float(v.rstrip("px")) for v in page.evaluate(sizes_js)]
    assert large[0] >= 22 and all(b > a for a, b in zip(normal, large, strict=True)), (normal, large)
    assert no_exception(page) == []
    tall_screenshot(page, "gru_presenter")
