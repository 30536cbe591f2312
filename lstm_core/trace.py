"""What every cell's forward pass shares: input checks, weight preparation and the frozen trace."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar, TypeVar

import numpy as np

from lstm_core.params import CellParams
from lstm_core.validate import check_sequence, check_state


@dataclass(frozen=True, eq=False)
class Trace:
    """Base of the per-cell traces. Per-step arrays are (T, H), or (B, T, H) for a batch; read-only."""

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
        axis = self.hidden.ndim - 2
        first = np.expand_dims(self.h0, axis)
        return np.concatenate([first, np.delete(self.hidden, -1, axis=axis)], axis=axis)

    def per_step(self) -> dict[str, np.ndarray]:
        """Every (T, H) array by name, gates first then states (for heatmaps and export)."""
        return {name: getattr(self, name) for name in (*self.GATE_NAMES, *self.STATE_NAMES)}

    def at(self, t: int) -> dict[str, np.ndarray]:
        """The values at step ``t`` (one sequence only), by name."""
        if self.batched:
            raise ValueError("at() reads one sequence; index the batch first")
        if not -self.steps <= t < self.steps:
            raise ValueError(f"step {t} is outside the sequence (0 … {self.steps - 1})")
        return {f.name: getattr(self, f.name)[t] for f in fields(self) if getattr(self, f.name).ndim == 2}


TraceT = TypeVar("TraceT", bound=Trace)


def prepare_inputs(
    params: CellParams, xs: object, states: tuple[object | None, ...], names: tuple[str, ...]
) -> tuple[np.ndarray, ...]:
    """Check ``xs`` and the initial states; return time-major x (T, B, D), each state (B, H), batched."""
    x, batched = check_sequence(xs, params.input_size, params.dtype)
    B = x.shape[1]
    prepared = [
        check_state(s, n, B, params.hidden_size, batched, params.dtype)
        for s, n in zip(states, names, strict=True)
    ]
    return (x, *prepared, batched)


def prepare_weights(
    params: CellParams, order: tuple[str, ...], n_sigmoid: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Transposed, reordered weights for the fused loop: w_x (D, G*H), w_h (H, G*H), b_x, b_h (G*H,).

    Gate blocks follow ``order``; the first ``n_sigmoid`` blocks are scaled by 1/2 so that one
    ``tanh`` gives σ(z) = (1 + tanh(z/2)) / 2 for them.
    """
    H = params.hidden_size
    # One fancy index picks and reorders the gate blocks; sigmoid blocks are halved in the same pass.
    idx = (np.array([params.GATES.index(name) for name in order])[:, None] * H + np.arange(H)).ravel()
    scale = np.ones(len(order) * H, dtype=params.dtype)  # (G*H,)
    scale[: n_sigmoid * H] = 0.5
    w_x = np.ascontiguousarray((params.weight_ih[idx] * scale[:, None]).T)  # (D, G*H)
    w_h = np.ascontiguousarray((params.weight_hh[idx] * scale[:, None]).T)  # (H, G*H)
    return w_x, w_h, params.bias_ih[idx] * scale, params.bias_hh[idx] * scale


def _read_only(arr: np.ndarray) -> np.ndarray:
    arr.setflags(write=False)
    return arr


def finish_trace(cls: type[TraceT], batched: bool, **arrays: np.ndarray) -> TraceT:
    """Wrap time-major buffers (T, B, ·) and states (B, ·) into ``cls``, in the caller's orientation."""
    out = {}
    for name, arr in arrays.items():
        if arr.ndim == 3:  # (T, B, ·)
            view = arr.transpose(1, 0, 2) if batched else arr[:, 0, :]
        else:  # (B, ·)
            view = arr if batched else arr[0]
        out[name] = _read_only(view)
    return cls(**out)
