"""Gate by Gate's NumPy core: LSTM, GRU and plain RNN cells that return every intermediate value.

Imports NumPy only. ``run_lstm``, ``run_gru`` and ``run_rnn`` are the readable reference cells the pages
run (``lstm.py``, ``gru.py``, ``rnn.py``: one line of code per equation); ``lstm_core.fast`` holds the same
cells fused for training, the backward passes and the training ``Workspace``. The numbers match PyTorch's
``nn.LSTM``, ``nn.GRU`` and ``nn.RNN`` (float64, checked against committed golden values in
``tests/golden``).
"""

from lstm_core.activations import sigmoid, softmax, tanh
from lstm_core.fast.backward import Backward, gru_backward, lstm_backward, rnn_backward
from lstm_core.gru import run_gru
from lstm_core.init import init_gru, init_lstm, init_rnn
from lstm_core.lstm import CellUpdate, cell_update, lstm_step, run_lstm
from lstm_core.notation import (
    ConcatWeights,
    SplitWeights,
    from_concat,
    from_split,
    lstm_params_from_keras,
    lstm_params_to_keras,
    to_concat,
    to_split,
)
from lstm_core.params import (
    PARAMS_BY_KIND,
    CellParams,
    GRUParams,
    LSTMParams,
    RNNParams,
    gru_params_from_torch,
    gru_params_to_torch,
    lstm_params_from_torch,
    lstm_params_to_torch,
    params_from_arrays,
    rnn_params_from_torch,
    rnn_params_to_torch,
)
from lstm_core.rnn import run_rnn
from lstm_core.trace import GRUTrace, LSTMTrace, RNNTrace, Trace

__all__ = [
    "PARAMS_BY_KIND",
    "Backward",
    "CellParams",
    "CellUpdate",
    "ConcatWeights",
    "GRUParams",
    "GRUTrace",
    "LSTMParams",
    "LSTMTrace",
    "RNNParams",
    "RNNTrace",
    "SplitWeights",
    "Trace",
    "cell_update",
    "from_concat",
    "from_split",
    "gru_backward",
    "gru_params_from_torch",
    "gru_params_to_torch",
    "init_gru",
    "init_lstm",
    "init_rnn",
    "load_examples",
    "lstm_backward",
    "lstm_params_from_keras",
    "lstm_params_from_torch",
    "lstm_params_to_keras",
    "lstm_params_to_torch",
    "lstm_step",
    "params_from_arrays",
    "rnn_backward",
    "rnn_params_from_torch",
    "rnn_params_to_torch",
    "run_example",
    "run_gru",
    "run_lstm",
    "run_rnn",
    "sigmoid",
    "softmax",
    "tanh",
    "to_concat",
    "to_split",
]


def __getattr__(name: str) -> object:
    """``load_examples`` and ``run_example`` on first use: ``lstm_core.examples`` brings the story models and
    the training code they load with (tens of milliseconds of imports), which a page that only runs a cell
    never needs."""
    if name in ("load_examples", "run_example"):
        from lstm_core import examples

        return getattr(examples, name)
    raise AttributeError(f"module 'lstm_core' has no attribute {name!r}")
