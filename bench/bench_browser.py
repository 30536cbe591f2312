"""Browser timings in Chromium: widget change → page redrawn (p50/p95 per interaction), and
server start → first page drawn. Targets (PERFORMANCE.md): p50 ≤ 120 ms, p95 ≤ 250 ms, start ≤ 2.5 s.

    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python bench/bench_browser.py [--reps 20] [--starts 3] \\
        [--out f.json]

A timing runs from the action (click / key press / Enter) until the expected new content is drawn AND the
app is idle (the wait in tests/browser/conftest.py). Add a page by adding an ``Interaction`` to
``INTERACTIONS``: a path to open, an action for repetition i, and a JS predicate of the action's result.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_ui.text import parse_sentence, token_labels  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    VIEWPORT,
    heat_y_is_js,
    launch_browser,
    open_page,
    plots_drawn_js,
    start_server,
    stop_server,
    wait_for,
    warm_up,
)

STEP_IS_JS = """(t) => { const s = document.querySelector('[data-testid="stSlider"] input[type="range"]');
  const strip = document.querySelector('table.gbg-strip');
  return !!s && s.value === String(t) && !!strip && strip.dataset.step === String(t); }"""
ANNOTATION_HAS_JS = """(text) => Array.from(document.querySelectorAll('.js-plotly-plot .annotation-text'))
  .some(a => a.textContent.includes(text))"""


@dataclass(frozen=True)
class Interaction:
    page: str  # label in the report
    name: str
    path: str  # URL path to open before the repetitions
    act: Callable[[object, int], object]  # act(page, i) -> the argument of `done`
    done: str  # JS predicate of that argument: the new content is drawn


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


INTERACTIONS: tuple[Interaction, ...] = (
    Interaction("home", "notation switch", "/", _notation_home, ANNOTATION_HAS_JS),
    Interaction("step", "next/previous (← →)", "/step", _arrow, STEP_IS_JS),
    Interaction("step", "type a sentence", "/step", _type_sentence, heat_y_is_js()),
    Interaction("step", "notation switch", "/step", _notation, ANNOTATION_HAS_JS),
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def time_interaction(page, base: str, inter: Interaction, reps: int) -> list[float]:
    open_page(page, base, inter.path, plots=1)
    page.get_by_role("heading").first.click()  # focus on no widget, so arrow keys reach the shortcuts
    times = []
    for i in range(reps + 1):  # the first one warms caches and is dropped
        t0 = time.perf_counter()
        arg = inter.act(page, i)
        wait_for(page, inter.done, arg)
        if i:
            times.append((time.perf_counter() - t0) * 1000)
    return times


def time_first_draw(browser, starts: int) -> list[float]:
    out = []
    for _ in range(starts):
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        t0 = time.perf_counter()
        proc, base = start_server()
        try:
            open_page(page, base, "/", plots=1)
            wait_for(page, plots_drawn_js(1))
            out.append(time.perf_counter() - t0)
        finally:
            stop_server(proc)
            context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    report: dict[str, object] = {"interactions": []}
    with sync_playwright() as p:
        browser = launch_browser(p)
        starts = time_first_draw(browser, args.starts)
        report["first_draw_s"] = {"median": statistics.median(starts), "all": starts}
        print(f"server start → home drawn: median {statistics.median(starts):.2f} s "
              f"({', '.join(f'{s:.2f}' for s in starts)}; target ≤ 2.5 s)")  # fmt: skip
        proc, base = start_server()
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            warm_up(page, base)
            print(f"{'page':6} {'interaction':24} {'p50 ms':>8} {'p95 ms':>8}  (n={args.reps}, goal 120/250)")
            for inter in INTERACTIONS:
                ms = time_interaction(page, base, inter, args.reps)
                p50, p95 = percentile(ms, 50), percentile(ms, 95)
                report["interactions"].append(
                    {"page": inter.page, "name": inter.name, "p50": p50, "p95": p95}
                )
                print(f"{inter.page:6} {inter.name:24} {p50:8.0f} {p95:8.0f}")
        finally:
            stop_server(proc)
            browser.close()
    if args.out:
        args.out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
