r"""The traces: every value a forward pass computed, by name, frozen and read-only.

The reference cells (``lstm.py``, ``gru.py``, ``rnn.py``) and the training path (``lstm_core.fast``)
return the same classes with the same fields and the same numbers, to rounding
(``tests/test_fast_equals_reference.py``).
Per-step arrays are (T, H) for one sequence, or (B, T, H) for a batch of B sequences; ``xs`` is (T, D) or
(B, T, D); the initial states are (H,) or (B, H). The symbols are those of each cell's module docstring.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar, TypeVar

import numpy as np


@dataclass(frozen=True, eq=False)
class Trace:
    """What every cell's trace holds: the inputs, h_0 and the hidden states h_t."""

    xs: np.ndarray  # x_t, (T, D) or (B, T, D)
    h0: np.ndarray  # h_0, (H,) or (B, H)
    hidden: np.ndarray  # h_t

    GATE_NAMES: ClassVar[tuple[str, ...]] = ()
    STATE_NAMES: ClassVar[tuple[str, ...]] = ("hidden",)

    @property
    def batched(self) -> bool:
        return self.hidden.ndim == 3

    @property
    def steps(self) -> int:
        """T, the number of timesteps."""
        return int(self.hidden.shape[-2])

    @property
    def hidden_size(self) -> int:
        return int(self.hidden.shape[-1])

    @property
    def hidden_prev(self) -> np.ndarray:
        """h_{t-1} for every t: h_0 followed by h_1 … h_{T-1}."""
        return _shift_in(self.h0, self.hidden)

    def per_step(self) -> dict[str, np.ndarray]:
        """The gates, then the states, by name (the heatmaps' rows and the export's columns)."""
        return {name: getattr(self, name) for name in (*self.GATE_NAMES, *self.STATE_NAMES)}

    def at(self, t: int) -> dict[str, np.ndarray]:
        """Every per-step value (and x_t as ``xs``) at step ``t`` of one sequence, by name."""
        if self.batched:
            raise ValueError("at() reads one sequence; index the batch first")
        if not -self.steps <= t < self.steps:
            raise ValueError(f"step {t} is outside the sequence (0 … {self.steps - 1})")
        return {f.name: getattr(self, f.name)[t] for f in fields(self) if getattr(self, f.name).ndim == 2}


@dataclass(frozen=True, eq=False)
class LSTMTrace(Trace):
    """Every value an LSTM computed (equations: ``lstm_core/lstm.py``)."""

    c0: np.ndarray  # C_0, (H,) or (B, H)
    pre_forget: np.ndarray  # z^f_t = W_if x_t + b_if + W_hf h_{t-1} + b_hf
    pre_input: np.ndarray  # z^i_t
    pre_candidate: np.ndarray  # z^g_t
    pre_output: np.ndarray  # z^o_t
    forget: np.ndarray  # f_t = σ(z^f_t)
    input: np.ndarray  # i_t = σ(z^i_t)
    candidate: np.ndarray  # C̃_t = tanh(z^g_t)
    output: np.ndarray  # o_t = σ(z^o_t)
    forget_part: np.ndarray  # C^f_t = f_t * C_{t-1}
    input_part: np.ndarray  # C^i_t = i_t * C̃_t
    cell: np.ndarray  # C_t = C^f_t + C^i_t
    cell_tanh: np.ndarray  # tanh(C_t); h_t = o_t * tanh(C_t)

    GATE_NAMES = ("forget", "input", "candidate", "output")
    STATE_NAMES = ("cell", "hidden")

    @property
    def cell_prev(self) -> np.ndarray:
        """C_{t-1} for every t: C_0 followed by C_1 … C_{T-1}."""
        return _shift_in(self.c0, self.cell)


@dataclass(frozen=True, eq=False)
class GRUTrace(Trace):
    """Every value a GRU computed (equations: ``lstm_core/gru.py``)."""

    reset_from_x: np.ndarray  # W_ir x_t + b_ir
    reset_from_h: np.ndarray  # W_hr h_{t-1} + b_hr
    update_from_x: np.ndarray  # W_iz x_t + b_iz
    update_from_h: np.ndarray  # W_hz h_{t-1} + b_hz
    candidate_from_x: np.ndarray  # W_in x_t + b_in
    candidate_from_h: np.ndarray  # W_hn h_{t-1} + b_hn (r_t scales it, bias included)
    reset: np.ndarray  # r_t
    update: np.ndarray  # z_t
    candidate: np.ndarray  # n_t

    GATE_NAMES = ("reset", "update", "candidate")
    STATE_NAMES = ("hidden",)


@dataclass(frozen=True, eq=False)
class RNNTrace(Trace):
    """Every value a plain RNN computed (equations: ``lstm_core/rnn.py``)."""

    from_h: np.ndarray  # W_hh h_{t-1}
    from_x: np.ndarray  # W_ih x_t (the lectures' W_xh x_t)
    bias: np.ndarray  # b = b_ih + b_hh, the same at every step (a read-only broadcast view)
    pre_hidden: np.ndarray  # z_t = W_hh h_{t-1} + W_ih x_t + b

    STATE_NAMES = ("hidden",)


def _shift_in(first: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """``first`` followed by all but the last step of ``seq``, along the time axis."""
    axis = seq.ndim - 2
    return np.concatenate([np.expand_dims(first, axis), np.delete(seq, -1, axis=axis)], axis=axis)


TraceT = TypeVar("TraceT", bound=Trace)


def read_only(arr: np.ndarray) -> np.ndarray:
    arr.setflags(write=False)
    return arr


def finish_trace(cls: type[TraceT], batched: bool, **arrays: np.ndarray) -> TraceT:
    """Wrap time-major arrays (T, B, ·) and states (B, ·) into ``cls``, in the caller's orientation
    ((T, ·) and (·,) for one sequence, (B, T, ·) and (B, ·) for a batch), read-only."""
    out = {}
    for name, arr in arrays.items():
        if arr.ndim == 3:  # (T, B, ·)
            view = arr.transpose(1, 0, 2) if batched else arr[:, 0, :]
        else:  # (B, ·)
            view = arr if batched else arr[0]
        out[name] = read_only(view)
    return cls(**out)
