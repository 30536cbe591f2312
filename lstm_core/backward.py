r"""Backpropagation through time for the LSTM, GRU and plain RNN, walking a forward trace in reverse.

Every function takes the parameters, the trace the forward pass returned and ``d_hidden`` = δh_t, the
upstream gradient ∂loss/∂h_t on every hidden state (as if loss = Σ_t δh_t · h_t). It returns a
:class:`Backward`: the parameter gradients (an ``LSTMParams``/``GRUParams``/``RNNParams`` in PyTorch's
layout), ∂loss/∂x_t, ∂loss/∂h_0 (and ∂loss/∂C_0), and the *total* gradients dh_t (and dc_t) that
reach every step, including what flows back from later steps: the "gradient flow" the app plots.

Notation shared by the three cells (all per-step arrays are (B, ·), rows = sequences in the batch):
``dh`` = dh_t, ``dc`` = dc_t, ``dz`` = the gradient on the fused gate pre-activations of step t in
PyTorch's row order, so that after the loop the weight gradients are one GEMM over all timesteps:

    dW_ih = Σ_t dz_tᵀ x_t        dW_hh = Σ_t dz_tᵀ h_{t-1}        db = Σ_t Σ_batch dz_t
    dx_t  = dz_t W_ih            dh_0  = dz_0 W_hh (+ the cell's direct path, GRU)

Speed: the derivative coefficients (σ' = σ(1 - σ), tanh' = 1 - tanh², times the gate they meet) are
computed for all timesteps at once before the loop; the loop itself only does one (B, G·H) × (G·H, H)
product and a handful of in-place multiply-adds per step into preallocated buffers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from lstm_core.gru import GRUTrace
from lstm_core.lstm import LSTMTrace
from lstm_core.params import CellParams, GRUParams, LSTMParams, RNNParams
from lstm_core.rnn import RNNTrace
from lstm_core.trace import Trace
from lstm_core.validate import as_float_array


@dataclass(frozen=True, eq=False)
class Backward:
    """Gradients of one backward pass. Arrays are read-only, in the trace's orientation."""

    grads: CellParams  # ∂loss/∂weight_ih, weight_hh, bias_ih, bias_hh (PyTorch layout)
    d_xs: np.ndarray  # ∂loss/∂x_t, like trace.xs: (T, D) or (B, T, D)
    d_h0: np.ndarray  # ∂loss/∂h_0, (H,) or (B, H)
    d_c0: np.ndarray | None  # ∂loss/∂C_0 (LSTM only)
    d_hidden_total: np.ndarray  # dh_t = ∂loss/∂h_t through every path, (T, H) or (B, T, H)
    d_cell_total: np.ndarray | None  # dc_t = ∂loss/∂C_t through every path (LSTM only)

    def __iter__(self) -> Iterator[object]:
        """``grads, d_xs = lstm_backward(...)``."""
        yield self.grads
        yield self.d_xs


# ---------------------------------------------------------------------------------------------- helpers


def _check(params: CellParams, kind: type, trace: Trace, trace_kind: type, name: str) -> None:
    if not isinstance(params, kind):
        raise ValueError(f"{name} needs {kind.__name__}; got {type(params).__name__}")
    if not isinstance(trace, trace_kind):
        raise ValueError(
            f"{name} needs the {trace_kind.__name__} of a forward pass; got {type(trace).__name__}"
        )
    if trace.hidden_size != params.hidden_size or trace.xs.shape[-1] != params.input_size:
        raise ValueError(
            f"the trace (H = {trace.hidden_size}, D = {trace.xs.shape[-1]}) does not come from these "
            f"parameters (H = {params.hidden_size}, D = {params.input_size})"
        )


def _upstream(value: object, name: str, shape: tuple[int, ...], formula: str, dtype: np.dtype) -> np.ndarray:
    arr = as_float_array(value, name, dtype)
    if arr.shape != shape:
        raise ValueError(f"{name} must have the shape of {formula} = {shape}; got {arr.shape}")
    return arr


def _time_major(arr: np.ndarray, batched: bool, dtype: np.dtype) -> np.ndarray:
    """(T, ·) or (B, T, ·) in the caller's orientation → a (T, B, ·) view (a copy only to cast)."""
    arr = np.asarray(arr, dtype=dtype)
    return arr.transpose(1, 0, 2) if batched else arr[:, None, :]


def _state(arr: np.ndarray, batched: bool, dtype: np.dtype) -> np.ndarray:
    """(H,) or (B, H) → (B, H)."""
    arr = np.asarray(arr, dtype=dtype)
    return arr if batched else arr[None, :]


def _caller(arr: np.ndarray, batched: bool) -> np.ndarray:
    """Time-major (T, B, ·) or state (B, ·) → the caller's orientation, read-only."""
    if arr.ndim == 3:
        view = arr.transpose(1, 0, 2) if batched else arr[:, 0, :]
    else:
        view = arr if batched else arr[0]
    view.setflags(write=False)
    return view


def _inputs(params: CellParams, trace: Trace, d_hidden: object) -> tuple:
    """Common preparation: dtype, batched flag, δh (T, B, H), x (T, B, D), h_t (T, B, H), h_0 (B, H)."""
    dt = params.dtype
    batched = trace.batched
    dh_in = _upstream(d_hidden, "d_hidden", trace.hidden.shape, "trace.hidden", dt)
    x = _time_major(trace.xs, batched, dt)
    hidden = _time_major(trace.hidden, batched, dt)
    return dt, batched, _time_major(dh_in, batched, dt), x, hidden, _state(trace.h0, batched, dt)


def _weight_grads(dz: np.ndarray, x: np.ndarray, hidden: np.ndarray, h0: np.ndarray) -> tuple:
    """dW_ih = Σ_t dz_tᵀ x_t (G·H, D), dW_hh = Σ_t dz_tᵀ h_{t-1} (G·H, H), db = Σ dz (G·H,): one GEMM each."""
    T, B, GH = dz.shape
    dz2 = dz.reshape(T * B, GH)  # (T·B, G·H)
    dw_ih = np.dot(dz2.T, x.reshape(T * B, -1))  # (G·H, D)
    dw_hh = np.dot(dz[0].T, h0)  # (G·H, H), step 0 meets h_0
    if T > 1:
        dw_hh += np.dot(dz2[B:].T, hidden[:-1].reshape((T - 1) * B, -1))  # steps 1… meet h_1 … h_{T-1}
    db = np.dot(np.ones(T * B, dtype=dz.dtype), dz2)  # (G·H,)
    return dw_ih, dw_hh, db


def _finish(
    kind: type,
    batched: bool,
    grads: tuple,
    d_x: np.ndarray,
    d_h0: np.ndarray,
    dht: np.ndarray,
    d_c0: np.ndarray | None = None,
    dct: np.ndarray | None = None,
) -> Backward:
    return Backward(
        grads=kind(*grads),
        d_xs=_caller(d_x, batched),
        d_h0=_caller(d_h0, batched),
        d_c0=None if d_c0 is None else _caller(d_c0, batched),
        d_hidden_total=_caller(dht, batched),
        d_cell_total=None if dct is None else _caller(dct, batched),
    )


# ------------------------------------------------------------------------------------------------- LSTM


def lstm_backward(
    params: LSTMParams, trace: LSTMTrace, d_hidden: object, d_cell_last: object | None = None
) -> Backward:
    r"""Gradients of loss = Σ_t δh_t · h_t + δC_T · C_T through an LSTM trace (see ``lstm.py``).

    ``d_hidden`` = δh_t has the shape of ``trace.hidden``; ``d_cell_last`` = δC_T, (H,) or (B, H), is
    optional. Walking t = T-1 … 0, with dz_T W_hh := 0, dc_T f_T := δC_T:

        dh_t = δh_t + dz_{t+1} W_hh                                  ``dht[t]``  (d_hidden_total)
        dc_t = dh_t * o_t * (1 - tanh²C_t) + dc_{t+1} * f_{t+1}      ``dct[t]``  (d_cell_total)
        dz_t = [dc_t * K_i, dc_t * K_f, dc_t * K_g, dh_t * K_o]        ``dz[t]``, blocks i, f, g, o
        K_i = g_t i_t (1 - i_t)    K_f = C_{t-1} f_t (1 - f_t)    K_g = i_t (1 - g_t²)    K_o = tanh C_t o_t (1 - o_t)

    then the GEMMs of the module docstring (db_ih = db_hh = Σ dz) and dC_0 = dc_0 * f_0.
    """
    _check(params, LSTMParams, trace, LSTMTrace, "lstm_backward")
    dt, batched, dh_in, x, hidden, h0 = _inputs(params, trace, d_hidden)
    T, B, H = hidden.shape
    i, f, g, o = (
        _time_major(a, batched, dt) for a in (trace.input, trace.forget, trace.candidate, trace.output)
    )
    cell = _time_major(trace.cell, batched, dt)  # C_t
    tc = _time_major(trace.cell_tanh, batched, dt)  # tanh C_t
    c0 = _state(trace.c0, batched, dt)
    dc_last = (
        None if d_cell_last is None else _upstream(d_cell_last, "d_cell_last", trace.c0.shape, "trace.c0", dt)
    )

    K = np.empty((T, B, 4 * H), dtype=dt)  # derivative coefficients, blocks i, f, g, o
    K4 = K.reshape(T, B, 4, H)
    Ki, Kf, Kg, Ko = K4[:, :, 0], K4[:, :, 1], K4[:, :, 2], K4[:, :, 3]
    np.multiply(i, i, out=Ki)
    np.subtract(i, Ki, out=Ki)
    Ki *= g  # g i (1 - i)
    np.multiply(f, f, out=Kf)
    np.subtract(f, Kf, out=Kf)
    Kf[0] *= c0
    Kf[1:] *= cell[:-1]  # C_{t-1} f (1 - f)
    np.multiply(g, g, out=Kg)
    np.subtract(1.0, Kg, out=Kg)
    Kg *= i  # i (1 - g²)
    np.multiply(o, o, out=Ko)
    np.subtract(o, Ko, out=Ko)
    Ko *= tc  # tanh C o (1 - o)
    Kc = np.multiply(tc, tc)  # (T, B, H)
    np.subtract(1.0, Kc, out=Kc)
    Kc *= o  # o (1 - tanh² C) = ∂h_t/∂C_t

    w_hh = params.weight_hh  # (4H, H)
    dz = np.empty((T, B, 4 * H), dtype=dt)  # dz_t
    dz4 = dz.reshape(T, B, 4, H)
    dht = np.empty((T, B, H), dtype=dt)  # dh_t
    dct = np.empty((T, B, H), dtype=dt)  # dc_t
    carry = np.empty((B, H), dtype=dt)  # dc_{t+1} * f_{t+1}
    for t in range(T - 1, -1, -1):
        dh, dc = dht[t], dct[t]
        if t == T - 1:
            dh[...] = dh_in[t]
        else:
            np.dot(dz[t + 1], w_hh, out=dh)
            dh += dh_in[t]
        np.multiply(dh, Kc[t], out=dc)
        if t < T - 1:
            np.multiply(dct[t + 1], f[t + 1], out=carry)
            dc += carry
        elif dc_last is not None:
            dc += _state(dc_last, batched, dt)
        np.multiply(dc[:, None, :], K4[t, :, :3], out=dz4[t, :, :3])  # i, f, g blocks
        np.multiply(dh, Ko[t], out=dz4[t, :, 3])  # o block

    dw_ih, dw_hh, db = _weight_grads(dz, x, hidden, h0)
    d_x = np.dot(dz.reshape(T * B, 4 * H), params.weight_ih).reshape(T, B, -1)  # (T, B, D)
    d_h0 = np.dot(dz[0], w_hh)  # (B, H)
    d_c0 = np.multiply(dct[0], f[0])  # (B, H)
    return _finish(LSTMParams, batched, (dw_ih, dw_hh, db, db.copy()), d_x, d_h0, dht, d_c0, dct)


# -------------------------------------------------------------------------------------------------- GRU


def gru_backward(params: GRUParams, trace: GRUTrace, d_hidden: object) -> Backward:
    r"""Gradients of loss = Σ_t δh_t · h_t through a GRU trace (PyTorch's equations, see ``gru.py``).

    With q_t = W_hn h_{t-1} + b_hn (``trace.candidate_recurrent``), walking t = T-1 … 0:

        dh_t = δh_t + dz_{t+1}[r, z, hn] W_hh + dh_{t+1} * z_{t+1}        ``dht[t]`` (d_hidden_total)
        dz_t = dh_t * [K_r, K_z, K_hn, K_n]                              ``dz[t]``, (B, 4H)
        K_n  = (1 - z_t)(1 - n_t²)                  ∂h_t/∂(W_in x_t + b_in + r_t q_t)
        K_r  = K_n q_t r_t (1 - r_t)                ∂h_t/∂(r pre-activation)
        K_z  = (h_{t-1} - n_t) z_t (1 - z_t)        ∂h_t/∂(z pre-activation)
        K_hn = K_n r_t                              ∂h_t/∂q_t (r_t scales W_hn h + b_hn)

    The input side sees blocks [r, z, n] of dz, the recurrent side [r, z, hn]; so dW_ih, db_ih take
    rows (r, z, n) and dW_hh, db_hh rows (r, z, hn) of the GEMMs, and dh_0 = dz_0[r, z, hn] W_hh + dh_0 z_0.
    """
    _check(params, GRUParams, trace, GRUTrace, "gru_backward")
    dt, batched, dh_in, x, hidden, h0 = _inputs(params, trace, d_hidden)
    T, B, H = hidden.shape
    r, z, n, q = (
        _time_major(a, batched, dt)
        for a in (trace.reset, trace.update, trace.candidate, trace.candidate_recurrent)
    )

    K = np.empty((T, B, 4 * H), dtype=dt)  # blocks r, z, hn, n
    K4 = K.reshape(T, B, 4, H)
    Kr, Kz, Khn, Kn = K4[:, :, 0], K4[:, :, 1], K4[:, :, 2], K4[:, :, 3]
    np.multiply(n, n, out=Kn)
    np.subtract(1.0, Kn, out=Kn)
    Kn -= z * Kn  # (1 - z)(1 - n²)
    np.multiply(Kn, r, out=Khn)  # K_n r
    np.subtract(r, r * r, out=Kr)
    Kr *= q
    Kr *= Kn  # K_n q r (1 - r)
    np.subtract(z, z * z, out=Kz)
    Kz[0] *= h0 - n[0]
    Kz[1:] *= hidden[:-1] - n[1:]  # (h_{t-1} - n) z (1 - z)

    w_hh = params.weight_hh  # (3H, H)
    dz = np.empty((T, B, 4 * H), dtype=dt)
    dz4 = dz.reshape(T, B, 4, H)
    dht = np.empty((T, B, H), dtype=dt)
    carry = np.empty((B, H), dtype=dt)  # dh_{t+1} * z_{t+1}
    for t in range(T - 1, -1, -1):
        dh = dht[t]
        if t == T - 1:
            dh[...] = dh_in[t]
        else:
            np.dot(dz[t + 1, :, : 3 * H], w_hh, out=dh)
            dh += dh_in[t]
            np.multiply(dht[t + 1], z[t + 1], out=carry)
            dh += carry
        np.multiply(dh[:, None, :], K4[t], out=dz4[t])

    gw_ih, gw_hh, s = _weight_grads(dz, x, hidden, h0)  # rows r, z, hn, n
    rz, nx = slice(0, 2 * H), slice(3 * H, 4 * H)
    dw_ih = np.concatenate([gw_ih[rz], gw_ih[nx]])
    db_ih = np.concatenate([s[rz], s[nx]])
    w_ih_ext = np.zeros((4 * H, params.input_size), dtype=dt)  # W_ih with an empty hn block
    w_ih_ext[rz] = params.weight_ih[rz]
    w_ih_ext[nx] = params.weight_ih[2 * H :]
    d_x = np.dot(dz.reshape(T * B, 4 * H), w_ih_ext).reshape(T, B, -1)  # (T, B, D)
    d_h0 = np.dot(dz[0, :, : 3 * H], w_hh)
    d_h0 += dht[0] * z[0]
    grads = (dw_ih, gw_hh[: 3 * H].copy(), db_ih, s[: 3 * H].copy())
    return _finish(GRUParams, batched, grads, d_x, d_h0, dht)


# -------------------------------------------------------------------------------------------------- RNN


def rnn_backward(params: RNNParams, trace: RNNTrace, d_hidden: object) -> Backward:
    r"""Gradients of loss = Σ_t δh_t · h_t through a plain tanh RNN trace (see ``rnn.py``).

        dh_t = δh_t + dz_{t+1} W_hh          ``dht[t]`` (d_hidden_total)
        dz_t = dh_t * (1 - h_t²)             ``dz[t]``, (B, H)

    The factor W_hhᵀ(1 - h²) applied once per step is why a plain RNN's gradient vanishes or explodes.
    """
    _check(params, RNNParams, trace, RNNTrace, "rnn_backward")
    dt, batched, dh_in, x, hidden, h0 = _inputs(params, trace, d_hidden)
    T, B, H = hidden.shape
    K = np.multiply(hidden, hidden)  # (T, B, H)
    np.subtract(1.0, K, out=K)  # 1 - h²

    w_hh = params.weight_hh  # (H, H)
    dz = np.empty((T, B, H), dtype=dt)
    dht = np.empty((T, B, H), dtype=dt)
    for t in range(T - 1, -1, -1):
        dh = dht[t]
        if t == T - 1:
            dh[...] = dh_in[t]
        else:
            np.dot(dz[t + 1], w_hh, out=dh)
            dh += dh_in[t]
        np.multiply(dh, K[t], out=dz[t])

    dw_ih, dw_hh, db = _weight_grads(dz, x, hidden, h0)
    d_x = np.dot(dz.reshape(T * B, H), params.weight_ih).reshape(T, B, -1)
    d_h0 = np.dot(dz[0], w_hh)
    return _finish(RNNParams, batched, (dw_ih, dw_hh, db, db.copy()), d_x, d_h0, dht)
