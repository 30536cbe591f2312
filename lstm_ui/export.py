"""A trace as files: a tidy CSV (one row per step and unit) and a JSON document, as download buttons."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import streamlit as st


def trace_frame(arrays: Mapping[str, np.ndarray], tokens: Sequence[str]) -> pd.DataFrame:
    """Long format: columns step (1-based), token, unit (1-based), then one column per array."""
    names = list(arrays)
    T, H = np.shape(arrays[names[0]])
    frame = pd.DataFrame(
        {
            "step": np.repeat(np.arange(1, T + 1), H),
            "token": np.repeat(np.asarray(list(tokens), dtype=object), H),
            "unit": np.tile(np.arange(1, H + 1), T),
        }
    )
    for name in names:
        frame[name] = np.asarray(arrays[name], dtype=float).reshape(T * H)
    return frame


def trace_csv(arrays: Mapping[str, np.ndarray], tokens: Sequence[str]) -> str:
    return trace_frame(arrays, tokens).to_csv(index=False, float_format="%.17g")


def trace_json(arrays: Mapping[str, np.ndarray], tokens: Sequence[str], meta: Mapping[str, object]) -> str:
    """``{"meta": {...}, "tokens": [...], "arrays": {name: [[...] per step]}}``; floats round-trip exactly."""
    doc = {
        "meta": dict(meta),
        "tokens": list(tokens),
        "shape": {"steps": len(tokens), "units": int(np.shape(next(iter(arrays.values())))[1])},
        "arrays": {name: np.asarray(v, dtype=float).tolist() for name, v in arrays.items()},
    }
    return json.dumps(doc, ensure_ascii=False)


def download_buttons(
    arrays: Mapping[str, np.ndarray], tokens: Sequence[str], meta: Mapping[str, object], stem: str = "trace"
) -> None:
    """Two download buttons (CSV and JSON). The files are built lazily, only when clicked."""
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        data=lambda: trace_csv(arrays, tokens),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{stem}_csv",
        on_click="ignore",
        icon=":material/table:",
    )
    right.download_button(
        "Download JSON",
        data=lambda: trace_json(arrays, tokens, meta),
        file_name=f"{stem}.json",
        mime="application/json",
        key=f"{stem}_json",
        on_click="ignore",
        icon=":material/data_object:",
    )
