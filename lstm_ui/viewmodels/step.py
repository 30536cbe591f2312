"""The numbers behind the heatmaps: a (T, H) array as a table, every array as tabs, and one step of
every array as a coloured strip (the step-through page's quick view). The drawings themselves are
``lstm_ui.drawings.heatmap``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from lstm_ui.components.live_svg import tex_html
from lstm_ui.drawings.colours import scale_for, z_range
from lstm_ui.drawings.heatmap import SELECT_LINE
from lstm_ui.drawings.pixels import scale_colours
from lstm_ui.equations import step_equations
from lstm_ui.notation import Notation
from lstm_ui.prose import markdown_html, read_text
from lstm_ui.sentence import token_labels

if TYPE_CHECKING:
    import pandas as pd


def numbers_table(values: np.ndarray, tokens: Sequence[str], name: str, notation: Notation) -> pd.DataFrame:
    """The (T, H) array as a table: one row per step (labelled ``"t token"``), one column per unit."""
    import pandas as pd  # imported here: the home page never needs it (faster first draw)

    H = np.shape(values)[1]
    symbol = notation.symbol_plain(name)
    columns = [f"{symbol}[{j}]" for j in range(1, H + 1)]
    return pd.DataFrame(np.asarray(values, dtype=float), index=token_labels(tokens), columns=columns)


def numbers_tabs(
    arrays: Mapping[str, np.ndarray],
    tokens: Sequence[str],
    notation: Notation,
    key: str,
    label: str = "Show the numbers",
) -> None:
    """A toggle that shows every heatmap's (T, H) values as a table, one tab per array."""
    import streamlit as st  # imported here, like pandas: the figure builders above stay pure

    if not st.toggle(label, key=key, help="The exact values behind the colours."):
        return
    for tab, (name, values) in zip(st.tabs([notation.name(n) for n in arrays]), arrays.items(), strict=True):
        tab.dataframe(numbers_table(values, tokens, name, notation), width="stretch")


def _ink(rgb: str) -> str:
    r, g, b = (int(rgb[k : k + 2], 16) for k in (1, 3, 5))  # "#rrggbb"
    return "#111" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"


def step_strip_html(
    arrays: Mapping[str, np.ndarray], row: int, column: int, token: str, notation: Notation, font_px: int = 13
) -> str:
    """One step of every array as a coloured HTML table: the row ``row`` (0-based) of each (T, H) array,
    the column ``column`` (0-based unit) outlined. Cheap to redraw, so it is what moves while stepping;
    colours use the heatmaps' scales and ranges."""
    names = list(arrays)
    H = np.shape(arrays[names[0]])[1]
    head = "".join(f"<th>{j}</th>" for j in range(1, H + 1))
    rows = []
    for name in names:
        scale = scale_for(name)
        used = [np.ravel(arrays[m]) for m in names if scale_for(m) == scale]
        lo, hi = z_range(scale, np.concatenate(used))
        values = np.asarray(arrays[name], dtype=float)[row]  # (H,)
        cells = []
        for j, (v, bg) in enumerate(zip(values, scale_colours(scale, values, lo, hi), strict=True)):
            mark = ' class="sel"' if j == column else ""
            cells.append(f'<td{mark} style="background:{bg};color:{_ink(bg)}" title="{v:.6f}">{v:.2f}</td>')
        label = f"{html.escape(notation.name(name))} {notation.symbol_html(name)}"
        rows.append(f'<tr><th class="name">{label}</th>{"".join(cells)}</tr>')
    return (
        f"<style>.gbg-strip{{border-collapse:collapse;font-size:{font_px}px;margin:0.3rem 0 0.8rem 0}}"
        ".gbg-strip td,.gbg-strip th{padding:2px 6px;text-align:center;font-variant-numeric:tabular-nums}"
        ".gbg-strip th.name{text-align:right;font-weight:600;white-space:nowrap}"
        ".gbg-strip td.sel{outline:3px solid " + SELECT_LINE + ";outline-offset:-3px}</style>"
        f'<table class="gbg-strip" data-step="{row + 1}" data-unit="{column + 1}">'
        f'<caption style="caption-side:top;text-align:left">step {row + 1}: “{html.escape(token)}”'
        f" — unit {column + 1} outlined</caption>"
        f"<tr><th></th>{head}</tr>{''.join(rows)}</table>"
    )


def step_detail_html(values: Mapping[str, np.ndarray], token: str, t: int, j: int, notation: Notation) -> str:
    """The selected step and unit (0-based ``t``, ``j``) under the step-through heatmaps: the two update
    equations with their live numbers (``values``: ``equations.cell_values`` of step ``t``), typeset by
    the component (lstm_ui.components.live_svg.tex_html)."""
    head = f"**Step {t + 1}: “{token}”, unit {j + 1}** — {read_text('step_through_detail')}"
    return markdown_html(head) + "".join(tex_html(tex) for tex in step_equations(values, j, notation))
