r"""The plain (Elman) RNN with tanh, PyTorch's ``nn.RNN`` equations exactly.

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)        hidden state  ``hidden``

(The lectures write h_t = tanh(W_hh h_{t-1} + W_xh x_t) and a readout y_t = W_hy h_t; W_xh is
``weight_ih``. The readout lives in ``train``.) The hidden state is squashed through tanh at every
step: the repeated squashing that makes a plain RNN's gradient vanish over long gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.params import RNNParams
from lstm_core.trace import Trace, Workspace, finish_trace, prepare_inputs, prepare_weights, scratch


@dataclass(frozen=True, eq=False)
class RNNTrace(Trace):
    """Every value a plain RNN computed: the hidden states (T, H) or (B, T, H)."""

    STATE_NAMES = ("hidden",)


def run_rnn(
    params: RNNParams, xs: object, h0: object | None = None, *, workspace: Workspace | None = None
) -> RNNTrace:
    """Run the plain RNN over ``xs`` (T, D) or (B, T, D); ``h0`` is (H,) or (B, H), zeros when omitted.

    ``workspace`` (training loops only): as in ``run_lstm``, the trace lives in its buffers (same numbers)
    and the next call with the same workspace overwrites it."""
    if not isinstance(params, RNNParams):
        raise ValueError(f"run_rnn needs RNNParams; got {type(params).__name__}")
    x, h_init, batched = prepare_inputs(params, xs, (h0,), ("h0",))
    T, B, _ = x.shape
    w_x, w_h, b_x, b_h = prepare_weights(params, ("hidden",), n_sigmoid=0)

    hidden = scratch(workspace, "rnn.hidden", (T, B, params.hidden_size), x.dtype)  # (T, B, H)
    np.dot(x.reshape(T * B, -1), w_x, out=hidden.reshape(T * B, -1))  # W_ih x_t first
    hidden += b_x + b_h
    rec = np.empty((B, params.hidden_size), dtype=x.dtype)  # W_hh h_{t-1}, reused
    dot, tanh, add = np.dot, np.tanh, np.add
    h = h_init
    for h_t in list(hidden):  # per-step views made once, in C
        dot(h, w_h, out=rec)
        add(h_t, rec, out=h_t)
        tanh(h_t, out=h_t)  # h_t
        h = h_t
    return finish_trace(RNNTrace, batched, xs=x, h0=h_init, hidden=hidden)
