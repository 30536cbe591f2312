"""Small figures: sigmoid and tanh as filters you can probe (SVG drawings).

σ squashes any z into (0, 1): 0 lets nothing through, 1 lets everything through (a gate). tanh squashes
into (−1, 1) (a candidate value). ``marks`` places the selected unit's real pre-activations on the curve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from lstm_core import sigmoid, tanh
from lstm_ui.drawings.colours import palette
from lstm_ui.drawings.heatmap import OVERLAY
from lstm_ui.drawings.svg import FONT_FAMILY, esc, fmt_number

Z_RANGE = 8.0  # the curves are drawn on −8 … 8


@dataclass(frozen=True)
class Squash:
    key: str
    title: str
    fn_label: str  # "σ(z)"
    low: float
    high: float
    low_text: str
    high_text: str

    def __call__(self, z: np.ndarray | float) -> np.ndarray:
        return (
            sigmoid(np.asarray(z, dtype=float)) if self.key == "sigmoid" else tanh(np.asarray(z, dtype=float))
        )


SQUASHES: dict[str, Squash] = {
    "sigmoid": Squash(
        "sigmoid", "sigmoid: a gate", "σ(z)", 0.0, 1.0, "0: let nothing through", "1: let everything through"
    ),
    "tanh": Squash("tanh", "tanh: a value in −1 … 1", "tanh(z)", -1.0, 1.0, "−1", "+1"),
}


@dataclass(frozen=True)
class _Plot:
    """Where data (z, value) lands in a filter drawing of ``width`` × ``height`` pixels."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    y_lo: float
    y_hi: float

    def x(self, z: float) -> float:
        return self.left + (z + Z_RANGE) / (2 * Z_RANGE) * (self.width - self.left - self.right)

    def y(self, v: float) -> float:
        span = self.height - self.top - self.bottom
        return self.top + (self.y_hi - v) / (self.y_hi - self.y_lo) * span


def filter_svg(kind: str, z: float, marks: Mapping[str, float] | None = None, large: bool = False) -> str:
    """The curve of ``kind`` ("sigmoid" or "tanh") on −8 … 8 as an SVG drawing, with the probe at ``z``
    (clipped to the plot) and ``marks`` ({label: z}, e.g. the selected unit's gate pre-activations) as grey
    dots. Every dot is a ``<g data-dot="probe" | "mark <label>" data-z data-value>`` (the tests read them
    with ``filter_dots``)."""
    if kind not in SQUASHES:
        raise ValueError(f"unknown filter {kind!r}; expected one of {', '.join(SQUASHES)}")
    sq, pal = SQUASHES[kind], palette()
    font = 18 if large else 13
    pad = 0.12 * (sq.high - sq.low)
    width, height = (600, 360) if large else (480, 280)
    plot = _Plot(width, height, 3.6 * font, 12, 2.8 * font, 3.4 * font, sq.low - pad, sq.high + pad)
    x0, x1 = plot.x(-Z_RANGE), plot.x(Z_RANGE)
    grid = "#e6e9ef"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'data-role="filter" data-kind="{kind}" data-download="{kind}" font-family="{FONT_FAMILY}" '
        f'font-size="{font}" fill="{pal["ink"]}" style="max-width: {width}px">',
        f'<text data-role="title" x="{width / 2:.1f}" y="{1.4 * font:.1f}" text-anchor="middle" '
        f'font-size="{font + 2}">{esc(sq.title)}</text>',
    ]
    for tick in (-5, 0, 5):  # vertical grid lines and their labels
        colour = grid if tick else "#c5cad3"
        out.append(
            _line(plot.x(tick), plot.top, plot.x(tick), plot.y(plot.y_lo), colour, attrs=f'data-z="{tick}"')
        )
        out.append(_text(plot.x(tick), plot.y(plot.y_lo) + 1.2 * font, f"{tick}".replace("-", "−"), "middle"))
    levels = (0.0, 0.5, 1.0) if sq.low == 0 else (-1.0, -0.5, 0.0, 0.5, 1.0)
    for level in levels:
        colour = "#c5cad3" if level == 0 else grid
        out.append(_line(x0, plot.y(level), x1, plot.y(level), colour, attrs=f'data-level="{level:g}"'))
        out.append(_text(x0 - 0.4 * font, plot.y(level) + 0.35 * font, f"{level:g}".replace("-", "−"), "end"))
    for level, text in ((sq.low, sq.low_text), (sq.high, sq.high_text)):  # the two limits, labelled
        out.append(_line(x0, plot.y(level), x1, plot.y(level), pal["muted"], dash="6 4"))
        dy = -0.35 * font if level == sq.high else 1.0 * font
        out.append(_text(x0 + 4, plot.y(level) + dy, text, "start", pal["muted"], font - 1))
    out.append(_text((x0 + x1) / 2, height - 0.6 * font, "z (pre-activation)", "middle"))
    mid = (plot.y(sq.low) + plot.y(sq.high)) / 2
    out.append(
        f'<text x="{0.9 * font:.1f}" y="{mid:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 {0.9 * font:.1f} {mid:.1f})">{esc(sq.fn_label)}</text>'
    )
    zs = np.linspace(-Z_RANGE, Z_RANGE, 321)
    points = " ".join(f"{plot.x(a):.1f},{plot.y(b):.2f}" for a, b in zip(zs, sq(zs), strict=True))
    out.append(f'<polyline data-role="curve" points="{points}" fill="none" stroke="{pal["cell_line"]}" '
               'stroke-width="3" stroke-linejoin="round"/>')  # fmt: skip
    # The dots and the probe line change with the step and the probe: they are the drawing's last group
    # (heat_svg.OVERLAY), so the browser swaps only that group (lstm_ui/components/live_svg.js).
    out.append(OVERLAY)
    for label, mz in (marks or {}).items():
        mz = float(mz)
        at = float(np.clip(mz, -Z_RANGE, Z_RANGE))
        out.append(
            _dot(f"mark {label}", plot, at, float(sq(mz)), 4.5, pal["muted"], label, font - 1, "below")
        )
    value = float(sq(z))
    zc = float(np.clip(z, -Z_RANGE, Z_RANGE))
    out.append(
        _line(plot.x(zc), plot.y(sq.low), plot.x(zc), plot.y(value), pal["active"], dash="2 3", width=1.5)
    )
    probe_text = f"{sq.fn_label.replace('z', fmt_number(z))} = {fmt_number(value)}"
    side = "right" if z < 0 else "left"
    out.append(_dot("probe", plot, zc, value, 7.5, pal["active"], probe_text, font + 1, side, pal["ink"]))
    out.append("</g></svg>")
    return "".join(out)


def _line(
    x0: float, y0: float, x1: float, y1: float, colour: str, dash: str = "", width: float = 1, attrs: str = ""
) -> str:
    """A line; ``attrs`` are extra attributes (a grid line's ``data-z`` / ``data-level``)."""
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line {attrs} x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"{dashed}/>'
    ).replace("<line  ", "<line ")


def _text(x: float, y: float, text: str, anchor: str, colour: str = "", size: int = 0) -> str:
    fill = f' fill="{colour}"' if colour else ""
    font = f' font-size="{size}"' if size else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{fill}{font}>{esc(text)}</text>'


def _dot(
    name: str, plot: _Plot, z: float, value: float, radius: float, colour: str, text: str, size: int,
    side: str, ink: str = "",
) -> str:  # fmt: skip
    """A dot of ``radius`` at (z, value) labelled ``text`` on ``side`` ("left", "right" or "below")."""
    x, y = plot.x(z), plot.y(value)
    gap = radius + 4
    tx, ty, anchor = {
        "right": (x + gap, y + 0.35 * size, "start"),
        "left": (x - gap, y + 0.35 * size, "end"),
        "below": (x + 0.6 * gap, y + gap + 0.6 * size, "start"),
    }[side]
    return (
        f'<g data-dot="{esc(name)}" data-z="{z!r}" data-value="{value!r}">'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}"/>'
        + _text(tx, ty, text, anchor, ink or colour, size)
        + "</g>"
    )
