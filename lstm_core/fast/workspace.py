"""The caller-owned :class:`Workspace`: scratch buffers (and an optional helper thread) that a training loop
creates once and passes to every step, so that the large per-step arrays are not allocated again."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from math import prod

import numpy as np


class Workspace:
    """Scratch buffers a training loop creates once and passes explicitly to every step.

    ``fast.run_lstm(..., workspace=ws)`` and ``lstm_backward(..., workspace=ws)`` (likewise the GRU and RNN,
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
