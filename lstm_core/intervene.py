r"""Gates set by hand: "what if the forget gate of unit j had stayed open at step t?"

A ``Clamp(gate, unit, step, value)`` replaces one gate of one unit at one step: the forget, input or
output gate (a σ gate: 0 … 1) or the candidate C̃ (a tanh: −1 … 1); ``unit`` and ``step`` are 0-based.
``lstm_core.run_lstm(params, xs, clamps=[...])`` applies them with one line of its loop
(``set_by_hand``): at step t it computes the gates from the weights as always, then sets the clamped
entries, and the cell runs on from there. So nothing before the earliest clamped step changes, and the
pre-activations stay what the weights computed: a clamped gate is the one place where the gate is not
σ(z) (or tanh(z)). Several clamps apply together, in any order. In a batch, a clamp sets its unit in
every sequence.

A run with clamps returns a ``ClampedTrace``: the ``LSTMTrace`` of that run, which records the clamps
applied (``clamps``, sorted by step, unit and gate). This module uses NumPy only and is pure: the same
inputs give the same trace, and nothing is changed in place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

import numpy as np

from lstm_core.trace import LSTMTrace

# The values each settable gate can take: a σ gate is a fraction, the candidate a tanh.
GATE_RANGES = {"forget": (0.0, 1.0), "input": (0.0, 1.0), "candidate": (-1.0, 1.0), "output": (0.0, 1.0)}


@dataclass(frozen=True)
class Clamp:
    """Gate ``gate`` of unit ``unit`` at step ``step`` (both 0-based) is ``value``, whatever the weights
    say. ``ValueError`` with the reason for a gate that is not one of ``GATE_RANGES``, a negative
    position, or a value that is not a number in the gate's range."""

    gate: str
    unit: int
    step: int
    value: float

    def __post_init__(self) -> None:
        if self.gate not in GATE_RANGES:
            raise ValueError(f"{self.gate!r} is not a gate that can be set; use {', '.join(GATE_RANGES)}")
        for name in ("unit", "step"):
            position = getattr(self, name)
            if isinstance(position, bool) or not isinstance(position, int | np.integer) or position < 0:
                raise ValueError(f"the {name} of a clamp is a whole number, 0 or more; got {position!r}")
        try:
            value = float(self.value)
        except (TypeError, ValueError):
            raise ValueError(f"the value of a clamp must be a number; got {self.value!r}") from None
        lo, hi = GATE_RANGES[self.gate]
        if not math.isfinite(value) or not lo <= value <= hi:
            raise ValueError(f"the {self.gate} gate takes values from {lo:g} to {hi:g}; got {self.value!r}")
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "unit", int(self.unit))
        object.__setattr__(self, "step", int(self.step))

    @property
    def where(self) -> tuple[int, int, str]:
        """(step, unit, gate): what the clamp sets, and the order clamps are listed in."""
        return self.step, self.unit, self.gate


def clamps_by_step(clamps: Iterable[Clamp], steps: int, units: int) -> dict[int, tuple[Clamp, ...]]:
    """The clamps grouped by step, checked against a run of ``steps`` steps of ``units`` units:
    ``ValueError`` for a step or unit outside the run, or two clamps setting the same gate."""
    out: dict[int, list[Clamp]] = {}
    seen: set[tuple[int, int, str]] = set()
    for clamp in clamps:
        if not isinstance(clamp, Clamp):
            raise ValueError(f"clamps must be Clamp objects; got {type(clamp).__name__}")
        if clamp.step >= steps:
            raise ValueError(f"a clamp at step {clamp.step} is outside the run (steps 0 … {steps - 1})")
        if clamp.unit >= units:
            raise ValueError(f"a clamp of unit {clamp.unit} is outside the cell (units 0 … {units - 1})")
        if clamp.where in seen:
            raise ValueError(f"two clamps set the {clamp.gate} of unit {clamp.unit} at step {clamp.step}")
        seen.add(clamp.where)
        out.setdefault(clamp.step, []).append(clamp)
    return {step: tuple(here) for step, here in out.items()}


def set_by_hand(
    here: tuple[Clamp, ...], f: np.ndarray, i: np.ndarray, g: np.ndarray, o: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The gates f, i, C̃, o of one step (B, H) with the entries ``here`` clamps set: new arrays where a
    clamp changes them, the same arrays where none does."""
    if not here:
        return f, i, g, o
    gates = {"forget": f, "input": i, "candidate": g, "output": o}
    for name in {clamp.gate for clamp in here}:
        gates[name] = gates[name].copy()
    for clamp in here:
        gates[clamp.gate][..., clamp.unit] = clamp.value
    return gates["forget"], gates["input"], gates["candidate"], gates["output"]


@dataclass(frozen=True, eq=False)
class ClampedTrace(LSTMTrace):
    """The trace of a run with gates set by hand: every value of ``LSTMTrace``, and the clamps applied."""

    clamps: tuple[Clamp, ...] = ()

    def at(self, t: int) -> dict[str, np.ndarray]:
        """Every per-step value at step ``t``, as ``LSTMTrace.at`` (the clamps are ``self.clamps``)."""
        return LSTMTrace.at(without_clamps(self), t)


def without_clamps(trace: LSTMTrace) -> LSTMTrace:
    """The plain ``LSTMTrace`` of the same arrays (the record of clamps left out)."""
    return LSTMTrace(**{f.name: getattr(trace, f.name) for f in fields(LSTMTrace)})


def with_clamps(trace: LSTMTrace, by_step: Mapping[int, tuple[Clamp, ...]]) -> LSTMTrace:
    """``trace`` recording the clamps ``by_step`` holds (a ``ClampedTrace``), or ``trace`` itself when
    there are none."""
    applied = tuple(sorted((c for here in by_step.values() for c in here), key=lambda c: c.where))
    if not applied:
        return trace
    return ClampedTrace(**{f.name: getattr(trace, f.name) for f in fields(LSTMTrace)}, clamps=applied)
