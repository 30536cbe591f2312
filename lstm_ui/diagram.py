"""The classic LSTM cell diagram (colah's layout) drawn with plotly, with live numbers on the wires.

The cell state C runs along the top; h_{t-1} enters bottom-left and x_t from below; the four interacting
layers σ σ tanh σ sit on the bus [h_{t-1}, x_t]; × and + are the element-wise nodes; tanh(C_t) and the
output gate make h_t, which leaves to the right (next step) and through the top (the layer above).

``cell_figure`` is pure: values (full vectors at one timestep) + unit + step + notation → figure. Wires
are shapes in data coordinates; nodes are markers (sized in pixels, so the drawing stretches to any
width and circles stay round); labels are offset in pixels. Every labelled wire has an annotation named
``wire:<id>`` whose text holds the selected unit's value and whose hover text the whole vector; every
node is a trace named ``node:<id>``. Colours come from ``lstm_ui.colors`` only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import get_colorscale, hex_to_rgb, unlabel_rgb

from lstm_ui.colors import SCALES, Scale, scale_for
from lstm_ui.notation import Notation

Point = tuple[float, float]
STEPS_PATH = Path(__file__).resolve().parent.parent / "assets" / "steps.json"

Y_C, Y_BUS, Y_LAYER, Y_MUL, Y_TANH = 7.0, 1.0, 2.9, 4.8, 5.9  # rows of the drawing
X_X, X_F, X_I, X_G, X_O, X_OUT, X_UP = 1.2, 2.6, 4.6, 6.6, 8.6, 10.8, 12.2  # columns
X_LEFT, X_RIGHT = 0.0, 13.4
NODE_PX = {"layer": 42, "fn": 42, "op": 28}  # marker sizes (normal mode; ×1.3 in lecture mode)


@dataclass(frozen=True)
class Wire:
    id: str
    value: str | None  # key into the values dict; None: an unlabelled branch of another wire
    points: tuple[Point, ...]
    label_at: Point = (0.0, 0.0)  # a point on the wire
    shift: tuple[int, int] = (0, 14)  # label offset from label_at, pixels
    anchor: str = "center"  # xanchor of the value label
    arrow: bool = True


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # "layer" (σ/tanh box), "op" (× +), "fn" (the tanh on the way out)
    text: str
    center: Point
    value: str  # the value it outputs (fill colour and hover)
    pre: str | None = None  # the pre-activation it squashes


WIRES: tuple[Wire, ...] = (
    Wire("c_prev", "cell_prev", ((X_LEFT, Y_C), (X_F, Y_C)), ((X_LEFT + X_F) / 2, Y_C)),
    Wire("c_forget", "forget_part", ((X_F, Y_C), (X_G, Y_C)), ((X_F + X_G) / 2, Y_C)),
    Wire("c_out", "cell", ((X_G, Y_C), (X_RIGHT, Y_C)), ((X_G + X_OUT) / 2, Y_C)),
    Wire("c_tanh_in", None, ((X_OUT, Y_C), (X_OUT, Y_TANH))),
    Wire(
        "tc", "cell_tanh", ((X_OUT, Y_TANH), (X_OUT, Y_MUL)), (X_OUT, (Y_TANH + Y_MUL) / 2), (10, 0), "left"
    ),
    Wire("h_prev", "hidden_prev", ((X_LEFT, Y_BUS), (X_X, Y_BUS)), (X_LEFT, Y_BUS), (4, 14), "left", False),
    Wire("x", "x", ((X_X, -0.9), (X_X, Y_BUS)), (X_X, -0.3), (8, 0), "left", False),
    Wire("bus", None, ((X_X, Y_BUS), (X_O, Y_BUS)), arrow=False),
    Wire("z_forget", None, ((X_F, Y_BUS), (X_F, Y_LAYER))),
    Wire("z_input", None, ((X_I, Y_BUS), (X_I, Y_LAYER))),
    Wire("z_candidate", None, ((X_G, Y_BUS), (X_G, Y_LAYER))),
    Wire("z_output", None, ((X_O, Y_BUS), (X_O, Y_LAYER))),
    Wire("f", "forget", ((X_F, Y_LAYER), (X_F, Y_C)), (X_F, 5.0), (-8, 0), "right"),
    Wire("i", "input", ((X_I, Y_LAYER), (X_I, Y_MUL), (X_G, Y_MUL)), (X_I, 3.85), (-8, 0), "right"),
    Wire("g", "candidate", ((X_G, Y_LAYER), (X_G, Y_MUL)), (X_G, 3.85), (8, 0), "left"),
    Wire("c_input", "input_part", ((X_G, Y_MUL), (X_G, Y_C)), (X_G, 5.9), (8, 0), "left"),
    Wire("o", "output", ((X_O, Y_LAYER), (X_O, Y_MUL), (X_OUT, Y_MUL)), (X_O, 3.85), (8, 0), "left"),
    Wire(
        "h",
        "hidden",
        ((X_OUT, Y_MUL), (X_OUT, Y_BUS), (X_RIGHT, Y_BUS)),
        ((X_UP + X_RIGHT) / 2, Y_BUS),
        (0, -14),
    ),
    Wire("h_up", None, ((X_UP, Y_BUS), (X_UP, 8.4))),
)

NODES: tuple[Node, ...] = (
    Node("sig_forget", "layer", "σ", (X_F, Y_LAYER), "forget", "pre_forget"),
    Node("sig_input", "layer", "σ", (X_I, Y_LAYER), "input", "pre_input"),
    Node("tanh_candidate", "layer", "tanh", (X_G, Y_LAYER), "candidate", "pre_candidate"),
    Node("sig_output", "layer", "σ", (X_O, Y_LAYER), "output", "pre_output"),
    Node("mul_forget", "op", "×", (X_F, Y_C), "forget_part"),
    Node("add_cell", "op", "+", (X_G, Y_C), "cell"),
    Node("mul_input", "op", "×", (X_G, Y_MUL), "input_part"),
    Node("tanh_cell", "fn", "tanh", (X_OUT, Y_TANH), "cell_tanh", "cell"),
    Node("mul_output", "op", "×", (X_OUT, Y_MUL), "hidden"),
)
NODE_AT = {n.center: n for n in NODES}


def load_steps(path: Path = STEPS_PATH) -> dict[str, Any]:
    """assets/steps.json: ``order`` (forget, store, update, output) and per step its wires, nodes, text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {w.id for w in WIRES} | {n.id for n in NODES}
    for name in data["order"]:
        unknown = set(data["steps"][name]["wires"]) | set(data["steps"][name]["nodes"])
        if unknown - known:
            raise ValueError(f"steps.json: step {name!r} names unknown parts {sorted(unknown - known)}")
    return data


def palette() -> dict[str, str]:
    """The diagram's colours, all taken from the app's scales in ``lstm_ui.colors``."""
    signed = SCALES["signed"].colorscale
    return {
        "active": signed[-1][1],  # dark orange end of the diverging scale
        "cell_line": signed[0][1],  # dark blue end
        "muted": "rgb({:.0f}, {:.0f}, {:.0f})".format(
            *color_at(SCALES["gate"].colorscale, 0.5)
        ),  # cividis grey
        "paper": signed[2][1],  # the near-white centre
        "soft": signed[1][1],
        "ink": "rgb({:.0f}, {:.0f}, {:.0f})".format(*color_at(SCALES["gate"].colorscale, 0.0)),  # dark navy
    }


def fmt_number(v: float) -> str:
    """A wire label number: 3 decimals, a real minus sign, scientific when huge."""
    v = float(v)
    s = f"{v:.2e}" if abs(v) >= 1e4 else f"{v:.3f}"
    return s.replace("-", "−")


def fmt_vector(vec: np.ndarray, highlight: int | None = None, per_line: int = 8) -> str:
    """The whole vector for hover text, ``highlight`` in bold, wrapped every ``per_line`` numbers."""
    parts = [fmt_number(v) for v in np.ravel(vec)]
    if highlight is not None and 0 <= highlight < len(parts):
        parts[highlight] = f"<b>{parts[highlight]}</b>"
    lines = [", ".join(parts[k : k + per_line]) for k in range(0, len(parts), per_line)]
    return "[" + ",<br>".join(lines) + "]"


def _short_vector(vec: np.ndarray, n: int = 3) -> str:
    v = np.ravel(vec)
    shown = ", ".join(f"{x:.2f}".replace("-", "−") for x in v[:n])
    return f"[{shown}{', …' if v.size > n else ''}]"


@st.cache_resource(show_spinner=False)
def _stops(colorscale: str | tuple[tuple[float, str], ...]) -> tuple[tuple[float, tuple[float, ...]], ...]:
    """A colour scale as (position, (r, g, b) in 0 … 255) stops (built once per scale: plotly's
    ``get_colorscale`` rebuilds its table of named scales on every call, ~1 ms, and a diagram asks ~40 times).
    """
    stops = get_colorscale(colorscale) if isinstance(colorscale, str) else colorscale
    out = []
    for pos, color in stops:
        rgb = hex_to_rgb(color) if color.startswith("#") else unlabel_rgb(color)
        out.append((float(pos), tuple(float(c) for c in rgb)))
    return tuple(out)


def color_at(colorscale: str | tuple[tuple[float, str], ...], pos: float) -> tuple[float, float, float]:
    """The (r, g, b) colour (0 … 255) at ``pos`` in 0 … 1, interpolated linearly between stops."""
    stops = _stops(colorscale)
    pos = float(np.clip(pos, 0.0, 1.0))
    positions = [p for p, _ in stops]
    return tuple(float(np.interp(pos, positions, [c[k] for _, c in stops])) for k in range(3))


def _fill(scale: Scale, value: float) -> tuple[str, str]:
    """(fill colour, readable text colour) for ``value`` on ``scale``."""
    lo, hi = (scale.zmin, scale.zmax) if scale.zmin is not None else (-1.0, 1.0)
    r, g, b = color_at(scale.colorscale, (value - lo) / (hi - lo))
    dark = (0.299 * r + 0.587 * g + 0.114 * b) / 255.0 < 0.45
    return f"rgb({round(r)}, {round(g)}, {round(b)})", (palette()["paper"] if dark else palette()["ink"])


def _path(points: tuple[Point, ...]) -> str:
    return "M " + " L ".join(f"{x},{y}" for x, y in points)


def wire_label(wire: Wire, values: dict[str, np.ndarray], unit: int, notation: Notation) -> str:
    """The text on a wire: symbol = the selected unit's number (x_t: its first entries)."""
    vec = np.ravel(values[wire.value])
    if wire.value == "x":
        return f"{notation.symbol_html('x')} = {_short_vector(vec)}"
    return f"{notation.symbol_html(wire.value)} = {fmt_number(vec[unit])}"


def cell_figure(
    values: dict[str, np.ndarray],
    unit: int,
    step: dict[str, Any] | None,
    notation: Notation,
    large: bool = False,
    title: str | None = None,
) -> go.Figure:
    """The cell at one timestep.

    ``values``: full vectors by name (cell_prev, forget_part, cell, cell_tanh, hidden_prev, x, forget,
    input, candidate, input_part, output, hidden; optionally pre_forget … pre_output for the hover);
    ``unit``: the 0-based hidden unit whose numbers are written on the wires; ``step``: an entry of
    assets/steps.json (its ``wires`` and ``nodes`` are drawn in colour, the rest greyed) or None for all;
    ``notation``: the symbols and names the labels use (numbers never depend on it).
    """
    H = int(np.ravel(values["cell"]).size)
    if not 0 <= unit < H:
        raise ValueError(f"unit {unit} is outside the hidden state (0 … {H - 1})")
    pal = palette()
    on_wires = set(step["wires"]) if step else {w.id for w in WIRES}
    on_nodes = set(step["nodes"]) if step else {n.id for n in NODES}
    scale = 1.3 if large else 1.0
    font = round(13 * scale)
    line_w = 3.5 * scale
    data: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = [
        dict(
            type="rect",
            x0=0.55,
            x1=X_RIGHT - 0.55,
            y0=0.2,
            y1=8.0,
            line=dict(color=pal["muted"], width=1.5),
            fillcolor=pal["paper"],
            layer="below",
            name="cell_box",
        )
    ]
    annotations: list[dict[str, Any]] = []
    for w in WIRES:
        active = w.id in on_wires
        color = pal["active"] if active else pal["muted"]
        if active and w.id in ("c_prev", "c_forget", "c_out"):
            color = pal["cell_line"]
        width = line_w if active else line_w * 0.6
        opacity = 1.0 if active else 0.5
        shapes.append(
            dict(
                type="path",
                path=_path(w.points),
                line=dict(color=color, width=width),
                opacity=opacity,
                layer="below",
                name=f"wire:{w.id}",
            )
        )
        if w.arrow:
            (ax, ay), end = w.points[-2], w.points[-1]
            target = NODE_AT.get(end)
            annotations.append(
                dict(
                    x=end[0],
                    y=end[1],
                    ax=ax,
                    ay=ay,
                    axref="x",
                    ayref="y",
                    text="",
                    showarrow=True,
                    arrowhead=2,
                    arrowsize=1.1,
                    arrowwidth=width,
                    arrowcolor=color,
                    opacity=opacity,
                    standoff=(NODE_PX[target.kind] * scale / 2 + 1) if target else 0,
                    name=f"arrow:{w.id}",
                )
            )
        if w.value is None:
            continue
        what = notation.name(w.value)
        annotations.append(
            dict(
                x=w.label_at[0],
                y=w.label_at[1],
                xshift=w.shift[0] * scale,
                yshift=w.shift[1] * scale,
                text=wire_label(w, values, unit, notation),
                showarrow=False,
                xanchor=w.anchor,
                font=dict(size=font, color=pal["ink"] if active else pal["muted"]),
                bgcolor=pal["paper"],
                borderpad=1,
                hovertext=f"{what} {notation.symbol_html(w.value)}, all entries"
                + ("" if w.value == "x" else f" (unit {unit + 1} in bold)")
                + ":<br>"
                + fmt_vector(values[w.value], None if w.value == "x" else unit),
                name=f"wire:{w.id}",
            )
        )
    for n in NODES:
        data.append(_node_trace(n, values, unit, n.id in on_nodes, notation, scale, font))
    annotations.append(
        dict(
            x=X_UP,
            y=8.4,
            yshift=12 * scale,
            text=f"<b>{notation.symbol_html('hidden')}</b>",
            showarrow=False,
            font=dict(size=font + 2, color=pal["ink"]),
            name="end:hidden",
        )
    )
    data.extend(_colorbars(font))
    layout = dict(
        shapes=shapes,
        annotations=annotations,
        height=round((470 if title else 430) * scale),
        margin=dict(l=4, r=4, t=round(40 * scale) if title else 4, b=round(70 * scale)),
        xaxis=dict(visible=False, range=[-0.3, X_RIGHT + 0.3], fixedrange=True),
        yaxis=dict(visible=False, range=[-1.1, 8.9], fixedrange=True),
        plot_bgcolor="rgba(0, 0, 0, 0)",
        showlegend=False,
        hovermode="closest",
        dragmode=False,
        font=dict(size=font),
    )
    if title:
        layout["title"] = dict(text=title, font=dict(size=font + 4), x=0.01)
    # Plain dicts, wrapped unvalidated (plotly's validation cost ~18 ms per figure, on every step);
    # tests/test_diagram.py validates these figures with plotly instead.
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _node_trace(
    n: Node,
    values: dict[str, np.ndarray],
    unit: int,
    active: bool,
    notation: Notation,
    scale: float,
    font: int,
) -> dict[str, Any]:
    pal = palette()
    v = float(np.ravel(values[n.value])[unit])
    if n.kind == "op":
        fill, text_color = pal["paper"], pal["ink"]
    else:
        fill, text_color = _fill(scale_for(n.value), v)
    hover = f"{notation.label_html(n.value)} = {fmt_number(v)}"
    if n.pre and n.pre in values:
        z = float(np.ravel(values[n.pre])[unit])
        hover = f"{notation.label_html(n.value)} = {n.text}({fmt_number(z)}) = {fmt_number(v)}"
    return dict(
        type="scatter",
        x=[n.center[0]],
        y=[n.center[1]],
        mode="markers+text",
        marker=dict(
            symbol="square" if n.kind == "layer" else "circle",
            size=NODE_PX[n.kind] * scale,
            color=fill,
            opacity=1.0 if active else 0.45,
            line=dict(color=pal["active"] if active else pal["muted"], width=3 if active else 1.5),
        ),
        text=[f"<b>{n.text}</b>"],
        textposition="middle center",
        textfont=dict(size=font + (5 if n.kind == "op" else 3), color=text_color if active else pal["muted"]),
        hovertemplate=hover + "<extra></extra>",
        name=f"node:{n.id}",
        showlegend=False,
    )


def _colorbars(font: int) -> list[dict[str, Any]]:
    """Two labelled colour ranges: the σ layers (0 … 1) and the tanh layers (−1 … +1)."""
    out = []
    for k, name in enumerate(("gate", "signed")):
        scale = SCALES[name]
        out.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="markers",
                hoverinfo="skip",
                marker=dict(
                    colorscale=scale.colorscale,
                    cmin=scale.zmin,
                    cmax=scale.zmax,
                    color=[scale.zmin],
                    showscale=True,
                    colorbar=dict(
                        orientation="h",
                        x=0.25 + 0.5 * k,
                        y=-0.02,
                        yanchor="top",
                        len=0.42,
                        thickness=10,
                        title=dict(
                            text=("σ boxes: " if k == 0 else "tanh boxes: ") + scale.label, side="top"
                        ),
                        tickfont=dict(size=font - 2),
                    ),
                ),
                name=f"scale:{name}",
            )
        )
    return out
