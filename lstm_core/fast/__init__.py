"""The training path: the reference cells' equations fused into few, large operations, and BPTT.

``run_lstm``, ``run_gru`` and ``run_rnn`` here return the same traces as ``lstm_core.run_lstm`` etc., field
for field, equal to rounding (``tests/test_fast_equals_reference.py``), several times faster: they write into
preallocated (optionally reused, :class:`Workspace`) buffers, one GEMM per step, one ``tanh`` for all
gates. ``lstm_backward``, ``gru_backward`` and ``rnn_backward`` take a trace from either path. The app's
pages run the readable reference; ``lstm_core.train`` runs this package.
"""

from lstm_core.fast.backward import Backward, gru_backward, lstm_backward, rnn_backward
from lstm_core.fast.gru import run_gru
from lstm_core.fast.lstm import run_lstm
from lstm_core.fast.rnn import run_rnn
from lstm_core.fast.workspace import Workspace

__all__ = [
    "Backward",
    "Workspace",
    "gru_backward",
    "lstm_backward",
    "rnn_backward",
    "run_gru",
    "run_lstm",
    "run_rnn",
]
