"""Colour scales, defined once. Every heatmap and diagram takes its colours from here.

Both scales are colour-blind safe: ``gate`` is cividis (sequential, 0 = closed, 1 = open) and
``signed`` is a blue-white-orange diverging scale (−1 … +1, white at 0), which avoids red/green.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scale:
    name: str
    colorscale: str | tuple[tuple[float, str], ...]
    zmin: float | None  # None: symmetric, from the data (at least ±1)
    zmax: float | None
    label: str


SCALES: dict[str, Scale] = {
    "gate": Scale("gate", "Cividis", 0.0, 1.0, "sigmoid gate, 0 = closed … 1 = open"),
    "signed": Scale(
        "signed",
        ((0.0, "#2166ac"), (0.25, "#92c5de"), (0.5, "#f7f7f7"), (0.75, "#fdb863"), (1.0, "#b35806")),
        -1.0,
        1.0,
        "tanh value, −1 … +1",
    ),
    "cell": Scale(
        "cell",
        ((0.0, "#2166ac"), (0.25, "#92c5de"), (0.5, "#f7f7f7"), (0.75, "#fdb863"), (1.0, "#b35806")),
        None,
        None,
        "cell state (unbounded), symmetric around 0",
    ),
}

# which scale each trace array uses
SCALE_OF: dict[str, str] = {
    "forget": "gate",
    "input": "gate",
    "output": "gate",
    "reset": "gate",
    "update": "gate",
    "candidate": "signed",
    "cell_tanh": "signed",
    "hidden": "signed",
    "cell": "cell",
    "forget_part": "cell",
    "input_part": "signed",
}


def scale_for(name: str) -> Scale:
    """The scale for a trace array called ``name`` (gate names, states, parts)."""
    return SCALES[SCALE_OF.get(name, "signed")]


def z_range(scale: Scale, values: np.ndarray) -> tuple[float, float]:
    """The fixed (zmin, zmax) for ``scale``; for data-driven scales, symmetric and at least ±1."""
    if scale.zmin is not None and scale.zmax is not None:
        return scale.zmin, scale.zmax
    m = max(1.0, float(np.max(np.abs(values))) if np.size(values) else 1.0)
    return -m, m
