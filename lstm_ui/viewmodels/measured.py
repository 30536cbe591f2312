"""What training measured (the RNN page's last section), read from ``assets/results/``: the memory-span
study (``memory_span.json``: held-out accuracy against the gap, per cell, over several seeds) and the
gradient-flow measurement (``gradient_flow.json``: how far back the gradient reaches, before and after
training). Every number and sentence shown comes from those files; nothing here quotes a number."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lstm_ui.drawings.colours import cell_style
from lstm_ui.viewmodels.axes import decade_axis

RESULTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "results"


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


def span_rows(doc: Mapping) -> dict[str, list[dict]]:
    """The memory-span summary rows by cell (in the file's order), each cell's sorted by gap; a row that
    lacks a field the chart needs is skipped."""
    needed = {"cell", "label", "gap", "median", "q1", "q3", "accuracies", "fraction_reached", "n_seeds"}
    out: dict[str, list[dict]] = {}
    for row in doc.get("summary", []):
        if isinstance(row, dict) and needed <= row.keys():
            out.setdefault(str(row["cell"]), []).append(row)
    return {cell: sorted(rows, key=lambda r: r["gap"]) for cell, rows in out.items()}


def _seed_dots(rows: list[dict], spread: float) -> tuple[list[float], list[float]]:
    """Every seed's accuracy as a dot, spread a little sideways (on the log axis) so equal ones show."""
    xs, ys = [], []
    for row in rows:
        acc = list(row["accuracies"])
        offsets = np.linspace(-spread, spread, len(acc)) if len(acc) > 1 else [0.0]
        xs += [row["gap"] * 10**o for o in offsets]
        ys += acc
    return xs, ys


def memory_span_figure(doc: Mapping, font_size: int = 12) -> go.Figure:
    """Held-out accuracy against the gap (log axis): per cell the median over seeds (line), the middle
    half of the seeds (band, q1 … q3) and every seed (dots); chance dashed, the success line dotted."""
    data = []
    for k, (cell, rows) in enumerate(span_rows(doc).items()):
        label, colour = cell_style(cell, rows[0]["label"])
        gaps = [r["gap"] for r in rows]
        learned = [f"{round(r['fraction_reached'] * r['n_seeds'])} of {r['n_seeds']}" for r in rows]
        band = {"legendgroup": cell, "showlegend": False, "hoverinfo": "skip", "mode": "lines"}
        data += [
            {"type": "scatter", "x": gaps, "y": [r["q3"] for r in rows], "line": {"width": 0}, **band},
            {
                "type": "scatter", "x": gaps, "y": [r["q1"] for r in rows], "line": {"width": 0},
                "fill": "tonexty", "fillcolor": _translucent(colour), **band,
            },
            {
                "type": "scatter", "mode": "lines+markers", "x": gaps, "y": [r["median"] for r in rows],
                "name": label, "legendgroup": cell, "line": {"color": colour, "width": 2.5},
                "customdata": learned,
                "hovertemplate": "gap %{x}: median %{y:.2f}; %{customdata} seeds learned it"
                f"<extra>{label}</extra>",
            },
        ]  # fmt: skip
        xs, ys = _seed_dots(rows, spread=0.03 * (k - 1.5))
        data.append(
            {
                "type": "scatter", "mode": "markers", "x": xs, "y": ys, "legendgroup": cell,
                "showlegend": False, "marker": {"color": colour, "size": 6, "opacity": 0.55},
                "hovertemplate": f"{label}, one seed: %{{y:.3f}}<extra></extra>",
            }
        )  # fmt: skip
    gaps = sorted({r["gap"] for rows in span_rows(doc).values() for r in rows})
    layout = {
        "xaxis": {
            "type": "log",
            "tickvals": gaps,
            "ticktext": [str(g) for g in gaps],
            "title": {"text": "gap: random symbols between the letter and the question"},
        },
        "yaxis": {"title": {"text": "accuracy on new sequences"}, "range": [0, 1.05]},
        "shapes": [_level(doc.get("chance"), "dash"), _level(doc.get("target_accuracy"), "dot")],
        "annotations": [
            _level_note(doc.get("chance"), "guessing"),
            _level_note(doc.get("target_accuracy"), "counts as learned"),
        ],
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "height": 420,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "font": {"size": font_size},
    }
    layout["shapes"] = [s for s in layout["shapes"] if s]
    layout["annotations"] = [a for a in layout["annotations"] if a]
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _translucent(colour: str, alpha: float = 0.18) -> str:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))  # "#rrggbb"
    return f"rgba({r}, {g}, {b}, {alpha})"


def _level(y: object, dash: str) -> dict | None:
    if not isinstance(y, int | float):
        return None
    line = {"dash": dash, "color": "#999", "width": 1}
    return {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y, "line": line}


def _level_note(y: object, text: str) -> dict | None:
    if not isinstance(y, int | float):
        return None
    return {"xref": "paper", "x": 1, "xanchor": "right", "y": y, "yanchor": "bottom", "text": text,
            "showarrow": False, "font": {"color": "#777"}}  # fmt: skip


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
        title, colour = cell_style(cell)
        back = np.arange(len(values) - 1, -1, -1)  # steps between t and the last step
        name = f"{title} ({stage}): ‖∂L/∂{'C' if part == 'dc_norm' else 'h'}‖"
        line = {"color": colour, "dash": "solid" if stage == "trained" else "dash"}
        line["width"] = 3 if part == "dh_norm" else 1.5
        data.append(
            {
                "type": "scatter", "mode": "lines", "x": back, "y": np.maximum(values, 1e-300), "name": name,
                "line": line, "hovertemplate": "%{x} steps back: %{y:.3e}<extra>%{fullData.name}</extra>",
            }
        )  # fmt: skip
    layout = {
        "xaxis": {"title": {"text": "steps back from the loss"}, "autorange": "reversed"},
        "yaxis": decade_axis([np.ravel(d["y"]) for d in data], "gradient norm (log scale)"),
        "legend": {"font": {"size": max(font_size - 1, 11)}},  # 11 px at least: readable on a phone
        "height": 420,
        "margin": {"l": 70, "r": 20, "t": 20, "b": 60},
        "font": {"size": font_size},
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def flow_table(doc: Mapping) -> pd.DataFrame:
    """One row per cell: the accuracy it reached after training, whether that is learning or guessing
    (against the file's chance level), and how much gradient reached the first step, before and after."""
    chance = doc.get("chance")
    rows = []
    for cell, entry in (doc.get("cells") or {}).items():
        if not isinstance(entry, dict):
            continue
        accuracy, summary = entry.get("trained_accuracy"), entry.get("summary") or {}
        rows.append(
            {
                "cell": cell_style(cell)[0],
                "accuracy after training": accuracy,
                "what that means": _learned(accuracy, chance),
                "gradient at the first step ÷ at the last, untrained": _ratio(summary.get("untrained")),
                "… after training": _ratio(summary.get("trained")),
            }
        )
    return pd.DataFrame(rows)


def _learned(accuracy: object, chance: object) -> str:
    if not isinstance(accuracy, int | float):
        return "not measured"
    if isinstance(chance, int | float) and accuracy < chance + 0.1:
        return "did not learn the task: guessing level"
    return "learned the task" if accuracy >= 0.95 else "learned part of the task"


def _ratio(stage: object) -> str:
    value = stage.get("log10_dh_first_over_last") if isinstance(stage, dict) else None
    return f"1e{value:+.0f}" if isinstance(value, int | float) else "not measured"
