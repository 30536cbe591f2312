"""What every cell's forward pass shares: input checks, weight preparation, the frozen trace, and the
optional caller-owned :class:`Workspace` that lets a training loop reuse its large arrays."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from math import prod
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


class Workspace:
    """Scratch buffers a training loop creates once and passes explicitly to every step.

    ``run_lstm(..., workspace=ws)`` and ``lstm_backward(..., workspace=ws)`` (likewise the GRU and RNN,
    and ``loss_and_grads``) then write their large per-step arrays into buffers of ``ws`` instead of
    fresh memory: fresh multi-megabyte arrays every step cost thousands of page faults. The numbers are
    bit-identical to a call without a workspace.

    **Warning.** A trace or ``Backward`` computed into a workspace holds *views* of its buffers: the next
    call with the same workspace overwrites them. Use the result before the next call (as one training
    step does with its trace), copy what must outlive it, and never pass a workspace where results are
    kept (the app's pages never do). One workspace serves one thread at a time.

    Each named buffer grows to the largest size asked for and is reused, as a prefix, for anything
    smaller, so batches of different T or B (padded batches, a smaller last batch) share it.

    ``threads`` = 2 also gives the workspace one helper thread (started on first use, ended when the
    workspace is dropped or :meth:`close` d): ``lstm_backward`` hands it the weight-gradient GEMMs of the
    timesteps already done while it walks on through the sequential loop (BLAS releases the GIL), so a
    step uses two cores even with ``OPENBLAS_NUM_THREADS=1``. The partial sums are added in the same
    order either way: the numbers are bit-identical to ``threads`` = 1.
    """

    __slots__ = ("_buffers", "_pool", "_threads")

    def __init__(self, threads: int = 1) -> None:
        if int(threads) != threads or not 1 <= threads <= 2:
            raise ValueError(f"threads must be 1 or 2; got {threads!r}")
        self._buffers: dict[tuple[str, str], np.ndarray] = {}  # (name, dtype) → flat buffer
        self._pool: ThreadPoolExecutor | None = None
        self._threads = int(threads)

    @property
    def threads(self) -> int:
        """1, or 2 with a helper thread."""
        return self._threads

    def helper(self) -> ThreadPoolExecutor | None:
        """The helper thread's executor (``threads`` = 2), or None."""
        if self._threads == 1:
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="lstm_core-workspace")
        return self._pool

    def close(self) -> None:
        """End the helper thread, if any (the buffers stay usable; a later call starts a new one)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def array(self, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        """An uninitialised C-contiguous array of ``shape`` and ``dtype`` in the buffer ``name``."""
        size = prod(shape)
        key = (name, np.dtype(dtype).str)
        buf = self._buffers.get(key)
        if buf is None or buf.size < size:
            buf = np.empty(size, dtype=dtype)
            self._buffers[key] = buf
        return buf[:size].reshape(shape)

    @property
    def nbytes(self) -> int:
        """Bytes held by all buffers."""
        return sum(b.nbytes for b in self._buffers.values())


def scratch(workspace: Workspace | None, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """``np.empty(shape, dtype)``, or the buffer ``name`` of ``workspace`` when one is given."""
    if workspace is None:
        return np.empty(shape, dtype=dtype)
    if not isinstance(workspace, Workspace):
        raise ValueError(f"workspace must be a lstm_core Workspace or None; got {type(workspace).__name__}")
    return workspace.array(name, shape, dtype)


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


def prepare_stacked_weights(params: CellParams, order: tuple[str, ...], n_sigmoid: int) -> np.ndarray:
    """W = [W_hh | W_ih | b_ih + b_hh] (G*H, H + D + 1), gate blocks in ``order``, for the feature-major loop.

    With the stacked column u_t = [h_{t-1}; x_t; 1] (H + D + 1, B) one GEMM gives every pre-activation of a
    step: z_t = W u_t (G*H, B). The first ``n_sigmoid`` blocks are scaled by 1/2 (exactly) so that one
    ``tanh`` gives σ(z) = (1 + tanh(z/2)) / 2 for them.
    """
    H = params.hidden_size
    idx = (np.array([params.GATES.index(name) for name in order])[:, None] * H + np.arange(H)).ravel()
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


def finish_trace_fm(cls: type[TraceT], batched: bool, **arrays: np.ndarray) -> TraceT:
    """Like :func:`finish_trace` for feature-major buffers: per-step (T, ·, B) and states (·, B)."""
    out = {}
    for name, arr in arrays.items():
        if arr.ndim == 3:  # (T, ·, B)
            view = arr.transpose(2, 0, 1) if batched else arr[:, :, 0]
        else:  # (·, B)
            view = arr.T if batched else arr[:, 0]
        out[name] = _read_only(view)
    return cls(**out)
