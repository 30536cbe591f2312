"""The gate lab's cell-state update as grouped bars, an SVG drawing (shown by
``lstm_ui.components.live_svg``, so an edit or a demo swaps one element in place).

Per unit j: C_{t-1}, what survives the forget gate (C^f = f ⊙ C_{t-1}), what the input gate writes
(C^i = i ⊙ C̃) and the new C_t = C^f + C^i, each bar labelled with its number.

For the tests: the value axis's grid lines are ``<line data-tick>``; each series is
``<g data-role="series" data-series data-name data-values>`` (the notation's symbol as HTML, the values in
full precision) holding one ``<rect data-j data-value>`` per finite value.
"""

from __future__ import annotations

import math

import numpy as np

from lstm_ui.drawings.colours import palette
from lstm_ui.drawings.heatmap import label_px
from lstm_ui.drawings.svg import FONT_FAMILY, esc, fmt_number, rich_text
from lstm_ui.drawings.svg import coord as _n  # an SVG coordinate
from lstm_ui.notation import Notation

SERIES = ("cell_prev", "forget_part", "input_part", "cell")  # drawn left to right in each unit's group
GRID = "rgba(49, 51, 63, 0.12)"
GREY = "rgba(49, 51, 63, 0.6)"


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering lo … hi, at most ``most`` + 1."""
    if hi <= lo:  # all one value (all zero): one unit above it
        hi = lo + 1.0
    span = hi - lo
    step = 10.0 ** math.floor(math.log10(span / most))
    step *= next(m for m in (1, 2, 5, 10) if span / (step * m) <= most)
    first, last = math.floor(lo / step), math.ceil(hi / step)
    return [k * step for k in range(first, last + 1)]


def _tick(v: float) -> str:
    return f"{v:.6g}".replace("-", "−")


def update_bars_svg(
    c_prev: np.ndarray,
    c_forget: np.ndarray,
    c_input: np.ndarray,
    c_new: np.ndarray,
    notation: Notation,
    large: bool = False,
) -> str:
    """Grouped bars per unit: C_{t-1}, what survives the forget gate, what is written, the new C_t."""
    values = np.array([np.ravel(v) for v in (c_prev, c_forget, c_input, c_new)], dtype=float)  # (4, H)
    H = values.shape[1]
    pal = palette()
    colours = (pal["muted"], pal["soft"], pal["active"], pal["cell_line"])
    f = 18 if large else 13
    width, height = 760.0, (400.0 if large else 320.0)
    finite = values[np.isfinite(values)]
    ticks = nice_ticks(
        min(0.0, float(finite.min())) if finite.size else 0.0,
        max(0.0, float(finite.max())) if finite.size else 1.0,
    )
    lo, hi = ticks[0], ticks[-1]
    room = 0.12 * (hi - lo)  # above the highest bar and below the lowest: their numbers
    top_v, bottom_v = hi + room, lo - (room if lo < 0 else 0.0)
    top, bottom = 2 * f + 34, height - 2 * f - 18  # title and legend above; unit labels, axis title below
    left = f + 14 + label_px([_tick(t) for t in ticks], f - 1)
    right = width - 10

    def y(v: float) -> float:
        return top + (top_v - v) / (top_v - bottom_v) * (bottom - top)

    cell_name = esc(notation.name("cell"))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" width="100%" '
        f'style="height: auto; display: block" role="img" font-family="{FONT_FAMILY}" font-size="{f}" '
        f'fill="{pal["ink"]}" data-role="update-bars" data-units="{H}" data-download="gate-lab" '
        f'aria-label="The cell state, unit by unit">',
        f'<text x="{_n(left)}" y="{f + 6}" font-size="{f + 2}">The cell state, unit by unit</text>',
    ]
    # The legend, right-aligned on the second line: a swatch and the notation's symbol per series.
    x = right
    legend = []
    for name, colour in reversed(list(zip(SERIES, colours, strict=True))):
        x -= label_px([notation.symbol_plain(name)], f) + 8
        legend.append(f'<text x="{_n(x)}" y="{2 * f + 14}">{rich_text(notation.symbol_html(name))}</text>')
        x -= f + 4
        legend.append(f'<rect x="{_n(x)}" y="{f + 6 + 0.4 * f}" width="{f}" height="{f}" fill="{colour}"/>')
        x -= 14
    out.append('<g data-role="legend">' + "".join(reversed(legend)) + "</g>")
    # The value axis: grid lines at the ticks, the zero line darker, its title turned up the left edge.
    out.append(f'<g data-role="axis" font-size="{f - 1}" fill="{GREY}" text-anchor="end">')
    for t in ticks:
        stroke = GREY if t == 0 else GRID
        out.append(
            f'<line data-tick="{t!r}" x1="{_n(left)}" x2="{_n(right)}" y1="{_n(y(t))}" y2="{_n(y(t))}" '
            f'stroke="{stroke}"/>'
            f'<text x="{_n(left - 5)}" y="{_n(y(t) + 0.35 * (f - 1))}">{_tick(t)}</text>'
        )
    mid = (top + bottom) / 2
    out.append(
        f'<text x="{f}" y="{_n(mid)}" text-anchor="middle" fill="{pal["ink"]}" font-size="{f}" '
        f'transform="rotate(-90 {f} {_n(mid)})">value of {cell_name}</text></g>'
    )
    # The bars: one group per unit, four bars each, every bar with its number above (below if negative).
    group = (right - left) / H
    bar = group * 0.8 / len(SERIES)
    for k, (name, colour) in enumerate(zip(SERIES, colours, strict=True)):
        row = values[k].tolist()  # Python floats: their repr is the number
        shown = " ".join(map(repr, row))
        out.append(
            f'<g data-role="series" data-series="{name}" data-name="{esc(notation.symbol_html(name))}" '
            f'data-values="{shown}" font-size="{f - 2}" text-anchor="middle">'
        )
        for j, v in enumerate(row):
            cx = left + (j + 0.1) * group + (k + 0.5) * bar
            if not math.isfinite(v):
                out.append(f'<text x="{_n(cx)}" y="{_n(y(0) - 4)}" fill="{GREY}">?</text>')
                continue
            y0, y1 = sorted((y(0), y(v)))
            label_y = y1 + f - 2 if v < 0 else y0 - 4
            out.append(
                f'<rect data-j="{j + 1}" data-value="{v!r}" x="{_n(cx - bar / 2)}" y="{_n(y0)}" '
                f'width="{_n(bar)}" height="{_n(max(y1 - y0, 0.5))}" fill="{colour}">'
                f"<title>{esc(notation.symbol_plain(name))}, unit {j + 1} = {fmt_number(v)}</title></rect>"
                f'<text x="{_n(cx)}" y="{_n(label_y)}">{fmt_number(v)}</text>'
            )
        out.append("</g>")
    # The units under their groups, and the axis title.
    out.append(f'<g data-role="units" text-anchor="middle" fill="{GREY}">')
    out.extend(
        f'<text x="{_n(left + (j + 0.5) * group)}" y="{_n(bottom + f + 4)}">unit {j + 1}</text>'
        for j in range(H)
    )
    out.append(
        f'<text x="{_n((left + right) / 2)}" y="{_n(bottom + 2 * f + 10)}" fill="{pal["ink"]}">'
        "unit j</text></g>"
    )
    out.append("</svg>")
    return "".join(out)
