r"""Backpropagation through time for the LSTM, GRU and plain RNN, walking a forward trace in reverse.

Every function takes the parameters, the trace the forward pass returned and ``d_hidden`` = δh_t, the
upstream gradient ∂loss/∂h_t on every hidden state (as if loss = Σ_t δh_t · h_t). It returns a
:class:`Backward`: the parameter gradients (an ``LSTMParams``/``GRUParams``/``RNNParams`` in PyTorch's
layout), ∂loss/∂x_t, ∂loss/∂h_0 (and ∂loss/∂C_0), and the *total* gradients dh_t (and dc_t) that
reach every step, including what flows back from later steps: the "gradient flow" the app plots.
``input_grads=False`` skips ∂loss/∂x_t (``d_xs`` is then None): training on data needs no gradient on its
inputs (nor does torch compute one for inputs that do not require it).

The trace may come from the reference cells (``lstm_core.run_lstm``; the app's gradient-flow page) or from
the fast path (``lstm_core.fast.run_lstm``; training): the gradients are the same to rounding
(``tests/test_fast_equals_reference.py``).

Notation shared by the three cells (per-step arrays are (B, ·), one row per sequence of the batch):
``dh`` = dh_t, ``dc`` = dc_t, ``dz`` = the gradient on the fused gate pre-activations of step t, so
that after the loop the weight gradients are one GEMM over all timesteps:

    dW_ih = Σ_t dz_tᵀ x_t        dW_hh = Σ_t dz_tᵀ h_{t-1}        db = Σ_t Σ_batch dz_t
    dx_t  = dz_t W_ih            dh_0  = dz_0 W_hh (+ the cell's direct path, GRU)

One module per cell (``lstm.py``, ``gru.py``, ``rnn.py``); what they share is in ``common.py``.
"""

from lstm_core.fast.backward.common import Backward
from lstm_core.fast.backward.gru import gru_backward
from lstm_core.fast.backward.lstm import lstm_backward
from lstm_core.fast.backward.rnn import rnn_backward

__all__ = ["Backward", "gru_backward", "lstm_backward", "rnn_backward"]
