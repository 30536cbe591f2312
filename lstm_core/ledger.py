r"""The memory ledger: where the cell state C_t came from, word by word.

Unrolling C_t = f_t * C_{t-1} + i_t * C̃_t back to the start splits it exactly into what each step wrote
and what is left of it at t, plus what is left of C_0:

    C_t = Σ_{s ≤ t} (Π_{s<r≤t} f_r) i_s C̃_s  +  (Π_{r≤t} f_r) C_0

Step s wrote i_s C̃_s (the trace's ``input_part``); every later forget gate f_r scaled it, entry by entry.
``memory_ledger(trace, t)`` returns these parts for one step t of any LSTM trace (the reference's or the
training path's, one sequence or a batch); they sum to the trace's C_t to rounding (1e-12,
``tests/test_ledger.py``). Steps are 0-based, as in the trace.

A part may be negative and parts may cancel, so a word's **share** of C_t is the size of its part among
the sizes of all parts: |part_s| / (Σ_r |part_r| + |C_0 part|), 0 … 1, summing to 1 for each unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.trace import LSTMTrace


@dataclass(frozen=True, eq=False)
class Ledger:
    """C_t of every unit split by the step that wrote it. Arrays are (t+1, H) and (H,) for one sequence,
    (B, t+1, H) and (B, H) for a batch."""

    step: int  # t, 0-based
    parts: np.ndarray  # parts[s] = (Π_{s<r≤t} f_r) i_s C̃_s: what step s wrote that is still in C_t
    initial: np.ndarray  # (Π_{r≤t} f_r) C_0: what is left of the initial cell state
    cell: np.ndarray  # C_t as the trace holds it

    def total(self) -> np.ndarray:
        """Σ_s parts[s] + initial: C_t again, to rounding."""
        return self.parts.sum(axis=-2) + self.initial

    def shares(self) -> tuple[np.ndarray, np.ndarray]:
        """(each step's share (like ``parts``), the initial state's share (like ``initial``)): the size of
        each part among the sizes of all parts, 0 … 1; 0 for a unit whose every part is 0."""
        sizes, initial = np.abs(self.parts), np.abs(self.initial)
        whole = sizes.sum(axis=-2) + initial
        safe = np.where(whole > 0, whole, 1.0)
        return sizes / np.expand_dims(safe, -2), initial / safe

    def main_writer(self) -> np.ndarray:
        """For each unit, the step whose part of C_t is largest in size (H,) or (B, H) (0-based)."""
        return np.argmax(np.abs(self.parts), axis=-2)


def memory_ledger(trace: LSTMTrace, t: int) -> Ledger:
    """The ledger of C_t (0-based ``t``; negative counts from the end) of an LSTM ``trace``."""
    if not isinstance(trace, LSTMTrace):
        raise ValueError(f"the memory ledger needs an LSTM trace; got {type(trace).__name__}")
    T = trace.steps
    if not -T <= t < T:
        raise ValueError(f"step {t} is outside the sequence (0 … {T - 1})")
    t = t % T
    forget = np.moveaxis(trace.forget, -2, 0)  # f_r (T, [B,] H): time first
    written = np.moveaxis(trace.input_part, -2, 0)  # i_s C̃_s (T, [B,] H)
    parts = np.empty_like(written[: t + 1])
    kept = np.ones_like(written[0])  # Π_{s<r≤t} f_r, from s = t down
    for s in range(t, -1, -1):
        parts[s] = kept * written[s]
        kept = kept * forget[s]
    return Ledger(t, np.moveaxis(parts, 0, -2), kept * trace.c0, trace.cell[..., t, :])
