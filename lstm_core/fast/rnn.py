r"""The plain RNN forward pass for training: the equations of ``lstm_core/rnn.py`` with every step's
operations written into preallocated buffers. Same trace class, same fields, same numbers to rounding.

Time-major buffers (T, B, H): W_ih x_t of every step comes from one GEMM before the loop, and z_t starts as
W_ih x_t + b; per step one GEMM gives W_hh h_{t-1}, one addition completes z_t and one ``tanh`` gives h_t.
"""

from __future__ import annotations

import numpy as np

from lstm_core.fast.layout import prepare_weights
from lstm_core.fast.workspace import Workspace, scratch
from lstm_core.params import RNNParams
from lstm_core.trace import RNNTrace, finish_trace
from lstm_core.validate import check_inputs


def run_rnn(
    params: RNNParams, xs: object, h0: object | None = None, *, workspace: Workspace | None = None
) -> RNNTrace:
    """``lstm_core.run_rnn`` for training: ``xs`` (T, D) or (B, T, D), ``h0`` (H,) or (B, H).

    ``workspace``: as in ``fast.run_lstm``, the trace lives in its buffers (same numbers) and the next call
    with the same workspace overwrites it."""
    if not isinstance(params, RNNParams):
        raise ValueError(f"run_rnn needs RNNParams; got {type(params).__name__}")
    x, h_init, batched = check_inputs(params, xs, (h0,), ("h0",))
    T, B, _ = x.shape
    H = params.hidden_size
    w_x, w_h, b_x, b_h = prepare_weights(params, ("hidden",), n_sigmoid=0)
    bias = b_x + b_h  # b (H,)

    from_x = scratch(workspace, "rnn.from_x", (T, B, H), x.dtype)  # W_ih x_t
    np.dot(x.reshape(T * B, -1), w_x, out=from_x.reshape(T * B, H))
    pre = scratch(workspace, "rnn.pre", (T, B, H), x.dtype)  # z_t, W_ih x_t + b before the loop
    np.add(from_x, bias, out=pre)
    from_h = scratch(workspace, "rnn.from_h", (T, B, H), x.dtype)  # W_hh h_{t-1}
    hidden = scratch(workspace, "rnn.hidden", (T, B, H), x.dtype)  # h_t
    dot, tanh, add = np.dot, np.tanh, np.add
    h = h_init
    for rec, z, h_t in zip(list(from_h), list(pre), list(hidden), strict=True):  # per-step views, made in C
        dot(h, w_h, out=rec)
        add(z, rec, out=z)  # z_t
        tanh(z, out=h_t)  # h_t
        h = h_t
    return finish_trace(
        RNNTrace,
        batched,
        xs=x,
        h0=h_init,
        from_h=from_h,
        from_x=from_x,
        bias=np.broadcast_to(bias, hidden.shape),
        pre_hidden=pre,
        hidden=hidden,
    )
