r"""The GRU forward pass for training: the equations of ``lstm_core/gru.py`` with every step's operations
written into preallocated buffers. Same trace class, same fields, same numbers to rounding.

Time-major buffers (T, B, 3H), gate blocks r, z, n: the input parts W_i· x_t + b_i· of every step come from
one GEMM before the loop; per step one GEMM gives the three recurrent parts W_h· h_{t-1} + b_h·. The r and z
rows of the weights are halved so that one ``tanh`` gives σ via (1 + tanh(z/2)) / 2 (``layout.py``); those
rows of the two part buffers are doubled back (exactly) after the loop.
"""

from __future__ import annotations

import numpy as np

from lstm_core.fast.layout import prepare_weights
from lstm_core.fast.workspace import Workspace, scratch
from lstm_core.params import GRUParams
from lstm_core.trace import GRUTrace, finish_trace
from lstm_core.validate import check_inputs

_ORDER = ("reset", "update", "candidate")


def run_gru(
    params: GRUParams, xs: object, h0: object | None = None, *, workspace: Workspace | None = None
) -> GRUTrace:
    """``lstm_core.run_gru`` for training: ``xs`` (T, D) or (B, T, D), ``h0`` (H,) or (B, H).

    ``workspace``: as in ``fast.run_lstm``, the trace lives in its buffers (same numbers) and the next call
    with the same workspace overwrites it."""
    if not isinstance(params, GRUParams):
        raise ValueError(f"run_gru needs GRUParams; got {type(params).__name__}")
    x, h_init, batched = check_inputs(params, xs, (h0,), ("h0",))
    T, B, _ = x.shape
    H = params.hidden_size
    w_x, w_h, b_x, b_h = prepare_weights(params, _ORDER, n_sigmoid=2)

    from_x = scratch(workspace, "gru.from_x", (T, B, 3 * H), x.dtype)  # W_i· x_t + b_i· (r, z rows halved)
    np.dot(x.reshape(T * B, -1), w_x, out=from_x.reshape(T * B, 3 * H))
    from_x += b_x
    from_h = scratch(workspace, "gru.from_h", (T, B, 3 * H), x.dtype)  # W_h· h_{t-1} + b_h· (r, z halved)
    gates = scratch(workspace, "gru.gates", (T, B, 3 * H), x.dtype)  # r_t, z_t, n_t
    hidden = scratch(workspace, "gru.hidden", (T, B, H), x.dtype)  # h_t
    r_rec = np.empty((B, H), dtype=x.dtype)  # r_t * (W_hn h_{t-1} + b_hn), reused
    one, half = np.array(1.0, dtype=x.dtype), np.array(0.5, dtype=x.dtype)  # 0-d: cheaper than floats
    # Per-step views made once, in C (``list`` of an array), instead of slicing inside the loop.
    steps = zip(
        list(from_h),
        list(from_x[:, :, : 2 * H]),  # input parts of r, z
        list(from_h[:, :, : 2 * H]),  # recurrent parts of r, z
        list(from_x[:, :, 2 * H :]),  # W_in x_t + b_in
        list(from_h[:, :, 2 * H :]),  # W_hn h_{t-1} + b_hn
        list(gates[:, :, : 2 * H]),  # r_t, z_t
        list(gates[:, :, :H]),  # r_t
        list(gates[:, :, H : 2 * H]),  # z_t
        list(gates[:, :, 2 * H :]),  # n_t
        list(hidden),
        strict=True,
    )
    dot, tanh, add, sub, mul = np.dot, np.tanh, np.add, np.subtract, np.multiply
    h = h_init
    for rec, x_rz, h_rz, x_n, h_n, rz, r, z, n, h_t in steps:
        dot(h, w_h, out=rec)
        add(rec, b_h, out=rec)
        add(x_rz, h_rz, out=rz)
        tanh(rz, out=rz)
        add(rz, one, out=rz)
        mul(rz, half, out=rz)  # r_t, z_t = σ(...) via (1 + tanh(·/2)) / 2
        mul(r, h_n, out=r_rec)
        add(x_n, r_rec, out=n)
        tanh(n, out=n)  # n_t
        sub(h, n, out=h_t)
        mul(h_t, z, out=h_t)
        add(h_t, n, out=h_t)  # h_t = n_t + z_t * (h_{t-1} - n_t) = (1 - z_t) n_t + z_t h_{t-1}
        h = h_t
    two = x.dtype.type(2)
    from_x[..., : 2 * H] *= two  # the r, z rows held halves exactly: now the parts themselves
    from_h[..., : 2 * H] *= two

    def block(arr: np.ndarray, k: int) -> np.ndarray:
        return arr[..., k * H : (k + 1) * H]

    return finish_trace(
        GRUTrace,
        batched,
        xs=x,
        h0=h_init,
        reset_from_x=block(from_x, 0),
        reset_from_h=block(from_h, 0),
        update_from_x=block(from_x, 1),
        update_from_h=block(from_h, 1),
        candidate_from_x=block(from_x, 2),
        candidate_from_h=block(from_h, 2),
        reset=block(gates, 0),
        update=block(gates, 1),
        candidate=block(gates, 2),
        hidden=hidden,
    )
