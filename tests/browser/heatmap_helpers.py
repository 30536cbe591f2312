"""The heatmap drawings in a real Chromium: read their squares, row labels and selection, and check the
squares Chromium painted.

Heatmaps are SVG drawings (``lstm_ui/drawings/heatmap.py``, shown by ``lstm_ui/components/live_svg.py``):
``heat_drawings`` reads their squares' values, ``heat_rows`` their row labels.
"""

from __future__ import annotations

import base64
import io
import json
import re

import PIL.Image

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
