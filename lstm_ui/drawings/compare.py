"""Heatmaps side by side on shared colour scales, as one SVG drawing: two runs and their difference, or the
difference a clamp made to every array.

Each ``Panel`` is a (T, H) array with its own colour scale and range (the view-model shares a range
between the panels it compares) and its own hover text per square. Rows are steps, aligned: a run
shorter than the other has grey (NaN) rows, a model with fewer units grey columns. The drawing follows
``heatmap.trace_svg``'s conventions, so the component (``live_svg.js``) shows each square's hover text
and outlines the selected step: a ``<g data-panel data-name data-values>`` per panel (``data-values``:
the hover texts, space-separated), a ``<text data-row data-token>`` per row, the selection in the last
group (``heatmap.OVERLAY``).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lstm_ui.drawings.colours import Scale, palette
from lstm_ui.drawings.heatmap import OVERLAY, SELECT_LINE, TOOLS_PX, label_px
from lstm_ui.drawings.pixels import png_bytes, scale_rgb
from lstm_ui.drawings.svg import FONT_FAMILY, esc, gradient_defs, rich_text
from lstm_ui.drawings.svg import coord as _n

ROW_PX = 22  # per row at font size 12
GAP_PX = 14  # between panels
BAR_PX = 10
NBSP = "\u00a0"  # joins the words of one square's hover text (``data-values`` is split at spaces)


@dataclass(frozen=True, eq=False)
class Panel:
    """One heatmap: ``values`` (T, H), NaN where there is nothing; drawn on ``scale`` over [lo, hi], its
    colour bar ``bar`` (panels with the same ``bar`` share one); ``hover``: T × H texts (or None: the
    values to 4 decimals)."""

    key: str
    title: str  # plain words, bold
    symbol: str  # notation HTML under the title
    values: np.ndarray
    scale: Scale
    lo: float
    hi: float
    bar: str  # the colour bar's title (notation HTML)
    hover: np.ndarray | None = None
    marked: tuple[tuple[int, int], ...] = ()  # (step, unit), 0-based: squares outlined (gates set by hand)


def signed(v: float, digits: int = 3) -> str:
    """``+0.123`` / ``−0.123``: a difference, with its sign."""
    return f"{v:+.{digits}f}".replace("-", "−")


def number(v: float, digits: int = 3) -> str:
    return "—" if np.isnan(v) else f"{v:.{digits}f}".replace("-", "−")


def panels_svg(
    panels: Sequence[Panel],
    row_labels: Sequence[str],
    row_tokens: Sequence[str],
    selected: int | None = None,
    font_size: int = 12,
    width_px: float = 1000,
    unit_labels: Sequence[str] | None = None,
    aria: str = "Heatmaps side by side",
    row_steps: Sequence[int] | None = None,
) -> str:
    """The panels side by side, one row per step (``row_labels`` on the left; ``row_tokens`` the hover
    text's word), the row ``selected`` (0-based) outlined in every panel, one colour bar per ``bar``.
    ``row_steps``: each row's step (1-based), 0 for a folded stretch of a long text (``drawings.folding``:
    its label in italics, its squares the stretch's average); default 1 … T."""
    if not panels:
        raise ValueError("nothing to draw: no panels given")
    T, H = np.shape(panels[0].values)
    steps = list(range(1, T + 1)) if row_steps is None else list(row_steps)
    if (
        len(steps) != T
        or any(np.shape(p.values) != (T, H) for p in panels)
        or len(row_labels) != T
        or len(row_tokens) != T
    ):
        raise ValueError("every panel needs the same (steps, units) and one label per step")
    f, pal, n = font_size, palette(), len(panels)
    rh = round(ROW_PX * max(1.0, f / 12))
    left = label_px(row_labels, f) + 10
    top = round(TOOLS_PX + 2 * (f + 3) + 10)
    pw = (width_px - left - 6 - GAP_PX * (n - 1)) / n
    cw = pw / H
    bottom = top + T * rh
    axis_h = label_px(unit_labels, f - 1) * 0.87 + 10 if unit_labels is not None else 2 * f + 16
    bars = list(dict.fromkeys(p.bar for p in panels))
    bars_top = bottom + axis_h + 8
    height = bars_top + 2 * f + BAR_PX + 18
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width_px)} {_n(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" style="height: auto; display: block" '
        f'font-family="{FONT_FAMILY}" font-size="{f}" fill="{pal["ink"]}" data-role="compare-heatmap" '
        f'data-steps="{T}" data-units="{H}" data-row-steps="{" ".join(map(str, steps))}" '
        f'aria-label="{esc(aria)}">',
        '<g data-role="rows" text-anchor="end">',
    ]
    for t, (label, token, step) in enumerate(zip(row_labels, row_tokens, steps, strict=True)):
        y = _n(top + (t + 0.5) * rh + 0.35 * f)
        mark = (
            f'data-row="{step}" data-token="{esc(token)}"'
            if step
            else f'data-gap="{esc(label)}" font-style="italic"'
        )
        out.append(f'<text {mark} x="{_n(left - 6)}" y="{y}">{esc(label)}</text>')
    out.append("</g>")
    for k, p in enumerate(panels):
        x0 = left + k * (pw + GAP_PX)
        picture = base64.b64encode(png_bytes(scale_rgb(p.scale, p.values, p.lo, p.hi))).decode("ascii")
        texts = p.hover if p.hover is not None else np.vectorize(lambda v: number(v, 4))(p.values)
        shown = " ".join(str(s).replace(" ", NBSP) for s in np.ravel(texts))
        out.append(
            f'<g data-panel="{esc(p.key)}" data-name="{esc(p.title)}" data-values="{esc(shown)}">'
            f'<text data-role="panel-title" x="{_n(x0 + pw / 2)}" y="{TOOLS_PX + f + 3}" '
            f'text-anchor="middle" font-size="{f + 1}" font-weight="bold">{esc(p.title)}</text>'
            f'<text x="{_n(x0 + pw / 2)}" y="{TOOLS_PX + 2 * (f + 3) + 2}" text-anchor="middle" '
            f'font-size="{f + 1}">{rich_text(p.symbol)}</text>'
            f'<image data-role="squares" x="{_n(x0)}" y="{top}" width="{_n(pw)}" height="{T * rh}" '
            f'preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering: pixelated" '
            f'href="data:image/png;base64,{picture}"/>'
            f"{_grid(x0, top, pw, cw, rh, T, H)}{unit_axis(x0, cw, H, bottom, f, unit_labels, x0 + pw / 2)}"
        )
        out.extend(
            f'<rect data-role="marked" data-t="{t + 1}" data-j="{j + 1}" x="{_n(x0 + j * cw + 1)}" '
            f'y="{_n(top + t * rh + 1)}" width="{_n(max(cw - 2, 1))}" height="{rh - 2}" fill="none" '
            f'stroke="{pal["ink"]}" stroke-width="2" stroke-dasharray="3 2" pointer-events="none"/>'
            for t, j in p.marked
        )
        out.append("</g>")
    out.append(_bars(panels, bars, width_px, bars_top, f))
    outline = ""
    if selected is not None and 0 <= selected < T:
        y = top + selected * rh - 1
        outline = "".join(
            f'<rect data-role="row-outline" data-t="{selected + 1}" x="{_n(left + k * (pw + GAP_PX) - 1)}" '
            f'y="{_n(y)}" width="{_n(pw + 2)}" height="{rh + 1}" fill="none" stroke="{SELECT_LINE}" '
            'stroke-width="2"/>'
            for k in range(n)
        )
    return "".join(out) + f"{OVERLAY}{outline}</g></svg>"


def _grid(x0: float, y0: float, pw: float, cw: float, rh: int, T: int, H: int) -> str:
    lines = [f"M{_n(x0)} {_n(y0 + t * rh - 0.5)}h{_n(pw)}" for t in range(1, T)]
    if cw >= 4:
        lines += [f"M{_n(x0 + j * cw - 0.5)} {y0}v{T * rh}" for j in range(1, H)]
    return f'<path d="{"".join(lines)}" stroke="#fff" stroke-width="1" fill="none" pointer-events="none"/>'


def unit_axis(
    x0: float,
    cw: float,
    H: int,
    y: float,
    f: int,
    names: Sequence[str] | None,
    caption_x: float | None = None,
) -> str:
    """Unit numbers (every few when narrow) or names (slanted) under a panel's columns; ``caption_x``:
    where "unit j" goes under the numbers (None: no caption)."""
    out = [f'<g data-role="x-axis" font-size="{f - 1}" text-anchor="{"end" if names else "middle"}">']
    if names is not None:
        for j in range(H):
            cx = x0 + (j + 0.5) * cw
            out.append(
                f'<text x="{_n(cx)}" y="{_n(y + 8)}" transform="rotate(-60 {_n(cx)} {_n(y + 8)})">'
                f"{esc(names[j])}</text>"
            )
    else:
        stride = max(1, int(np.ceil((0.6 * (f - 1) * len(str(H)) + 4) / cw)))
        out.extend(
            f'<text x="{_n(x0 + (j + 0.5) * cw)}" y="{_n(y + f + 2)}">{j + 1}</text>'
            for j in range(0, H, stride)
        )
        if caption_x is not None:
            out.append(f'<text x="{_n(caption_x)}" y="{_n(y + 2 * f + 10)}" font-size="{f}">unit j</text>')
    out.append("</g>")
    return "".join(out)


def _bars(panels: Sequence[Panel], bars: Sequence[str], width: float, top: float, f: int) -> str:
    """One colour bar per distinct ``Panel.bar``, with its range and ticks."""
    first = {bar: next(p for p in panels if p.bar == bar) for bar in bars}
    out = [gradient_defs("gbg-cmp-", {f"b{k}": first[bar].scale for k, bar in enumerate(bars)})]
    length = min(0.3, 0.9 / len(bars)) * width
    for k, bar in enumerate(bars):
        p, cx = first[bar], (k + 0.5) / len(bars) * width
        x0, bar_y = cx - length / 2, top + f + 6
        out.append(
            f'<g data-role="colour-bar" data-bar="{esc(bar)}" data-range="{p.lo:g} {p.hi:g}">'
            f'<text x="{_n(cx)}" y="{_n(top + f)}" text-anchor="middle" font-size="{f - 1}">'
            f"{rich_text(bar)}: "
            f"{esc(number(p.lo, 2))} … {esc(number(p.hi, 2))}</text>"
            f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(length)}" height="{BAR_PX}" '
            f'fill="url(#gbg-cmp-b{k})" stroke="{palette()["muted"]}" stroke-width="0.5"/>'
        )
        for v in np.linspace(p.lo, p.hi, 3 if p.lo >= 0 else 5):
            tx = x0 + (v - p.lo) / (p.hi - p.lo) * length
            out.append(
                f'<text x="{_n(tx)}" y="{_n(bar_y + BAR_PX + f)}" text-anchor="middle" font-size="{f - 2}">'
                f"{esc(number(v, 2))}</text>"
            )
        out.append("</g>")
    return "".join(out)
