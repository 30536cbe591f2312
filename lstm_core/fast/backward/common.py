"""What the three backward passes share: the result type, input checks and layout helpers.

Internally the GRU and RNN passes are time-major, (T, B, ·), the LSTM pass feature-major, (T, ·, B),
each like its forward pass's buffers; results are handed back in the trace's orientation ((T, ·) for one
sequence, (B, T, ·) for a batch) as read-only views.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from lstm_core.params import CellParams
from lstm_core.trace import Trace
from lstm_core.validate import as_float_array


@dataclass(frozen=True, eq=False)
class Backward:
    """Gradients of one backward pass. Arrays are read-only, in the trace's orientation."""

    grads: CellParams  # ∂loss/∂weight_ih, weight_hh, bias_ih, bias_hh (PyTorch layout)
    d_xs: np.ndarray | None  # ∂loss/∂x_t, like trace.xs: (T, D) or (B, T, D); None if not asked for
    d_h0: np.ndarray  # ∂loss/∂h_0, (H,) or (B, H)
    d_c0: np.ndarray | None  # ∂loss/∂C_0 (LSTM only)
    d_hidden_total: np.ndarray  # dh_t = ∂loss/∂h_t through every path, (T, H) or (B, T, H)
    d_cell_total: np.ndarray | None  # dc_t = ∂loss/∂C_t through every path (LSTM only)

    def __iter__(self) -> Iterator[object]:
        """``grads, d_xs = lstm_backward(...)``."""
        yield self.grads
        yield self.d_xs


def check_pair(params: CellParams, kind: type, trace: Trace, trace_kind: type, name: str) -> None:
    """The parameters and trace have the right types and come from the same cell sizes."""
    if not isinstance(params, kind):
        raise ValueError(f"{name} needs {kind.__name__}; got {type(params).__name__}")
    if not isinstance(trace, trace_kind):
        got = type(trace).__name__
        raise ValueError(f"{name} needs the {trace_kind.__name__} of a forward pass; got {got}")
    if trace.hidden_size != params.hidden_size or trace.xs.shape[-1] != params.input_size:
        raise ValueError(
            f"the trace (H = {trace.hidden_size}, D = {trace.xs.shape[-1]}) does not come from these "
            f"parameters (H = {params.hidden_size}, D = {params.input_size})"
        )


def upstream(value: object, name: str, shape: tuple[int, ...], formula: str, dtype: np.dtype) -> np.ndarray:
    """An upstream gradient as a finite float array of exactly ``shape``."""
    arr = as_float_array(value, name, dtype)
    if arr.shape != shape:
        raise ValueError(f"{name} must have the shape of {formula} = {shape}; got {arr.shape}")
    return arr


def time_major(arr: np.ndarray, batched: bool, dtype: np.dtype) -> np.ndarray:
    """(T, ·) or (B, T, ·) in the caller's orientation → a (T, B, ·) view (a copy only to cast)."""
    arr = np.asarray(arr, dtype=dtype)
    return arr.transpose(1, 0, 2) if batched else arr[:, None, :]


def as_batch(arr: np.ndarray, batched: bool, dtype: np.dtype) -> np.ndarray:
    """A state (H,) or (B, H) → (B, H)."""
    arr = np.asarray(arr, dtype=dtype)
    return arr if batched else arr[None, :]


def to_caller(arr: np.ndarray, batched: bool) -> np.ndarray:
    """Time-major (T, B, ·) or state (B, ·) → the caller's orientation, read-only."""
    if arr.ndim == 3:
        view = arr.transpose(1, 0, 2) if batched else arr[:, 0, :]
    else:
        view = arr if batched else arr[0]
    view.setflags(write=False)
    return view


def prepare(params: CellParams, trace: Trace, d_hidden: object) -> tuple:
    """dtype, batched, δh (T, B, H), x (T, B, D), h_t (T, B, H), h_0 (B, H); all in ``params.dtype``."""
    dt = params.dtype
    batched = trace.batched
    dh_in = upstream(d_hidden, "d_hidden", trace.hidden.shape, "trace.hidden", dt)
    x = time_major(trace.xs, batched, dt)
    hidden = time_major(trace.hidden, batched, dt)
    return dt, batched, time_major(dh_in, batched, dt), x, hidden, as_batch(trace.h0, batched, dt)


def feature_major(arr: np.ndarray, batched: bool, dtype: np.dtype) -> np.ndarray:
    """(T, ·) or (B, T, ·) in the caller's orientation → a feature-major (T, ·, B) view (a copy only to cast);
    a state (H,) or (B, H) → (H, B)."""
    arr = np.asarray(arr, dtype=dtype)
    if arr.ndim == 3 or (arr.ndim == 2 and not batched):  # per-step arrays
        return arr.transpose(1, 2, 0) if batched else arr[:, :, None]
    return arr.T if batched else arr[:, None]


def _owner(arr: np.ndarray) -> object:
    """The object that owns ``arr``'s memory (the end of its chain of ``base``s)."""
    while getattr(arr, "base", None) is not None:
        arr = arr.base
    return arr


def _address(arr: np.ndarray) -> int:
    return arr.__array_interface__["data"][0]


def joined(views: Sequence[np.ndarray], axis: int) -> np.ndarray:
    """``np.concatenate(views, axis)``, as a read-only view when the views already lie side by side.

    The forward pass keeps what the backward pass reads together (the gates as neighbouring blocks of
    one (T, 4H, B) buffer; h_0, h_1 … and x_t as blocks of one (T + 1, H + D + 1, B) buffer). When the
    views are consecutive blocks along ``axis`` of one buffer, with the same strides, this returns a
    view of that buffer (no copy); otherwise a concatenated copy.
    """
    views = [v for v in views if v.size]
    ref = max(views, key=lambda v: v.shape[axis])  # its stride along ``axis`` is the step between rows
    owner = _owner(views[0])
    if ref.shape[axis] > 1 and isinstance(owner, np.ndarray):
        step, start, offset = ref.strides[axis], _address(views[0]), 0
        for v in views:
            if v.dtype != ref.dtype or _owner(v) is not owner or _address(v) != start + offset * step:
                break
            if v.shape[axis] > 1 and v.strides[axis] != step:
                break
            if any(
                a != axis and (n != ref.shape[a] or (n > 1 and st != ref.strides[a]))
                for a, (n, st) in enumerate(zip(v.shape, v.strides, strict=True))
            ):
                break
            offset += v.shape[axis]
        else:
            shape = (*ref.shape[:axis], offset, *ref.shape[axis + 1 :])
            try:  # the constructor also checks that the view stays inside ``owner``
                out = np.ndarray(shape, ref.dtype, owner, start - _address(owner), ref.strides)
            except (TypeError, ValueError):
                return np.concatenate(views, axis=axis)
            out.flags.writeable = False
            return out
    return np.concatenate(views, axis=axis)


def weight_grads(dz: np.ndarray, x: np.ndarray, hidden: np.ndarray, h0: np.ndarray) -> tuple:
    """dW_ih = Σ_t dz_tᵀ x_t (G·H, D), dW_hh = Σ_t dz_tᵀ h_{t-1} (G·H, H), db = Σ dz (G·H,): one GEMM each."""
    T, B, GH = dz.shape
    dz2 = dz.reshape(T * B, GH)  # (T·B, G·H)
    dw_ih = np.dot(dz2.T, x.reshape(T * B, -1))  # (G·H, D)
    dw_hh = np.dot(dz[0].T, h0)  # (G·H, H): step 0 meets h_0
    if T > 1:
        dw_hh += np.dot(dz2[B:].T, hidden[:-1].reshape((T - 1) * B, -1))  # steps 1… meet h_1 … h_{T-1}
    db = np.dot(np.ones(T * B, dtype=dz.dtype), dz2)  # (G·H,)
    return dw_ih, dw_hh, db


def finish(
    kind: type,
    batched: bool,
    grads: tuple,
    d_x: np.ndarray | None,
    d_h0: np.ndarray,
    dht: np.ndarray,
    d_c0: np.ndarray | None = None,
    dct: np.ndarray | None = None,
) -> Backward:
    """Wrap time-major results into a :class:`Backward` in the caller's orientation."""
    return Backward(
        grads=kind(*grads),
        d_xs=None if d_x is None else to_caller(d_x, batched),
        d_h0=to_caller(d_h0, batched),
        d_c0=None if d_c0 is None else to_caller(d_c0, batched),
        d_hidden_total=to_caller(dht, batched),
        d_cell_total=None if dct is None else to_caller(dct, batched),
    )
