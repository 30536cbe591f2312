r"""Backpropagation through time for the LSTM (the forward equations are in ``lstm_core/lstm.py``).

Walking t = T-1 … 0, with δh_t = ``d_hidden[t]``, dz_T := 0 and dc_T f_T := δC_T (``d_cell_last``):

    dh_t = δh_t + dz_{t+1} W_hh                             ``dht[t]``   total ∂L/∂h_t (d_hidden_total)
    dc_t = dh_t * K_c + dc_{t+1} * f_{t+1}                  ``dct[t]``   total ∂L/∂C_t (d_cell_total)
    dz_t = [dc_t, dc_t, dh_t, dc_t] * [K_i, K_f, K_o, K_g]  ``dz[t] = e * P[k]``, blocks i, f, o, g

    K_c = o_t (1 - tanh² C_t) = o_t - h_t tanh C_t          ``kc``  (∂h_t/∂C_t)
    K_i = g_t i_t (1 - i_t)      K_f = C_{t-1} f_t (1 - f_t)
    K_o = tanh C_t o_t (1 - o_t) K_g = i_t (1 - g_t²)       ``P``   (∂C_t or ∂h_t / ∂ pre-activation)

and after the loop dW_ih = Σ dz_tᵀ x_t, dW_hh = Σ dz_tᵀ h_{t-1}, db_ih = db_hh = Σ dz_t (one GEMM each),
dx_t = dz_t W_ih, dh_0 = dz_0 W_hh, dC_0 = dc_0 * f_0.

Speed (float32 training): the gates are read in the forward buffer's own block order i, f, o, g (no copy;
the weight rows are permuted to match once per call and the gradients permuted back). The coefficients
P = ((β - s) s + α) * [g, C_{t-1}, tanh C, i] (β = 1, α = 0 on the sigmoid blocks, β = 0, α = 1 on g) are
computed with full-row operations for a few timesteps at a time, so that they stay in cache; the step
loop is one GEMM dz_{t+1} [W_hh | W_ih] (which also yields dx_{t+1}) plus eight small in-place operations
on preallocated buffers.
"""

from __future__ import annotations

import numpy as np

from lstm_core.backward.common import (
    Backward,
    as_batch,
    check_pair,
    finish,
    fused,
    prepare,
    time_major,
    upstream,
    weight_grads,
)
from lstm_core.lstm import LSTMTrace
from lstm_core.params import LSTMParams
from lstm_core.trace import Workspace, scratch

_ORDER = ("input", "forget", "output", "candidate")  # block order of s, P, dz (the forward buffer's)
_TORCH_BLOCK = (0, 1, 3, 2)  # where each of those blocks sits in PyTorch's i, f, g, o
_CHUNK = 1 << 14  # elements of a (steps, B, 4H) coefficient buffer: a few timesteps, in cache


def lstm_backward(
    params: LSTMParams,
    trace: LSTMTrace,
    d_hidden: object,
    d_cell_last: object | None = None,
    *,
    workspace: Workspace | None = None,
) -> Backward:
    """Gradients of L = Σ_t δh_t · h_t + δC_T · C_T through an LSTM trace (equations: module docstring).

    ``d_hidden`` = δh_t has the shape of ``trace.hidden``, (T, H) or (B, T, H); ``d_cell_last`` = δC_T,
    (H,) or (B, H), is optional. Computes in ``params.dtype``.

    ``workspace`` (training loops only): the per-step arrays (``d_xs``, ``d_hidden_total``,
    ``d_cell_total``) live in its buffers, with bit-identical numbers, and **the next call with the same
    workspace overwrites them**; the parameter gradients are fresh arrays. See
    :class:`~lstm_core.trace.Workspace`.
    """
    check_pair(params, LSTMParams, trace, LSTMTrace, "lstm_backward")
    dt, batched, dh_in, x, hidden, h0 = prepare(params, trace, d_hidden)
    T, B, H = hidden.shape
    dc_last = None
    if d_cell_last is not None:
        dc_last = as_batch(upstream(d_cell_last, "d_cell_last", trace.c0.shape, "trace.c0", dt), batched, dt)
    s = fused([time_major(getattr(trace, name), batched, dt) for name in _ORDER])  # (T, B, 4H) i f o g
    s4 = s.reshape(T, B, 4, H)
    f = s4[:, :, 1]  # f_t
    cell = time_major(trace.cell, batched, dt)  # C_t
    tc = time_major(trace.cell_tanh, batched, dt)  # tanh C_t
    c0 = as_batch(trace.c0, batched, dt)  # C_0

    rows = np.concatenate([np.arange(k * H, (k + 1) * H) for k in _TORCH_BLOCK])  # torch row of each row
    w_cat = np.concatenate([params.weight_hh, params.weight_ih], axis=1)[rows]  # (4H, H + D) [W_hh | W_ih]

    n = max(1, min(T, _CHUNK // (4 * H * B)))  # timesteps per coefficient chunk
    beta = np.tile(np.repeat(np.array([1, 1, 1, 0], dtype=dt), H), (n, B, 1))  # (n, B, 4H)
    alpha = 1 - beta
    P = np.empty((n, B, 4 * H), dtype=dt)  # K_i, K_f, K_o, K_g of a chunk
    partner = np.empty((n, B, 4, H), dtype=dt)  # g, C_{t-1}, tanh C, i
    kc = np.empty((n, B, H), dtype=dt)  # K_c of a chunk
    e = np.empty((B, 4, H), dtype=dt)  # dc, dc, dh, dc
    Y = scratch(workspace, "lstm_backward.Y", (T, B, w_cat.shape[1]), dt)  # dz_t [W_hh | W_ih]
    dz = scratch(workspace, "lstm_backward.dz", (T, B, 4 * H), dt)  # dz_t
    dht = scratch(workspace, "lstm_backward.dht", (T, B, H), dt)  # dh_t
    dct = scratch(workspace, "lstm_backward.dct", (T, B, H), dt)  # dc_t
    carry = np.empty((B, H), dtype=dt)  # dc_{t+1} * f_{t+1}

    for t1 in range(T, 0, -n):
        t0 = max(0, t1 - n)
        m = t1 - t0
        sc, pc, mc = s[t0:t1], P[:m], partner[:m]
        np.subtract(beta[:m], sc, out=pc)
        pc *= sc
        pc += alpha[:m]  # i(1 - i), f(1 - f), o(1 - o), 1 - g²
        np.copyto(mc[:, :, 0], s4[t0:t1, :, 3])  # g
        if t0 == 0:
            np.copyto(mc[0, :, 1], c0)
            np.copyto(mc[1:, :, 1], cell[: t1 - 1])
        else:
            np.copyto(mc[:, :, 1], cell[t0 - 1 : t1 - 1])  # C_{t-1}
        np.copyto(mc[:, :, 2], tc[t0:t1])  # tanh C
        np.copyto(mc[:, :, 3], s4[t0:t1, :, 0])  # i
        pc *= mc.reshape(m, B, 4 * H)
        np.multiply(hidden[t0:t1], tc[t0:t1], out=kc[:m])
        np.subtract(s4[t0:t1, :, 2], kc[:m], out=kc[:m])  # o - h tanh C

        for t in range(t1 - 1, t0 - 1, -1):
            dh, dc = dht[t], dct[t]
            if t == T - 1:
                np.copyto(dh, dh_in[t])
            else:
                np.dot(dz[t + 1], w_cat, out=Y[t + 1])
                np.add(Y[t + 1, :, :H], dh_in[t], out=dh)  # δh_t + dz_{t+1} W_hh
            np.multiply(dh, kc[t - t0], out=dc)
            if t < T - 1:
                np.multiply(dct[t + 1], f[t + 1], out=carry)
                dc += carry
            elif dc_last is not None:
                dc += dc_last
            np.copyto(e[:, :2], dc[:, None, :])
            np.copyto(e[:, 2], dh)
            np.copyto(e[:, 3], dc)
            np.multiply(e.reshape(B, 4 * H), P[t - t0], out=dz[t])

    np.dot(dz[0], w_cat, out=Y[0])
    dw_ih, dw_hh, db = weight_grads(dz, x, hidden, h0)
    grads = []
    for g in (dw_ih, dw_hh, db, db):
        out = np.empty_like(g)
        out[rows] = g  # back to PyTorch's row order
        grads.append(out)
    d_c0 = np.multiply(dct[0], f[0])  # (B, H)
    return finish(LSTMParams, batched, tuple(grads), Y[:, :, H:], Y[0, :, :H], dht, d_c0, dct)
