r"""The LSTM forward pass for training: the equations of ``lstm_core/lstm.py``, fused into few, large
operations. Same trace class, same fields, same numbers to rounding (``tests/test_fast_equals_reference.py``).

Internally the arrays are feature-major, one (4H, B) or (H, B) block per step with the batch along the fast
axis, so every gate and state of a step is a contiguous block (slices of a (B, 4H) row cost several times
more per operation). One GEMM per step gives all four pre-activations, input, recurrent and bias terms
together:

    z_t = W u_t,   W = [W_hh | W_ih | b_ih + b_hh] (4H, H + D + 1),   u_t = [h_{t-1}; x_t; 1] (H + D + 1, B)

with h_t written straight into u_{t+1}. One ``tanh`` call serves all gates via σ(z) = (1 + tanh(z/2)) / 2,
the sigmoid rows of W halved (``layout.py``); the pre-activations keep their own buffer, their sigmoid
rows doubled back after the loop. Each step's [C^i; C^f] = [i; f] * [C̃; C_{t-1}] is one multiplication into
a reused buffer; the trace's C^i and C^f of all steps are the same products, taken again in one
multiplication after the loop (bit for bit the loop's: fewer per-step views to make).
"""

from __future__ import annotations

import numpy as np

from lstm_core.fast.layout import finish_trace_fm, prepare_stacked_weights, stacked_inputs
from lstm_core.fast.workspace import Workspace, scratch
from lstm_core.params import LSTMParams
from lstm_core.trace import LSTMTrace
from lstm_core.validate import check_inputs

# Internal gate order: the three sigmoid gates first (one contiguous block), the output gate first of all
# (the backward pass scales its block by dh_t and the other three by dc_t).
_SIGMOID = ("output", "input", "forget")
ORDER = (*_SIGMOID, "candidate")


def run_lstm(
    params: LSTMParams,
    xs: object,
    h0: object | None = None,
    c0: object | None = None,
    *,
    workspace: Workspace | None = None,
) -> LSTMTrace:
    """``lstm_core.run_lstm`` for training: ``xs`` (T, D) or (B, T, D), ``h0``, ``c0`` (H,) or (B, H).

    ``workspace``: the trace's arrays are written into its buffers, with bit-identical numbers, and **the
    next call with the same workspace overwrites this trace** (see :class:`~lstm_core.fast.Workspace`).
    """
    if not isinstance(params, LSTMParams):
        raise ValueError(f"run_lstm needs LSTMParams; got {type(params).__name__}")
    x, h_init, c_init, batched = check_inputs(params, xs, (h0, c0), ("h0", "c0"))
    T, B, D = x.shape
    H = params.hidden_size
    dt = x.dtype
    w = prepare_stacked_weights(params, ORDER, n_sigmoid=len(_SIGMOID))  # (4H, H + D + 1) [W_hh | W_ih | b]
    u = stacked_inputs(workspace, "lstm.u", x, h_init, H)  # (T + 1, H + D + 1, B): [h_{t-1}; x_t; 1]
    z = scratch(workspace, "lstm.z", (T, 4 * H, B), dt)  # z_t, blocks o, i, f, g; sigmoid rows halved
    # Step t's block of ``act``: the gates o, i, f, g (4H rows), then C_{t-1} (H rows), so that
    # [i; f] * [g; C_{t-1}] is one multiplication; the block T holds only C_T.
    act = scratch(workspace, "lstm.act", (T + 1, 5 * H, B), dt)
    cell = act[:, 4 * H :]  # C_0, C_1 … C_T (T + 1, H, B)
    np.copyto(cell[0], c_init.T)
    cell_tanh = scratch(workspace, "lstm.cell_tanh", (T, H, B), dt)  # tanh(C_t)
    parts_t = np.empty((2 * H, B), dtype=dt)  # [C^i; C^f] of the current step, reused
    one, half = np.array(1.0, dtype=dt), np.array(0.5, dtype=dt)  # 0-d: cheaper than floats
    # Per-step views made once, in C (``list`` of an array); every one is a contiguous block.
    steps = zip(
        list(u[:T]),  # u_t = [h_{t-1}; x_t; 1]
        list(z),  # z_t (4H, B)
        list(act[:T, : 4 * H]),  # the gates (4H, B)
        list(act[:T, : 3 * H]),  # the three sigmoid blocks o, i, f
        list(act[:T, :H]),  # o_t
        list(act[:T, H : 3 * H]),  # [i_t; f_t]
        list(act[:T, 3 * H :]),  # [g_t; C_{t-1}]
        list(cell[1:]),  # C_t
        list(cell_tanh),
        list(u[1:, :H]),  # h_t, written into the next step's u
        strict=True,
    )
    dot, tanh, add, mul = np.dot, np.tanh, np.add, np.multiply
    ci, cf = parts_t[:H], parts_t[H:]
    for u_t, z_t, a, s, o, i_f, g_c, c_t, c_tanh, h_t in steps:
        dot(w, u_t, out=z_t)  # z_t = W_hh h_{t-1} + W_ih x_t + b (sigmoid rows halved)
        tanh(z_t, out=a)  # candidate rows: tanh; sigmoid rows: tanh(z/2)
        add(s, one, out=s)
        mul(s, half, out=s)  # σ = (1 + tanh(z/2)) / 2
        mul(i_f, g_c, out=parts_t)  # C^i = i * C̃, C^f = f * C_{t-1}
        add(ci, cf, out=c_t)  # C_t = C^f + C^i
        tanh(c_t, out=c_tanh)
        mul(o, c_tanh, out=h_t)  # h_t = o * tanh(C_t)
    parts = scratch(workspace, "lstm.parts", (T, 2 * H, B), dt)  # [C^i; C^f] of every step, as in the loop
    mul(act[:T, H : 3 * H], act[:T, 3 * H :], out=parts)
    z[:, : 3 * H] *= dt.type(2)  # the sigmoid rows held z/2 exactly: now z

    blocks = {name: k * H for k, name in enumerate(ORDER)}
    gates = {name: act[:T, k : k + H] for name, k in blocks.items()}
    pre = {f"pre_{name}": z[:, k : k + H] for name, k in blocks.items()}
    return finish_trace_fm(
        LSTMTrace,
        batched,
        xs=u[:T, H : H + D],
        h0=u[0, :H],
        c0=cell[0],
        forget_part=parts[:, H:],
        input_part=parts[:, :H],
        hidden=u[1:, :H],
        cell=cell[1:],
        cell_tanh=cell_tanh,
        **pre,
        **gates,
    )
