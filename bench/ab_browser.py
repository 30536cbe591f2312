"""A / B in Chromium: the same interactions of bench_browser.py on two checkouts, in the same minutes.

This machine drifts by ±30 % within the hour, more than most changes are worth; two runs of
bench_browser.py an hour apart cannot tell a 15 ms change from the drift. This script starts one server
per checkout and times the interactions on both in alternating batches, so both see the same machine.

    git worktree add /tmp/base <commit>
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/ab_browser.py /tmp/base . \\
        --only "step:next/previous (← →),home:notation switch" [--rounds 6] [--batch 6] [--pace 0]

``--only`` names interactions as ``page:name`` (the first two columns of bench_browser.py's table; all
of them by default). ``--pace`` waits that many seconds before each repetition (a reader who pauses
between steps). Both checkouts run with this repository's bench/ and test helpers (so an interaction whose
expected content changed between the two needs a predicate that holds on both) and with this venv's
Python, unless ``--python-a`` / ``--python-b`` name another (to A/B a dependency).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_browser import percentile, repetition  # noqa: E402
from bench.browser_interactions import COMPONENT_FLOOR, FLOOR, INTERACTIONS, Interaction  # noqa: E402
from tests.browser.page_helpers import VIEWPORT, launch_browser, open_page, start_server, stop_server  # noqa: E402


def batch(page, inter: Interaction, first: int, n: int, pace: float) -> tuple[list[float], int]:
    """Repetitions ``first`` … ``first + n - 1`` of ``inter``, each after ``pace`` seconds: (in-page ms,
    how many were not drawn within the predicate's 15 s). A repetition that times out (once in a few
    thousand on this shared machine, on either side) is counted, not timed; the page is opened again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    out, lost = [], 0
    for i in range(first, first + n):
        time.sleep(pace)
        try:
            out.append(repetition(page, inter, i)[0])
        except PlaywrightTimeout:
            lost += 1
            base = page.url.split("/", 3)
            open_page(page, "/".join(base[:3]), inter.path, plots=inter.plots, svgs=inter.svgs)
            page.get_by_role("heading").first.click()
    return out, lost


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("a", type=Path, help="checkout A (e.g. a git worktree of the base commit)")
    parser.add_argument("b", type=Path, help="checkout B")
    parser.add_argument("--only", default="", help='comma-separated "page:name" interactions (default: all)')
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--batch", type=int, default=6)
    parser.add_argument("--pace", type=float, default=0.0)
    parser.add_argument("--python-a", default=sys.executable, help="the Python (venv) that serves A")
    parser.add_argument("--python-b", default=sys.executable, help="the Python (venv) that serves B")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n]
    candidates = (FLOOR, COMPONENT_FLOOR, *INTERACTIONS)
    chosen = [i for i in candidates if f"{i.page}:{i.name}" in names or (not names and i in INTERACTIONS)]
    if names and len(chosen) != len(names):
        known = ", ".join(f"{i.page}:{i.name}" for i in candidates)
        raise SystemExit(f"unknown interaction in {names}; known: {known}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        servers = {  # (checkout, app) → (process, base URL): the floors' apps too (bench/*_app.py)
            (label, app): start_server(app, cwd=path.resolve(), python=python)
            for app in dict.fromkeys(i.app for i in chosen)
            for label, path, python in (("A", args.a, args.python_a), ("B", args.b, args.python_b))
        }
        try:
            for inter in chosen:
                pages = {}
                for label in ("A", "B"):
                    _proc, base = servers[label, inter.app]
                    context = browser.new_context(viewport=VIEWPORT)
                    page = context.new_page()
                    open_page(page, base, inter.path, plots=inter.plots, svgs=inter.svgs)
                    page.get_by_role("heading").first.click()  # focus on no widget: keys reach the page
                    batch(page, inter, 0, 1, 0.0)  # warms its caches; not counted
                    pages[label] = (context, page)
                times: dict[str, list[float]] = {label: [] for label in pages}
                lost = dict.fromkeys(pages, 0)
                for r in range(args.rounds):
                    for label, (_context, page) in pages.items():
                        timed, missed = batch(page, inter, 1 + r * args.batch, args.batch, args.pace)
                        times[label] += timed
                        lost[label] += missed
                for context, _page in pages.values():
                    context.close()
                row = "  ".join(
                    f"{label} p50 {statistics.median(t):4.0f} p95 {percentile(t, 95):4.0f}"
                    for label, t in times.items()
                )
                timeouts = f", timed out: A {lost['A']}, B {lost['B']}" if any(lost.values()) else ""
                n = args.rounds * args.batch
                print(f"{inter.page}:{inter.name:28} {row}  (n={n} each{timeouts})", flush=True)
        finally:
            for proc, _base in servers.values():
                stop_server(proc)
            browser.close()


if __name__ == "__main__":
    main()
