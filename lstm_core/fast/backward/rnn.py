r"""Backpropagation through time for the plain tanh RNN (see ``lstm_core/rnn.py``).

With δh_t = ``d_hidden[t]``, walking t = T-1 … 0 with dz_T := 0:

    dh_t = δh_t + dz_{t+1} W_hh        ``dht[t]`` total ∂L/∂h_t (d_hidden_total)
    dz_t = dh_t * (1 - h_t²)           ``dz[t]``, (B, H)

then dW_ih = Σ dz_tᵀ x_t, dW_hh = Σ dz_tᵀ h_{t-1}, db_ih = db_hh = Σ dz_t, dx_t = dz_t W_ih,
dh_0 = dz_0 W_hh. The factor W_hhᵀ (1 - h²) applied once per step is why a plain RNN's gradient
vanishes (or explodes) over long gaps.
"""

from __future__ import annotations

import numpy as np

from lstm_core.fast.backward.common import Backward, check_pair, finish, prepare, weight_grads
from lstm_core.fast.workspace import Workspace, scratch
from lstm_core.params import RNNParams
from lstm_core.trace import RNNTrace


def rnn_backward(
    params: RNNParams,
    trace: RNNTrace,
    d_hidden: object,
    *,
    workspace: Workspace | None = None,
    input_grads: bool = True,
) -> Backward:
    """Gradients of L = Σ_t δh_t · h_t through a plain RNN trace (equations: module docstring).

    ``d_hidden`` = δh_t has the shape of ``trace.hidden``, (T, H) or (B, T, H). ``d_c0`` and
    ``d_cell_total`` of the result are None. ``workspace`` and ``input_grads``: as in ``lstm_backward``.
    """
    check_pair(params, RNNParams, trace, RNNTrace, "rnn_backward")
    dt, batched, dh_in, x, hidden, h0 = prepare(params, trace, d_hidden)
    T, B, H = hidden.shape
    K = np.multiply(hidden, hidden, out=scratch(workspace, "rnn_backward.K", (T, B, H), dt))  # (T, B, H)
    np.subtract(1.0, K, out=K)  # 1 - h²

    w_hh = params.weight_hh  # (H, H)
    dz = scratch(workspace, "rnn_backward.dz", (T, B, H), dt)  # dz_t
    dht = scratch(workspace, "rnn_backward.dht", (T, B, H), dt)  # dh_t
    for t in range(T - 1, -1, -1):
        dh = dht[t]
        if t == T - 1:
            np.copyto(dh, dh_in[t])
        else:
            np.dot(dz[t + 1], w_hh, out=dh)
            dh += dh_in[t]
        np.multiply(dh, K[t], out=dz[t])

    dw_ih, dw_hh, db = weight_grads(dz, x, hidden, h0)
    d_x = None
    if input_grads:
        d_x = scratch(workspace, "rnn_backward.dx", (T, B, params.input_size), dt)  # (T, B, D)
        np.dot(dz.reshape(T * B, H), params.weight_ih, out=d_x.reshape(T * B, -1))
    d_h0 = np.dot(dz[0], w_hh)  # (B, H)
    return finish(RNNParams, batched, (dw_ih, dw_hh, db, db), d_x, d_h0, dht)
