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

Speed (the page recomputes a trace on every edit): the input projection of all timesteps is one GEMM,
the four gates share one fused (4H) pre-activation per step, and one ``tanh`` call serves all gates via
σ(z) = (1 + tanh(z/2)) / 2, with the sigmoid rows of the weights pre-scaled by 1/2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.params import LSTMParams
from lstm_core.trace import Trace, Workspace, finish_trace, prepare_inputs, prepare_weights, scratch
from lstm_core.validate import as_float_array

# Internal gate order puts the three sigmoid gates first so they form one contiguous slice.
_SIGMOID = ("input", "forget", "output")
_ORDER = (*_SIGMOID, "candidate")


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
    T, B, _ = x.shape
    H = params.hidden_size
    w_x, w_h, b_x, b_h = prepare_weights(params, _ORDER, n_sigmoid=len(_SIGMOID))

    dt = x.dtype
    act = scratch(workspace, "lstm.act", (T, B, 4 * H), dt)  # (T, B, 4H) pre-activations
    np.dot(x.reshape(T * B, -1), w_x, out=act.reshape(T * B, 4 * H))
    act += b_x + b_h  # b = b_ih + b_hh
    cell = scratch(workspace, "lstm.cell", (T, B, H), dt)  # C_t
    cell_tanh = scratch(workspace, "lstm.cell_tanh", (T, B, H), dt)  # tanh(C_t)
    hidden = scratch(workspace, "lstm.hidden", (T, B, H), dt)  # h_t
    rec = np.empty((B, 4 * H), dtype=x.dtype)  # W_h* h_{t-1}, reused
    ig = np.empty((B, H), dtype=x.dtype)  # i_t * g_t, reused
    one, half = np.array(1.0, dtype=x.dtype), np.array(0.5, dtype=x.dtype)  # 0-d: cheaper than floats
    # Per-step views made once, in C (``list`` of an array), instead of slicing inside the loop.
    steps = zip(
        list(act),  # z_t (B, 4H): pre-activations, then the gates in place
        list(act[:, :, : 3 * H]),  # the three sigmoid blocks i, f, o
        list(act[:, :, :H]),  # i_t
        list(act[:, :, H : 2 * H]),  # f_t
        list(act[:, :, 2 * H : 3 * H]),  # o_t
        list(act[:, :, 3 * H :]),  # g_t = C̃_t
        list(cell),
        list(cell_tanh),
        list(hidden),
        strict=True,
    )
    dot, tanh, add, mul = np.dot, np.tanh, np.add, np.multiply
    h, c = h_init, c_init
    for z, s, i, f, o, g, c_t, c_tanh, h_t in steps:
        dot(h, w_h, out=rec)
        add(z, rec, out=z)
        tanh(z, out=z)  # candidate rows: tanh; sigmoid rows: tanh(z/2) (weights pre-halved)
        add(s, one, out=s)
        mul(s, half, out=s)  # σ = (1 + tanh(z/2)) / 2
        mul(f, c, out=c_t)  # C^f = f * C_{t-1}
        mul(i, g, out=ig)  # C^i = i * C̃
        add(c_t, ig, out=c_t)  # C_t = C^f + C^i
        tanh(c_t, out=c_tanh)
        mul(o, c_tanh, out=h_t)  # h_t = o * tanh(C_t)
        h, c = h_t, c_t

    gates = {name: act[..., k * H : (k + 1) * H] for k, name in enumerate(_ORDER)}
    return finish_trace(
        LSTMTrace,
        batched,
        xs=x,
        h0=h_init,
        c0=c_init,
        hidden=hidden,
        cell=cell,
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
