r"""The vanishing gradient, measured: live on the page's sentence, and from the training helper's results.

Live: the loss is read on the last step only, L = v · h_T with v = (1, …, 1)/√H (so ‖∂L/∂h_T‖ = 1), and
backpropagation through time (``lstm_core.rnn_backward`` / ``gru_backward`` / ``lstm_backward``) gives
the total gradient that reaches every earlier step, ``d_hidden_total`` = ∂L/∂h_t (and, for the LSTM,
``d_cell_total`` = ∂L/∂C_t). Its norm against t shows how much a word t steps back can still learn.

Shipped: ``assets/results/gradient_flow.json`` and ``memory_span.json`` (written by
``scripts/measure_*.py``); ``load_result`` returns None when a file is missing or unreadable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lstm_core import gru_backward, lstm_backward, rnn_backward
from lstm_ui.notation import Notation
from lstm_ui.sentence import token_labels
from lstm_ui.viewmodels.rnn import CELLS, cached_run, cell_params

RESULTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "results"
BACKWARD = {"rnn": rnn_backward, "gru": gru_backward, "lstm": lstm_backward, "lstm_remember": lstm_backward}
# How the shipped results' cells are drawn: (title, colour); the same colours as the live chart.
RESULT_STYLE = {
    "rnn": (CELLS["rnn"].title, CELLS["rnn"].colour),
    "gru": (CELLS["gru"].title, CELLS["gru"].colour),
    "lstm": (CELLS["lstm"].title, CELLS["lstm"].colour),
    "lstm_fb0": ("LSTM, forget bias 0", "#CC79A7"),
}


def style(cell: str, label: object = None) -> tuple[str, str]:
    """(title, colour) of a shipped result's cell; unknown cells keep their own label, in grey."""
    return RESULT_STYLE.get(cell, (str(label or cell), "#777777"))


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
                "cell": CELLS[key].title,
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
    h, c = notation.symbol_html("hidden"), notation.symbol_html("cell")
    data = []
    for key, parts in norms.items():
        spec = CELLS[key]
        for part, values in parts.items():
            sym = h if part == "hidden" else c
            name = f"{spec.title}: ‖∂L/∂{sym}‖"
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": steps,
                    "y": np.maximum(values, 1e-300),
                    "name": name,
                    "customdata": labels,
                    "line": {
                        "color": spec.colour,
                        "dash": "dot" if part == "cell" else spec.dash,
                        "width": 2,
                    },
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
        "yaxis": {"type": "log", "title": {"text": "gradient norm (log scale)"}, "exponentformat": "power"},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "height": 440,
        "margin": {"l": 70, "r": 20, "t": 60, "b": 110},
        "font": {"size": font_size},
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)


@st.cache_data(max_entries=16, show_spinner=False)
def _read_json(path: str, mtime: float) -> dict | None:
    """The decoded file (``mtime`` is part of the cache key: a rewritten file is read again)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def load_result(name: str, directory: str | None = None) -> dict | None:
    """``<directory>/<name>.json`` (default ``RESULTS_DIR``) decoded; None when missing or not JSON."""
    path = Path(directory or RESULTS_DIR) / f"{name}.json"
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    return _read_json(str(path), mtime)


def span_variants(doc: Mapping) -> tuple[str, ...]:
    """The distractor variants measured (``summary_by_variant``), the main one (``summary``'s) first."""
    by = doc.get("summary_by_variant")
    if not isinstance(by, dict):
        return ()
    main = next((r.get("variant") for r in doc.get("summary", []) if isinstance(r, dict)), None)
    return tuple(sorted(by, key=lambda v: v != main))


def memory_span_rows(doc: Mapping, variant: str | None = None) -> dict[str, list[dict]]:
    """The summary rows (of ``variant``, else the main summary) by cell, sorted by gap; rows lacking a
    field are skipped."""
    rows = (doc.get("summary_by_variant") or {}).get(variant) if variant else None
    out: dict[str, list[dict]] = {}
    for row in rows if isinstance(rows, list) else doc.get("summary", []):
        if isinstance(row, dict) and {"cell", "gap", "mean"} <= row.keys():
            out.setdefault(str(row["cell"]), []).append(row)
    return {cell: sorted(rows, key=lambda r: r["gap"]) for cell, rows in out.items()}


def span_reading(doc: Mapping, variant: str | None = None, threshold: float = 0.9) -> str:
    """One sentence read off the data: for each cell the longest gap whose mean accuracy >= ``threshold``."""
    parts = []
    for cell, rows in memory_span_rows(doc, variant).items():
        ok = [r["gap"] for r in rows if r["mean"] >= threshold]
        title = style(cell, rows[0].get("label"))[0]
        parts.append(f"{title} {max(ok) if ok else 'none'}")
    return f"Longest gap learned (mean accuracy ≥ {threshold:g}): " + ", ".join(parts) + "."


def memory_span_figure(doc: Mapping, variant: str | None = None, font_size: int = 12) -> go.Figure:
    """Held-out accuracy against the gap (log x), mean over seeds with min … max bars, chance dashed."""
    data = []
    by_cell = memory_span_rows(doc, variant)
    for cell, rows in by_cell.items():
        title, colour = style(cell, rows[0].get("label"))
        gaps = [r["gap"] for r in rows]
        mean = np.array([r["mean"] for r in rows], dtype=float)
        hi = np.array([r.get("max", r["mean"]) for r in rows], dtype=float) - mean
        lo = mean - np.array([r.get("min", r["mean"]) for r in rows], dtype=float)
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": gaps,
                "y": mean,
                "name": title,
                "line": {"color": colour, "width": 2},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": hi,
                    "arrayminus": lo,
                    "thickness": 1,
                },
                "hovertemplate": "gap %{x}: accuracy %{y:.3f}<extra>%{fullData.name}</extra>",
            }
        )
    gaps = sorted({r["gap"] for rows in by_cell.values() for r in rows})
    shapes = []
    if isinstance(doc.get("chance"), int | float):
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": doc["chance"],
                "y1": doc["chance"],
                "line": {"dash": "dash", "color": "#999"},
            }
        )
    layout = {
        "xaxis": {
            "type": "log",
            "tickvals": gaps,
            "ticktext": [str(g) for g in gaps],
            "title": {"text": "gap: distractor steps between the clue and the question"},
        },
        "yaxis": {"title": {"text": "held-out accuracy"}, "range": [0, 1.05]},
        "shapes": shapes,
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "height": 380,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "font": {"size": font_size},
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def flow_series(doc: Mapping) -> list[tuple[str, str, str, np.ndarray]]:
    """(cell, stage, part, norms) for every array in gradient_flow.json's ``cells`` (stage: trained or
    untrained; part: dh_norm or dc_norm)."""
    out = []
    for cell, entry in (doc.get("cells") or {}).items():
        for stage in ("untrained", "trained"):
            for part in ("dh_norm", "dc_norm"):
                values = (entry.get(stage) or {}).get(part) if isinstance(entry, dict) else None
                if isinstance(values, list) and values:
                    out.append((cell, stage, part, np.asarray(values, dtype=float)))
    return out


def flow_figure(doc: Mapping, font_size: int = 12) -> go.Figure:
    """The shipped gradient-flow measurement: norms against steps back from the loss, log scale."""
    data = []
    for cell, stage, part, values in flow_series(doc):
        title, colour = style(cell)
        back = np.arange(len(values) - 1, -1, -1)  # steps between t and the last step
        name = f"{title} ({stage}): ‖∂L/∂{'C' if part == 'dc_norm' else 'h'}‖"
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": back,
                "y": np.maximum(values, 1e-300),
                "name": name,
                "line": {
                    "color": colour,
                    "dash": "solid" if stage == "trained" else "dash",
                    "width": 3 if part == "dh_norm" else 1.5,
                },
                "hovertemplate": "%{x} steps back: %{y:.3e}<extra>%{fullData.name}</extra>",
            }
        )
    layout = {
        "xaxis": {"title": {"text": "steps back from the loss"}, "autorange": "reversed"},
        "yaxis": {"type": "log", "title": {"text": "gradient norm (log scale)"}, "exponentformat": "power"},
        "legend": {"font": {"size": max(font_size - 2, 9)}},
        "height": 420,
        "margin": {"l": 70, "r": 20, "t": 20, "b": 60},
        "font": {"size": font_size},
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def flow_summary(doc: Mapping) -> list[dict[str, object]]:
    """One row per cell: trained accuracy and log10 of first/last gradient ratio (trained, untrained)."""
    rows = []
    for cell, entry in (doc.get("cells") or {}).items():
        if not isinstance(entry, dict):
            continue
        summary = entry.get("summary") or {}
        rows.append(
            {
                "cell": style(cell)[0],
                "accuracy after training": entry.get("trained_accuracy"),
                "log10 ‖∂L/∂h_1‖/‖∂L/∂h_T‖ untrained": (summary.get("untrained") or {}).get(
                    "log10_dh_first_over_last"
                ),
                "log10 ‖∂L/∂h_1‖/‖∂L/∂h_T‖ trained": (summary.get("trained") or {}).get(
                    "log10_dh_first_over_last"
                ),
            }
        )
    return rows


def flow_summary_table(doc: Mapping) -> pd.DataFrame:
    """``flow_summary`` as a table."""
    return pd.DataFrame(flow_summary(doc))
