r"""Backpropagation through time for the LSTM (the forward equations are in ``lstm_core/lstm.py``).

Walking t = T-1 … 0, with δh_t = ``d_hidden[t]``, dz_T := 0 and dc_T f_T := δC_T (``d_cell_last``):

    dh_t = δh_t + W_hhᵀ dz_{t+1}                            ``dht[t]``   total ∂L/∂h_t (d_hidden_total)
    dc_t = dh_t * K_c + dc_{t+1} * f_{t+1}                  ``dct[t]``   total ∂L/∂C_t (d_cell_total)
    dz_t = [dh_t; dc_t; dc_t; dc_t] * [K_o; K_i; K_f; K_g]  ``dz[t]``, blocks o, i, f, g

    K_c = o_t (1 - tanh² C_t) = o_t - h_t tanh C_t          ``kc``  (∂h_t/∂C_t)
    K_o = tanh C_t o_t (1 - o_t) = h_t (1 - o_t)            ``P``   (∂h_t or ∂C_t / ∂ pre-activation)
    K_i = C̃_t i_t (1 - i_t) = C^i_t (1 - i_t)
    K_f = C_{t-1} f_t (1 - f_t) = C^f_t (1 - f_t)
    K_g = i_t (1 - C̃_t²)

and [dW_hh | dW_ih] = Σ_t dz_t u_tᵀ with u_t = [h_{t-1}; x_t], db_ih = db_hh = Σ_t dz_t 1,
dx_t = W_ihᵀ dz_t, dh_0 = W_hhᵀ dz_0, dC_0 = dc_0 * f_0.

Speed (float32 training): everything is feature-major like the fast forward pass, one contiguous (4H, B)
or (H, B) block per step. The gates, the parts [C^i; C^f] and u_t = [h_{t-1}; x_t] are read as views of
the fast forward's own buffers (no copy; a reference trace's separate arrays are gathered into the same
layout; the weight rows are permuted to the forward's block order o, i, f, g once per call and the
gradients permuted back). The coefficients P = (1 - s) * [h; C^i; C^f] on the sigmoid blocks o, i, f and
(1 - g²) i on the candidate block are computed with whole-block operations a few timesteps at a time, so
that they stay in cache; the step loop is one GEMM W_hhᵀ dz_{t+1} plus six small in-place operations.
dx_t and the weight-gradient sums are computed in parts of about T / ``_GRAD_PARTS`` timesteps as soon as
their dz_t are known (each part regrouped into one GEMM), on the workspace's helper thread when it has
one; the parts are added in one fixed order, so the numbers do not depend on the thread.
"""

from __future__ import annotations

import numpy as np

from lstm_core.fast.backward.common import Backward, check_pair, feature_major, joined, upstream
from lstm_core.fast.lstm import ORDER
from lstm_core.fast.workspace import Workspace, scratch
from lstm_core.params import LSTMParams
from lstm_core.trace import LSTMTrace

_TORCH_BLOCK = tuple(LSTMParams.GATES.index(name) for name in ORDER)  # torch block of each o, i, f, g
_CHUNK = 1 << 15  # elements of a (steps, 4H, B) coefficient buffer: a few timesteps, in cache
_GRAD_PARTS = 6  # the weight gradients are summed in about this many parts of timesteps
_HELPER_MIN = 1 << 21  # multiply-adds of one part below which the helper thread is not used


def lstm_backward(
    params: LSTMParams,
    trace: LSTMTrace,
    d_hidden: object,
    d_cell_last: object | None = None,
    *,
    workspace: Workspace | None = None,
    input_grads: bool = True,
) -> Backward:
    """Gradients of L = Σ_t δh_t · h_t + δC_T · C_T through an LSTM trace (equations: module docstring).

    ``d_hidden`` = δh_t has the shape of ``trace.hidden``, (T, H) or (B, T, H); ``d_cell_last`` = δC_T,
    (H,) or (B, H), is optional. Computes in ``params.dtype``. ``input_grads=False``: no dx_t
    (``d_xs`` is None), the rest unchanged.

    ``workspace`` (training loops only): the per-step arrays (``d_xs``, ``d_hidden_total``,
    ``d_cell_total``) live in its buffers, with bit-identical numbers, and **the next call with the same
    workspace overwrites them**; the parameter gradients are fresh arrays. See
    :class:`~lstm_core.fast.Workspace`.
    """
    check_pair(params, LSTMParams, trace, LSTMTrace, "lstm_backward")
    dt, batched = params.dtype, trace.batched
    dh_in = upstream(d_hidden, "d_hidden", trace.hidden.shape, "trace.hidden", dt)
    dc_last = None
    if d_cell_last is not None:
        dc_last = feature_major(
            upstream(d_cell_last, "d_cell_last", trace.c0.shape, "trace.c0", dt), batched, dt
        )  # (H, B)

    def fm(name: str) -> np.ndarray:
        return feature_major(getattr(trace, name), batched, dt)

    dh_in = feature_major(dh_in, batched, dt)  # δh_t (T, H, B)
    s = joined([fm(name) for name in ORDER], axis=1)  # (T, 4H, B) gates o, i, f, g
    hidden, tc = fm("hidden"), fm("cell_tanh")  # h_t, tanh C_t (T, H, B)
    T, H, B = hidden.shape
    c_parts = joined([fm("input_part"), fm("forget_part")], axis=1)  # (T, 2H, B): [C^i_t; C^f_t]
    u = joined([joined([fm("h0")[None], hidden[:-1]], axis=0), fm("xs")], axis=1)  # (T, H + D, B)
    D = u.shape[1] - H
    f = s[:, 2 * H : 3 * H]  # f_t
    rows = np.concatenate([np.arange(k * H, (k + 1) * H) for k in _TORCH_BLOCK])  # torch row of each row
    w_hh_t = np.ascontiguousarray(params.weight_hh[rows].T)  # W_hhᵀ (H, 4H), rows o, i, f, g
    w_ih_t = np.ascontiguousarray(params.weight_ih[rows].T)  # W_ihᵀ (D, 4H)

    n = max(1, min(T, _CHUNK // (4 * H * B)))  # timesteps per coefficient chunk
    P = np.empty((n, 4 * H, B), dtype=dt)  # K_o, K_i, K_f, K_g of a chunk
    kc = np.empty((n, H, B), dtype=dt)  # K_c of a chunk
    one = np.array(1.0, dtype=dt)
    dx = scratch(workspace, "lstm_backward.dx", (T, D, B), dt) if input_grads else None  # W_ihᵀ dz_t
    dz = scratch(workspace, "lstm_backward.dz", (T, 4 * H, B), dt)  # dz_t
    dht = scratch(workspace, "lstm_backward.dht", (T, H, B), dt)  # dh_t
    dct = scratch(workspace, "lstm_backward.dct", (T, H, B), dt)  # dc_t
    carry = np.empty((H, B), dtype=dt)  # dc_{t+1} * f_{t+1}
    dot, mul, add = np.dot, np.multiply, np.add
    # Per-step views made once, in C (``list`` of an array), instead of indexing inside the loop.
    dz_, dht_, dct_, f_, dh_in_ = (list(a) for a in (dz, dht, dct, f, dh_in))
    dz_o, dz_ifg = list(dz[:, :H]), list(dz[:, H:].reshape(T, 3, H, B))
    P_o, P_ifg, kc_ = list(P[:, :H]), list(P[:, H:].reshape(n, 3, H, B)), list(kc)

    # Σ_t dz_t u_tᵀ and Σ_t dz_t 1 in parts of ``span`` timesteps, added in one fixed order. With a helper
    # thread (``Workspace(threads=2)``) each part is computed while the loop goes on to earlier steps.
    span = n * -(-T // (_GRAD_PARTS * n))  # timesteps per part: a multiple of n, about T / _GRAD_PARTS
    worth_it = span * B * 4 * H * (H + D) >= _HELPER_MIN  # smaller parts cost more to hand over than to do
    helper = workspace.helper() if workspace is not None and worth_it else None
    ones = np.ones(span * B, dtype=dt)

    # Each thread regroups one part's dz (4H, steps, B) and u (H + D, steps, B) in its own buffers.
    regroup = {
        who: (
            scratch(workspace, f"lstm_backward.dz_part.{who}", (4 * H, span, B), dt),
            scratch(workspace, f"lstm_backward.u_part.{who}", (H + D, span, B), dt),
        )
        for who in (("main", "helper") if helper is not None else ("main",))
    }

    def part(a: int, b: int, who: str) -> tuple[np.ndarray, np.ndarray]:
        """dx_t for a ≤ t < b, and Σ_t dz_t u_tᵀ, Σ_t dz_t 1 over those steps (each one GEMM)."""
        if dx is not None:
            np.matmul(w_ih_t, dz[a:b], out=dx[a:b])  # dx_t = W_ihᵀ dz_t
        k = (b - a) * B
        dz_part, u_part = regroup[who]
        d2 = dz_part[:, : b - a]
        np.copyto(d2, dz[a:b].transpose(1, 0, 2))  # (4H, b - a, B): the steps side by side
        u2 = u_part[:, : b - a]
        np.copyto(u2, u[a:b].transpose(1, 0, 2))  # (H + D, b - a, B)
        d2 = d2.reshape(4 * H, k)
        return np.dot(d2, u2.reshape(H + D, k).T), np.dot(d2, ones[:k])

    spans, parts, pending = [], [], T  # steps pending … T-1 have dz but are in no part yet
    for t1 in range(T, 0, -n):
        t0 = max(0, t1 - n)
        m = t1 - t0
        pc, sc = P[:m], s[t0:t1]
        np.subtract(one, sc[:, : 3 * H], out=pc[:, : 3 * H])  # 1 - o, 1 - i, 1 - f
        pc[:, :H] *= hidden[t0:t1]  # K_o = h (1 - o)
        pc[:, H : 3 * H] *= c_parts[t0:t1]  # K_i = C^i (1 - i), K_f = C^f (1 - f)
        mul(sc[:, 3 * H :], sc[:, 3 * H :], out=pc[:, 3 * H :])
        np.subtract(one, pc[:, 3 * H :], out=pc[:, 3 * H :])  # 1 - g²
        pc[:, 3 * H :] *= sc[:, H : 2 * H]  # K_g
        mul(hidden[t0:t1], tc[t0:t1], out=kc[:m])
        np.subtract(sc[:, :H], kc[:m], out=kc[:m])  # K_c = o - h tanh C

        for t in range(t1 - 1, t0 - 1, -1):
            dh, dc, j = dht_[t], dct_[t], t - t0
            if t == T - 1:
                np.copyto(dh, dh_in_[t])
            else:
                dot(w_hh_t, dz_[t + 1], out=dh)
                add(dh, dh_in_[t], out=dh)  # dh_t = δh_t + W_hhᵀ dz_{t+1}
            mul(dh, kc_[j], out=dc)
            if t < T - 1:
                mul(dct_[t + 1], f_[t + 1], out=carry)
                add(dc, carry, out=dc)
            elif dc_last is not None:
                add(dc, dc_last, out=dc)
            mul(dh, P_o[j], out=dz_o[t])  # dz_o = dh K_o
            mul(dc, P_ifg[j], out=dz_ifg[t])  # dz_i, dz_f, dz_g = dc [K_i; K_f; K_g]
        if pending - t0 >= span or t0 == 0:
            spans.append((t0, pending))
            if helper is not None and t0 > 0:  # the last part is the main thread's, while the helper ends
                parts.append(helper.submit(part, t0, pending, "helper"))
            pending = t0

    d_h0 = dot(w_hh_t, dz[0])  # (H, B)
    if helper is not None:
        last = part(*spans[-1], "main")
        done = [*(f.result() for f in parts), last]
    else:
        done = [part(a, b, "main") for a, b in spans]
    dw, db = done[0]  # Σ_t dz_t u_tᵀ (4H, H + D), Σ_t dz_t 1 (4H,)
    for dw_part, db_part in done[1:]:
        dw += dw_part
        db += db_part
    grads = [np.empty((4 * H, D), dtype=dt), np.empty((4 * H, H), dtype=dt), np.empty(4 * H, dtype=dt)]
    grads[0][rows] = dw[:, H:]  # back to PyTorch's row order
    grads[1][rows] = dw[:, :H]
    grads[2][rows] = db
    d_c0 = mul(dct[0], f[0])  # (H, B)
    return Backward(
        grads=LSTMParams(grads[0], grads[1], grads[2], grads[2]),
        d_xs=None if dx is None else _to_caller(dx, batched),
        d_h0=_to_caller(d_h0, batched),
        d_c0=_to_caller(d_c0, batched),
        d_hidden_total=_to_caller(dht, batched),
        d_cell_total=_to_caller(dct, batched),
    )


def _to_caller(arr: np.ndarray, batched: bool) -> np.ndarray:
    """Feature-major (T, ·, B) or state (·, B) → the caller's orientation, read-only."""
    if arr.ndim == 3:
        view = arr.transpose(2, 0, 1) if batched else arr[:, :, 0]
    else:
        view = arr.T if batched else arr[:, 0]
    view.setflags(write=False)
    return view
