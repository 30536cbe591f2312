r"""The LSTM cell, run over a whole sequence, returning every intermediate value.

For each timestep t, with x_t (D,), h_{t-1} and C_{t-1} (H,), and PyTorch's weights
(W_i* = rows of ``weight_ih``, W_h* = rows of ``weight_hh``, b = bias_ih + bias_hh):

    i_t  = σ(W_ii x_t + W_hi h_{t-1} + b_i)          input gate      ``input``
    f_t  = σ(W_if x_t + W_hf h_{t-1} + b_f)          forget gate     ``forget``
    g_t  = tanh(W_ig x_t + W_hg h_{t-1} + b_g)       candidate C̃_t   ``candidate``
    o_t  = σ(W_io x_t + W_ho h_{t-1} + b_o)          output gate     ``output``
    C_t  = f_t * C_{t-1} + i_t * g_t                 cell state      ``cell``
    h_t  = o_t * tanh(C_t)                           hidden state    ``hidden``

These are exactly ``torch.nn.LSTM``'s equations. colah's form f_t = σ(W_f·[h_{t-1}, x_t] + b_f) is the
same computation with W_f = [W_hf, W_if] (see ``notation.py``).

Speed (the page recomputes a trace on every edit; training runs it every step): internally the arrays
are feature-major, one (4H, B) or (H, B) block per step with the batch along the fast axis, so every gate
and state of a step is a contiguous block (slices of a (B, 4H) row cost 3-4x more per operation). One
GEMM per step gives all four pre-activations, input, recurrent and bias terms together:

    z_t = W u_t,   W = [W_hh | W_ih | b_ih + b_hh] (4H, H + D + 1),   u_t = [h_{t-1}; x_t; 1] (H + D + 1, B)

with h_t written straight into u_{t+1}. One ``tanh`` call serves all gates via σ(z) = (1 + tanh(z/2)) / 2,
the sigmoid rows of W pre-scaled by 1/2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.params import LSTMParams
from lstm_core.trace import (
    Trace,
    Workspace,
    finish_trace_fm,
    prepare_inputs,
    prepare_stacked_weights,
    scratch,
    stacked_inputs,
)
from lstm_core.validate import as_float_array

# Internal gate order: the three sigmoid gates first (one contiguous block), the output gate first of all
# (the backward pass scales its block by dh_t and the other three by dc_t).
_SIGMOID = ("output", "input", "forget")
ORDER = (*_SIGMOID, "candidate")


@dataclass(frozen=True, eq=False)
class LSTMTrace(Trace):
    """Every value an LSTM computed. Per-step arrays are (T, H), or (B, T, H) for a batch."""

    forget: np.ndarray  # f_t
    input: np.ndarray  # i_t
    candidate: np.ndarray  # g_t = C̃_t
    output: np.ndarray  # o_t
    cell: np.ndarray  # C_t
    cell_tanh: np.ndarray  # tanh(C_t)
    c0: np.ndarray  # C_0, (H,) or (B, H)

    GATE_NAMES = ("forget", "input", "candidate", "output")
    STATE_NAMES = ("cell", "hidden")

    @property
    def cell_prev(self) -> np.ndarray:
        """C_{t-1} for every t: C_0 followed by C_1 … C_{T-1}."""
        return _shift_in(self.c0, self.cell)

    @property
    def forget_part(self) -> np.ndarray:
        """C_t^f = f_t * C_{t-1}: what survives of the old memory."""
        return self.forget * self.cell_prev

    @property
    def input_part(self) -> np.ndarray:
        """C_t^i = i_t * C̃_t: what this step writes."""
        return self.input * self.candidate


def _shift_in(first: np.ndarray, seq: np.ndarray) -> np.ndarray:
    axis = seq.ndim - 2  # the time axis
    return np.concatenate([np.expand_dims(first, axis), np.delete(seq, -1, axis=axis)], axis=axis)


def cell_update(c_prev: np.ndarray, f: np.ndarray, i: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The cell state updated twice: C^f = f * C_{t-1} (forget), then C = C^f + i * C̃ (store).

    With C_{t-1} = [1, 2, 4] and f = [1, 0, 1] the forget product is [1, 0, 4].
    """
    return np.asarray(f) * np.asarray(c_prev) + np.asarray(i) * np.asarray(g)


def run_lstm(
    params: LSTMParams,
    xs: object,
    h0: object | None = None,
    c0: object | None = None,
    *,
    workspace: Workspace | None = None,
) -> LSTMTrace:
    """Run the LSTM over ``xs`` (T, D) or (B, T, D); return the whole trace.

    ``h0`` and ``c0`` are (H,) for one sequence or (B, H) for a batch; zeros when omitted. Computes in
    ``params.dtype`` (float64 for the page, float32 for training).

    ``workspace`` (training loops only): the trace's gate and state arrays are written into its buffers,
    with bit-identical numbers, and **the next call with the same workspace overwrites this trace**
    (see :class:`~lstm_core.trace.Workspace`). The app never passes one.
    """
    if not isinstance(params, LSTMParams):
        raise ValueError(f"run_lstm needs LSTMParams; got {type(params).__name__}")
    x, h_init, c_init, batched = prepare_inputs(params, xs, (h0, c0), ("h0", "c0"))
    T, B, D = x.shape
    H = params.hidden_size
    dt = x.dtype
    w = prepare_stacked_weights(params, ORDER, n_sigmoid=len(_SIGMOID))  # (4H, H + D + 1) [W_hh | W_ih | b]
    u = stacked_inputs(workspace, "lstm.u", x, h_init, H)  # (T + 1, H + D + 1, B): [h_{t-1}; x_t; 1]
    # Step t's block of ``act``: z_t, then the gates o, i, f, g in place (4H rows), then C_{t-1} (H rows), so
    # that [i; f] * [g; C_{t-1}] is one multiplication; the block T holds only C_T.
    act = scratch(workspace, "lstm.act", (T + 1, 5 * H, B), dt)
    cell = act[:, 4 * H :]  # C_0, C_1 … C_T (T + 1, H, B)
    np.copyto(cell[0], c_init.T)
    cell_tanh = scratch(workspace, "lstm.cell_tanh", (T, H, B), dt)  # tanh(C_t)
    parts = np.empty((2 * H, B), dtype=dt)  # [C^i; C^f] = [i * g; f * C_{t-1}], reused
    one, half = np.array(1.0, dtype=dt), np.array(0.5, dtype=dt)  # 0-d: cheaper than floats
    # Per-step views made once, in C (``list`` of an array); every one is a contiguous block.
    steps = zip(
        list(u[:T]),  # u_t = [h_{t-1}; x_t; 1]
        list(act[:T, : 4 * H]),  # z_t (4H, B): pre-activations, then the gates in place
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
    ci, cf = parts[:H], parts[H:]
    for u_t, z, s, o, i_f, g_c, c_t, c_tanh, h_t in steps:
        dot(w, u_t, out=z)  # z_t = W_hh h_{t-1} + W_ih x_t + b (sigmoid rows halved)
        tanh(z, out=z)  # candidate rows: tanh; sigmoid rows: tanh(z/2)
        add(s, one, out=s)
        mul(s, half, out=s)  # σ = (1 + tanh(z/2)) / 2
        mul(i_f, g_c, out=parts)  # C^i = i * C̃, C^f = f * C_{t-1}
        add(ci, cf, out=c_t)  # C_t = C^f + C^i
        tanh(c_t, out=c_tanh)
        mul(o, c_tanh, out=h_t)  # h_t = o * tanh(C_t)

    gates = {name: act[:T, k * H : (k + 1) * H] for k, name in enumerate(ORDER)}
    return finish_trace_fm(
        LSTMTrace,
        batched,
        xs=u[:T, H : H + D],
        h0=u[0, :H],
        c0=cell[0],
        hidden=u[1:, :H],
        cell=cell[1:],
        cell_tanh=cell_tanh,
        **gates,
    )


def lstm_step(
    params: LSTMParams, x_t: object, h_prev: object | None = None, c_prev: object | None = None
) -> LSTMTrace:
    """One timestep: the trace of a length-1 sequence. See the module docstring.

    ``x_t`` is (D,) with ``h_prev``, ``c_prev`` (H,) and gives (1, H) arrays, or a batch (B, D) with
    (B, H) states giving (B, 1, H) arrays.
    """
    if not isinstance(params, LSTMParams):
        raise ValueError(f"lstm_step needs LSTMParams; got {type(params).__name__}")
    x = as_float_array(x_t, "x_t", params.dtype)
    if x.ndim not in (1, 2):
        raise ValueError(
            f"x_t must be one step (D,) = ({params.input_size},) or a batch of steps (B, D); "
            f"got shape {x.shape}"
        )
    return run_lstm(params, x[None, :] if x.ndim == 1 else x[:, None, :], h_prev, c_prev)
