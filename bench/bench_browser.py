"""Browser timings in Chromium: widget change → page redrawn (p50/p95 per interaction), and
server start → first page drawn. Targets (PERFORMANCE.md): p50 ≤ 120 ms, p95 ≤ 250 ms, start ≤ 2.5 s.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/bench_browser.py [--reps 20] [--starts 5] \\
        [--out f.json]

A timing runs from the input event (the page's own clock at the keydown / pointerdown of the action) to
the first animation frame in which the expected new content is drawn AND the app is idle (the wait in
tests/browser/conftest.py): what a person at the keyboard waits. The "driver" column also counts
Playwright's own round trips (locating the element, the CDP calls, polling), ~30–50 ms more.
Add a page by adding an ``Interaction`` to ``INTERACTIONS``: a path to open, an action for repetition i,
and a JS predicate of the action's result.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_core import init_rnn, load_examples, run_lstm, run_rnn  # noqa: E402
from lstm_ui.compute import DEFAULT_MODEL, MODELS  # noqa: E402
from lstm_ui.equations import fmt  # noqa: E402
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence, token_labels  # noqa: E402
from lstm_ui.viewmodels.gru import WEIGHT_SETS  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    BARS_ARE_JS,
    HEAT_SVG,
    IDLE_JS,
    VIEWPORT,
    heat_rows_js,
    launch_browser,
    open_page,
    screenshot,
    square_centre,
    start_server,
    stop_server,
    wait_for,
    warm_up,
)

# The heatmaps are SVG drawings (lstm_ui/heat_svg.py): ``HEAT`` finds them, ``OUTLINES_AT`` is true of one
# whose selection (a row outline per panel) is on step ``t`` (1-based).
HEAT = repr(HEAT_SVG)
OUTLINES_AT = """(svg, t) => { const r = svg.querySelectorAll('[data-role="row-outline"]');
  return r.length > 0 && Array.from(r).every(o => o.dataset.t === String(t)); }"""
# The step-through page at step t: slider, strip and the heatmaps' outline of row t.
STEP_IS_JS = (
    """(t) => { const s = document.querySelector('.gbg-stepper label[data-range="step"] input');
  const strip = document.querySelector('table.gbg-strip'); const svg = document.querySelector("""
    + HEAT
    + """);
  return !!s && s.value === String(t) && !!strip && strip.dataset.step === String(t) && !!svg && ("""
    + OUTLINES_AT
    + """)(svg, t); }"""
)
# A notation switch is drawn: some heatmap panel's title holds ``text``.
PANEL_TITLE_HAS_JS = (
    "(text) => Array.from(document.querySelectorAll("
    + repr(HEAT_SVG + " [data-role=panel-title]")
    + ")).some(a => a.textContent.includes(text))"
)
KATEX_HAS_JS = """(want) => Array.from(document.querySelectorAll('.katex-mathml annotation'))
  .some(e => e.textContent.includes(want))"""
# Plain RNN: the step slider shows ``t``, some KaTeX holds ``want`` (the page's equation) and the unrolled
# drawing's overlay outlines copy t.
RNN_STEP_JS = (
    """([t, want]) => { const s = document.querySelector('.gbg-stepper label[data-range="step"] input');
  const o = document.querySelector(
    '.gbg-live-svg svg[data-role="unrolled"] g[data-role="overlay"] [data-role="step-outline"]');
  return !!s && s.value === String(t) && !!o && o.dataset.t === String(t) && ("""
    + KATEX_HAS_JS
    + """)(want); }"""
)
# The step slider shows ``t`` and the cell diagram (an SVG, lstm_ui/live_svg.py) draws the label of ``wire``
# ending with ``want`` (tests/browser/test_cell_browser.py).
WIRE_DRAWN_JS = """([wire, want, t]) => document.querySelector(
  '.gbg-stepper label[data-range="step"] input').value === String(t) && (() => {
  const el = document.querySelector(`.gbg-live-svg svg [data-wire="${wire}"]`);
  return !!el && el.textContent.trim().endsWith(want); })()"""
TITLE_HAS_JS = """(want) => {
  const el = document.querySelector('.gbg-live-svg-drawings svg [data-role="title"]');
  return !!el && el.textContent.includes(want); }"""
# Gate lab: the forget product in KaTeX and the drawn bars of C^f show the new numbers.
LAB_JS = "([tex, bars]) => (" + KATEX_HAS_JS + ")(tex) && (" + BARS_ARE_JS + ')(["forget_part", bars])'
# GRU: the step slider shows t, the heading under the drawings names step t, and each of the three heatmap
# drawings outlines row t.
GRU_STEP_JS = (
    """(t) => { const s = document.querySelector('.gbg-stepper label[data-range="step"] input');
  const h = document.querySelector('.gbg-live-svg-below h3');
  const svgs = Array.from(document.querySelectorAll("""
    + HEAT
    + """));
  return !!s && s.value === String(t) && !!h && h.textContent.startsWith(`Step ${t}:`)
    && svgs.length === 3 && svgs.every(svg => ("""
    + OUTLINES_AT
    + """)(svg, t)); }"""
)
# GRU: the three drawings are h units wide (the trained models have 64, the seeded ones 8).
GRU_WIDTH_JS = (
    """(h) => { const svgs = Array.from(document.querySelectorAll("""
    + HEAT
    + """));
  return svgs.length === 3 && svgs.every(svg => svg.dataset.units === String(h)); }"""
)
# Stories: the word view (one component) names word t and its focus heatmap outlines row t.
STORY_WORD_JS = (
    """(t) => { const svg = document.querySelector("""
    + HEAT
    + """); const at = document.querySelector('.gbg-live-svg [data-role="at"]');
  return !!at && at.textContent.includes(`(word ${t} of`) && !!svg && ("""
    + OUTLINES_AT
    + """)(svg, t); }"""
)
# Stories: the first (best) bar of the word view's prediction bars is the word ``want``.
BEST_BAR_JS = """(want) => { const b = document.querySelector(
  '.gbg-live-svg svg[data-role="bars"] g[data-role="bar"]'); return !!b && b.dataset.label === want; }"""


@dataclass(frozen=True)
class Interaction:
    page: str  # label in the report
    name: str
    path: str  # URL path to open before the repetitions
    act: Callable[[object, int], object]  # act(page, i) -> the argument of `done`
    done: str  # JS predicate of that argument: the new content is drawn
    plots: int = 0  # plotly charts the page draws when opened
    svgs: int = 0  # heatmap drawings (SVG) the page draws when opened
    app: str = "app.py"  # the script the server runs


def _floor_pick(page, i: int) -> str:
    choice = ("right", "left")[i % 2]
    page.get_by_text(choice, exact=True).click()
    return f"Chosen: {choice}"


FLOOR_JS = """(want) => Array.from(document.querySelectorAll('[data-testid="stMarkdownContainer"]'))
  .some(m => m.textContent === want)"""
# Streamlit's own round trip on this machine (bench/floor_app.py), timed like the app's interactions.
FLOOR = Interaction("floor", "radio → text (Streamlit)", "/", _floor_pick, FLOOR_JS, app="bench/floor_app.py")


def _click_square(page, i: int) -> int:
    t = 2 + i % 5
    page.mouse.click(*square_centre(page, "forget", t, 2))
    return t


# A fragment holding one live drawing and nothing else (bench/component_floor_app.py): a step's cost when
# all it changes is one component.
COMPONENT_FLOOR = Interaction(
    "floor", "click → one component", "/", _click_square, "(t) => { const svg = document.querySelector("
    + HEAT + "); return !!svg && (" + OUTLINES_AT + ")(svg, t); }", svgs=1,
    app="bench/component_floor_app.py",
)  # fmt: skip


def _arrow(page, i: int) -> int:
    page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
    return 2 if i % 2 == 0 else 1


def _type_sentence(page, i: int) -> list[str]:
    sentence = ("The clouds are in the sky", "Bob is a nice person. Dan on the other hand is evil.")[i % 2]
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.fill(sentence)
    box.press("Enter")
    return token_labels(parse_sentence(sentence).tokens)


def _notation(page, i: int) -> str:
    label, text = (("split", "new information"), ("colah", "candidate"))[i % 2]
    page.get_by_text(label, exact=True).click()
    return text


def _notation_home(page, i: int) -> str:
    label, text = (("LTM-STM", "forget factor"), ("colah", "forget gate"))[i % 2]
    page.get_by_text(label, exact=True).click()
    return text


def _shown(v: float) -> str:
    return f"{v:.3f}".replace("-", "−")  # the cell diagram draws U+2212 minus signs


@lru_cache(maxsize=1)
def _reference() -> dict[str, np.ndarray]:
    """The numbers the pages should show for the default sentence (seeded models, as the app builds them)."""
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    xs = embed(tokens, 16)
    return {"rnn_hidden": run_rnn(init_rnn(16, 8, seed=0), xs).hidden,
            "lstm_cell": run_lstm(MODELS[DEFAULT_MODEL].build(), xs).cell}  # fmt: skip


def _rnn_step(page, i: int) -> list:
    t = _arrow(page, i) + 2  # the deep link opens at step 3
    return [t, f"= {fmt(_reference()['rnn_hidden'][t - 1, 0])}"]


def _cell_step(page, i: int) -> list:
    t = _arrow(page, i) + 2  # the deep link opens at step 3
    return ["c_out", _shown(_reference()["lstm_cell"][t - 1, 1]), t]


def _cell_stage(page, i: int) -> str:
    label, title = (("Output", "output"), ("Forget", "forget"))[i % 2]
    page.locator(".gbg-choice button", has_text=label).click()
    return title


def _lab_demo(page, i: int) -> list:
    if i % 2 == 0:
        page.get_by_role("button", name="f = 0: forget everything").click()
        return ["[1, 2, 4] * [0, 0, 0] = [0, 0, 0]", [0, 0, 0]]
    page.get_by_role("button", name="Lecture example").click()
    return ["[1, 2, 4] * [1, 0, 1] = [1, 0, 4]", [1, 0, 4]]


def _gru_weights(page, i: int) -> int:
    label, width = ((WEIGHT_SETS["trained"].title, 64), (WEIGHT_SETS["seeded"].title, 8))[i % 2]
    page.locator(".gbg-choice button", has_text=label).click()
    return width


def _story_name(page, i: int) -> str:
    name = ("Maria", "Bob")[i % 2]
    box = page.get_by_role("textbox", name="Sentence (edit it: another name, more words in between)")
    box.fill(STORY_SENTENCE.replace("Bob", name))
    box.press("Enter")
    return name


STORY_SENTENCE = load_examples()["output_brave"].sentence
# fmt: off
INTERACTIONS: tuple[Interaction, ...] = (
    Interaction("home", "notation switch", "/", _notation_home, PANEL_TITLE_HAS_JS, svgs=1),
    Interaction("rnn", "next/previous (← →)", "/plain-rnn?step=3", _rnn_step, RNN_STEP_JS, plots=3),
    Interaction("step", "next/previous (← →)", "/step", _arrow, STEP_IS_JS, svgs=1),
    Interaction("step", "type a sentence", "/step", _type_sentence, heat_rows_js(), svgs=1),
    Interaction("step", "notation switch", "/step", _notation, PANEL_TITLE_HAS_JS, svgs=1),
    Interaction("cell", "next/previous (← →)", "/inside-cell?step=3&unit=2", _cell_step, WIRE_DRAWN_JS),
    Interaction("cell", "stage switch", "/inside-cell?step=3&unit=2", _cell_stage, TITLE_HAS_JS),
    Interaction("lab", "demo button", "/gates", _lab_demo, LAB_JS),
    Interaction("stories", "next/previous word (← →)", "/lecture-stories?example=output_brave&word=3",
                lambda p, i: _arrow(p, i) + 2, STORY_WORD_JS, svgs=1),
    Interaction("stories", "type a name", "/lecture-stories?example=output_brave", _story_name, BEST_BAR_JS,
                svgs=1),
    Interaction("gru", "next/previous (← →)", "/gru-variant", _arrow, GRU_STEP_JS, svgs=3),
    Interaction("gru", "weights switch", "/gru-variant", _gru_weights, GRU_WIDTH_JS, svgs=3),
)
# fmt: on


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


# Arm a measurement in the page: the first keydown/pointerdown from now is t0; a requestAnimationFrame
# loop stamps t1 at the first frame where ``done(arg)`` holds and the app is idle. The predicate's
# argument is only known after the action, so the loop starts waiting for it (``window.__benchArg``).
ARM_JS = (
    """() => { const b = window.__bench = {t0: null, t1: null};
  const on = () => { if (b.t0 === null) b.t0 = performance.now(); };
  document.addEventListener('keydown', on, {capture: true, once: true});
  document.addEventListener('pointerdown', on, {capture: true, once: true});
  const idle = """
    + IDLE_JS
    + """;
  const loop = () => {
    if (window.__bench !== b) return;
    if (b.t0 !== null && b.done && b.done(b.arg) && idle()) { b.t1 = performance.now(); return; }
    requestAnimationFrame(loop); };
  requestAnimationFrame(loop); }"""
)
SET_DONE_JS = "([src, arg]) => { window.__bench.done = eval(src); window.__bench.arg = arg; }"
MEASURED_JS = "() => window.__bench.t1 !== null"


def repetition(page, inter: Interaction, i: int) -> tuple[float, float]:
    """Repetition ``i`` of ``inter`` in an open page (an action depends on its index: ← and → alternate):
    (in-page ms from the input event to drawn and idle, driver ms)."""
    page.evaluate(ARM_JS)
    t0 = time.perf_counter()
    arg = inter.act(page, i)
    page.evaluate(SET_DONE_JS, ["(" + inter.done + ")", arg])
    wait_for(page, inter.done, arg)
    page.wait_for_function(MEASURED_JS, polling="raf", timeout=15_000)
    driver = (time.perf_counter() - t0) * 1000
    return page.evaluate("() => window.__bench.t1 - window.__bench.t0"), driver


def time_interaction(page, base: str, inter: Interaction, reps: int) -> tuple[list[float], list[float]]:
    """(in-page ms from the input event to drawn and idle, driver ms) per repetition."""
    open_page(page, base, inter.path, plots=inter.plots, svgs=inter.svgs)
    page.get_by_role("heading").first.click()  # focus on no widget, so arrow keys reach the shortcuts
    repetition(page, inter, 0)  # warms caches; dropped
    timed = [repetition(page, inter, i) for i in range(1, reps + 1)]
    return [ms for ms, _ in timed], [driver for _, driver in timed]


def time_first_draw(browser, starts: int) -> dict[str, list[float]]:
    """Seconds from ``streamlit run`` to the first page drawn, ``starts`` times each for the app (home's
    forget-gate drawing) and for Streamlit's own floor (bench/floor_app.py's text), alternating, so both
    see the same machine. The servers run without ``PYTHONDONTWRITEBYTECODE``: this machine sets it, and
    it makes every start compile the app's ~50 modules again, which a user's Python does once."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out: dict[str, list[float]] = {"app": [], "floor": []}
    for _ in range(starts):
        for which, app in (("app", "app.py"), ("floor", FLOOR.app)):
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            t0 = time.perf_counter()
            proc, base = start_server(app, env=env)
            try:
                if which == "app":
                    open_page(page, base, "/", svgs=1)  # waits for the forget-gate drawing
                else:
                    page.goto(base + "/")
                    wait_for(page, FLOOR_JS, "Chosen: left", timeout=30_000)
                out[which].append(time.perf_counter() - t0)
            finally:
                stop_server(proc)
                context.close()
    return out


def time_and_print(browser, base: str, inter: Interaction, reps: int) -> dict[str, object]:
    """Time ``inter`` in a fresh browser context (default notation etc.); print its row; its report."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        ms, driver = time_interaction(page, base, inter, reps)
    except PlaywrightTimeout:  # report it and go on with the other pages
        shot = screenshot(page, f"bench_timeout_{inter.page}")
        print(f"{inter.page:8} {inter.name:24} timed out (screenshot {shot})", flush=True)
        return {"page": inter.page, "name": inter.name, "timed_out": True}
    finally:
        context.close()
    p50, p95 = percentile(ms, 50), percentile(ms, 95)
    d50, d95 = percentile(driver, 50), percentile(driver, 95)
    flag = "" if p50 <= 120 and p95 <= 250 else "  (over)"
    print(f"{inter.page:8} {inter.name:24} {p50:8.0f} {p95:8.0f}  {d50:7.0f}/{d95:<7.0f}{flag}", flush=True)
    return {"page": inter.page, "name": inter.name, "p50": p50, "p95": p95, "all": ms,
            "driver_p50": d50, "driver_p95": d95, "driver_all": driver}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--only", default="", help="comma-separated page labels to time (default: all)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    pages = args.only.split(",") if args.only else [i.page for i in INTERACTIONS]
    chosen = [FLOOR, COMPONENT_FLOOR] + [i for i in INTERACTIONS if i.page in pages]
    report: dict[str, object] = {"interactions": [], "load_before": os.getloadavg()}
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    with sync_playwright() as p:
        browser = launch_browser(p)
        if args.starts:
            starts = time_first_draw(browser, args.starts)
            report["first_draw_s"] = {
                which: {"median": statistics.median(times), "all": times} for which, times in starts.items()
            }
            for which, label in (("app", "home drawn"), ("floor", "floor app drawn (Streamlit alone)")):
                times = starts[which]
                print(f"server start → {label}: median {statistics.median(times):.2f} s "
                      f"({', '.join(f'{t:.2f}' for t in times)}; target ≤ 2.5 s)")  # fmt: skip
        print(f"{'page':8} {'interaction':24} {'p50 ms':>8} {'p95 ms':>8}  {'driver p50/p95':>15}"
              f"  (n={args.reps}, goal 120/250)")  # fmt: skip
        try:
            for app in dict.fromkeys(inter.app for inter in chosen):  # the floor first, then the app
                proc, base = start_server(app)
                try:
                    warm = browser.new_context(viewport=VIEWPORT)
                    warm_up(warm.new_page(), base)  # a fresh server knows its pages after one run of app.py
                    warm.close()
                    for inter in (i for i in chosen if i.app == app):
                        report["interactions"].append(time_and_print(browser, base, inter, args.reps))
                finally:
                    stop_server(proc)
        finally:
            browser.close()
    report["load_after"] = os.getloadavg()
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
