"""How the fast kernels lay out their weights and buffers, and how they hand buffers back as a trace.

Two tricks shared by the kernels, both exact:

- σ(z) = (1 + tanh(z/2)) / 2: the sigmoid gates' rows of the weights and biases are halved once per call,
  so that one ``tanh`` call serves the sigmoid and tanh gates of a step alike. Halving (a power of two) is
  exact, so those rows of a pre-activation buffer hold exactly z/2; doubled after the loop they are z.
- Weights are prepared (reordered, transposed, stacked) once per call, not per step.
"""

from __future__ import annotations

import numpy as np

from lstm_core.fast.workspace import Workspace, scratch
from lstm_core.params import CellParams
from lstm_core.trace import TraceT, read_only


def _rows(params: CellParams, order: tuple[str, ...]) -> np.ndarray:
    """Row indices of the gate blocks in ``order`` (one fancy index picks and reorders them)."""
    H = params.hidden_size
    return (np.array([params.GATES.index(name) for name in order])[:, None] * H + np.arange(H)).ravel()


def prepare_weights(
    params: CellParams, order: tuple[str, ...], n_sigmoid: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Transposed, reordered weights for a time-major loop: w_x (D, G*H), w_h (H, G*H), b_x, b_h (G*H,).

    Gate blocks follow ``order``; the first ``n_sigmoid`` blocks are halved (see the module docstring).
    """
    idx = _rows(params, order)
    scale = np.ones(len(order) * params.hidden_size, dtype=params.dtype)  # (G*H,)
    scale[: n_sigmoid * params.hidden_size] = 0.5
    w_x = np.ascontiguousarray((params.weight_ih[idx] * scale[:, None]).T)  # (D, G*H)
    w_h = np.ascontiguousarray((params.weight_hh[idx] * scale[:, None]).T)  # (H, G*H)
    return w_x, w_h, params.bias_ih[idx] * scale, params.bias_hh[idx] * scale


def prepare_stacked_weights(params: CellParams, order: tuple[str, ...], n_sigmoid: int) -> np.ndarray:
    """W = [W_hh | W_ih | b_ih + b_hh] (G*H, H + D + 1), gate blocks in ``order``, for a feature-major loop.

    With the stacked column u_t = [h_{t-1}; x_t; 1] (H + D + 1, B) one GEMM gives every pre-activation of a
    step: z_t = W u_t (G*H, B). The first ``n_sigmoid`` blocks are halved (see the module docstring).
    """
    H = params.hidden_size
    idx = _rows(params, order)
    w = np.empty((len(order) * H, H + params.input_size + 1), dtype=params.dtype)  # (G*H, H + D + 1)
    w[:, :H] = params.weight_hh[idx]
    w[:, H:-1] = params.weight_ih[idx]
    np.add(params.bias_ih[idx], params.bias_hh[idx], out=w[:, -1])
    w[: n_sigmoid * H] *= params.dtype.type(0.5)
    return w


def stacked_inputs(
    workspace: Workspace | None, name: str, x: np.ndarray, h_init: np.ndarray, H: int
) -> np.ndarray:
    """u (T + 1, H + D + 1, B): u[t] = [h_{t-1}; x_t; 1], h_0 filled in, h_t (t ≥ 1) left for the loop.

    ``x`` is time-major (T, B, D), ``h_init`` (B, H). Row block T holds only h_T (its x rows are zeros).
    """
    T, B, D = x.shape
    u = scratch(workspace, name, (T + 1, H + D + 1, B), x.dtype)
    np.copyto(u[0, :H], h_init.T)  # h_0
    np.copyto(u[:T, H : H + D], x.transpose(0, 2, 1))  # x_t
    u[T, H : H + D] = 0
    u[:, H + D] = 1
    return u


def finish_trace_fm(cls: type[TraceT], batched: bool, **arrays: np.ndarray) -> TraceT:
    """Wrap feature-major buffers, per-step (T, ·, B) and states (·, B), into ``cls`` in the caller's
    orientation ((T, ·) for one sequence, (B, T, ·) for a batch), read-only."""
    out = {}
    for name, arr in arrays.items():
        if arr.ndim == 3:  # (T, ·, B)
            view = arr.transpose(2, 0, 1) if batched else arr[:, :, 0]
        else:  # (·, B)
            view = arr.T if batched else arr[:, 0]
        out[name] = read_only(view)
    return cls(**out)
