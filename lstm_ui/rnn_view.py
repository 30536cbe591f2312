r"""The three cells side by side on one sentence: seeded weights, cached runs, the unrolled RNN figure
and the RNN's equations with live numbers.

Every cell here reads the same token vectors (``lstm_ui.text.embed``, D = 16) and has H = 8 units, so
their numbers can be compared. The plain RNN is PyTorch's ``nn.RNN``:

    h_t = tanh(W_hh h_{t-1} + W_xh x_t + b)          (b = b_ih + b_hh)
    y_t = W_hy h_t                                     (W_hy: seeded, untrained, K = 4 outputs)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from lstm_core import (
    CellParams,
    RNNParams,
    RNNTrace,
    Trace,
    init_gru,
    init_rnn,
    run_gru,
    run_lstm,
    run_rnn,
)
from lstm_ui.colors import scale_for, z_range
from lstm_ui.equations import fmt
from lstm_ui.models import MODELS
from lstm_ui.notation import Notation
from lstm_ui.text import embed, token_labels

INPUT_SIZE = MODELS["lstm8"].input_size  # D: the same token vectors as the LSTM pages
HIDDEN_SIZE = 8  # H
READOUT_SIZE = 4  # K, the outputs y_t of the RNN's (untrained) readout
READOUT_SEED = 7
_SELECT = "#d6007a"  # the heatmaps' selection colour


@dataclass(frozen=True)
class CellSpec:
    """One seeded cell of the comparison: how to build it and how to run it."""

    key: str
    title: str
    colour: str  # line colour (Okabe-Ito: colour-blind safe)
    dash: str
    build: Callable[[], CellParams] = field(repr=False, compare=False)
    run: Callable[[CellParams, np.ndarray], Trace] = field(repr=False, compare=False)


CELLS: dict[str, CellSpec] = {
    spec.key: spec
    for spec in (
        CellSpec(
            "rnn", "plain RNN", "#D55E00", "solid", lambda: init_rnn(INPUT_SIZE, HIDDEN_SIZE, seed=0), run_rnn
        ),
        CellSpec(
            "gru", "GRU", "#009E73", "solid", lambda: init_gru(INPUT_SIZE, HIDDEN_SIZE, seed=0), run_gru
        ),
        CellSpec("lstm", "LSTM", "#0072B2", "solid", MODELS["lstm8"].build, run_lstm),
        CellSpec(
            "lstm_remember",
            "LSTM, forget bias +2",
            "#56B4E9",
            "solid",
            MODELS["lstm8-remember"].build,
            run_lstm,
        ),
    )
}


@st.cache_resource(show_spinner=False)
def _arrow(tail: tuple[float, float], head: tuple[float, float], color: str = "#888", width: int = 1) -> dict:
    """A plotly annotation drawing an arrow from ``tail`` to ``head`` in data coordinates."""
    return {
        "x": head[0],
        "y": head[1],
        "ax": tail[0],
        "ay": tail[1],
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "showarrow": True,
        "arrowhead": 2,
        "arrowwidth": width,
        "arrowcolor": color,
        "text": "",
    }


def cell_params(key: str) -> CellParams:
    """The seeded weights of ``CELLS[key]``, built once per process (read-only)."""
    if key not in CELLS:
        raise ValueError(f"unknown cell {key!r}; choose one of {', '.join(CELLS)}")
    return CELLS[key].build()


def readout_weights() -> np.ndarray:
    """W_hy (K, H): seeded N(0, 1/H) numbers. Untrained: y_t shows the mechanics, not a meaning."""
    rng = np.random.default_rng(READOUT_SEED)
    return rng.standard_normal((READOUT_SIZE, HIDDEN_SIZE)) / np.sqrt(HIDDEN_SIZE)


def compute_run(key: str, tokens: tuple[str, ...]) -> Trace:
    """The trace of ``tokens`` through cell ``key`` (uncached)."""
    return CELLS[key].run(cell_params(key), embed(tokens, INPUT_SIZE))


@st.cache_data(max_entries=128, show_spinner=False)
def cached_run(key: str, tokens: tuple[str, ...]) -> Trace:
    return compute_run(key, tokens)


def rnn_parts(params: RNNParams, trace: RNNTrace, t: int) -> dict[str, np.ndarray]:
    """The three terms of step ``t`` (0-based), each (H,): W_hh h_{t-1}, W_xh x_t, b, and their sum z."""
    rec = params.weight_hh @ trace.hidden_prev[t]  # (H,)
    inp = params.weight_ih @ trace.xs[t]  # (H,)
    bias = params.bias_ih + params.bias_hh  # (H,)
    return {"recurrent": rec, "input": inp, "bias": bias, "z": rec + inp + bias, "hidden": trace.hidden[t]}


def _p(v: float) -> str:
    s = fmt(v)
    return f"({s})" if v < 0 else s


def rnn_latex(params: RNNParams, trace: RNNTrace, t: int, j: int, notation: Notation) -> list[str]:
    """The RNN's two equations, general and with the numbers of step ``t``, unit ``j`` (both 0-based)."""
    S = notation.symbols
    h, hp, x = S.get("hidden", "h_t"), S.get("hidden_prev", "h_{t-1}"), S.get("x", "x_t")
    v = {k: float(a[j]) for k, a in rnn_parts(params, trace, t).items()}
    unit = rf"\left[{h}\right]_{{{j + 1}}}"
    state = (
        rf"\begin{{gathered}}{h} = \tanh(W_{{hh}}\, {hp} + W_{{xh}}\, {x} + b) \\ "
        rf"{unit} = \tanh(\underbrace{{{_p(v['recurrent'])}}}_{{W_{{hh}} {hp}}} + "
        rf"\underbrace{{{_p(v['input'])}}}_{{W_{{xh}} {x}}} + \underbrace{{{_p(v['bias'])}}}_{{b}}) "
        rf"= \tanh({fmt(v['z'])}) = {fmt(v['hidden'])}\end{{gathered}}"
    )
    y = readout_weights() @ np.asarray(trace.hidden[t])  # (K,)
    ys = ", ".join(fmt(val) for val in y)
    output = rf"\begin{{gathered}}y_t = W_{{hy}}\, {h} \\ y_{{{t + 1}}} = [{ys}]\end{{gathered}}"
    return [state, output]


def unrolled_figure(
    hidden: np.ndarray,
    tokens: Sequence[str],
    notation: Notation,
    selected: int | None = None,
    font_size: int = 12,
) -> go.Figure:
    """The RNN unrolled: one copy of the same cell per token (bottom), the hidden state each copy hands
    to the next as a units × steps heatmap (top). ``selected`` (0-based step) is outlined."""
    T, H = np.shape(hidden)
    steps = np.arange(1, T + 1)
    labels = token_labels(tokens)
    hsym = notation.symbol_html("hidden")
    scale = scale_for("hidden")
    lo, hi = z_range(scale, hidden)
    heat = {
        "type": "heatmap",
        "z": np.asarray(hidden, dtype=float).T,  # (H, T): one column per copy
        "x": steps,
        "y": np.arange(1, H + 1),
        "customdata": np.array([labels] * H),
        "colorscale": scale.colorscale,
        "zmin": lo,
        "zmax": hi,
        "xgap": 2,
        "ygap": 1,
        "name": "hidden state",
        "yaxis": "y2",
        "colorbar": {
            "title": {"text": f"{hsym}: {lo:g} … {hi:g}", "side": "right"},
            "len": 0.5,
            "y": 0.78,
            "thickness": 10,
        },
        "hovertemplate": f"{hsym} after %{{customdata}}<br>unit %{{y}}: %{{z:.4f}}<extra></extra>",
    }
    shapes, notes = [], []
    w = 0.32
    for t in steps:
        picked = selected is not None and t == selected + 1
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": t - w,
                "x1": t + w,
                "y0": 0.55,
                "y1": 1.45,
                "line": {"color": _SELECT if picked else "#555", "width": 3 if picked else 1},
                "fillcolor": "#fde0c5" if picked else "#f4f4f4",
            }
        )
        notes.append(
            {
                "x": t,
                "y": 1.0,
                "text": "tanh",
                "showarrow": False,
                "xref": "x",
                "yref": "y",
                "font": {"size": font_size - 1},
            }
        )
        notes.append(_arrow((t, 0.05), (t, 0.55)))  # x_t up into the cell
        notes.append(_arrow((t, 1.45), (t, 1.95)))  # h_t up out of the cell
        if t < T:
            # One colour for every step: a new step then changes only the shapes (a cheap relayout in
            # the browser), not the annotations (plotly.js redraws every annotation, ~2 ms each).
            notes.append(_arrow((t + w, 1.0), (t + 1 - w, 1.0), "#333", width=2))
    if selected is not None:
        t = selected + 1
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y2",
                "x0": t - 0.5,
                "x1": t + 0.5,
                "y0": 0.5,
                "y1": H + 0.5,
                "line": {"color": _SELECT, "width": 3},
            }
        )
    ticks = {
        "tickmode": "array",
        "tickvals": steps.tolist(),
        "ticktext": labels,
        "tickangle": -45 if T > 6 else 0,
    }
    layout = {
        "xaxis": {
            "range": [0.4, T + 0.6],
            "fixedrange": True,
            "title": {"text": "input x_t (one word per step)"},
            **ticks,
        },
        "yaxis": {"domain": [0.0, 0.48], "range": [0, 2.0], "visible": False, "fixedrange": True},
        "yaxis2": {
            "domain": [0.56, 1.0],
            "title": {"text": f"{hsym}, unit j"},
            "fixedrange": True,
            "autorange": "reversed",
            "tickvals": list(range(1, H + 1)),
        },
        "shapes": shapes,
        "annotations": notes,
        "height": 430 + (60 if font_size > 12 else 0),
        "margin": {"l": 60, "r": 20, "t": 20, "b": 110},
        "font": {"size": font_size},
        "showlegend": False,
    }
    return go.Figure({"data": [heat], "layout": layout}, _validate=False)
