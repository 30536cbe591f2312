"""A trace as files: a tidy CSV (one row per step and unit) and a JSON document, saved by the step page's
export buttons (``trace_file``, through its component: lstm_ui.components.live_svg.DownloadFile)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from lstm_ui.components.live_svg import DownloadFile
from lstm_ui.compute import get_model


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


def trace_file(
    arrays: Mapping[str, np.ndarray], tokens: Sequence[str], model_key: str, fmt: str, request: int
) -> DownloadFile:
    """The trace as the file ``trace_<model>.csv`` or ``.json`` (``fmt``), for the step page's export
    buttons; ``request`` numbers the request (the browser saves each one once)."""
    if fmt == "csv":
        return DownloadFile(request, f"trace_{model_key}.csv", "text/csv", trace_csv(arrays, tokens))
    meta = {"model": model_key, "model_title": get_model(model_key).title, "sentence": " ".join(tokens)}
    return DownloadFile(
        request, f"trace_{model_key}.json", "application/json", trace_json(arrays, tokens, meta)
    )
