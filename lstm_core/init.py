"""Seeded initialisation: the same seed always gives the same weights.

Like PyTorch, every weight and bias is drawn from U(-k, k) with k = 1/sqrt(H), but from NumPy's
``default_rng(seed)`` (PyTorch's own random stream cannot be reproduced without torch).
"""

from __future__ import annotations

import numpy as np

from lstm_core.params import CellParams, GRUParams, LSTMParams, RNNParams
from lstm_core.validate import check_dtype


def _check_sizes(input_size: object, hidden_size: object) -> None:
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")


def _init(cls: type[CellParams], input_size: int, hidden_size: int, seed: int, dtype: object) -> CellParams:
    _check_sizes(input_size, hidden_size)
    dtype = check_dtype(dtype)
    rng = np.random.default_rng(seed)
    rows = len(cls.GATES) * hidden_size
    k = 1.0 / np.sqrt(hidden_size)
    shapes = ((rows, input_size), (rows, hidden_size), (rows,), (rows,))
    arrays = [rng.uniform(-k, k, size=s) for s in shapes]
    return cls(*(a.astype(dtype) for a in arrays))


def init_lstm(
    input_size: int, hidden_size: int, seed: int = 0, forget_bias: float = 0.0, dtype: object = np.float64
) -> LSTMParams:
    """Seeded LSTM weights. ``forget_bias`` is added to the forget gate's ``bias_ih`` block
    (1.0 is the classic trick that keeps the cell remembering early in training)."""
    params = _init(LSTMParams, input_size, hidden_size, seed, dtype)
    if forget_bias == 0.0:
        return params
    arrays = params.to_torch()
    h = hidden_size
    arrays["bias_ih"][h : 2 * h] += forget_bias
    return LSTMParams(**arrays)


def init_gru(input_size: int, hidden_size: int, seed: int = 0, dtype: object = np.float64) -> GRUParams:
    """Seeded GRU weights."""
    return _init(GRUParams, input_size, hidden_size, seed, dtype)


def init_rnn(input_size: int, hidden_size: int, seed: int = 0, dtype: object = np.float64) -> RNNParams:
    """Seeded plain-RNN weights."""
    return _init(RNNParams, input_size, hidden_size, seed, dtype)
