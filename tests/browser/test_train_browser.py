"""The Train page in Chromium: press Train and the progress bar moves and the curve grows while the run
trains in the server's worker; Stop stops it; the snapshot slider changes the heatmap; a race draws the
three cells on shared axes; the trained model opens in step-through; at 420 px every text of a trained
run is readable and nothing overlaps, and in presenter mode at 1280×720 its curves are on the first
screen. Screenshots in test-artifacts/ (desktop 1400 px, phone 420 px, presenter)."""

from __future__ import annotations

import time

import pytest

from tests.browser.heatmap_helpers import heat_drawings, heats_drawn_js
from tests.browser.page_helpers import (
    ARTIFACTS,
    PHONE,
    PRESENTER,
    no_exception,
    open_page,
    page_in_new_context,
    screenshot,
    tall_screenshot,
    wait_for,
    wait_idle,
)
from tests.browser.test_small_screens_browser import COVERED_JS, FIRST_SCREEN, READABLE_PX, SMALLEST_TEXT_JS

pytestmark = pytest.mark.browser

SLOW = "/train?gap=50&steps=3000&lr=0.0003"  # about 4 s of training: slow enough to watch it move
TINY = "/train?gap=4&hidden=6&steps=40"

PROGRESS_JS = """() => {
  const bar = document.querySelector('[data-testid="stProgress"] [role="progressbar"]');
  return bar ? Number(bar.getAttribute('aria-valuenow')) : null; }"""
# The curves chart's training-loss points drawn (plotly's full data), per trace name.
CURVE_JS = """() => { const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(
    g => (g.layout || {}).yaxis2 !== undefined);
  return gd ? Object.fromEntries((gd._fullData || []).map(t => [t.name, Array.from(t.x || []).length]))
    : {}; }"""
STATE_JS = """(text) => Array.from(document.querySelectorAll('[data-testid="stAlert"]')).some(
  a => a.innerText.includes(text))"""


def progress(page) -> float | None:
    return page.evaluate(PROGRESS_JS)


def curve_points(page) -> dict[str, int]:
    return page.evaluate(CURVE_JS)


def press(page, label: str) -> None:
    page.get_by_role("button", name=label, exact=False).first.click()


def test_train_moves_the_bar_grows_the_curve_and_stop_stops(page, server):
    open_page(page, server, SLOW)
    press(page, "Train")
    page.wait_for_function(f"() => ({PROGRESS_JS})() > 0", polling="raf", timeout=30_000)
    first_bar, first_curve = progress(page), curve_points(page).get("training loss", 0)
    page.wait_for_function(
        f"(was) => ({PROGRESS_JS})() > was + 2", arg=first_bar, polling="raf", timeout=30_000
    )
    page.wait_for_function(  # the curve grows with the bar (its chart redraws just after the bar)
        f"(was) => (({CURVE_JS})()['training loss'] || 0) > was",
        arg=first_curve,
        polling="raf",
        timeout=10_000,
    )
    screenshot(page, "train_running")
    press(page, "Stop")
    wait_for(page, STATE_JS, "Stopped at step", timeout=15_000)
    stopped = progress(page)
    time.sleep(1.5)  # three polls
    wait_idle(page)
    assert progress(page) == stopped  # nothing trains while stopped
    assert 0 < stopped < 100
    assert not no_exception(page)


def test_the_snapshot_slider_changes_the_heatmap(page, server):
    open_page(page, server, SLOW)
    press(page, "Train")
    wait_for(page, STATE_JS, "Done in", timeout=60_000)
    wait_for(page, heats_drawn_js(1), timeout=15_000)
    newest = heat_drawings(page)[0]["panels"]["forget"]["shown"]
    slider = page.get_by_role("slider").last  # the snapshot slider, under the curves
    slider.focus()
    page.keyboard.press("Home")  # the first snapshot: the untrained model
    page.wait_for_function(
        """(newest) => { const svg = document.querySelector('.gbg-live-svg svg[data-role="heatmap"]');
          const g = svg && svg.querySelector('g[data-panel="forget"]');
          const now = g && g.dataset.values.split(' ').slice(0, 16).join(' ');
          return now && now !== newest.slice(0, 16).join(' '); }""",
        arg=[v for row in newest for v in row],
        polling="raf",
        timeout=15_000,
    )
    wait_idle(page)
    assert heat_drawings(page)[0]["panels"]["forget"]["shown"] != newest
    assert "After 0 training steps" in page.locator(".gbg-live-svg").first.inner_text()
    tall_screenshot(page, "train_snapshot_first", height=4200)


def test_a_race_draws_three_cells_on_shared_axes(page, server):
    open_page(page, server, TINY)
    press(page, "Race")
    wait_for(page, STATE_JS, "Done in", timeout=60_000)
    page.wait_for_function(f"() => Object.keys(({CURVE_JS})()).length >= 3", polling="raf", timeout=15_000)
    names = curve_points(page)
    assert {"plain RNN", "GRU", "LSTM"} <= set(names)
    gradient = page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
          .filter(g => (g.layout.yaxis || {}).type === 'log').map(g => g._fullData.map(t => t.name))"""
    )
    assert len(gradient) == 1 and len(gradient[0]) == 4  # three ‖∂L/∂h_t‖ and the LSTM's ‖∂L/∂C_t‖
    lanes = page.evaluate(
        "() => Array.from(document.querySelectorAll('svg[data-role=\"gradient-path\"] [data-lane]'))"
        ".map(g => g.dataset.lane)"
    )
    assert lanes == ["lstm-cell", "rnn-hidden", "gru-hidden", "lstm-hidden"]
    tall_screenshot(page, "train_race", height=4600)
    assert page.evaluate(COVERED_JS) == []  # no download button over a drawing's text
    assert not no_exception(page)


def open_trained(page, server, path: str, where: str, page_path: str, param: str) -> str:
    """Train at ``path``, press the button opening the kept model ``where`` ("in Stories"), wait for
    ``page_path`` with ``param`` naming the model and its first drawing; the model's key."""
    open_page(page, server, path)
    press(page, "Train")
    wait_for(page, STATE_JS, "Done in", timeout=60_000)
    opener = page.get_by_role("button", name=where)
    label = opener.inner_text()
    key = label[label.index("“") + 1 : label.index("”")]
    opener.click()
    page.wait_for_url(f"**/{page_path}?*{param}={key}*", timeout=15_000)
    wait_for(page, heats_drawn_js(1), timeout=30_000)
    return key


def test_the_trained_model_opens_in_step_through(page, server):
    open_trained(page, server, TINY, "in step-through", "step", "model")
    rows = heat_drawings(page)[0]["rows"]
    assert len(rows) == 6 and rows[-1].endswith("?")  # the run's probe: clue, four symbols, "?"
    picker = page.locator('[data-testid="stSelectbox"]').first.locator("input").first
    assert picker.input_value().startswith("trained here: LSTM, 6 units")
    screenshot(page, "train_opened_in_step_through")
    assert not no_exception(page)


def test_a_story_model_trained_here_opens_in_stories(page, server):
    """A next-word model of this session tells the France story: Stories opens on it, at the blank."""
    open_trained(
        page, server, "/train?task=story&hidden=8&steps=20", "in Stories", "lecture-stories", "story_model"
    )
    assert "example=france_french" in page.url
    chosen = page.locator('[data-testid="stMain"] [data-testid="stRadio"] input:checked').first
    assert chosen.evaluate("el => el.closest('label').textContent").startswith("trained here")
    assert page.get_by_text("Word (the decisive one is chosen for you)").is_visible()
    screenshot(page, "train_opened_in_stories")
    assert not no_exception(page)


def trained(page, server, path: str) -> None:
    """Open ``path``, press Train and wait until the run is done and every drawing has settled."""
    open_page(page, server, path)
    press(page, "Train")
    wait_for(page, STATE_JS, "Done in", timeout=60_000)
    wait_for(page, heats_drawn_js(1), timeout=15_000)
    page.wait_for_timeout(600)  # late fonts and the drawings' own resize
    wait_idle(page)


def test_at_420_px_a_trained_run_is_readable_and_nothing_overlaps(browser, server):
    with page_in_new_context(browser, PHONE) as page:
        trained(page, server, TINY)
        assert no_exception(page) == []
        size, text = page.evaluate(SMALLEST_TEXT_JS)
        assert size >= READABLE_PX - 0.01, f"{text!r} is {size:.1f} px on screen"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 420  # no sideways page
        assert page.evaluate(COVERED_JS) == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "phone_train_run_top.png"))
        for name in ("curves", "training-snapshot", "gradient-path", "gradient-cell"):
            shown = page.locator(
                f'.gbg-live-svg-drawing[data-name="{name}"]' if name != "curves" else ".js-plotly-plot"
            ).first
            shown.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"phone_train_run_{name}.png"))


def test_presenter_at_1280x720_shows_the_curves_on_the_first_screen(browser, server):
    with page_in_new_context(browser, PRESENTER) as page:
        trained(page, server, TINY + "&presenter=true")
        assert no_exception(page) == []
        top, bottom = page.evaluate(
            """() => { const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(
                g => (g.layout || {}).yaxis2 !== undefined); const b = gd.getBoundingClientRect();
              return [b.top, b.bottom]; }"""
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "presenter_train_run.png"))
        shown = min(bottom, 720) - max(top, 0)
        assert shown >= min(bottom - top, FIRST_SCREEN * 720), (top, bottom)
