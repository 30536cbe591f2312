"""Tokens × units heatmaps of a trace, coloured by the fixed scales in ``lstm_ui.colors``.

Rows are the tokens (step t = 1 … T, top to bottom), columns the hidden units (j = 1 … H). Every cell
carries ``customdata = [t, j]`` (both 1-based) so a click can select that step and unit, and its hover
text shows the exact value. Titles and axis names come from the notation; the numbers never change.
"""

from __future__ import annotations

import hashlib
import html
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.colors as pc
import plotly.graph_objects as go

from lstm_ui.colors import Scale, scale_for, z_range
from lstm_ui.notation import Notation
from lstm_ui.text import token_labels

if TYPE_CHECKING:
    import pandas as pd

ROW_PX = 22  # pixels per token row
_GAP = 0.012  # horizontal gap between panels, as a fraction of the width
_TOP_PX, _AXIS_PX, _BOTTOM_PX = 48, 62, 120  # title band; x ticks + axis title; colour bars below
_SELECT_LINE = "#d6007a"  # magenta: visible on cividis and on the blue-orange scale


def _coloraxes(names: Sequence[str], arrays: Mapping[str, np.ndarray]) -> dict[str, tuple[str, Scale]]:
    """One shared colour axis per scale in use: ``{scale name: (layout key, scale)}``."""
    out: dict[str, tuple[str, Scale]] = {}
    for name in names:
        scale = scale_for(name)
        if scale.name not in out:
            n = len(out) + 1
            out[scale.name] = ("coloraxis" if n == 1 else f"coloraxis{n}", scale)
    return out


def label_px(labels: Sequence[str], font_size: float) -> int:
    """A generous width in pixels of the longest of ``labels`` drawn at ``font_size``.

    The charts set their margins from it instead of letting plotly.js measure the labels (its
    ``automargin``): a measured margin that changes makes plotly.js draw the whole figure twice, which
    doubled the cost of showing a new sentence (~115 → ~60 ms for six heatmaps). Wide (CJK, emoji)
    characters count as two.
    """

    def units(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    longest = max((units(label) for label in labels), default=0)
    return int(np.ceil(longest * 0.6 * font_size))


def _data_revision(data: list[dict]) -> str:
    """A digest of the numbers drawn (the layout's ``datarevision``).

    plotly.js recomputes the traces when it changes; labels, notation and the selection outline do not
    change it, so switching them costs a relayout, not a recomputation of every heatmap.
    """
    digest = hashlib.blake2b(digest_size=12)
    for trace in data:
        z = np.ascontiguousarray(trace.get("z"))
        digest.update(str(z.shape).encode())
        digest.update(z.tobytes())
    return digest.hexdigest()


def _colorbar_title(scale: Scale, lo: float, hi: float, used: Sequence[str], notation: Notation) -> str:
    symbols = ", ".join(notation.symbol_html(m) for m in used)
    return f"{symbols}: {lo:.3g} … {hi:.3g}"


def trace_figure(
    arrays: Mapping[str, np.ndarray],
    tokens: Sequence[str],
    notation: Notation,
    names: Sequence[str] | None = None,
    selected: tuple[int, int] | None = None,
    font_size: int = 12,
) -> go.Figure:
    """Side-by-side heatmaps of ``arrays[name]`` (each (T, H)), sharing the token axis.

    Rows sit at y = t (1-based step), labelled with the tokens (the y axis's ``ticktext``); columns at
    x = j (1-based unit). ``selected`` is a 0-based (row, column) pair to outline in every panel.
    A click on a square reports its point (x = j, y = t) through ``lstm_ui.live_chart`` (``clicked_cell``).
    """
    names = list(names or arrays)
    if not names:
        raise ValueError("nothing to draw: no arrays given")
    T, H = np.shape(arrays[names[0]])
    if len(tokens) != T:
        raise ValueError(f"{len(tokens)} tokens for arrays with {T} rows")
    labels = token_labels(tokens)
    axes = _coloraxes(names, arrays)
    units = np.arange(1, H + 1, dtype=np.uint16)
    steps = np.arange(1, T + 1, dtype=np.uint16)
    n = len(names)
    width = (1.0 - _GAP * (n - 1)) / n
    data: list[dict] = []
    layout: dict[str, object] = {}
    shapes: list[dict] = []
    annotations: list[dict] = []
    for k, name in enumerate(names):
        values = np.asarray(arrays[name], dtype=float)  # (T, H)
        axis_key, scale = axes[scale_for(name).name]
        suffix = "" if k == 0 else str(k + 1)
        symbol = notation.symbol_html(name)
        value = "%{z:.4f}"
        hover = (
            f"<b>{notation.name(name)}</b><br>step %{{y}}, unit %{{x}}<br>{symbol} = {value}<extra></extra>"
        )
        heat = {
            "type": "heatmap",
            "z": values,
            "x": units,
            "y": steps,
            "coloraxis": axis_key,
            "xaxis": f"x{suffix}",
            "yaxis": f"y{suffix}",
            "name": notation.name(name),
            "xgap": 1,
            "ygap": 1,
        }
        data.append({**heat, "hovertemplate": hover})
        x0 = k * (width + _GAP)
        layout[f"xaxis{suffix}"] = {
            "domain": [x0, x0 + width],
            "title": {"text": "unit j"},
            "tickmode": "array",
            "tickvals": units.tolist() if H <= 16 else units[::4].tolist(),
            "fixedrange": True,
            "side": "bottom",
            "automargin": False,
        }
        layout[f"yaxis{suffix}"] = {
            "range": [T + 0.5, 0.5],  # step 1 on top
            "fixedrange": True,
            "showticklabels": k == 0,
            "tickmode": "array",
            "tickvals": steps.tolist(),
            "ticktext": labels,
            "showgrid": False,
            "zeroline": False,
            "automargin": False,
            **({} if k == 0 else {"matches": "y"}),
        }
        annotations.append(
            {
                "text": f"<b>{notation.name(name)}</b><br>{symbol}",
                "x": x0 + width / 2,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": font_size + 1},
            }
        )
        if selected is not None:
            r, c = selected
            xref, yref = f"x{suffix}", f"y{suffix}"
            row = {"type": "rect", "xref": xref, "yref": yref, "x0": 0.5, "x1": H + 0.5}
            shapes.append({**row, "y0": r + 0.5, "y1": r + 1.5, "line": {"color": "#444", "width": 1}})
            cell = {"type": "rect", "xref": xref, "yref": yref, "x0": c + 0.5, "x1": c + 1.5}
            shapes.append({**cell, "y0": r + 0.5, "y1": r + 1.5, "line": {"color": _SELECT_LINE, "width": 3}})
    plot_px = ROW_PX * T
    bars = len(axes)
    for b, (axis_key, scale) in enumerate(axes.values()):
        used = [m for m in names if scale_for(m) == scale]
        lo, hi = z_range(scale, np.concatenate([np.ravel(arrays[m]) for m in used]))
        layout[axis_key] = {
            "colorscale": scale.colorscale,
            "cmin": lo,
            "cmax": hi,
            "colorbar": {  # horizontal, under the panels, one per scale
                "title": {"text": _colorbar_title(scale, lo, hi, used, notation), "side": "top"},
                "orientation": "h",
                "len": min(0.3, 0.9 / bars),
                "x": (b + 0.5) / bars,
                "xanchor": "center",
                "y": -(_AXIS_PX + 6) / plot_px,
                "yanchor": "top",
                "thickness": 10,
            },
        }
    layout.update(
        datarevision=_data_revision(data),
        shapes=shapes,
        annotations=annotations,
        height=plot_px + _TOP_PX + _BOTTOM_PX,
        margin={"l": label_px(labels, font_size) + 14, "r": 10, "t": _TOP_PX, "b": _BOTTOM_PX},
        font={"size": font_size},
        clickmode="event+select",
        hoverlabel={"font": {"size": font_size + 1}},
        showlegend=False,
    )
    # Built as plain dicts and wrapped unvalidated: plotly's validation costs ~80 ms per figure, which is
    # most of a redraw. tests/test_app_step_through.py validates these figures with plotly instead.
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def clicked_cell(point: Mapping) -> tuple[int, int] | None:
    """The 1-based (step, unit) of a clicked square: its point sits at x = unit, y = step."""
    try:
        return int(point["y"]), int(point["x"])
    except (KeyError, TypeError, ValueError):
        return None


def gate_figure(
    values: np.ndarray, name: str, tokens: Sequence[str], notation: Notation, font_size: int = 12
) -> go.Figure:
    """One heatmap (e.g. the forget gate on the home page) on its fixed colour range."""
    return trace_figure({name: values}, tokens, notation, font_size=font_size)


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


def _cell_colours(scale: Scale, values: np.ndarray, lo: float, hi: float) -> list[str]:
    """Background colours of ``values`` on ``scale`` over [lo, hi] (the same mapping as the heatmaps)."""
    stops = scale.colorscale
    stops = pc.get_colorscale(stops) if isinstance(stops, str) else [list(s) for s in stops]
    where = np.clip((np.asarray(values, dtype=float) - lo) / (hi - lo), 0.0, 1.0)
    return pc.sample_colorscale(stops, where.tolist())


def _ink(rgb: str) -> str:
    r, g, b = (int(v) for v in rgb[rgb.index("(") + 1 : -1].split(","))
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
        for j, (v, bg) in enumerate(zip(values, _cell_colours(scale, values, lo, hi), strict=True)):
            mark = ' class="sel"' if j == column else ""
            cells.append(f'<td{mark} style="background:{bg};color:{_ink(bg)}" title="{v:.6f}">{v:.2f}</td>')
        label = f"{html.escape(notation.name(name))} {notation.symbol_html(name)}"
        rows.append(f'<tr><th class="name">{label}</th>{"".join(cells)}</tr>')
    return (
        f"<style>.gbg-strip{{border-collapse:collapse;font-size:{font_px}px;margin:0.3rem 0 0.8rem 0}}"
        ".gbg-strip td,.gbg-strip th{padding:2px 6px;text-align:center;font-variant-numeric:tabular-nums}"
        ".gbg-strip th.name{text-align:right;font-weight:600;white-space:nowrap}"
        ".gbg-strip td.sel{outline:3px solid " + _SELECT_LINE + ";outline-offset:-3px}</style>"
        f'<table class="gbg-strip" data-step="{row + 1}" data-unit="{column + 1}">'
        f'<caption style="caption-side:top;text-align:left">step {row + 1}: “{html.escape(token)}”'
        f" — unit {column + 1} outlined</caption>"
        f"<tr><th></th>{head}</tr>{''.join(rows)}</table>"
    )
