r"""The LSTM cell as the lecture writes it: one line of code per equation.

For each timestep t, with the input x_t (D,), the previous hidden state h_{t-1} and cell state C_{t-1}
(H,), and PyTorch's weights split by gate (``params.gate_block``; gates i input, f forget, g candidate,
o output): W_i· (H, D) the gate's rows of ``weight_ih``, W_h· (H, H) its rows of ``weight_hh``, b_i· and
b_h· (H,) its entries of ``bias_ih`` and ``bias_hh``:

    z^f_t = W_if x_t + b_if + b_hf + W_hf h_{t-1}   forget pre-activation   ``pre_forget``
    z^i_t = W_ii x_t + b_ii + b_hi + W_hi h_{t-1}   input pre-activation    ``pre_input``
    z^g_t = W_ig x_t + b_ig + b_hg + W_hg h_{t-1}   candidate pre-act.      ``pre_candidate``
    z^o_t = W_io x_t + b_io + b_ho + W_ho h_{t-1}   output pre-activation   ``pre_output``
    f_t   = σ(z^f_t)                                forget gate             ``forget``
    i_t   = σ(z^i_t)                                input gate              ``input``
    C̃_t   = tanh(z^g_t)                             candidate               ``candidate``
    o_t   = σ(z^o_t)                                output gate             ``output``
    C^f_t = f_t * C_{t-1}                           what the cell keeps     ``forget_part``
    C^i_t = i_t * C̃_t                               what the cell writes    ``input_part``
    C_t   = C^f_t + C^i_t                           cell state              ``cell``
    h_t   = o_t * tanh(C_t)                         hidden state            ``hidden``

with tanh(C_t) kept as ``cell_tanh``.

These are ``torch.nn.LSTM``'s equations (its documentation orders the terms W_if x_t + b_if + W_hf h_{t-1}
+ b_hf). colah's f_t = σ(W_f·[h_{t-1}, x_t] + b_f) is the same computation with W_f = [W_hf, W_if] and
b_f = b_if + b_hf (see ``notation.py``): the two biases only ever appear as their sum, so parameters that
split it differently give the same trace, bit for bit.

In the code a batch of B sequences is held as rows, so W x_t is written ``x_t @ W.T``: (B, D) @ (D, H) →
(B, H). ``run_lstm`` computes each step's gates, then hands them to ``cell_update``: the last four
equations, which the gate lab also calls with gates set by hand. The training path runs the same
equations fused into fewer, larger operations (``lstm_core.fast``, tested equal to this module).
``run_lstm(..., clamps=[Clamp(gate, unit, step, value)])`` sets gates by hand in a run (``intervene.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from lstm_core.activations import sigmoid, tanh
from lstm_core.intervene import Clamp, clamps_by_step, set_by_hand, with_clamps
from lstm_core.params import LSTMParams
from lstm_core.trace import LSTMTrace, finish_trace
from lstm_core.validate import as_float_array, check_inputs


class CellUpdate(NamedTuple):
    """The last four equations of one step, each the shape of the gates: (B, H), or (H,) for one vector."""

    forget_part: np.ndarray  # C^f_t = f_t * C_{t-1}
    input_part: np.ndarray  # C^i_t = i_t * C̃_t
    cell: np.ndarray  # C_t = C^f_t + C^i_t
    cell_tanh: np.ndarray  # tanh(C_t)
    hidden: np.ndarray  # h_t = o_t * tanh(C_t)


def cell_update(c_prev: object, f: object, i: object, g: object, o: object) -> CellUpdate:
    """The cell state updated twice (forget, then store) and the new hidden state, from the four gates.

    With C_{t-1} = [1, 2, 4] and f = [1, 0, 1] the forget product is C^f = [1, 0, 4]: unit 2 forgets.
    """
    c_prev, f, i, g, o = (np.asarray(a) for a in (c_prev, f, i, g, o))
    forget_part = f * c_prev  # C^f_t = f_t * C_{t-1}
    input_part = i * g  # C^i_t = i_t * C̃_t
    cell = forget_part + input_part  # C_t = C^f_t + C^i_t
    cell_tanh = tanh(cell)
    hidden = o * cell_tanh  # h_t = o_t * tanh(C_t)
    return CellUpdate(forget_part, input_part, cell, cell_tanh, hidden)


# the order of each step's record: the pre-activations, the gates, then the update's five values
_STEP_FIELDS = (
    *("pre_forget", "pre_input", "pre_candidate", "pre_output"),
    *("forget", "input", "candidate", "output"),
    *CellUpdate._fields,
)


def run_lstm(
    params: LSTMParams,
    xs: object,
    h0: object | None = None,
    c0: object | None = None,
    clamps: Iterable[Clamp] = (),
) -> LSTMTrace:
    """Run the LSTM over ``xs`` (T, D) or (B, T, D); return every value of every step (the trace).

    ``h0`` and ``c0`` are (H,) for one sequence or (B, H) for a batch; zeros when omitted. Computes in
    ``params.dtype`` (float64 for the pages). ``clamps``: gates set by hand (``intervene.py``); the trace
    then records them.
    """
    if not isinstance(params, LSTMParams):
        raise ValueError(f"run_lstm needs LSTMParams; got {type(params).__name__}")
    x, h_0, c_0, batched = check_inputs(params, xs, (h0, c0), ("h0", "c0"))  # (T, B, D), (B, H), (B, H)
    by_step = clamps_by_step(clamps, len(x), params.hidden_size)  # {t: the clamps at step t}
    gates = params.GATES  # input, forget, candidate, output
    W_ii, W_if, W_ig, W_io = (params.gate_block("weight_ih", gate) for gate in gates)  # (H, D) each
    W_hi, W_hf, W_hg, W_ho = (params.gate_block("weight_hh", gate) for gate in gates)  # (H, H) each
    b_ii, b_if, b_ig, b_io = (params.gate_block("bias_ih", gate) for gate in gates)  # (H,) each
    b_hi, b_hf, b_hg, b_ho = (params.gate_block("bias_hh", gate) for gate in gates)  # (H,) each

    # W_i· x_t + b_i· + b_h· does not depend on h_{t-1}: one matmul per gate computes it for all T steps
    # before the loop (T, B, H), instead of T small ones inside it. The loop adds W_h· h_{t-1}.
    Wx_i = x @ W_ii.T + (b_ii + b_hi)
    Wx_f = x @ W_if.T + (b_if + b_hf)
    Wx_g = x @ W_ig.T + (b_ig + b_hg)
    Wx_o = x @ W_io.T + (b_io + b_ho)

    h, c = h_0, c_0  # h_{t-1}, C_{t-1} (B, H)
    steps = []
    for t in range(len(x)):
        z_f = Wx_f[t] + h @ W_hf.T  # (B, H)  z^f_t = W_if x_t + b_if + b_hf + W_hf h_{t-1}
        z_i = Wx_i[t] + h @ W_hi.T  # (B, H)  z^i_t
        z_g = Wx_g[t] + h @ W_hg.T  # (B, H)  z^g_t
        z_o = Wx_o[t] + h @ W_ho.T  # (B, H)  z^o_t
        f = sigmoid(z_f)  # (B, H)  f_t  forget gate
        i = sigmoid(z_i)  # (B, H)  i_t  input gate
        g = tanh(z_g)  # (B, H)  C̃_t  candidate
        o = sigmoid(z_o)  # (B, H)  o_t  output gate
        f, i, g, o = set_by_hand(by_step.get(t, ()), f, i, g, o)  # gates clamped at step t, if any
        new = cell_update(c, f, i, g, o)  # C^f_t, C^i_t, C_t, tanh(C_t), h_t, each (B, H)
        steps.append((z_f, z_i, z_g, z_o, f, i, g, o, *new))
        h, c = new.hidden, new.cell

    columns = zip(*steps, strict=True)  # each value over all T steps
    per_step = {name: np.array(values) for name, values in zip(_STEP_FIELDS, columns, strict=True)}
    trace = finish_trace(LSTMTrace, batched, xs=x, h0=h_0, c0=c_0, **per_step)  # (T, B, H) → (B, T, H)
    return with_clamps(trace, by_step)  # records the clamps applied (a ClampedTrace), if any


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
