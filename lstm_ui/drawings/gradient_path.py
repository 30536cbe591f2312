"""The lectures' "uninterrupted gradient flow" as one SVG drawing (shown by ``lstm_ui.components.live_svg``):
the unrolled cell's paths along the sequence, each drawn as a band whose thickness is the size of the
error signal that reaches that step on its way back from the loss.

One lane per path: the LSTM's cell-state path C (the top wire of the cell diagram, where the gradient is
only multiplied by the forget gate from one step to the one before) and each cell's hidden-state path h.
Band thickness is log-scaled over ``DECADES`` powers of ten below the largest norm in the drawing, so a
lane that fades to a hairline is one whose early steps receive (almost) nothing to learn from.

For the browser and the tests: a lane is a ``<g data-lane="<key>" data-values="…">`` (its norms, one per
step) holding a ``<path data-role="band">``; each step of it has a hover ``<rect data-t>`` with a
``<title>``; the steps where the loss is read carry a ``<g data-role="loss-mark" data-t>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lstm_ui.drawings.cell_diagram import cell_svg
from lstm_ui.drawings.colours import palette
from lstm_ui.drawings.heatmap import TOOLS_PX, WIDTH_PX, label_px
from lstm_ui.drawings.svg import FONT_FAMILY, esc, plain_text, rich_text
from lstm_ui.drawings.svg import coord as _n
from lstm_ui.notation import Notation

DECADES = 6  # the band's thickness spans this many powers of ten below the drawing's largest norm
BAND_PX = 16  # half the thickest band, at font size 12
HAIR_PX = 0.6  # half the thinnest band: a signal DECADES or more below the largest


@dataclass(frozen=True)
class Lane:
    """One path: ``key`` (data-lane), ``label`` (small HTML of a notation symbol allowed), band ``colour``
    and the norms (T,) of the gradient reaching each step."""

    key: str
    label: str
    colour: str
    norms: np.ndarray


def _sci(v: float) -> str:
    return f"{v:.1e}".replace("e-0", "e−").replace("e+0", "e").replace("e-", "e−").replace("-", "−")


def gradient_path_svg(
    lanes: Sequence[Lane],
    tokens: Sequence[str],
    scored: Sequence[int],
    font_size: int = 12,
    width_px: float = WIDTH_PX,
) -> str:
    """The lanes along the ``tokens`` (steps 1 … T, left to right) as an SVG document; ``scored``: the
    0-based steps where the loss is read (marked above the first lane)."""
    if not lanes:
        raise ValueError("nothing to draw: no lanes given")
    T = len(tokens)
    if any(np.shape(lane.norms) != (T,) for lane in lanes):
        raise ValueError(f"every lane needs one norm per token ({T})")
    f, pal = font_size, palette()
    band = BAND_PX * max(1.0, f / 12)
    logs = [np.log10(np.maximum(np.asarray(lane.norms, dtype=float), 1e-300)) for lane in lanes]
    hi = max(float(np.max(v)) for v in logs)
    lo = hi - DECADES
    left = label_px([plain_text(lane.label) for lane in lanes], f) + 16
    right = 8 * f
    cw = (width_px - left - right) / T
    top = TOOLS_PX + 2 * f + 8
    lane_h = 2 * band + f + 14
    axis_y = top + len(lanes) * lane_h
    stride = max(1, int(np.ceil(T * 0.6 * f * 5 / (width_px - left - right))))
    height = axis_y + 2 * f + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width_px)} {_n(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" style="height: auto; display: block" '
        f'font-family="{FONT_FAMILY}" font-size="{f}" fill="{pal["ink"]}" data-role="gradient-path" '
        f'data-steps="{T}" aria-label="The gradient along each path of the unrolled cell">',
        f'<text x="{_n(left)}" y="{TOOLS_PX + f}" fill="{pal["muted"]}">'
        "the error signal travels right to left: from where the loss is read back to step 1</text>",
    ]
    for t in scored if len(scored) <= 3 else ():
        x = left + (int(t) + 0.5) * cw
        out.append(
            f'<g data-role="loss-mark" data-t="{int(t) + 1}"><path d="M{_n(x - 5)} {_n(top - 10)}h10l-5 7z" '
            f'fill="{pal["active"]}"/><text x="{_n(x)}" y="{_n(top - 13)}" text-anchor="middle" '
            f'font-size="{f - 1}">loss</text></g>'
        )
    for k, (lane, log) in enumerate(zip(lanes, logs, strict=True)):
        y = top + k * lane_h + band + 4
        half = HAIR_PX + (band - HAIR_PX) * np.clip((log - lo) / DECADES, 0.0, 1.0)
        xs = left + (np.arange(T) + 0.5) * cw
        upper = " ".join(f"L{_n(x)} {_n(y - h)}" for x, h in zip(xs, half, strict=True))
        lower = " ".join(f"L{_n(x)} {_n(y + h)}" for x, h in zip(xs[::-1], half[::-1], strict=True))
        values = " ".join(f"{v:.3e}" for v in lane.norms)
        out.append(f'<g data-lane="{esc(lane.key)}" data-values="{values}">')
        out.append(
            f'<text x="{_n(left - 10)}" y="{_n(y + 0.35 * f)}" text-anchor="end" font-weight="bold">'
            f"{rich_text(lane.label)}</text>"
            f'<path data-role="band" d="M{upper[1:]} {lower} Z" fill="{lane.colour}" fill-opacity="0.85" '
            f'stroke="{lane.colour}" stroke-width="0.5"/>'
            f'<text x="{_n(xs[-1] + 8)}" y="{_n(y + 0.35 * f)}" font-size="{f - 1}">'
            f"{esc(_sci(lane.norms[-1]))}</text>"
            f'<text x="{_n(xs[0])}" y="{_n(y + band + f + 2)}" font-size="{f - 1}" fill="{pal["muted"]}">'
            f"at step 1: {esc(_sci(lane.norms[0]))}</text>"
        )
        for t in range(T):
            tip = f"{plain_text(lane.label)} at step {t + 1} “{tokens[t]}”: {_sci(lane.norms[t])}"
            out.append(
                f'<rect data-t="{t + 1}" x="{_n(left + t * cw)}" y="{_n(y - band)}" width="{_n(cw)}" '
                f'height="{_n(2 * band)}" fill="transparent"><title>{esc(tip)}</title></rect>'
            )
        out.append("</g>")
    out.append(f'<g data-role="x-axis" font-size="{f - 1}" text-anchor="middle">')
    for t in range(0, T, stride):
        label = tokens[t] if len(tokens[t]) <= 8 else tokens[t][:7] + "…"
        out.append(f'<text x="{_n(left + (t + 0.5) * cw)}" y="{_n(axis_y + f)}">{esc(label)}</text>')
    out.append(
        f'<text x="{_n(left)}" y="{_n(axis_y + 2 * f + 12)}" text-anchor="start" fill="{pal["muted"]}">'
        f"band thickness: the gradient's size on a log scale, from the largest down to {DECADES} powers "
        "of ten below it (a hairline: less than that)</text></g></svg>"
    )
    return "".join(out)


# ----- The same on the cell diagram: the cell-state line drawn as thick as the gradient it carries -----

CELL_PATH = {"wires": ("c_prev", "c_forget", "c_out"), "nodes": ("mul_forget", "add_cell")}  # C's line
LINE_PX = (1.0, 9.0)  # the cell-state line's width: a gradient DECADES below the largest … the largest
_C_WIRE = re.compile(r'(<path data-wire-path="(c_prev|c_forget|c_out)" d="M ([\d.]+),([\d.]+) L ([\d.]+),'
                     r'[\d.]+" fill="none" stroke="[^"]*" stroke-width=")[\d.]+(")')  # fmt: skip


def line_width(norm: float, largest: float) -> float:
    """The width of a wire carrying a gradient of size ``norm``: log-scaled, ``largest`` the widest."""
    span = np.clip((np.log10(max(norm, 1e-300)) - np.log10(largest) + DECADES) / DECADES, 0.0, 1.0)
    return float(LINE_PX[0] + (LINE_PX[1] - LINE_PX[0]) * span)


def cell_gradient_svg(
    values: dict[str, np.ndarray], d_cell_norm: np.ndarray, step: int, notation: Notation, title: str
) -> str:
    """The LSTM cell diagram at the 0-based ``step`` (``values``: its vectors, ``cell_svg``'s names), the
    cell-state line highlighted and drawn as wide as the gradient it carries back: C_{t-1}'s wire as
    ‖∂L/∂C_{t-1}‖ (``d_cell_norm[step - 1]``), C_t's as ‖∂L/∂C_t‖, log-scaled against the largest over
    the sequence; each written under its wire. The wires are ``<path data-wire-path>`` of ``cell_svg``
    with a ``data-gradient`` (the norm) added."""
    if not 1 <= step < len(d_cell_norm):
        raise ValueError(f"step {step} has no previous step in a sequence of {len(d_cell_norm)}")
    pal = palette()
    svg = cell_svg(values, 0, {"wires": CELL_PATH["wires"], "nodes": CELL_PATH["nodes"]}, notation,
                   title=title)  # fmt: skip
    largest = float(np.max(d_cell_norm))
    norms = {"c_prev": float(d_cell_norm[step - 1]), "c_forget": float(d_cell_norm[step - 1]),
             "c_out": float(d_cell_norm[step])}  # fmt: skip
    c = notation.symbol_html("cell")  # C<sub>t</sub>: the steps by number (1-based)
    names = {"c_prev": c.replace("<sub>t</sub>", f"<sub>{step}</sub>"),
             "c_out": c.replace("<sub>t</sub>", f"<sub>{step + 1}</sub>")}  # fmt: skip
    labels = []

    def widen(m: re.Match) -> str:
        wire, x0, y, x1 = m.group(2), float(m.group(3)), float(m.group(4)), float(m.group(5))
        width = line_width(norms[wire], largest)
        if wire in names:  # under its wire: C_{t-1}'s from its start, C_t's left of the tanh's column
            x = x0 + 2 if wire == "c_prev" else x0 + 0.07 * (x1 - x0)
            labels.append(
                f'<text data-role="gradient" data-wire="{wire}" x="{_n(x)}" y="{_n(y + width / 2 + 13)}" '
                f'font-size="11" font-weight="bold" fill="{pal["ink"]}">'
                f"‖∂L/∂{rich_text(names[wire])}‖ = {esc(_sci(norms[wire]))}</text>"
            )
        return f'{m.group(1)}{width:.2f}" data-gradient="{norms[wire]:.3e}{m.group(6)}'

    svg, found = _C_WIRE.subn(widen, svg)
    if found != len(norms):
        raise ValueError("the cell diagram's cell-state wires were not found")
    return svg.replace("</svg>", "".join(labels) + "</svg>")
