"""Real-browser fixtures: one Streamlit server and one Chromium per test module.

Other pages' browser tests import the helpers directly::

    from tests.browser.conftest import heat_drawings, open_page, plot_data, wait_for

Heatmaps are SVG drawings (``lstm_ui/drawings/heatmap.py``, shown by ``lstm_ui/components/live_svg.py``):
``heat_drawings`` reads their squares' values, ``heat_rows`` their row labels; the remaining plotly charts
(``plot_data``) are the RNN page's.

Chromium is Debian's (/usr/bin/chromium); a missing browser FAILS the tests, it never skips them.
See /work/shared/BROWSER_TESTING.md for why the waits look the way they do.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import PIL.Image
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


# The heatmap drawings (lstm_ui/heat_svg.py) as the live_svg component shows them.
HEAT_SVG = '.gbg-live-svg .gbg-live-svg-box svg[data-role="heatmap"]'
HEAT_DRAWINGS_JS = (
    "() => Array.from(document.querySelectorAll("
    + json.dumps(HEAT_SVG)
    + """)).map(svg => {
  const T = Number(svg.dataset.steps), H = Number(svg.dataset.units);
  const panels = {};
  for (const g of svg.querySelectorAll('g[data-panel]')) {
    const values = (g.dataset.values || "").split(" ");
    const shown = Array.from({length: T}, (_, t) => Array.from({length: H},
      (_, j) => values[t * H + j] ?? null));
    const title = g.querySelector('[data-role="panel-title"]');
    panels[g.dataset.panel] = {name: g.dataset.name, title: title ? title.textContent : null, shown};
  }
  const rowOutlines = Array.from(svg.querySelectorAll('[data-role="row-outline"]')).map(
    r => Number(r.dataset.t));
  const cellOutlines = Array.from(svg.querySelectorAll('[data-role="cell-outline"]')).map(
    r => [Number(r.dataset.t), Number(r.dataset.j)]);
  return {name: svg.closest('.gbg-live-svg').dataset.name, steps: T, units: H, panels, rowOutlines,
    cellOutlines, rows: Array.from(svg.querySelectorAll('[data-row]')).map(r => r.textContent)};
})"""
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


def heats_drawn_js(count: int = 1) -> str:
    """JS predicate: at least ``count`` heatmap drawings in the page, each with its squares laid out."""
    return (
        f"() => {{ const s = document.querySelectorAll({json.dumps(HEAT_SVG)});"
        f" return s.length >= {count} && Array.from(s).every(svg => {{"
        " const r = svg.querySelector('image[data-role=squares]'); if (!r) return false;"
        " const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; }); }"
    )


def heat_rows_js() -> str:
    """JS predicate of ``arg`` (a list of labels): the first heatmap drawing's row labels are exactly these
    (the tokens, ``token_labels``), in order, and they are laid out."""
    return (
        f"(want) => {{ const svg = document.querySelector({json.dumps(HEAT_SVG)}); if (!svg) return false;"
        " const rows = Array.from(svg.querySelectorAll('[data-row]'));"
        " return rows.length > 0 && rows.every((r, k) => r.dataset.row === String(k + 1))"
        " && JSON.stringify(rows.map(r => r.textContent)) === JSON.stringify(want)"
        " && rows[0].getBoundingClientRect().width > 0; }"
    )


def heat_rows(page) -> list[str]:
    """The first heatmap drawing's row labels (``<text data-row>``), in order."""
    return page.evaluate(
        f"() => Array.from(document.querySelector({json.dumps(HEAT_SVG)}).querySelectorAll('[data-row]'))"
        ".map(r => r.textContent)"
    )


def heat_drawings(page) -> list[dict]:
    """Every heatmap drawing in the page, in page order, as a dict: ``name`` (the drawing's download
    name), ``steps`` and ``units`` (data-steps, data-units), ``rows`` (the row labels), ``panels``
    ({array name: {"name": data-name, "title": the panel title's text, "shown": the T × H strings of its
    data-values, None where one is missing}}), and the selection: ``rowOutlines`` (the
    outlined step, one per panel) and ``cellOutlines`` (the outlined [t, j], one per panel)."""
    return page.evaluate(HEAT_DRAWINGS_JS)


def square_centre(page, panel: str, t: int, j: int, drawing: int = 0) -> tuple[float, float]:
    """Where on the page (x, y) the centre of square (step t, unit j), 1-based, of ``panel`` is drawn, in
    the ``drawing``-th heatmap drawing: a panel's squares are one stretched picture of T × H pixels."""
    box = page.evaluate(
        f"""([panel, k]) => {{ const svg = document.querySelectorAll({json.dumps(HEAT_SVG)})[k];
          const image = svg.querySelector(`g[data-panel="${{panel}}"] image[data-role=squares]`);
          const b = image.getBoundingClientRect();
          return [b.x, b.y, b.width, b.height, Number(svg.dataset.steps), Number(svg.dataset.units)]; }}""",
        [panel, drawing],
    )
    x, y, width, height, T, H = box
    return x + (j - 0.5) * width / H, y + (t - 0.5) * height / T


def assert_squares_in(
    image, panels: list[tuple[str, tuple[float, float, float, float]]], steps: int, units: int, skip=None
) -> None:
    """``image`` (a PIL image) shows every square of each panel in its picture's colour, within 2 per
    channel. ``panels``: (the panel picture's data-URI PNG, which must hold one pixel per square, steps
    × units; the (x, y, width, height) it covers in ``image``'s pixels), sampled at every square's
    centre. ``skip``: a 1-based (t, j) left out (the selected square, under its thick outline)."""
    assert panels, "no panel pictures"
    T, H = steps, units
    for href, (x, y, width, height) in panels:
        picture = PIL.Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))).convert("RGB")
        assert picture.size == (H, T)  # one pixel per square
        for t in range(T):
            for j in range(H):
                if skip == (t + 1, j + 1):
                    continue
                at = (int(x + (j + 0.5) * width / H), int(y + (t + 0.5) * height / T))
                got, want = image.getpixel(at), picture.getpixel((j, t))
                assert max(abs(a - b) for a, b in zip(got, want, strict=True)) <= 2, (t + 1, j + 1, got, want)


def assert_squares_drawn(page, drawing: int = 0) -> None:
    """Chromium painted every square of the ``drawing``-th heatmap drawing in its picture's colour: a
    screenshot sampled at each square's centre (from the panel's box, T × H) matches the PNG pixel of that
    square (the selected square, under its thick outline, is left out)."""
    svg = page.locator(HEAT_SVG).nth(drawing)
    shot = PIL.Image.open(io.BytesIO(svg.screenshot())).convert("RGB")
    origin = svg.bounding_box()
    found = page.evaluate(
        f"""(k) => {{ const svg = document.querySelectorAll({json.dumps(HEAT_SVG)})[k];
          const cell = svg.querySelector('[data-role="cell-outline"]');
          return {{selected: cell ? [Number(cell.dataset.t), Number(cell.dataset.j)] : null,
            panels: Array.from(svg.querySelectorAll('image[data-role=squares]')).map(im => {{
              const b = im.getBoundingClientRect();
              return {{href: im.getAttribute('href'), box: [b.x, b.y, b.width, b.height]}}; }}),
            T: Number(svg.dataset.steps), H: Number(svg.dataset.units)}}; }}""",
        drawing,
    )
    panels = [
        (panel["href"], (x - origin["x"], y - origin["y"], width, height))
        for panel in found["panels"]
        for x, y, width, height in [panel["box"]]
    ]
    skip = tuple(found["selected"]) if found["selected"] else None
    assert_squares_in(shot, panels, found["T"], found["H"], skip=skip)


def assert_shown(shown: list[list[str | None]], expected: object) -> None:
    """``shown`` (a panel's data-values strings) is ``expected`` (the core's (T, H) numbers) to 4 decimals:
    the same string as "%.4f", or within the rounding (5e-5) where the last digit may round either way."""
    import numpy as np

    want = np.asarray(expected, dtype=float)
    assert np.shape(shown) == want.shape, f"drawn {np.shape(shown)}, expected {want.shape}"
    bad = []
    for (t, j), v in np.ndenumerate(want):
        s = shown[t][j]
        ok = s is not None and re.fullmatch(r"-?\d+\.\d{4}", s) is not None
        ok = ok and (s == f"{v:.4f}" or abs(float(s) - v) <= 5e-5 + 1e-12)
        if not ok:
            bad.append(f"(t={t + 1}, j={j + 1}): drawn {s!r}, core {v:.6f}")
    assert not bad, f"{len(bad)} squares differ: " + "; ".join(bad[:5])


def clipped_y_labels(page) -> list[str]:
    """The first heatmap drawing's row labels that do not fit inside the drawing on its left (the drawing
    reserves their width from an estimate, ``heat_svg.label_px``, not from measuring them)."""
    return page.evaluate(
        f"""() => {{ const svg = document.querySelector({json.dumps(HEAT_SVG)});
          const left = svg.getBoundingClientRect().left;
          return Array.from(svg.querySelectorAll('[data-row]')).filter(
            t => t.getBoundingClientRect().width === 0 || t.getBoundingClientRect().left < left - 0.5)
            .map(t => t.textContent); }}"""
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
