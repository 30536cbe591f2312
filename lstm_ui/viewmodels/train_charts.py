"""The Train page's plotly charts (drawn by ``lstm_ui.components.live_chart``, kept mounted while they
grow): the loss and held-out accuracy against training steps (one run, or a race's three cells on shared
axes), and the gradient flow of one snapshot, ‖∂L/∂h_t‖ and the LSTM's ‖∂L/∂C_t‖ against t."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lstm_core.train import LaneProgress, Snapshot
from lstm_ui.drawings.colours import cell_style
from lstm_ui.notation import Notation
from lstm_ui.sentence import token_labels
from lstm_ui.viewmodels.axes import decade_axis

MAX_POINTS = 300  # a curve is averaged over bins of steps beyond this many points (what a chart can show)
LEVEL = "#777777"  # the guessing and target lines
TINY = 1e-300  # a norm of exactly 0 on a log axis


def binned(values: np.ndarray, most: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) of a per-step curve (step 1 … n), averaged over equal bins of steps when it has more
    than ``most`` points; each bin is drawn at its last step."""
    values = np.asarray(values, dtype=float)
    n = values.size
    if n <= most:
        return np.arange(1, n + 1), values
    size = int(np.ceil(n / most))
    full = n // size * size
    means = values[:full].reshape(-1, size).mean(axis=1)
    steps = np.arange(size, full + 1, size)
    if full < n:
        means, steps = np.append(means, values[full:].mean()), np.append(steps, n)
    return steps, means


def _level(y: float, label: str, x: float) -> tuple[dict, dict]:
    """A dashed line across the accuracy panel at ``y`` and its label at ``x`` (0: left end, 1: right end),
    as a shape and an annotation."""
    line = {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": y, "y1": y,
            "line": {"color": LEVEL, "dash": "dash", "width": 1}}  # fmt: skip
    text = {"xref": "paper", "yref": "y", "x": x, "y": y, "xanchor": "left" if x < 0.5 else "right",
            "yanchor": "bottom", "text": label, "showarrow": False, "font": {"color": LEVEL}}  # fmt: skip
    return line, text


def curves_figure(
    lanes: Sequence[LaneProgress],
    chance: float | None,
    target: float | None,
    font_size: int = 12,
) -> go.Figure:
    """Held-out accuracy (below) and training loss (above) against the training step: one run (with its
    training-batch accuracy, thin), or each lane of a race in its cell's colour, on shared axes."""
    race = len(lanes) > 1
    data = []
    for lane in lanes:
        title, colour = cell_style(lane.cell)
        prefix = f"{title}: " if race else ""
        steps, loss = binned(lane.losses)
        data.append(
            {"type": "scatter", "mode": "lines", "x": steps, "y": loss, "yaxis": "y2",
             "name": title if race else "training loss", "legendgroup": lane.cell if race else "",
             "line": {"color": colour, "width": 1.5},
             "hovertemplate": f"{prefix}loss %{{y:.3f}} at step %{{x}}<extra></extra>"}
        )  # fmt: skip
        if not race:
            steps, acc = binned(lane.accuracies)
            data.append(
                {"type": "scatter", "mode": "lines", "x": steps, "y": acc, "name": "training batch",
                 "line": {"color": colour, "width": 1}, "opacity": 0.35,
                 "hovertemplate": "batch accuracy %{y:.2f} at step %{x}<extra></extra>"}
            )  # fmt: skip
        data.append(
            {"type": "scatter", "mode": "lines+markers", "x": lane.eval_steps, "y": lane.eval_accuracies,
             "name": "held out", "legendgroup": lane.cell if race else "", "showlegend": not race,
             "line": {"color": colour, "width": 3}, "marker": {"size": 6},
             "hovertemplate": f"{prefix}held-out accuracy %{{y:.3f}} at step %{{x}}<extra></extra>"}
        )  # fmt: skip
    levels = [
        _level(y, f"{name} {y:.0%}", x)
        for y, name, x in ((chance, "guessing", 1), (target, "target", 0))
        if y
    ]
    layout = {
        "xaxis": {"title": {"text": "training step"}, "rangemode": "tozero", "anchor": "y"},
        "shapes": [line for line, _ in levels],
        "annotations": [text for _, text in levels],
        "yaxis": {
            "title": {"text": "accuracy"},
            "range": [0, 1.03],
            "domain": [0, 0.58],
            "tickformat": ".0%",
        },
        "yaxis2": {"title": {"text": "loss"}, "domain": [0.68, 1], "rangemode": "tozero", "anchor": "x"},
        "legend": {"orientation": "h", "y": 1.04, "yanchor": "bottom", "x": 0},
        "height": 420,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "font": {"size": font_size},
        "uirevision": "keep",
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _norms(s: Snapshot) -> list[np.ndarray]:
    return [s.d_hidden_norm] + ([] if s.d_cell_norm is None else [s.d_cell_norm])


def gradient_figure(
    entries: Sequence[tuple[str, Snapshot]], notation: Notation, font_size: int = 12
) -> go.Figure:
    """‖∂L/∂h_t‖ (solid) and the LSTM's ‖∂L/∂C_t‖ (dotted) against t on the probe, log scale, for each
    (cell, snapshot) in ``entries`` (a race's three cells share the axes); the scored steps are marked."""
    snap = entries[0][1]
    labels = token_labels(snap.tokens)
    steps = np.arange(1, len(snap.tokens) + 1)
    h, c = notation.symbol_plain("hidden"), notation.symbol_plain("cell")  # plotly draws <sub> at 70 %
    data = []
    for cell, s in entries:
        title, colour = cell_style(cell)
        parts = [("h", h, s.d_hidden_norm, "solid")]
        if s.d_cell_norm is not None:
            parts.append(("C", c, s.d_cell_norm, "dot"))
        for _, sym, values, dash in parts:
            name = f"{title}: ‖∂L/∂{sym}‖"
            data.append(
                {"type": "scatter", "mode": "lines", "x": steps, "y": np.maximum(values, TINY), "name": name,
                 "customdata": labels, "line": {"color": colour, "dash": dash, "width": 2.5},
                 "hovertemplate": f"{name}<br>%{{customdata}}: %{{y:.3e}}<extra></extra>"}
            )  # fmt: skip
    stride = max(1, int(np.ceil(len(labels) / 26)))
    ticks = sorted({*range(0, len(labels), stride), len(labels) - 1})  # the last step (the question) always
    scored = (
        "the loss is read at the marked step"
        if len(snap.scored_steps) == 1
        else "the loss is read at every step"
    )
    layout = {
        "xaxis": {
            "title": {"text": f"step t of the sequence ({scored})"},
            "tickmode": "array",
            "tickvals": [int(steps[k]) for k in ticks],
            "ticktext": [labels[k] for k in ticks],
            "tickangle": -60,
        },
        "yaxis": decade_axis(
            [np.maximum(v, TINY) for _, s in entries for v in _norms(s)], "gradient norm (log scale)"
        ),
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": int(t) + 1,
                "x1": int(t) + 1,
                "y0": 0,
                "y1": 1,
                "line": {"color": LEVEL, "dash": "dot", "width": 1},
            }
            for t in snap.scored_steps[:3]
            if len(snap.scored_steps) <= 3
        ],
        "height": 430,
        "margin": {"l": 70, "r": 20, "t": 50, "b": 120},
        "font": {"size": font_size},
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)
