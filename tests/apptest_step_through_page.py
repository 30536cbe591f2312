"""What the "Step through a sentence" page sends under AppTest, read for its tests: the heatmap
component's payload (drawing, step controls, step strip, equations under it), and the core's reference
trace of the default model.
"""

from __future__ import annotations

import html
import re

import numpy as np
from apptest_helpers import heat_drawings, svg_payloads

from lstm_core import init_lstm, run_lstm
from lstm_ui.sentence import embed

PAGE = "views/step_through.py"
PANELS = ("forget", "input", "candidate", "output", "cell", "hidden")
SHOWN = 5.001e-5  # the squares show 4 decimals


def reference(tokens: tuple[str, ...], hidden: int = 8, seed: int = 0) -> dict[str, np.ndarray]:
    """The trace of the default model ("seeded LSTM (H=8)": D=16, seed 0), straight from lstm_core."""
    trace = run_lstm(init_lstm(16, hidden, seed=seed), embed(tokens, 16))
    return {name: np.asarray(getattr(trace, name)) for name in PANELS}


def heat_payload(at) -> dict:
    """What the heatmap component receives: the drawing, its step controls and the strip above it."""
    (payload,) = [p for p in svg_payloads(at) if p["key"] == "heat"]
    return payload


def detail_latex(at) -> list[str]:
    """The equations under the heatmaps (the component's ``below`` block), as LaTeX."""
    return [html.unescape(t) for t in re.findall(r'data-tex="([^"]*)"', heat_payload(at)["below"])]


def strip(at) -> str:
    """The HTML of the step strip (the selected step's values, coloured), drawn above the heatmaps."""
    html = heat_payload(at)["html"]
    assert html.count('gbg-strip"') == 1, "expected one step strip"
    return html


def controls(at) -> dict:
    """The step controls the component draws: steps, units, step, unit, tokens, playing, labels."""
    return heat_payload(at)["controls"]


def heat(at) -> dict:
    drawings = heat_drawings(at)
    assert list(drawings) == ["heat"], f"expected one heatmap drawing, got {list(drawings)}"
    return drawings["heat"]
