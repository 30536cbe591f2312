r"""The gate lab's numbers: the lecture's example (``assets/examples/forget_product.json``, the one source
of these numbers, which Stories shows too), the seeded weights, the editors' tables read back, and the
cell update computed by the core (``lstm_core.lstm_step``, ``cell_update``).

Two ways to get the gates, both ending in the same update of the cell state:

    "direct":  C_{t-1}, f_t, i_t, C̃_t, o_t typed in (one row per unit);
    "weights": f_t, i_t, C̃_t, o_t = lstm_step(W, x_t, h_{t-1}, C_{t-1}) from editable weights;

    C^f = f_t * C_{t-1},   C^i = i_t * C̃_t,   C_t = C^f + C^i,   h_t = o_t * tanh(C_t)

Session state holds plain tuples and lists (``lab_gates``, ``lab_vectors``, ``lab_params``); the functions
here turn them into arrays and back. The pure functions are the tested ones; ``lab_update`` and
``gates_from_weights`` are their ``st.cache_data`` wrappers, keyed on tuples of floats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
import streamlit as st

from lstm_core import LSTMParams, cell_update, init_lstm, load_examples, lstm_step
from lstm_core.lstm import CellUpdate
from lstm_ui.editors import GATE_ORDER, Parsed, matrix_frame, vector_frame
from lstm_ui.notation import Notation

# The lecture's forget product (C_{t-1} = [1, 2, 4], f = [1, 0, 1]) and a store/output step to go with it,
# from the example's file; its "c_prev" is C_{t-1}.
_NUMBERS = load_examples()["forget_product"].numbers
LECTURE = MappingProxyType(
    {
        name: tuple(float(v) for v in _NUMBERS["c_prev" if name == "cell_prev" else name])
        for name in ("cell_prev", "forget", "input", "candidate", "output")
    }
)
CELL_INPUTS = tuple(LECTURE)  # the direct editor's columns, in this order
DEMOS = MappingProxyType(  # button label -> what it sets (empty: back to the lecture's numbers)
    {
        "Lecture example": {},
        "f = 0: forget everything": {"forget": (0.0, 0.0, 0.0)},
        "f = 1: forget nothing": {"forget": (1.0, 1.0, 1.0)},
    }
)
GATE_RANGES = MappingProxyType(
    {"forget": (0.0, 1.0), "input": (0.0, 1.0), "output": (0.0, 1.0), "candidate": (-1.0, 1.0)}
)
D, H = 2, 3  # sizes in "from weights" mode
FORGET_BIAS = (6.0, -6.0, 6.0)  # σ(±6) ≈ 1, 0, 1: the lecture's forget gate
DEFAULT_VECTORS = MappingProxyType(
    {"x": (0.5, -1.0), "hidden_prev": (0.0, 0.0, 0.0), "cell_prev": (1.0, 2.0, 4.0)}
)
STATE_COLUMNS = ("hidden_prev", "cell_prev")


@dataclass(frozen=True, eq=False)
class LabResult:
    """The update of one step, every array (H,): the inputs by name and the core's ``cell_update``."""

    values: dict[str, np.ndarray]  # cell_prev, forget, input, candidate, output
    update: CellUpdate  # C^f, C^i, C_t, tanh(C_t), h_t


# ---- defaults and demos ----


def default_params() -> dict[str, list]:
    """Seeded weights (D = 2, H = 3) whose forget bias (+6, −6, +6) makes f ≈ [1, 0, 1], like the
    lecture; as lists under PyTorch's names (what ``lab_params`` holds)."""
    arrays = init_lstm(D, H, seed=0).to_torch()
    arrays["bias_ih"][H : 2 * H] = FORGET_BIAS
    arrays["bias_hh"][H : 2 * H] = 0.0
    return {k: v.tolist() for k, v in arrays.items()}


def default_vectors() -> dict[str, tuple[float, ...]]:
    """x_t, h_{t-1}, C_{t-1} of "from weights" mode (what ``lab_vectors`` holds)."""
    return dict(DEFAULT_VECTORS)


def apply_demo(current: Mapping[str, Sequence[float]], changes: Mapping[str, Sequence[float]]) -> dict:
    """The direct mode's numbers after a demo button: ``changes`` on top of ``current``, or the lecture's
    numbers when ``changes`` is empty."""
    base = dict(LECTURE) if not changes else dict(current)
    return {**base, **changes}


def demo_overrides_edits(
    edited_rows: Mapping[object, Mapping[str, object]], changes: Mapping[str, object]
) -> bool:
    """Would a demo set a cell the reader has edited (``edited_rows``: the data editor's state, row →
    {column: value})? Then the editor must start afresh (a new key) or its edit would win over the demo;
    otherwise it keeps its key and only its data changes (a remount is slower in the browser)."""
    edited = {column for row in edited_rows.values() for column in row}
    return bool(edited) and (not changes or bool(edited & set(changes)))


# ---- "direct" mode: the editor's table and its checks ----


def gates_frame(gates: Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """One row per unit, one column per cell input (``CELL_INPUTS``)."""
    rows = [f"unit {k + 1}" for k in range(len(gates["forget"]))]
    return matrix_frame(np.column_stack([gates[n] for n in CELL_INPUTS]), rows, CELL_INPUTS)


def read_gates(parsed: Parsed) -> dict[str, tuple[float, ...]]:
    """The direct editor's numbers by column name, as tuples (what ``lab_gates`` holds)."""
    if not parsed.ok:
        raise ValueError(f"{parsed.label}: the table has unusable cells")
    if parsed.array.shape[1] != len(CELL_INPUTS):
        raise ValueError(f"expected {len(CELL_INPUTS)} columns, got {parsed.array.shape[1]}")
    return {n: tuple(float(v) for v in col) for n, col in zip(CELL_INPUTS, parsed.array.T, strict=True)}


def range_warnings(values: Mapping[str, Sequence[float]], notation: Notation) -> list[str]:
    """A message for every gate with a value its squashing function can never produce."""
    out = []
    for name, (lo, hi) in GATE_RANGES.items():
        v = np.asarray(values[name], dtype=float)
        if ((v < lo) | (v > hi)).any():
            out.append(
                f"{notation.name(name)} {notation.symbol_plain(name)} has value(s) outside {lo:g} … {hi:g}, "
                f"which {'σ' if lo == 0 else 'tanh'} can never produce. Computed anyway."
            )
    return out


def saturation_notes(
    result: LabResult, notation: Notation, pre: Mapping[str, np.ndarray] | None = None
) -> list[str]:
    """What the numbers shown do at the edges, checked on them: a gate whose pre-activation z is so large
    that σ(z) is 0 or 1 to six decimals (``pre``: from weights), and a cell state so large that
    tanh(C_t) is ±1, so that h_t = ±o_t whatever C_t's size."""
    out = []
    for gate, z in (pre or {}).items():
        stuck = np.abs(np.asarray(z)) > 14.0  # σ(14) = 1 − 8e-7, tanh(14) = 1 − 1e-12
        if stuck.any():
            units = ", ".join(str(k + 1) for k in np.flatnonzero(stuck))
            out.append(
                f"{notation.name(gate)} {notation.symbol_plain(gate)}: its input z is beyond ±14 at unit(s) "
                f"{units} (largest |z| = {np.abs(z).max():.3g}), so it sits at "
                f"{'0 or 1' if gate != 'candidate' else '−1 or +1'} and a small change of the weights "
                "does not move it."
            )
    cell = np.asarray(result.update.cell)
    flat = np.abs(cell) > 8.0  # tanh(8) = 1 − 2e-7
    if flat.any():
        units = ", ".join(str(k + 1) for k in np.flatnonzero(flat))
        out.append(
            f"{notation.name('cell')} {notation.symbol_plain('cell')} is beyond ±8 at unit(s) {units} "
            f"(largest {np.abs(cell).max():.3g}): tanh of it is ±1, so "
            f"{notation.symbol_plain('hidden')} = ±{notation.symbol_plain('output')} there, however large "
            "it is."
        )
    return out


# ---- "from weights" mode: editors in, gates out ----


def params_from_lists(lists: Mapping[str, Sequence]) -> LSTMParams:
    """``lab_params`` (lists under PyTorch's names) as parameters."""
    return LSTMParams(**{k: np.asarray(v, dtype=float) for k, v in lists.items()})


def params_to_lists(params: LSTMParams) -> dict[str, list]:
    return {k: v.tolist() for k, v in params.to_torch().items()}


def vector_frames(vectors: Mapping[str, Sequence[float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two editors of "from weights" mode: x_t (D rows) and [h_{t-1}, C_{t-1}] (one row per unit)."""
    x = vector_frame(vectors["x"], [f"x{k + 1}" for k in range(len(vectors["x"]))])
    units = [f"unit {k + 1}" for k in range(len(vectors["cell_prev"]))]
    states = matrix_frame(np.column_stack([vectors[n] for n in STATE_COLUMNS]), units, STATE_COLUMNS)
    return x, states


def read_vectors(px: Parsed, states: Parsed) -> dict[str, tuple[float, ...]]:
    """x_t, h_{t-1}, C_{t-1} read back from the two editors (what ``lab_vectors`` holds)."""
    if not (px.ok and states.ok):
        raise ValueError("the input or state table has unusable cells")
    return {
        "x": tuple(float(v) for v in px.array[:, 0]),
        "hidden_prev": tuple(float(v) for v in states.array[:, 0]),
        "cell_prev": tuple(float(v) for v in states.array[:, 1]),
    }


def compute_gates(params: LSTMParams, vectors: Mapping[str, Sequence[float]]) -> dict[str, np.ndarray]:
    """C_{t-1}, the four gates and their pre-activations (``pre_<gate>``) that ``lstm_step`` computes
    from ``params`` and the vectors, each (H,)."""
    step = lstm_step(params, vectors["x"], vectors["hidden_prev"], vectors["cell_prev"])  # (1, H) each
    return {
        "cell_prev": np.asarray(vectors["cell_prev"], dtype=float),
        **{g: getattr(step, g)[0] for g in GATE_ORDER},
        **{f"pre_{g}": getattr(step, f"pre_{g}")[0] for g in GATE_ORDER},
    }


def _frozen(arrays: Mapping[str, Sequence]) -> tuple:
    """A mapping of numbers as ``((name, shape, flat values), …)``: a cheap, exact cache key."""
    return tuple(
        (k, a.shape, tuple(a.ravel().tolist()))
        for k, a in ((k, np.asarray(v, dtype=float)) for k, v in arrays.items())
    )


def _thawed(key: tuple) -> dict[str, np.ndarray]:
    return {k: np.asarray(flat, dtype=float).reshape(shape) for k, shape, flat in key}


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_gates(params_key: tuple, vectors_key: tuple) -> dict[str, np.ndarray]:
    return compute_gates(LSTMParams(**_thawed(params_key)), _thawed(vectors_key))


def gates_from_weights(params: LSTMParams, vectors: Mapping[str, Sequence[float]]) -> dict[str, np.ndarray]:
    """Cached ``compute_gates``."""
    return _cached_gates(_frozen(params.to_torch()), _frozen(vectors))


# ---- the update both modes end in ----


def compute_update(values: Mapping[str, Sequence[float]]) -> LabResult:
    """The cell state updated twice through the core: C^f = f * C_{t-1}, C^i = i * C̃, C_t, h_t."""
    missing = [n for n in CELL_INPUTS if n not in values]
    if missing:
        raise ValueError(f"the cell update needs {', '.join(missing)}")
    v = {n: np.asarray(values[n], dtype=float) for n in CELL_INPUTS}  # (H,) each
    shapes = {a.shape for a in v.values()}
    if len(shapes) != 1 or v["cell_prev"].ndim != 1 or v["cell_prev"].size == 0:
        raise ValueError(f"every cell input must be one vector of the same length, got {sorted(shapes)}")
    if not all(np.isfinite(a).all() for a in v.values()):
        raise ValueError("every cell input must be a finite number")
    update = cell_update(v["cell_prev"], v["forget"], v["input"], v["candidate"], v["output"])
    return LabResult(v, update)


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_update(key: tuple) -> LabResult:
    return compute_update(_thawed(key))


def lab_update(values: Mapping[str, Sequence[float]]) -> LabResult:
    """Cached ``compute_update``."""
    return _cached_update(_frozen({n: values[n] for n in CELL_INPUTS}))
