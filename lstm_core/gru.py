r"""The GRU cell (``torch.nn.GRU``'s equations), one line of code per equation.

For each timestep t, with x_t (D,), h_{t-1} (H,) and PyTorch's weights split by gate (``params.gate_block``;
gates r reset, z update, n candidate): W_i· (H, D) the gate's rows of ``weight_ih``, W_h· (H, H) its rows
of ``weight_hh``, b_i· and b_h· (H,) its entries of ``bias_ih`` and ``bias_hh``:

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)              reset gate    ``reset``
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)              update gate   ``update``
    n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))   candidate     ``candidate``
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                       hidden state  ``hidden``

The trace keeps each gate's input part W_i· x_t + b_i· (``reset_from_x``, ``update_from_x``,
``candidate_from_x``) and recurrent part W_h· h_{t-1} + b_h· (``reset_from_h``, ``update_from_h``,
``candidate_from_h``): the page shows r_t = σ(input part + recurrent part). r_t multiplies the recurrent
part of n_t *including* its bias b_hn (PyTorch's choice), so the two biases of the n block are not
interchangeable.

In the code a batch of B sequences is held as rows, so W x_t is written ``x_t @ W.T``: (B, D) @ (D, H) →
(B, H).
"""

from __future__ import annotations

import numpy as np

from lstm_core.activations import sigmoid, tanh
from lstm_core.params import GRUParams
from lstm_core.trace import GRUTrace, finish_trace
from lstm_core.validate import check_inputs


def run_gru(params: GRUParams, xs: object, h0: object | None = None) -> GRUTrace:
    """Run the GRU over ``xs`` (T, D) or (B, T, D); ``h0`` is (H,) or (B, H), zeros when omitted.

    Returns every value of every step (the trace), computed in ``params.dtype``.
    """
    if not isinstance(params, GRUParams):
        raise ValueError(f"run_gru needs GRUParams; got {type(params).__name__}")
    x, h_0, batched = check_inputs(params, xs, (h0,), ("h0",))  # (T, B, D), (B, H)
    gates = params.GATES  # reset, update, candidate
    W_ir, W_iz, W_in = (params.gate_block("weight_ih", gate) for gate in gates)  # (H, D) each
    W_hr, W_hz, W_hn = (params.gate_block("weight_hh", gate) for gate in gates)  # (H, H) each
    b_ir, b_iz, b_in = (params.gate_block("bias_ih", gate) for gate in gates)  # (H,) each
    b_hr, b_hz, b_hn = (params.gate_block("bias_hh", gate) for gate in gates)  # (H,) each

    # The input parts W_i· x_t + b_i· do not depend on h_{t-1}: one matmul per gate computes them for all
    # T steps before the loop (T, B, H), instead of T small ones inside it.
    r_x, z_x, n_x = x @ W_ir.T + b_ir, x @ W_iz.T + b_iz, x @ W_in.T + b_in

    h = h_0  # h_{t-1} (B, H)
    steps = []
    for t in range(len(x)):
        r_h = h @ W_hr.T + b_hr  # (B, H)  W_hr h_{t-1} + b_hr
        z_h = h @ W_hz.T + b_hz  # (B, H)  W_hz h_{t-1} + b_hz
        n_h = h @ W_hn.T + b_hn  # (B, H)  W_hn h_{t-1} + b_hn
        r = sigmoid(r_x[t] + r_h)  # (B, H)  r_t  reset gate
        z = sigmoid(z_x[t] + z_h)  # (B, H)  z_t  update gate
        n = tanh(n_x[t] + r * n_h)  # (B, H)  n_t  candidate
        h = (1 - z) * n + z * h  # (B, H)  h_t
        steps.append((r_h, z_h, n_h, r, z, n, h))

    r_h, z_h, n_h, r, z, n, h = (np.array(values) for values in zip(*steps, strict=True))  # (T, B, H) each
    return finish_trace(
        GRUTrace,
        batched,
        xs=x,
        h0=h_0,
        reset_from_x=r_x,
        reset_from_h=r_h,
        update_from_x=z_x,
        update_from_h=z_h,
        candidate_from_x=n_x,
        candidate_from_h=n_h,
        reset=r,
        update=z,
        candidate=n,
        hidden=h,
    )
