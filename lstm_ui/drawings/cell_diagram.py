"""The classic LSTM cell diagram (colah's layout) drawn as SVG, with live numbers on the wires.

The cell state C runs along the top; h_{t-1} enters bottom-left and x_t from below; the four interacting
layers σ σ tanh σ sit on the bus [h_{t-1}, x_t]; × and + are the element-wise nodes; tanh(C_t) and the
output gate make h_t, which leaves to the right (next step) and through the top (the layer above).

``cell_svg`` is pure: values (full vectors at one timestep) + unit + step + notation → an SVG document
(a string), which ``lstm_ui.components.live_svg`` swaps into the page. The geometry (rows, columns,
wires, nodes) is in data coordinates, in ``lstm_ui.drawings.cell_layout``, whose ``Frame`` maps it to
viewBox pixels. Node sizes, label offsets and arrowheads are in pixels of a 560-wide viewBox, and the <svg>
scales to its container's width. Every wire
is a path ``data-wire-path="<id>"``, every labelled wire has a text ``data-wire="<id>"`` holding the
selected unit's value (its tooltip: the whole vector), every node is a group ``data-node="<id>"``.
Colours come from ``lstm_ui.drawings.colours`` only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from lstm_ui.drawings.cell_layout import NODE_AT, NODE_PX, NODES, PAD, WIRES, X_RIGHT, X_UP, Frame, Node, Wire
from lstm_ui.drawings.colours import SCALES, fill_for, palette, scale_for
from lstm_ui.drawings.svg import (
    FONT_FAMILY,
    coord,
    esc,
    fmt_number,
    fmt_vector,
    gradient_defs,
    plain_text,
    rich_text,
)
from lstm_ui.notation import Notation

STEPS_PATH = Path(__file__).resolve().parents[2] / "assets" / "steps.json"


def load_steps(path: Path = STEPS_PATH) -> dict[str, Any]:
    """assets/steps.json: ``order`` (forget, store, update, output) and per step its wires, nodes, text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {w.id for w in WIRES} | {n.id for n in NODES}
    for name in data["order"]:
        unknown = set(data["steps"][name]["wires"]) | set(data["steps"][name]["nodes"])
        if unknown - known:
            raise ValueError(f"steps.json: step {name!r} names unknown parts {sorted(unknown - known)}")
    return data


def _short_vector(vec: np.ndarray, n: int = 3) -> str:
    v = np.ravel(vec)
    shown = ", ".join(f"{x:.2f}".replace("-", "−") for x in v[:n])
    return f"[{shown}{', …' if v.size > n else ''}]"


# ---------------------------------------------------------------------------------------------------
# The drawing: one SVG document. Data coordinates (cell_layout's rows and columns) map to viewBox pixels;
# the <svg> scales to its container's width, so the browser redraws a new step by swapping one string.


def wire_label(wire: Wire, values: dict[str, np.ndarray], unit: int, notation: Notation) -> str:
    """The text on a wire: symbol = the selected unit's number (x_t: its first entries)."""
    vec = np.ravel(values[wire.value])
    if wire.value == "x":
        return f"{notation.symbol_html('x')} = {_short_vector(vec)}"
    return f"{notation.symbol_html(wire.value)} = {fmt_number(vec[unit])}"


def cell_svg(
    values: dict[str, np.ndarray],
    unit: int,
    step: dict[str, Any] | None,
    notation: Notation,
    large: bool = False,
    title: str | None = None,
) -> str:
    """The cell at one timestep, as an SVG document (a string; no XML declaration, so it can be put
    straight into a page).

    ``values``: full vectors by name (cell_prev, forget_part, cell, cell_tanh, hidden_prev, x, forget,
    input, candidate, input_part, output, hidden; optionally pre_forget … pre_output for the hover);
    ``unit``: the 0-based hidden unit whose numbers are written on the wires; ``step``: an entry of
    assets/steps.json (its ``wires`` and ``nodes`` are drawn in colour, the rest greyed) or None for all;
    ``notation``: the symbols and names the labels use (numbers never depend on it); ``large``: lecture
    mode (type and nodes ×1.3, a taller drawing); ``title``: plain text above the drawing.

    For tests and tooling: every wire is a ``<path data-wire-path="<id>" stroke="…">``, every labelled
    wire has a ``<text data-wire="<id>">`` holding its label, every node a ``<g data-node="<id>">``;
    labels and nodes carry a ``<title>`` (the hover text: the whole vector, the node's σ(z)).
    """
    H = int(np.ravel(values["cell"]).size)
    if not 0 <= unit < H:
        raise ValueError(f"unit {unit} is outside the hidden state (0 … {H - 1})")
    pal = palette()
    on_wires = set(step["wires"]) if step else {w.id for w in WIRES}
    on_nodes = set(step["nodes"]) if step else {n.id for n in NODES}
    scale = 1.3 if large else 1.0
    font = round(13 * scale)
    frame = Frame(scale, round(40 * scale) if title else 4)
    height = frame.bottom + round(70 * scale)
    n = coord
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n(frame.width)} {n(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" style="height: auto; display: block" '
        f'font-family="{FONT_FAMILY}" font-size="{font}" fill="{pal["ink"]}" '
        f'data-large="{str(large).lower()}" '
        f'aria-label="{esc(plain_text(title or "The LSTM cell"))}">',
        _gradients(),
    ]
    (x0, y0), (x1, y1) = frame.px((0.55, 8.0)), frame.px((X_RIGHT - 0.55, 0.2))
    out.append(
        f'<rect data-role="cell-box" x="{n(x0)}" y="{n(y0)}" width="{n(x1 - x0)}" height="{n(y1 - y0)}" '
        f'rx="{n(8 * scale)}" fill="{pal["paper"]}" stroke="{pal["muted"]}" stroke-width="1.5"/>'
    )
    out.extend(_wire(w, w.id in on_wires, frame, pal) for w in WIRES)
    out.extend(_node(nd, values, unit, nd.id in on_nodes, notation, frame, font, pal) for nd in NODES)
    for w in WIRES:
        if w.value is not None:
            out.append(_label(w, values, unit, w.id in on_wires, notation, frame, font, pal))
    ex, ey = frame.px((X_UP, 8.4))
    out.append(
        f'<text data-role="end" x="{n(ex)}" y="{n(ey - 12 * scale + 0.35 * (font + 2))}" '
        f'text-anchor="middle" font-size="{font + 2}" font-weight="bold">'
        f"{rich_text(notation.symbol_html('hidden'))}</text>"
    )
    out.append(_colorbars(frame, font))
    if title:
        out.append(
            f'<text data-role="title" x="{n(PAD + 0.01 * frame.width)}" y="{n(frame.top * 0.62)}" '
            f'font-size="{font + 4}">{esc(title)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _wire(w: Wire, active: bool, frame: Frame, pal: dict[str, str]) -> str:
    """One wire: its path and (``w.arrow``) an arrowhead whose tip stops at the edge of the node it
    enters, in one group so the greyed wires' opacity covers both evenly."""
    color = pal["active"] if active else pal["muted"]
    if active and w.id in ("c_prev", "c_forget", "c_out"):
        color = pal["cell_line"]
    width = 3.5 * frame.scale * (1.0 if active else 0.6)
    pts = [frame.px(p) for p in w.points]
    head = ""
    if w.arrow:
        (ax, ay), (bx, by) = pts[-2], pts[-1]
        seg = float(np.hypot(bx - ax, by - ay))
        dx, dy = (bx - ax) / seg, (by - ay) / seg
        target, source = NODE_AT.get(w.points[-1]), NODE_AT.get(w.points[-2])
        standoff = NODE_PX[target.kind] * frame.scale / 2 + 1 if target else 0.0
        clear = NODE_PX[source.kind] * frame.scale / 2 + 2 if source else 0.0
        length, half = 5.0 * 1.1 * width, 2.5 * 1.1 * width  # plotly's arrowhead 2, arrowsize 1.1
        room = 0.7 * (seg - standoff - clear)  # a short wire gets a smaller head, clear of its start node
        if length > room:
            half, length = half * room / length, room
        tx, ty = bx - dx * standoff, by - dy * standoff
        base_x, base_y = tx - dx * length, ty - dy * length
        pts[-1] = (base_x + dx * length * 0.4, base_y + dy * length * 0.4)  # the line ends inside the head
        corners = (
            (tx, ty),
            (base_x - dy * half, base_y + dx * half),
            (base_x + dy * half, base_y - dx * half),
        )
        d = "M " + " L ".join(f"{coord(x)},{coord(y)}" for x, y in corners) + " Z"
        head = f'<path data-arrow="{w.id}" d="{d}" fill="{color}"/>'
    d = "M " + " L ".join(f"{coord(x)},{coord(y)}" for x, y in pts)
    return (
        f'<g opacity="{1.0 if active else 0.5}"><path data-wire-path="{w.id}" d="{d}" fill="none" '
        f'stroke="{color}" stroke-width="{width:.2f}"/>{head}</g>'
    )


def _node(
    nd: Node,
    values: dict[str, np.ndarray],
    unit: int,
    active: bool,
    notation: Notation,
    frame: Frame,
    font: int,
    pal: dict[str, str],
) -> str:
    v = float(np.ravel(values[nd.value])[unit])
    if nd.kind == "op":
        fill, text_color = pal["paper"], pal["ink"]
    else:
        fill, text_color = fill_for(scale_for(nd.value), v)
    what = f"{notation.name(nd.value)} {plain_text(notation.symbol_html(nd.value))}"
    hover = f"{what} = {fmt_number(v)}"
    if nd.pre and nd.pre in values:
        z = float(np.ravel(values[nd.pre])[unit])
        hover = f"{what} = {nd.text}({fmt_number(z)}) = {fmt_number(v)}"
    cx, cy = frame.px(nd.center)
    size = NODE_PX[nd.kind] * frame.scale
    line = f'stroke="{pal["active"] if active else pal["muted"]}" stroke-width="{3 if active else 1.5}"'
    if nd.kind == "op":
        geo = f'cx="{coord(cx)}" cy="{coord(cy)}" r="{coord(size / 2)}"'
        shape, backing = f'<circle {geo} fill="{fill}" {line}', f'<circle {geo} fill="{pal["paper"]}"/>'
    else:
        geo = (
            f'x="{coord(cx - size / 2)}" y="{coord(cy - size / 2)}" '
            f'width="{coord(size)}" height="{coord(size)}" rx="{coord(size * 0.16)}"'
        )
        shape, backing = f'<rect {geo} fill="{fill}" {line}', f'<rect {geo} fill="{pal["paper"]}"/>'
    text_size = font + (5 if nd.kind == "op" else 3)
    return (
        f'<g data-node="{nd.id}"><title>{esc(hover)}</title>{backing}'
        f'{shape} opacity="{1.0 if active else 0.45}"/>'
        f'<text x="{coord(cx)}" y="{coord(cy + 0.35 * text_size)}" text-anchor="middle" '
        f'font-size="{text_size}" '
        f'font-weight="bold" fill="{text_color if active else pal["muted"]}">{esc(nd.text)}</text></g>'
    )


_ANCHOR = {"center": "middle", "left": "start", "right": "end"}


def _label(
    w: Wire,
    values: dict[str, np.ndarray],
    unit: int,
    active: bool,
    notation: Notation,
    frame: Frame,
    font: int,
    pal: dict[str, str],
) -> str:
    """A wire's value label (at ``label_at`` moved by ``shift`` pixels; a halo keeps it readable over the
    wires) with the whole vector as its tooltip."""
    x, y = frame.px(w.label_at)
    x += w.shift[0] * frame.scale
    y -= w.shift[1] * frame.scale
    symbol = notation.symbol_html(w.value)
    unit_note = "" if w.value == "x" else f" (unit {unit + 1} in «»)"
    hover = f"{notation.name(w.value)} {plain_text(symbol)}, all entries{unit_note}:\n" + plain_text(
        fmt_vector(values[w.value], None if w.value == "x" else unit)
    )
    text = rich_text(wire_label(w, values, unit, notation))
    if w.stacked:  # "fₜ" over "0.561", the block centred on the label's point
        y -= 0.6 * font
        head, value = text.split(" = ", 1)
        text = f'<tspan x="{coord(x)}">{head}</tspan><tspan x="{coord(x)}" dy="1.2em">{value}</tspan>'
    where = f'x="{coord(x)}" y="{coord(y + 0.35 * font)}" text-anchor="{_ANCHOR[w.anchor]}"'
    # The halo is a copy underneath: a stroke on the text itself would let a subscript's halo cover the
    # letter before it (an "o" with its subscript read as "c").
    return (
        f"<g><title>{esc(hover)}</title>"
        f'<text data-role="halo" aria-hidden="true" {where} fill="{pal["paper"]}" stroke="{pal["paper"]}" '
        f'stroke-width="4" stroke-linejoin="round">{text}</text>'
        f'<text data-wire="{w.id}" {where} fill="{pal["ink"] if active else pal["muted"]}">{text}</text></g>'
    )


def _gradients() -> str:
    """The two colour scales as horizontal gradients (ids gbg-cell-scale-gate / -signed)."""
    return gradient_defs("gbg-cell-scale-", {name: SCALES[name] for name in ("gate", "signed")})


def _colorbars(frame: Frame, font: int) -> str:
    """Two labelled colour ranges under the drawing: the σ boxes (0 … 1) and the tanh boxes (−1 … +1)."""
    width = frame.width - 2 * PAD
    bar_h = 10 * frame.scale
    title_y = frame.bottom + 4 + font
    bar_y = title_y + 6
    tick_y = bar_y + bar_h + 4 + (font - 2)
    out = []
    for k, name in enumerate(("gate", "signed")):
        scale = SCALES[name]
        lo, hi = float(scale.zmin), float(scale.zmax)
        length = 0.42 * width
        x0 = PAD + (0.25 + 0.5 * k) * width - length / 2
        label = ("σ boxes: " if k == 0 else "tanh boxes: ") + scale.label
        ticks = np.linspace(lo, hi, 3 if k == 0 else 5)
        tick_marks = "".join(
            f'<path d="M {coord(x0 + (t - lo) / (hi - lo) * length)},{coord(bar_y + bar_h)} v 3" '
            f'stroke="{palette()["ink"]}" stroke-width="1"/>'
            f'<text x="{coord(x0 + (t - lo) / (hi - lo) * length)}" y="{coord(tick_y)}" text-anchor="middle" '
            f'font-size="{font - 2}">{esc(f"{t:g}".replace("-", "−"))}</text>'
            for t in ticks
        )
        out.append(
            f'<g data-role="scale" data-scale="{name}">'
            f'<text x="{coord(x0 + length / 2)}" y="{coord(title_y)}" text-anchor="middle" '
            f'font-size="{font - 1}">'
            f"{esc(label)}</text>"
            f'<rect x="{coord(x0)}" y="{coord(bar_y)}" width="{coord(length)}" height="{coord(bar_h)}" '
            f'fill="url(#gbg-cell-scale-{name})" stroke="{palette()["muted"]}" stroke-width="0.5"/>'
            f"{tick_marks}</g>"
        )
    return "".join(out)
