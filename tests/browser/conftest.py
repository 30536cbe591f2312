"""Real-browser fixtures: one Streamlit server and one Chromium per test module.

The helpers the browser tests use live beside this file; tests import them directly::

    from tests.browser.heatmap_helpers import heat_drawings
    from tests.browser.page_helpers import open_page, plot_data, wait_for

``page_helpers``: the server, Chromium, opening a page, waits, the address, plotly charts (``plot_data``:
the remaining ones are the RNN page's), screenshots; ``heatmap_helpers``: the heatmap drawings' squares,
row labels and selection.

Chromium is Debian's (/usr/bin/chromium); a missing browser FAILS the tests, it never skips them.
See /work/shared/BROWSER_TESTING.md for why the waits look the way they do.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # so test modules can `from tests.browser.page_helpers import ...`
    sys.path.insert(0, str(ROOT))

from tests.browser.page_helpers import VIEWPORT, launch_browser, start_server, stop_server, warm_up  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc, base = start_server()
    try:
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_browser(p)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def page(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    warm_up(pg, server)
    try:
        yield pg
    finally:
        context.close()
