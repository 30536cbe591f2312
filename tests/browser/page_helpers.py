"""Real-browser helpers: start a Streamlit server and Chromium, open a page, wait until it is drawn,
read what it shows (plotly charts, the gate lab's bars, the addresses it writes), take screenshots.

The heatmap drawings' readers are in ``tests/browser/heatmap_helpers.py``; the fixtures in conftest.py.
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
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.heatmap_helpers import heats_drawn_js

ROOT = Path(__file__).resolve().parents[2]
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
PHONE = {"width": 420, "height": 900}
PRESENTER = {"width": 1280, "height": 720}  # a projector

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


@contextmanager
def page_in_new_context(browser, viewport: dict[str, int]) -> Iterator[object]:
    """A page of its own (a fresh browser: no session, no cookies) at ``viewport``; closed after."""
    context = browser.new_context(viewport=viewport)
    try:
        yield context.new_page()
    finally:
        context.close()


def start_server(
    app: str = "app.py",
    cwd: Path = ROOT,
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
    python: str = sys.executable,
) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run`` on a free port (with ``python``, in ``env``, default this process's); return
    (process, base URL) once /_stcore/health is ok."""
    port = free_port()
    cmd = [
        python, "-m", "streamlit", "run", app,
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
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


# The gate lab's bars (lstm_ui/update_bars.py) as drawn, {series: [value per unit]}; BARS_ARE_JS: series
# ``arg[0]`` holds the values ``arg[1]``.
BARS_JS = """() => Object.fromEntries(Array.from(
  document.querySelectorAll('.gbg-live-svg svg[data-role="update-bars"] g[data-role="series"]'),
  g => [g.dataset.series, Array.from(g.querySelectorAll('rect[data-j]'), r => Number(r.dataset.value))]))"""
BARS_ARE_JS = "([name, want]) => JSON.stringify((" + BARS_JS + ")()[name]) === JSON.stringify(want)"


def wait_for_url(page, *params: str, timeout: float = 15_000) -> None:
    """Wait until the address holds every ``params`` (``"step=4"``, exactly that value): the URL is written
    by the run that draws the change, after the drawing."""
    page.wait_for_function(
        """(params) => { const q = new URLSearchParams(location.search);
          return params.every(p => { const [k, v] = p.split('='); return q.get(k) === v; }); }""",
        arg=list(params),
        timeout=timeout,
    )


def record_url_writes(page) -> None:
    """From now on the page notes each address it writes (history pushState / replaceState) and the time
    of the last keydown or pointerdown; read them with ``url_writes``."""
    page.evaluate("""() => { window.__urls = [];
      const stamp = () => { window.__acted = performance.now(); };
      document.addEventListener('keydown', stamp, {capture: true});
      document.addEventListener('pointerdown', stamp, {capture: true});
      for (const name of ['pushState', 'replaceState']) {
        const real = history[name].bind(history);
        history[name] = (state, title, url) => {
          window.__urls.push([String(url), performance.now()]); return real(state, title, url); };
      } }""")


def url_writes(page, holding: str) -> list[tuple[str, float]]:
    """The addresses written since ``record_url_writes`` that hold ``holding``, each with its ms after the
    last key or pointer press."""
    acted, urls = page.evaluate("() => [window.__acted, window.__urls]")
    return [(url, at - acted) for url, at in urls if holding in url]


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


def open_page(
    page, base: str, path: str = "/", plots: int = 0, svgs: int = 0, timeout: float = 30_000
) -> None:
    """Go to ``base + path`` and wait for the app to be idle, with ``plots`` plotly charts and ``svgs``
    heatmap drawings drawn."""
    page.goto(base + path)
    if plots:
        wait_for(page, plots_drawn_js(plots), timeout=timeout)
    if svgs:
        wait_for(page, heats_drawn_js(svgs), timeout=timeout)
    if not plots and not svgs:
        wait_idle(page, timeout=timeout)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_exception(page) -> list[str]:
    """Texts of any exception or error boxes Streamlit drew (empty list when there are none)."""
    return page.locator('[data-testid="stException"]').all_inner_texts()


def warm_up(page, base: str) -> None:
    """Open ``/`` once, so the first timed or tested page load does not also pay the server's first run
    (imports, caches). Deep links work on a fresh server too (test_home_browser.py checks it)."""
    open_page(page, base, "/")


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def tall_screenshot(page, name: str, height: int = 2600) -> None:
    """Streamlit scrolls inside its own container, so a full-page shot is one viewport: make it tall."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    wait_idle(page)
    screenshot(page, name)
    page.set_viewport_size(size)
