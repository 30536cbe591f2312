"""Tokens × units heatmaps as one SVG drawing (shown by ``lstm_ui.components.live_svg``).

Rows are the tokens (step t = 1 … T, top to bottom), columns the hidden units (j = 1 … H), one panel
per array, side by side. Colours come from the fixed scales in ``lstm_ui.drawings.colours`` (one
colour bar per scale in use, labelled with its range).

A panel's squares are one picture: a T × H pixel PNG (one pixel per square), stretched over the panel
with ``image-rendering: pixelated`` and a white grid on top where the squares are wide enough to part:
a few dozen elements at any size, where one ``<rect>`` per square made tens of thousands for a long
sentence (bench/README.md has the timings).

For the browser (``lstm_ui/components/live_svg.js``) and the tests: a panel is a
``<g data-panel="forget" data-name="forget gate fₜ" data-values="0.1234 …">`` (its T × H values, row by
row, to 4 decimals: the hover text) holding the ``<image data-role="squares">``; every row label is a
``<text data-row="t" data-token="…">``; the selection is a ``<rect data-role="row-outline" data-t>`` and
a ``<rect data-role="cell-outline" data-t data-j>`` per panel, all in the last group ``OVERLAY``:
stepping changes only that group, and the browser then replaces only it. Hovering a square shows its
value; a click on it selects that step and unit (where the page acts on clicks).
"""

from __future__ import annotations

import base64
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import streamlit as st

from lstm_ui.drawings.colours import Scale, palette, scale_for, z_range
from lstm_ui.drawings.folding import Fold, fold_arrays, gap_label
from lstm_ui.drawings.pixels import png_bytes, scale_rgb
from lstm_ui.drawings.svg import FONT_FAMILY, esc, gradient_defs, plain_text, rich_text
from lstm_ui.drawings.svg import coord as _n  # an SVG coordinate
from lstm_ui.notation import Notation, notation_hash
from lstm_ui.sentence import token_labels

ROW_PX = 22  # pixels per token row at font size 12 (scaled with the font)
WIDTH_PX = 1000  # default drawing width: the SVG scales to its container, so pass about that width
SELECT_LINE = "#d6007a"  # magenta: visible on cividis and on the blue-orange scale
_GAP_PX = 12  # between panels
BAR_PX = 10  # colour bar thickness
_PART_PX = 4  # columns at least this wide get a white line between them
TOOLS_PX = 20  # free band on top: the drawing's SVG/PNG buttons sit there (lstm_ui/live_svg.py)
HALF_WIDTH_PX = 440  # for a drawing in one of two columns
OVERLAY = '<g data-role="overlay" pointer-events="none">'  # the selection: the drawing's last element


def label_px(labels: Sequence[str], font_size: float) -> int:
    """A generous width in pixels of the longest of ``labels`` at ``font_size`` (wide CJK/emoji count 2)."""

    def units(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    return int(np.ceil(max((units(label) for label in labels), default=0) * 0.6 * font_size))


def _scale_groups(
    names: Sequence[str], arrays: Mapping[str, np.ndarray]
) -> dict[str, tuple[Scale, list[str]]]:
    """The scales in use, each with the arrays drawn on it: ``{scale name: (scale, [array names])}``."""
    groups: dict[str, tuple[Scale, list[str]]] = {}
    for name in names:
        scale = scale_for(name)
        groups.setdefault(scale.name, (scale, []))[1].append(name)
    return groups


def trace_svg(
    arrays: Mapping[str, np.ndarray],
    tokens: Sequence[str],
    notation: Notation,
    names: Sequence[str] | None = None,
    selected: tuple[int, int] | None = None,
    font_size: int = 12,
    unit_labels: Sequence[str] | None = None,
    width_px: float = WIDTH_PX,
    fold: Fold | None = None,
) -> str:
    """Side-by-side heatmaps of ``arrays[name]`` (each (T, H)) as one SVG document (a string).

    ``selected``: a 0-based (step, column) to outline in every panel; ``unit_labels``: names for the
    columns instead of 1 … H (drawn slanted); ``width_px``: about the width the page shows it at;
    ``fold``: the rows of a long text (``drawings.folding``: steps, and gaps drawn as one averaged row).
    Everything but the selection is drawn once per arrays, notation and size (``st.cache_data``): a step
    only adds its outlines.
    """
    names = tuple(names or arrays)
    if not names:
        raise ValueError("nothing to draw: no arrays given")
    T = np.shape(arrays[names[0]])[0]
    if len(tokens) != T:
        raise ValueError(f"{len(tokens)} tokens for arrays with {T} rows")
    shown = {name: np.asarray(arrays[name], dtype=float) for name in names}
    fold = fold or Fold(tuple(range(T)))
    if fold.folds_anything:
        shown = fold_arrays(shown, fold)
    labels = None if unit_labels is None else tuple(unit_labels)
    rows = _row_info(tuple(tokens), fold)
    base, panels = _base_svg(shown, rows, notation, names, font_size, labels, width_px)
    outlines: list[str] = []
    row = None if selected is None else fold.row_of(selected[0])
    if selected is not None and row is not None:
        c = selected[1]
        r = selected[0]
        for x0, pw, cw, sw, top, rh in panels:
            y = top + row * rh - 1
            outlines.append(
                f'<rect data-role="row-outline" data-t="{r + 1}" x="{_n(x0 - 1)}" y="{_n(y)}" '
                f'width="{_n(pw + 1)}" height="{rh + 1}" fill="none" stroke="#444" stroke-width="1"/>'
                f'<rect data-role="cell-outline" data-t="{r + 1}" data-j="{c + 1}" x="{_n(x0 + c * cw)}" '
                f'y="{_n(y + 1.5)}" width="{_n(sw)}" height="{rh - 2}" fill="none" '
                f'stroke="{SELECT_LINE}" stroke-width="3"/>'
            )
    # Last, in one group: a new step changes only this, and the browser swaps only this (live_svg.js).
    return f"{base}{OVERLAY}{''.join(outlines)}</g></svg>"


def _row_info(tokens: tuple[str, ...], fold: Fold) -> tuple[tuple[int, str, str], ...]:
    """Each drawn row's (step, 1-based, or 0 for a gap; label; token)."""
    labels = token_labels(tokens)
    return tuple(
        (0, gap_label(r), "") if isinstance(r, tuple) else (r + 1, labels[r], tokens[r]) for r in fold.rows
    )


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs={Notation: notation_hash})
def _base_svg(
    arrays: dict[str, np.ndarray],
    rows: tuple[tuple[int, str, str], ...],
    notation: Notation,
    names: tuple[str, ...],
    font_size: int,
    unit_labels: tuple[str, ...] | None,
    width_px: float,
) -> tuple[str, tuple[tuple[float, float, float, float, float, int], ...]]:
    """The drawing without its selection and closing tag, and each panel's (x0, panel width, column
    width, square width, top, row height) for the outlines. ``rows``: each drawn row's (step or 0 for a
    folded gap, label, token)."""
    T, H = np.shape(arrays[names[0]])
    pal, f = palette(), font_size
    labels = [label for _, label, _ in rows]
    groups = _scale_groups(names, arrays)
    ranges = {
        key: z_range(scale, np.concatenate([np.ravel(arrays[m]) for m in used]))
        for key, (scale, used) in groups.items()
    }
    n = len(names)
    rh = round(ROW_PX * max(1.0, f / 12))
    left = label_px(labels, f) + 10
    top = round(TOOLS_PX + 2 * (f + 3) + 10)
    pw = (width_px - left - 6 - _GAP_PX * (n - 1)) / n  # panel width
    cw = pw / H  # column width
    sw = cw - 1 if cw >= _PART_PX else cw  # a square's width (a 1 px gap only where columns are wide)
    heat_bottom = top + T * rh
    if unit_labels is not None:
        axis_h = label_px(unit_labels, f - 1) * 0.87 + 10  # slanted 60°
        stride = 1
    else:
        axis_h = 2 * f + 16
        needed = 0.6 * (f - 1) * len(str(H)) + 4  # width of the longest unit number
        stride = 1 if H <= 16 and cw >= needed else max(4 if H > 16 else 2, int(np.ceil(needed / cw)))
    bars_top = heat_bottom + axis_h + 8
    height = bars_top + (f + 2) + 6 + BAR_PX + f + 10
    aria = esc("Heatmaps: " + ", ".join(map(notation.name, names)))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width_px)} {_n(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" style="height: auto; display: block" '
        f'font-family="{FONT_FAMILY}" font-size="{f}" fill="{pal["ink"]}" data-role="heatmap" '
        f'data-steps="{T}" data-units="{H}" data-row-steps="{" ".join(str(s) for s, _, _ in rows)}" '
        f'aria-label="{aria}">'
    ]
    out.append('<g data-role="rows" text-anchor="end">')
    for k, (step, label, token) in enumerate(rows):
        y = _n(top + (k + 0.5) * rh + 0.35 * f)
        if step:
            where = f'x="{_n(left - 6)}" y="{y}"'
            out.append(f'<text data-row="{step}" data-token="{esc(token)}" {where}>{esc(label)}</text>')
        else:  # a folded stretch: its squares are the stretch's average
            out.append(
                f'<text data-gap="{esc(label)}" x="{_n(left - 6)}" y="{y}" font-style="italic" '
                f'fill="{pal["muted"]}">{esc(label)}</text>'
            )
    out.append("</g>")
    panels = []
    for k, name in enumerate(names):
        scale, _ = groups[scale_for(name).name]
        lo, hi = ranges[scale.name]
        x0 = left + k * (pw + _GAP_PX)
        values = arrays[name]  # (T, H)
        picture = base64.b64encode(png_bytes(scale_rgb(scale, values, lo, hi))).decode("ascii")
        shown = " ".join(map("{:.4f}".format, values.ravel().tolist())).replace("nan", "NaN")
        title = f"{notation.name(name)} {notation.symbol_html(name)}"
        out.append(f'<g data-panel="{esc(name)}" data-name="{esc(plain_text(title))}" data-values="{shown}">')
        out.append(
            f'<text data-role="panel-title" x="{_n(x0 + pw / 2)}" y="{TOOLS_PX + f + 3}" '
            f'text-anchor="middle" font-size="{f + 1}" font-weight="bold">{esc(notation.name(name))}</text>'
            f'<text x="{_n(x0 + pw / 2)}" y="{TOOLS_PX + 2 * (f + 3) + 2}" text-anchor="middle" '
            f'font-size="{f + 1}">'
            f"{rich_text(notation.symbol_html(name))}</text>"
            f'<image data-role="squares" x="{_n(x0)}" y="{top}" width="{_n(pw)}" height="{T * rh}" '
            f'preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering: pixelated" '
            f'href="data:image/png;base64,{picture}"/>'
            f"{_grid(x0, top, pw, cw, rh, T, H)}"
        )
        out.append(_x_axis(x0, pw, cw, H, heat_bottom, f, stride, unit_labels))
        out.append("</g>")
        panels.append((x0, pw, cw, sw, top, rh))
    out.append(_colour_bars(groups, ranges, notation, width_px, bars_top, f))
    return "".join(out), tuple(panels)


def _grid(x0: float, y0: float, pw: float, cw: float, rh: int, T: int, H: int) -> str:
    """White 1 px lines parting the squares: between rows always, between columns where they are at least
    ``_PART_PX`` wide (narrower ones, e.g. 64 units in a half-width panel, would look striped)."""
    lines = [f"M{_n(x0)} {_n(y0 + t * rh - 0.5)}h{_n(pw)}" for t in range(1, T + 1)]
    if cw >= _PART_PX:
        lines += [f"M{_n(x0 + j * cw - 0.5)} {y0}v{T * rh}" for j in range(1, H + 1)]
    return (
        f'<path data-role="grid" d="{"".join(lines)}" stroke="#fff" stroke-width="1" fill="none" '
        'pointer-events="none"/>'
    )


def _x_axis(
    x0: float, pw: float, cw: float, H: int, y: float, f: int, stride: int, unit_labels: Sequence[str] | None
) -> str:
    """The unit numbers (or names, slanted) under a panel, and "unit j" below them."""
    out = [f'<g data-role="x-axis" font-size="{f - 1}" text-anchor="{"end" if unit_labels else "middle"}">']
    for j in range(0, H, stride):
        cx = x0 + (j + 0.5) * cw
        if unit_labels is not None:
            out.append(
                f'<text x="{_n(cx)}" y="{_n(y + 8)}" transform="rotate(-60 {_n(cx)} {_n(y + 8)})">'
                f"{esc(unit_labels[j])}</text>"
            )
        else:
            out.append(f'<text x="{_n(cx)}" y="{_n(y + f + 2)}">{j + 1}</text>')
    if unit_labels is None:
        out.append(
            f'<text x="{_n(x0 + pw / 2)}" y="{_n(y + 2 * f + 10)}" text-anchor="middle" '
            f'font-size="{f}">unit j</text>'
        )
    out.append("</g>")
    return "".join(out)


def _colour_bars(
    groups: Mapping[str, tuple[Scale, list[str]]],
    ranges: Mapping[str, tuple[float, float]],
    notation: Notation,
    width: float,
    top: float,
    f: int,
) -> str:
    """One labelled colour bar per scale in use, side by side under the panels."""
    out = [gradient_defs("gbg-heat-", {key: scale for key, (scale, _) in groups.items()})]
    bars = len(groups)
    length = min(0.3, 0.9 / bars) * width
    for b, (key, (_scale, used)) in enumerate(groups.items()):
        symbols = ", ".join(notation.symbol_html(m) for m in used)
        out.append(
            colour_bar("gbg-heat-", key, symbols, *ranges[key], (b + 0.5) / bars * width, length, top, f)
        )
    return "".join(out)


def colour_bar(
    prefix: str, key: str, symbols: str, lo: float, hi: float, cx: float, length: float, top: float, f: int
) -> str:
    """One colour bar centred at ``cx``: its title (``symbols``: notation HTML) with the range, the bar
    filled with the gradient ``#<prefix><key>`` (``diagram.gradient_defs``) and its ticks."""
    x0 = cx - length / 2
    bar_y = top + f + 6
    out = [
        f'<g data-role="colour-bar" data-scale="{key}" data-range="{lo:g} {hi:g}">'
        f'<text x="{_n(cx)}" y="{_n(top + f)}" text-anchor="middle" font-size="{f - 1}">'
        f"{rich_text(symbols)}: {esc(f'{lo:.3g} … {hi:.3g}'.replace('-', '−'))}</text>"
        f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(length)}" height="{BAR_PX}" '
        f'fill="url(#{prefix}{key})" stroke="{palette()["muted"]}" stroke-width="0.5"/>'
    ]
    for t in np.linspace(lo, hi, 3 if lo >= 0 else 5):
        tx = x0 + (t - lo) / (hi - lo) * length
        out.append(
            f'<text x="{_n(tx)}" y="{_n(bar_y + BAR_PX + f)}" text-anchor="middle" font-size="{f - 2}">'
            f"{esc(f'{t:.3g}'.replace('-', '−'))}</text>"
        )
    out.append("</g>")
    return "".join(out)
