"""Small figures: sigmoid and tanh as filters you can probe, and the gate lab's cell-state update bars.

σ squashes any z into (0, 1): 0 lets nothing through, 1 lets everything through (a gate). tanh squashes
into (−1, 1) (a candidate value). ``marks`` places the selected unit's real pre-activations on the curve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lstm_core import sigmoid, tanh
from lstm_ui.diagram import fmt_number, palette
from lstm_ui.notation import Notation

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


def filter_figure(
    kind: str, z: float, marks: Mapping[str, float] | None = None, large: bool = False
) -> go.Figure:
    """The curve of ``kind`` ("sigmoid" or "tanh") on −8 … 8 with the probe at ``z`` (clipped to the plot)."""
    if kind not in SQUASHES:
        raise ValueError(f"unknown filter {kind!r}; expected one of {', '.join(SQUASHES)}")
    sq, pal = SQUASHES[kind], palette()
    font = 18 if large else 13
    zs = np.linspace(-Z_RANGE, Z_RANGE, 321)
    value = float(sq(z))
    data: list[dict] = [
        dict(type="scatter", x=zs, y=sq(zs), mode="lines", line=dict(color=pal["cell_line"], width=3),
             name=sq.fn_label)
    ]  # fmt: skip
    # The marks and the probe are layout shapes (pixel-sized dots with labels), not traces: moving a
    # shape on fixed axes is a ~2 ms relayout in plotly.js, moving a trace's point recomputes and
    # redraws the whole chart (~15 ms per chart, every step on the cell page).
    shapes, annotations = [], []
    for label, mz in (marks or {}).items():
        shapes.append(
            _dot(f"mark {label}", float(np.clip(mz, -Z_RANGE, Z_RANGE)), float(sq(mz)), 4.5, pal["muted"],
                 label, font - 1, "bottom right")
        )  # fmt: skip
    zc = float(np.clip(z, -Z_RANGE, Z_RANGE))
    shapes.append(
        dict(type="line", name="probe line", xref="x", yref="y", x0=zc, x1=zc, y0=sq.low, y1=value,
             line=dict(color=pal["active"], width=1.5, dash="dot"))
    )  # fmt: skip
    probe_text = f"{sq.fn_label.replace('z', fmt_number(z))} = {fmt_number(value)}"
    side = "middle right" if z < 0 else "middle left"
    shapes.append(_dot("probe", zc, value, 7.5, pal["active"], probe_text, font + 1, side, pal["ink"]))
    for level, text in ((sq.low, sq.low_text), (sq.high, sq.high_text)):  # the two limits, labelled
        shapes.append(
            dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=level, y1=level,
                 line=dict(color=pal["muted"], width=1, dash="dash"))
        )  # fmt: skip
        annotations.append(
            dict(text=text, showarrow=False, xref="x domain", x=0, xanchor="left", yref="y", y=level,
                 yanchor="bottom" if level == sq.high else "top",
                 font=dict(size=font - 1, color=pal["muted"]))
        )  # fmt: skip
    pad = 0.12 * (sq.high - sq.low)
    layout = dict(
        title=dict(text=sq.title, font=dict(size=font + 2)),
        height=360 if large else 280,
        margin=dict(l=10, r=10, t=40, b=10),
        showlegend=False,
        xaxis=dict(title=dict(text="z (pre-activation)"), range=[-Z_RANGE, Z_RANGE], zeroline=True),
        yaxis=dict(title=dict(text=sq.fn_label), range=[sq.low - pad, sq.high + pad], zeroline=True),
        shapes=shapes,
        annotations=annotations,
        font=dict(size=font),
    )
    # Plain dicts, wrapped unvalidated (validation cost ~17 ms per figure); tests validate them.
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _dot(
    name: str, x: float, y: float, radius: float, colour: str, text: str, size: int, side: str, ink: str = ""
) -> dict:
    """A round dot of ``radius`` pixels at data point (x, y), labelled ``text`` on ``side``
    ("middle right": the text starts right of the dot; "middle left": it ends left of it)."""
    anchor = {
        "middle right": ("left", "middle"),
        "middle left": ("right", "middle"),
        "bottom right": ("left", "top"),
    }
    xanchor, yanchor = anchor[side]
    gap = "\u2002"  # an en space between dot and text (SVG keeps it; it drops plain spaces)
    text = {"middle right": gap + text, "middle left": text + gap}.get(side, text)
    return dict(
        type="circle", name=name, xref="x", yref="y", xsizemode="pixel", ysizemode="pixel",
        xanchor=x, yanchor=y, x0=-radius, x1=radius, y0=-radius, y1=radius,
        fillcolor=colour, line=dict(width=0),
        label=dict(text=text, textposition=side, xanchor=xanchor, yanchor=yanchor, padding=0,
                   font=dict(size=size, color=ink or colour)),
    )  # fmt: skip


def filter_dots(fig: go.Figure | dict) -> dict[str, tuple[float, float, str]]:
    """The dots of a filter figure: ``{name: (z, value, label)}`` ("probe", "mark f", …)."""
    layout = fig["layout"] if isinstance(fig, dict) else fig.to_plotly_json()["layout"]
    return {
        sh["name"]: (float(sh["xanchor"]), float(sh["yanchor"]), sh["label"]["text"].strip())
        for sh in layout.get("shapes", [])
        if sh.get("type") == "circle"
    }


def update_figure(
    c_prev: np.ndarray,
    c_forget: np.ndarray,
    c_input: np.ndarray,
    c_new: np.ndarray,
    notation: Notation,
    large: bool = False,
) -> go.Figure:
    """Grouped bars per unit: C_{t-1}, what survives the forget gate, what is written, the new C_t."""
    pal = palette()
    font = 18 if large else 13
    units = [f"unit {k + 1}" for k in range(np.size(c_prev))]
    series = (
        ("cell_prev", c_prev, pal["muted"]),
        ("forget_part", c_forget, pal["soft"]),
        ("input_part", c_input, pal["active"]),
        ("cell", c_new, pal["cell_line"]),
    )
    data = [
        dict(
            type="bar",
            x=units,
            y=np.ravel(vals),
            name=notation.symbol_html(name),
            marker=dict(color=color),
            text=[fmt_number(v) for v in np.ravel(vals)],
            textposition="outside",
            cliponaxis=False,
        )
        for name, vals, color in series
    ]
    layout = dict(
        barmode="group",
        height=400 if large else 320,
        margin=dict(l=10, r=10, t=40, b=10),
        title=dict(text="The cell state, unit by unit", font=dict(size=font + 2)),
        xaxis=dict(title=dict(text="unit j")),
        yaxis=dict(title=dict(text=f"value of {notation.name('cell')}"), zeroline=True),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"),
        font=dict(size=font),
    )
    return go.Figure({"data": data, "layout": layout}, _validate=False)
