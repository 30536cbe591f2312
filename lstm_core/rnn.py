r"""The plain (Elman) RNN with tanh, ``torch.nn.RNN``'s equations, one line of code per equation.

For each timestep t, with x_t (D,), h_{t-1} (H,) and PyTorch's ``weight_ih`` W_ih (H, D), ``weight_hh``
W_hh (H, H) and biases b_ih, b_hh (H,):

    z_t = W_hh h_{t-1} + W_ih x_t + b,   b = b_ih + b_hh        pre-activation  ``pre_hidden``
    h_t = tanh(z_t)                                              hidden state    ``hidden``

The trace keeps the three terms of z_t apart: W_hh h_{t-1} (``from_h``), W_ih x_t (``from_x``) and b
(``bias``). The lectures write W_xh for W_ih, and a readout y_t = W_hy h_t (it lives in ``train``). The
hidden state is squashed through tanh at every step: the repeated squashing that makes a plain RNN's
gradient vanish over long gaps.

In the code a batch of B sequences is held as rows, so W x_t is written ``x_t @ W.T``: (B, D) @ (D, H) →
(B, H).
"""

from __future__ import annotations

import numpy as np

from lstm_core.activations import tanh
from lstm_core.params import RNNParams
from lstm_core.trace import RNNTrace, finish_trace
from lstm_core.validate import check_inputs


def run_rnn(params: RNNParams, xs: object, h0: object | None = None) -> RNNTrace:
    """Run the plain RNN over ``xs`` (T, D) or (B, T, D); ``h0`` is (H,) or (B, H), zeros when omitted.

    Returns every value of every step (the trace), computed in ``params.dtype``.
    """
    if not isinstance(params, RNNParams):
        raise ValueError(f"run_rnn needs RNNParams; got {type(params).__name__}")
    x, h_0, batched = check_inputs(params, xs, (h0,), ("h0",))  # (T, B, D), (B, H)
    W_ih, W_hh = params.weight_ih, params.weight_hh  # (H, D), (H, H)
    b = params.bias_ih + params.bias_hh  # (H,)

    # W_ih x_t does not depend on h_{t-1}: one matmul computes it for all T steps before the loop (T, B, H),
    # instead of T small ones inside it.
    Wx = x @ W_ih.T

    h = h_0  # h_{t-1} (B, H)
    steps = []
    for t in range(len(x)):
        Wh = h @ W_hh.T  # (B, H)  W_hh h_{t-1}
        z = Wh + Wx[t] + b  # (B, H)  z_t
        h = tanh(z)  # (B, H)  h_t
        steps.append((Wh, z, h))

    Wh, z, h = (np.array(values) for values in zip(*steps, strict=True))  # (T, B, H) each
    bias = np.broadcast_to(b, h.shape)  # b at every step, without copies
    return finish_trace(
        RNNTrace, batched, xs=x, h0=h_0, from_h=Wh, from_x=Wx, bias=bias, pre_hidden=z, hidden=h
    )
