r"""Backpropagation through time for the GRU, PyTorch's ``nn.GRU`` equations (see ``lstm_core/gru.py``).

With q_t = W_hn h_{t-1} + b_hn (``trace.candidate_from_h``, which r_t scales *including* b_hn) and
δh_t = ``d_hidden[t]``, walking t = T-1 … 0 with dz_T := 0, dh_T := 0:

    dh_t = δh_t + dz_{t+1}[r, z, hn] W_hh + dh_{t+1} * z_{t+1}   ``dht[t]`` total ∂L/∂h_t (d_hidden_total)
    dz_t = dh_t * [K_r, K_z, K_hn, K_n]                           ``dz[t]``, (B, 4H)

    K_n  = (1 - z_t)(1 - n_t²)              ∂h_t/∂(W_in x_t + b_in + r_t q_t)
    K_r  = K_n q_t r_t (1 - r_t)            ∂h_t/∂(pre-activation of r_t)
    K_z  = (h_{t-1} - n_t) z_t (1 - z_t)    ∂h_t/∂(pre-activation of z_t)
    K_hn = K_n r_t                          ∂h_t/∂q_t

The input side sees blocks [r, z, n] of dz, the recurrent side [r, z, hn]: dW_ih and db_ih take rows
(r, z, n) of the after-loop GEMMs, dW_hh and db_hh rows (r, z, hn); dx_t = dz_t[r, z, n] W_ih and
dh_0 = dz_0[r, z, hn] W_hh + dh_0 * z_0.
"""

from __future__ import annotations

import numpy as np

from lstm_core.fast.backward.common import Backward, check_pair, finish, prepare, time_major, weight_grads
from lstm_core.fast.workspace import Workspace, scratch
from lstm_core.params import GRUParams
from lstm_core.trace import GRUTrace


def gru_backward(
    params: GRUParams,
    trace: GRUTrace,
    d_hidden: object,
    *,
    workspace: Workspace | None = None,
    input_grads: bool = True,
) -> Backward:
    """Gradients of L = Σ_t δh_t · h_t through a GRU trace (equations: module docstring).

    ``d_hidden`` = δh_t has the shape of ``trace.hidden``, (T, H) or (B, T, H). ``d_c0`` and
    ``d_cell_total`` of the result are None. ``workspace`` and ``input_grads``: as in ``lstm_backward``.
    """
    check_pair(params, GRUParams, trace, GRUTrace, "gru_backward")
    dt, batched, dh_in, x, hidden, h0 = prepare(params, trace, d_hidden)
    T, B, H = hidden.shape
    names = ("reset", "update", "candidate", "candidate_from_h")
    r, z, n, q = (time_major(getattr(trace, name), batched, dt) for name in names)

    K = scratch(workspace, "gru_backward.K", (T, B, 4, H), dt)  # K_r, K_z, K_hn, K_n
    tmp = scratch(workspace, "gru_backward.tmp", (T, B, H), dt)
    Kr, Kz, Khn, Kn = K[:, :, 0], K[:, :, 1], K[:, :, 2], K[:, :, 3]
    np.multiply(n, n, out=Kn)
    np.subtract(1.0, Kn, out=Kn)
    Kn -= np.multiply(z, Kn, out=tmp)  # (1 - z)(1 - n²)
    np.multiply(Kn, r, out=Khn)  # K_n r
    np.subtract(r, np.multiply(r, r, out=tmp), out=Kr)
    Kr *= q
    Kr *= Kn  # K_n q r (1 - r)
    np.subtract(z, np.multiply(z, z, out=tmp), out=Kz)
    np.subtract(h0, n[0], out=tmp[0])
    np.subtract(hidden[:-1], n[1:], out=tmp[1:])
    Kz *= tmp  # (h_{t-1} - n) z (1 - z)

    w_hh = params.weight_hh  # (3H, H)
    dz = scratch(workspace, "gru_backward.dz", (T, B, 4 * H), dt)  # blocks r, z, hn, n
    dht = scratch(workspace, "gru_backward.dht", (T, B, H), dt)  # dh_t
    carry = np.empty((B, H), dtype=dt)  # dh_{t+1} * z_{t+1}
    for t in range(T - 1, -1, -1):
        dh = dht[t]
        if t == T - 1:
            np.copyto(dh, dh_in[t])
        else:
            np.dot(dz[t + 1, :, : 3 * H], w_hh, out=dh)
            dh += dh_in[t]
            np.multiply(dht[t + 1], z[t + 1], out=carry)
            dh += carry
        np.multiply(dh[:, None, :], K[t], out=dz[t].reshape(B, 4, H))

    gw_ih, gw_hh, s = weight_grads(dz, x, hidden, h0)  # rows r, z, hn, n
    rz, nx = slice(0, 2 * H), slice(3 * H, 4 * H)
    d_x = None
    if input_grads:
        w_ih_ext = np.zeros((4 * H, params.input_size), dtype=dt)  # W_ih with an empty hn block
        w_ih_ext[rz] = params.weight_ih[rz]
        w_ih_ext[nx] = params.weight_ih[2 * H :]
        d_x = scratch(workspace, "gru_backward.dx", (T, B, params.input_size), dt)  # (T, B, D)
        np.dot(dz.reshape(T * B, 4 * H), w_ih_ext, out=d_x.reshape(T * B, -1))
    d_h0 = np.dot(dz[0, :, : 3 * H], w_hh)  # (B, H)
    d_h0 += dht[0] * z[0]
    grads = (
        np.concatenate([gw_ih[rz], gw_ih[nx]]),
        gw_hh[: 3 * H],
        np.concatenate([s[rz], s[nx]]),
        s[: 3 * H],
    )
    return finish(GRUParams, batched, grads, d_x, d_h0, dht)
