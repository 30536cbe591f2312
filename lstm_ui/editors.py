"""Editable vectors and matrices (``st.data_editor`` on DataFrames) with validation that never raises.

``read_table`` turns an edited DataFrame into a float array and a list of problems a student can act on:
empty cells, text that is not a number, NaN or infinity are errors (no array); very large values are a
warning only (the core is numerically stable, so 1e6 still computes — the gates just saturate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from lstm_core import ConcatWeights, LSTMParams, SplitWeights, from_concat, from_split
from lstm_ui.notation import Notation


@dataclass(frozen=True)
class Parsed:
    """An editor's numbers (None when any cell is unusable) and why not."""

    label: str
    array: np.ndarray | None
    errors: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.array is not None


def _cell_value(raw: object) -> tuple[float | None, str | None]:
    """(number, None) or (None, why it is not usable)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, "is empty"
    if isinstance(raw, bool):
        return None, f"is {raw!r}, not a number"
    try:
        value = float(str(raw).strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        return None, f"is {str(raw)[:20]!r}, not a number"
    if np.isnan(value):
        return None, "is empty or NaN"
    if not np.isfinite(value):
        return None, "is infinite"
    return value, None


def read_table(df: pd.DataFrame, label: str, column_labels: dict[str, str] | None = None) -> Parsed:
    """Validate every cell of ``df``; return a (rows, cols) float array or the problems found."""
    names = column_labels or {}
    if df is None or df.size == 0:
        return Parsed(label, None, (f"{label}: the table is empty; it needs at least one number.",))
    out = np.empty(df.shape, dtype=np.float64)
    errors: list[str] = []
    for r, row_name in enumerate(df.index):
        for c, col_name in enumerate(df.columns):
            value, why = _cell_value(df.iat[r, c])
            if why is not None:
                errors.append(f"{label}, row {row_name}, column {names.get(col_name, col_name)} {why}.")
            else:
                out[r, c] = value
    if errors:
        shown = errors[:5] + ([f"… and {len(errors) - 5} more."] if len(errors) > 5 else [])
        return Parsed(label, None, tuple(shown))
    return Parsed(label, out)


def vector_frame(values: Sequence[float], row_names: Sequence[str], column: str = "value") -> pd.DataFrame:
    """A one-column DataFrame for a vector (one row per unit)."""
    return pd.DataFrame({column: np.asarray(values, dtype=np.float64)}, index=list(row_names))


def matrix_frame(values: np.ndarray, row_names: Sequence[str], col_names: Sequence[str]) -> pd.DataFrame:
    """A DataFrame for a matrix with named rows and columns."""
    return pd.DataFrame(np.asarray(values, dtype=np.float64), index=list(row_names), columns=list(col_names))


def number_editor(
    df: pd.DataFrame,
    key: str,
    label: str,
    column_labels: dict[str, str] | None = None,
    help: str | None = None,
) -> Parsed:
    """Show ``df`` in a fixed-size ``st.data_editor`` and return the validated numbers.

    Column keys stay fixed (so edits survive a notation switch); ``column_labels`` renames them on
    screen. ``key`` must be unique on the page; change it to throw the edits away.
    """
    config = {
        col: st.column_config.NumberColumn((column_labels or {}).get(col, col), help=help, format="%.4g")
        for col in df.columns
    }
    edited = st.data_editor(df, key=key, num_rows="fixed", column_config=config, width="stretch")
    return read_table(pd.DataFrame(edited), label, column_labels)


def show_problems(parsed: Sequence[Parsed], container: object = st) -> bool:
    """``st.error`` for every error; True when all are usable."""
    for p in parsed:
        for msg in p.errors:
            container.error(msg, icon="⚠️")
    return all(p.ok for p in parsed)


# ---- weights in each notation's layout (gate lab, "from weights" mode) ----

# which table layout each notation uses; unknown notations fall back to "concat"
GATE_ORDER = ("forget", "input", "candidate", "output")  # the lectures' order (PyTorch stores i, f, g, o)


@dataclass(frozen=True)
class WeightTable:
    gate: str
    part: str  # "all" (concat, pytorch) or "U", "W", "b" (split)
    frame: pd.DataFrame
    labels: dict[str, str]  # column key -> on-screen label


def _names(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{k + 1}" for k in range(n)]


def weight_tables(params: LSTMParams, notation: Notation) -> list[WeightTable]:
    """``params`` as the editable tables of ``notation``: one per gate (concat, pytorch) or three (split)."""
    H, D = params.hidden_size, params.input_size
    units = _names("unit ", H)
    h_sym, x_sym = notation.symbol_plain("hidden_prev"), notation.symbol_plain("x")
    h_cols, x_cols = _names("h", H), _names("x", D)
    labels = {
        **{c: f"{h_sym}[{k + 1}]" for k, c in enumerate(h_cols)},
        **{c: f"{x_sym}[{k + 1}]" for k, c in enumerate(x_cols)},
    }
    layout = notation.weight_layout
    out = []
    for g in GATE_ORDER:
        w_ih, w_hh = params.gate_block("weight_ih", g), params.gate_block("weight_hh", g)
        b_ih, b_hh = params.gate_block("bias_ih", g), params.gate_block("bias_hh", g)
        if layout == "concat":
            m = np.column_stack([w_hh, w_ih, b_ih + b_hh])
            out.append(WeightTable(g, "all", matrix_frame(m, units, [*h_cols, *x_cols, "b"]), labels))
        elif layout == "pytorch":
            m = np.column_stack([w_ih, w_hh, b_ih, b_hh])
            cols = [*x_cols, *h_cols, "b_ih", "b_hh"]
            out.append(WeightTable(g, "all", matrix_frame(m, units, cols), labels))
        else:  # split, row-vector convention x U + h W + b
            cols = _names("u", H)
            unit_labels = {c: f"unit {k + 1}" for k, c in enumerate(cols)}
            out.append(WeightTable(g, "U", matrix_frame(w_ih.T, _names("x", D), cols), unit_labels))
            out.append(WeightTable(g, "W", matrix_frame(w_hh.T, _names("h", H), cols), unit_labels))
            out.append(WeightTable(g, "b", matrix_frame((b_ih + b_hh)[None, :], ["b"], cols), unit_labels))
    return out


def params_from_tables(arrays: dict[tuple[str, str], np.ndarray], notation: Notation, D: int) -> LSTMParams:
    """Inverse of ``weight_tables``: ``arrays[(gate, part)]`` as read back from the editors."""
    layout = notation.weight_layout
    if layout == "split":
        letters = {"forget": "f", "input": "i", "candidate": "c", "output": "o"}
        return from_split(
            SplitWeights(
                U={letters[g]: arrays[(g, "U")] for g in GATE_ORDER},
                W={letters[g]: arrays[(g, "W")] for g in GATE_ORDER},
                b={letters[g]: arrays[(g, "b")][0] for g in GATE_ORDER},
            )
        )
    if layout == "concat":
        letters = {"forget": "f", "input": "i", "candidate": "C", "output": "o"}
        return from_concat(
            ConcatWeights(
                W={letters[g]: arrays[(g, "all")][:, :-1] for g in GATE_ORDER},
                b={letters[g]: arrays[(g, "all")][:, -1] for g in GATE_ORDER},
            ),
            D,
        )
    blocks = {g: arrays[(g, "all")] for g in LSTMParams.GATES}  # PyTorch's order i, f, g, o
    H = next(iter(blocks.values())).shape[0]
    return LSTMParams(
        np.concatenate([b[:, :D] for b in blocks.values()]),
        np.concatenate([b[:, D : D + H] for b in blocks.values()]),
        np.concatenate([b[:, D + H] for b in blocks.values()]),
        np.concatenate([b[:, D + H + 1] for b in blocks.values()]),
    )
