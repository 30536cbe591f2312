"""Real-browser fixtures: one Streamlit server and one Chromium per test module.

Other pages' browser tests import the helpers directly::

    from tests.browser.conftest import open_page, plot_data, wait_for

Chromium is Debian's (/usr/bin/chromium); a missing browser FAILS the tests, it never skips them.
See /work/shared/BROWSER_TESTING.md for why the waits look the way they do.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # so test modules can `from tests.browser.conftest import ...`
    sys.path.insert(0, str(ROOT))
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1400}

# The app is idle: script finished, connected, no skeleton or stale element left.
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-testid="stElementContainer"][data-stale="true"]');
}"""

# The drawn plotly figures: every trace's x, y, z as plotly.js holds them after drawing (``_fullData``:
# plotly.py sends numeric arrays base64-encoded; the full data has them decoded), for each chart.
PLOT_DATA_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
  gd => (gd._fullData || []).map(t => ({type: t.type, name: t.name, x: Array.from(t.x || []),
    y: Array.from(t.y || []), z: Array.from(t.z || []).map(r => Array.from(r))})))"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    app: str = "app.py", cwd: Path = ROOT, timeout: float = 30.0
) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run`` on a free port; return (process, base URL) once /_stcore/health is ok."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", app,
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.05)
    stop_server(proc)
    raise RuntimeError(f"streamlit did not answer on {base} within {timeout} s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def launch_browser(playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (browser tests never skip)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_idle(page, timeout: float = 15_000) -> None:
    page.wait_for_function(IDLE_JS, polling="raf", timeout=timeout)


def wait_for(page, predicate_js: str, arg: object = None, timeout: float = 15_000) -> None:
    """Wait until ``predicate_js`` (a JS function of ``arg``) is true AND the app is idle."""
    page.wait_for_function(
        f"(arg) => ({predicate_js})(arg) && ({IDLE_JS})()", arg=arg, polling="raf", timeout=timeout
    )


def plot_data(page) -> list[list[dict]]:
    """x, y and z of every trace of every drawn plotly chart, in page order."""
    return page.evaluate(PLOT_DATA_JS)


def plots_drawn_js(count: int = 1) -> str:
    """JS predicate: at least ``count`` plotly charts drawn with data and an SVG."""
    return (
        "() => { const g = document.querySelectorAll('.js-plotly-plot');"
        f" return g.length >= {count} && Array.from(g).every("
        "x => x.data && x.data.length > 0 && x.querySelector('svg.main-svg')); }"
    )


def heat_y_is_js() -> str:
    """JS predicate of ``arg`` (a list of labels): the first chart's y axis shows exactly these labels
    (the token rows of a heatmap: ``yaxis.ticktext``), and it is drawn."""
    return (
        "(want) => { const g = document.querySelector('.js-plotly-plot');"
        " return !!g && !!g._fullLayout && !!g._fullLayout.yaxis && !!g.querySelector('svg.main-svg')"
        " && JSON.stringify(Array.from(g._fullLayout.yaxis.ticktext || [])) === JSON.stringify(want); }"
    )


def y_labels(page) -> list[str]:
    """The first chart's y-axis labels (``ticktext``)."""
    return page.evaluate(
        "() => Array.from(document.querySelector('.js-plotly-plot')._fullLayout.yaxis.ticktext || [])"
    )


def clipped_y_labels(page) -> list[str]:
    """The first chart's drawn y tick labels that do not fit inside the chart on its left (the heatmaps
    set their left margin from an estimate of the labels' width, not plotly's measuring)."""
    return page.evaluate(
        """() => { const g = document.querySelector('.js-plotly-plot');
          const left = g.getBoundingClientRect().left;
          return Array.from(g.querySelectorAll('.ytick text')).filter(
            t => t.textContent && t.getBoundingClientRect().left < left - 0.5).map(t => t.textContent); }"""
    )


def open_page(page, base: str, path: str = "/", plots: int = 0, timeout: float = 30_000) -> None:
    """Go to ``base + path`` and wait for the app to be idle (and ``plots`` charts drawn)."""
    page.goto(base + path)
    if plots:
        wait_for(page, plots_drawn_js(plots), timeout=timeout)
    else:
        wait_idle(page, timeout=timeout)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_exception(page) -> list[str]:
    """Texts of any exception or error boxes Streamlit drew (empty list when there are none)."""
    return page.locator('[data-testid="stException"]').all_inner_texts()


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


def warm_up(page, base: str) -> None:
    """Open ``/`` once, so the first timed or tested page load does not also pay the server's first run
    (imports, caches). Deep links work on a fresh server too (test_home_browser.py checks it)."""
    open_page(page, base, "/")


@pytest.fixture(scope="module")
def page(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    warm_up(pg, server)
    try:
        yield pg
    finally:
        context.close()


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def tall_screenshot(page, name: str, height: int = 2600) -> None:
    """Streamlit scrolls inside its own container, so a full-page shot is one viewport: make it tall."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    wait_idle(page)
    screenshot(page, name)
    page.set_viewport_size(size)
