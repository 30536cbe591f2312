r"""The vanishing gradient, live on the page's sentence (the measured results are ``measured``).

Live: the loss is read on the last step only, L = v · h_T with v = (1, …, 1)/√H (so ‖∂L/∂h_T‖ = 1), and
backpropagation through time (``lstm_core.rnn_backward`` / ``gru_backward`` / ``lstm_backward``) gives
the total gradient that reaches every earlier step, ``d_hidden_total`` = ∂L/∂h_t (and, for the LSTM,
``d_cell_total`` = ∂L/∂C_t). Its norm against t shows how much a word t steps back can still learn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lstm_core import gru_backward, lstm_backward, rnn_backward
from lstm_ui.compute import cached_run, cell_params
from lstm_ui.drawings.colours import cell_style
from lstm_ui.notation import Notation
from lstm_ui.sentence import token_labels
from lstm_ui.viewmodels.axes import decade_axis

BACKWARD = {"rnn": rnn_backward, "gru": gru_backward, "lstm": lstm_backward, "lstm_remember": lstm_backward}


def compute_norms(key: str, tokens: tuple[str, ...]) -> dict[str, np.ndarray]:
    """``{"hidden": ‖∂L/∂h_t‖ (T,), "cell": ‖∂L/∂C_t‖ (T,) (LSTM only)}`` for L = v · h_T."""
    params, trace = cell_params(key), cached_run(key, tokens)
    T, H = trace.steps, trace.hidden_size
    d_hidden = np.zeros((T, H))  # (T, H): δh_t, the loss reads the last step only
    d_hidden[-1] = 1.0 / np.sqrt(H)
    back = BACKWARD[key](params, trace, d_hidden)
    out = {"hidden": np.linalg.norm(back.d_hidden_total, axis=1)}
    if back.d_cell_total is not None:
        out["cell"] = np.linalg.norm(back.d_cell_total, axis=1)
    return out


@st.cache_data(max_entries=64, show_spinner=False)
def gradient_norms(key: str, tokens: tuple[str, ...]) -> dict[str, np.ndarray]:
    return compute_norms(key, tokens)


def first_step_table(norms: Mapping[str, Mapping[str, np.ndarray]]) -> pd.DataFrame:
    """One row per cell: how much gradient reaches the first word, ‖∂L/∂h_1‖ (and the LSTM's ‖∂L/∂C_1‖;
    None for cells without a cell state)."""
    return pd.DataFrame(
        [
            {
                "cell": cell_style(key)[0],
                "‖∂L/∂h_1‖ (first word)": float(parts["hidden"][0]),
                "‖∂L/∂C_1‖ (LSTM cell state)": float(parts["cell"][0]) if "cell" in parts else None,
            }
            for key, parts in norms.items()
        ]
    )


def live_figure(
    norms: Mapping[str, Mapping[str, np.ndarray]],
    tokens: Sequence[str],
    notation: Notation,
    font_size: int = 12,
) -> go.Figure:
    """‖∂L/∂h_t‖ (solid) and the LSTM's ‖∂L/∂C_t‖ (dotted) against the step t, log scale."""
    labels = token_labels(tokens)
    steps = np.arange(1, len(tokens) + 1)
    h, c = notation.symbol_plain("hidden"), notation.symbol_plain("cell")  # no <sub>: 70 % type
    data = []
    for key, parts in norms.items():
        title, colour = cell_style(key)
        for part, values in parts.items():
            sym = h if part == "hidden" else c
            name = f"{title}: ‖∂L/∂{sym}‖"
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": steps,
                    "y": np.maximum(values, 1e-300),
                    "name": name,
                    "customdata": labels,
                    "line": {"color": colour, "dash": "dot" if part == "cell" else "solid", "width": 2},
                    "hovertemplate": f"{name}<br>%{{customdata}}: %{{y:.3e}}<extra></extra>",
                }
            )
    layout = {
        "xaxis": {
            "title": {"text": "step t (the loss is read at the last step)"},
            "tickmode": "array",
            "tickvals": steps.tolist(),
            "ticktext": labels,
            "tickangle": -45 if len(labels) > 6 else 0,
        },
        "yaxis": decade_axis([np.ravel(d["y"]) for d in data], "gradient norm (log scale)"),
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "height": 440,
        "margin": {"l": 70, "r": 20, "t": 60, "b": 110},
        "font": {"size": font_size},
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)
