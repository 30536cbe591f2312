r"""The GRU cell (PyTorch's ``nn.GRU`` equations exactly), run over a sequence.

For each timestep t, with W_i* = rows of ``weight_ih``, W_h* = rows of ``weight_hh``:

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)             reset gate    ``reset``
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)             update gate   ``update``
    n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))  candidate     ``candidate``
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                      hidden state  ``hidden``

Note that r_t multiplies the recurrent term *including* its bias b_hn (PyTorch's choice), so the two
biases of the n block are not interchangeable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.params import GRUParams
from lstm_core.trace import Trace, Workspace, finish_trace, prepare_inputs, prepare_weights, scratch

_ORDER = ("reset", "update", "candidate")


@dataclass(frozen=True, eq=False)
class GRUTrace(Trace):
    """Every value a GRU computed. Per-step arrays are (T, H), or (B, T, H) for a batch."""

    reset: np.ndarray  # r_t
    update: np.ndarray  # z_t
    candidate: np.ndarray  # n_t
    candidate_recurrent: np.ndarray  # W_hn h_{t-1} + b_hn (before r_t scales it)

    GATE_NAMES = ("reset", "update", "candidate")
    STATE_NAMES = ("hidden",)


def run_gru(
    params: GRUParams, xs: object, h0: object | None = None, *, workspace: Workspace | None = None
) -> GRUTrace:
    """Run the GRU over ``xs`` (T, D) or (B, T, D); ``h0`` is (H,) or (B, H), zeros when omitted.

    ``workspace`` (training loops only): as in ``run_lstm``, the trace lives in its buffers (same numbers)
    and the next call with the same workspace overwrites it."""
    if not isinstance(params, GRUParams):
        raise ValueError(f"run_gru needs GRUParams; got {type(params).__name__}")
    x, h_init, batched = prepare_inputs(params, xs, (h0,), ("h0",))
    T, B, _ = x.shape
    H = params.hidden_size
    w_x, w_h, b_x, b_h = prepare_weights(params, _ORDER, n_sigmoid=2)

    act = scratch(workspace, "gru.act", (T, B, 3 * H), x.dtype)  # (T, B, 3H) input projections
    np.dot(x.reshape(T * B, -1), w_x, out=act.reshape(T * B, 3 * H))
    act += b_x
    rec = scratch(workspace, "gru.rec", (T, B, 3 * H), x.dtype)  # W_h* h_{t-1} + b_h*; its n block is kept
    hidden = scratch(workspace, "gru.hidden", (T, B, H), x.dtype)  # h_t
    r_rec = np.empty((B, H), dtype=x.dtype)  # r_t * (W_hn h_{t-1} + b_hn), reused
    one, half = np.array(1.0, dtype=x.dtype), np.array(0.5, dtype=x.dtype)  # 0-d: cheaper than floats
    # Per-step views made once, in C (``list`` of an array), instead of slicing inside the loop.
    steps = zip(
        list(rec),
        list(rec[:, :, : 2 * H]),  # recurrent part of r, z
        list(rec[:, :, 2 * H :]),  # W_hn h_{t-1} + b_hn
        list(act[:, :, : 2 * H]),  # r_t, z_t (pre-activation, then the gates in place)
        list(act[:, :, :H]),  # r_t
        list(act[:, :, H : 2 * H]),  # z_t
        list(act[:, :, 2 * H :]),  # n_t
        list(hidden),
        strict=True,
    )
    dot, tanh, add, sub, mul = np.dot, np.tanh, np.add, np.subtract, np.multiply
    h = h_init
    for rec_t, rec_rz, rec_n, rz, r, z, n, h_t in steps:
        dot(h, w_h, out=rec_t)
        add(rec_t, b_h, out=rec_t)
        add(rz, rec_rz, out=rz)
        tanh(rz, out=rz)
        add(rz, one, out=rz)
        mul(rz, half, out=rz)  # r_t, z_t = σ(...) via (1 + tanh(·/2)) / 2
        mul(r, rec_n, out=r_rec)
        add(n, r_rec, out=n)
        tanh(n, out=n)  # n_t
        sub(h, n, out=h_t)
        mul(h_t, z, out=h_t)
        add(h_t, n, out=h_t)  # h_t = n_t + z_t * (h_{t-1} - n_t) = (1 - z_t) n_t + z_t h_{t-1}
        h = h_t

    gates = {name: act[..., k * H : (k + 1) * H] for k, name in enumerate(_ORDER)}
    return finish_trace(
        GRUTrace, batched, xs=x, h0=h_init, hidden=hidden, candidate_recurrent=rec[..., 2 * H :], **gates
    )
