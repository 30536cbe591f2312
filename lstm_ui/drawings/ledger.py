"""The memory ledger as a words × units matrix (an SVG drawing): which word wrote what is in C_t.

Row s is a word (step s ≤ t), plus a first row for the start (C_0); column j a unit. A square's colour is
the word's share of unit j's C_t (``lstm_core.ledger``: the size of its part among the sizes of all
parts, 0 … 1, on the gates' cividis scale); the word that wrote most of each unit is outlined. Hovering a
square shows the word, the part it wrote, C_t and the share: each square is a ``<rect data-j
aria-label>`` in a ``<g data-t>`` row, as the unrolled RNN's squares, which the component
(``live_svg.js``) reads for its hover text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lstm_ui.drawings.colours import SCALES, palette
from lstm_ui.drawings.compare import number, signed, unit_axis
from lstm_ui.drawings.heatmap import SELECT_LINE, TOOLS_PX, label_px
from lstm_ui.drawings.pixels import scale_colours
from lstm_ui.drawings.svg import FONT_FAMILY, esc, gradient_defs, plain_text, rich_text
from lstm_ui.drawings.svg import coord as _n
from lstm_ui.sentence import token_labels

ROW_PX = 18  # per row at font size 12
BAR_PX = 10
START = "start (C₀)"
EMPTY_FILL = "#eeeeee"  # a unit that holds almost nothing: no shares drawn


def ledger_svg(
    parts: np.ndarray,
    initial: np.ndarray,
    cell: np.ndarray,
    shares: np.ndarray,
    initial_shares: np.ndarray,
    tokens: Sequence[str],
    cell_symbol: str,
    font_size: int = 12,
    width_px: float = 440,
    unit_labels: Sequence[str] | None = None,
    title: str = "",
    empty: np.ndarray | None = None,
    axis_labels: Sequence[str] | None = None,
) -> str:
    """The ledger of C_t (t = ``len(tokens)``, 1-based): ``parts`` and ``shares`` (t, H) by word, the
    start's ``initial`` and ``initial_shares`` (H,), and ``cell`` C_t (H,). ``cell_symbol``: the
    notation's HTML for C_t (the colour bar's and the hover text's name). ``unit_labels`` name the units
    in the hover text, ``axis_labels`` under the columns (default: the same); ``empty`` (H,) marks the
    units that hold almost nothing, drawn pale with no shares (a share of nothing means nothing)."""
    t, H = np.shape(parts)
    if len(tokens) != t or np.shape(shares) != (t, H) or np.shape(cell) != (H,):
        raise ValueError(f"a ledger of {t} words needs {t} tokens and (t, H) shares, (H,) C_t")
    f, pal = font_size, palette()
    rh = round(ROW_PX * max(1.0, f / 12))
    labels = [START, *token_labels(tuple(tokens))]
    left = label_px(labels, f) + 10
    top = round(TOOLS_PX + f + 14) if title else TOOLS_PX + 4
    cw = (width_px - left - 8) / H
    rows = [(0, START, initial, initial_shares)] + [
        (s + 1, labels[s + 1], parts[s], shares[s]) for s in range(t)
    ]
    scale = SCALES["gate"]
    empty = np.zeros(H, bool) if empty is None else np.asarray(empty, bool)
    axis_labels = unit_labels if axis_labels is None else axis_labels
    writer = np.argmax(np.abs(parts), axis=0) if t else np.zeros(H, int)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width_px)} {{height}}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" style="height: auto; display: block" '
        f'font-family="{FONT_FAMILY}" font-size="{f}" fill="{pal["ink"]}" data-role="ledger" '
        f'data-words="{t}" data-units="{H}" aria-label="{esc(title or "memory ledger")}">'
    ]
    if title:
        out.append(
            f'<text x="{_n(width_px / 2)}" y="{TOOLS_PX + f}" text-anchor="middle" font-weight="bold">'
            f"{esc(title)}</text>"
        )
    c_name, c_plain = rich_text(cell_symbol), plain_text(cell_symbol)
    for k, (step, label, values, share) in enumerate(rows):
        y = top + k * rh
        fills = scale_colours(scale, share, 0.0, 1.0)
        who = "the start C₀" if step == 0 else f"“{tokens[step - 1]}” (step {step})"
        style = ' font-style="italic"' if step == 0 else ""
        out.append(
            f'<g data-t="{step}"><text x="{_n(left - 6)}" y="{_n(y + 0.5 * rh + 0.35 * f)}" text-anchor="end"'
            f"{style}>{esc(label)}</text>"
        )
        for j in np.flatnonzero(~empty):
            unit, wrote, pct = _unit(j, unit_labels), signed(values[j]), f"{100 * share[j]:.1f} %"
            hover = f"{who} wrote {wrote} of {c_plain} = {signed(cell[j])} in {unit}: share {pct}"
            out.append(
                f'<rect data-j="{j + 1}" data-share="{share[j]:.6f}" x="{_n(left + j * cw)}" y="{_n(y)}" '
                f'width="{_n(max(cw - 1, 0.5))}" height="{rh - 1}" fill="{fills[j]}" '
                f'aria-label="{esc(hover)}"/>'
            )
        out.append("</g>")
    out.append('<g data-t="0" data-role="empty-units">')  # one pale column per unit that holds nothing
    for j in np.flatnonzero(empty):
        hover = f"{_unit(j, unit_labels)} holds almost nothing: {c_plain} = {signed(cell[j], 5)}"
        out.append(
            f'<rect data-j="{j + 1}" x="{_n(left + j * cw)}" y="{_n(top)}" width="{_n(max(cw - 1, 0.5))}" '
            f'height="{len(rows) * rh - 1}" fill="{EMPTY_FILL}" aria-label="{esc(hover)}"/>'
        )
    out.append("</g>")
    outlines = [
        f'<rect data-role="writer" data-j="{j + 1}" data-t="{writer[j] + 1}" x="{_n(left + j * cw)}" '
        f'y="{_n(top + (writer[j] + 1) * rh)}" width="{_n(max(cw - 1, 0.5))}" height="{rh - 1}" fill="none" '
        f'stroke="{SELECT_LINE}" stroke-width="2" pointer-events="none"/>'
        for j in range(H)
        if t and not empty[j] and np.abs(parts[writer[j], j]) > 0
    ]
    out.extend(outlines)
    bottom = top + len(rows) * rh
    out.append(unit_axis(left, cw, H, bottom, f, axis_labels))
    axis_h = label_px(axis_labels, f - 1) * 0.87 + 10 if axis_labels is not None else 2 * f + 12
    bar_top = bottom + axis_h + 6
    out.append(_bar(width_px, bar_top, f, c_name))
    height = bar_top + 2 * f + BAR_PX + 16
    out.append("</svg>")
    return "".join(out).replace("{height}", _n(height), 1)


def _unit(j: int, names: Sequence[str] | None) -> str:
    return f"unit {j + 1}" + ("" if names is None else f" ({names[j]})")


def _bar(width: float, top: float, f: int, c_name: str) -> str:
    length = 0.6 * width
    x0, bar_y = (width - length) / 2, top + f + 4
    ticks = "".join(
        f'<text x="{_n(x0 + v * length)}" y="{_n(bar_y + BAR_PX + f)}" text-anchor="middle" '
        f'font-size="{f - 2}">'
        f"{number(v, 1)}</text>"
        for v in (0.0, 0.5, 1.0)
    )
    return (
        gradient_defs("gbg-ledger-", {"share": SCALES["gate"]})
        + f'<g data-role="colour-bar"><text x="{_n(width / 2)}" y="{_n(top + f)}" text-anchor="middle" '
        f'font-size="{f - 1}">each word\'s share of {c_name}</text>'
        f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(length)}" height="{BAR_PX}" '
        f'fill="url(#gbg-ledger-share)" stroke="{palette()["muted"]}" stroke-width="0.5"/>{ticks}</g>'
    )
