"""Browser timings in Chromium: widget change → page redrawn (p50/p95 per interaction), and
server start → first page drawn. Targets (PERFORMANCE.md): p50 ≤ 120 ms, p95 ≤ 250 ms, start ≤ 2.5 s.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/bench_browser.py [--reps 20] [--starts 5] \\
        [--out f.json]

A timing runs from the input event (the page's own clock at the keydown / pointerdown of the action) to
the first animation frame in which the expected new content is drawn AND the app is idle (the wait in
tests/browser/page_helpers.py): what a person at the keyboard waits. The "driver" column also counts
Playwright's own round trips (locating the element, the CDP calls, polling), ~30–50 ms more.
Add a page by adding an ``Interaction`` to ``INTERACTIONS`` (bench/browser_interactions.py): a path to
open, an action for repetition i, and a JS predicate of the action's result.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.browser_interactions import COMPONENT_FLOOR, FLOOR, FLOOR_JS, INTERACTIONS, Interaction  # noqa: E402
from tests.browser.page_helpers import (  # noqa: E402
    IDLE_JS,
    VIEWPORT,
    launch_browser,
    open_page,
    screenshot,
    start_server,
    stop_server,
    wait_for,
    warm_up,
)


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
