r"""A trainable model: a recurrent cell (LSTM, GRU or plain RNN) followed by a linear readout.

For a one-hot input x_t (D = len(vocab)) the cell gives h_t (H,); the readout turns it into class
scores (logits) and probabilities:

    y_t = W_y h_t + b_y            (K,)   logits, K = len(classes)
    p_t = softmax(y_t)             (K,)   P(class | tokens up to t)

``CELLS`` is the registry of cell kinds: how to initialise each one, run it forward (``run``: the
readable reference the pages show; ``run_fast``: the training path, same numbers) and backward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lstm_core import fast
from lstm_core.fast.backward import Backward
from lstm_core.gru import run_gru
from lstm_core.init import init_gru, init_lstm, init_rnn
from lstm_core.lstm import run_lstm
from lstm_core.params import CellParams
from lstm_core.rnn import run_rnn
from lstm_core.trace import Trace
from lstm_core.validate import as_float_array, check_dtype, check_shape


@dataclass(frozen=True)
class CellKind:
    """How to initialise, run and differentiate one kind of cell."""

    name: str
    init: Callable[..., CellParams]  # init(D, H, seed=, dtype=[, forget_bias=])
    run: Callable[..., Trace]  # run(params, xs) -> trace: the reference, for the pages
    run_fast: Callable[..., Trace]  # run_fast(params, xs, workspace=) -> the same trace, for training
    backward: Callable[..., Backward]  # backward(params, trace, d_hidden, workspace=, input_grads=)
    has_forget_bias: bool = False


CELLS: dict[str, CellKind] = {
    "lstm": CellKind("lstm", init_lstm, run_lstm, fast.run_lstm, fast.lstm_backward, has_forget_bias=True),
    "gru": CellKind("gru", init_gru, run_gru, fast.run_gru, fast.gru_backward),
    "rnn": CellKind("rnn", init_rnn, run_rnn, fast.run_rnn, fast.rnn_backward),
}


def cell_kind(name: str) -> CellKind:
    """The registry entry for ``name``; ``ValueError`` naming the choices otherwise."""
    if name not in CELLS:
        raise ValueError(f"unknown cell {name!r}; choose one of {', '.join(CELLS)}")
    return CELLS[name]


def _frozen(arr: np.ndarray) -> np.ndarray:
    out = np.array(arr, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class Model:
    """Cell parameters (PyTorch layout) and the readout W_y (K, H), b_y (K,). Arrays are read-only."""

    cell: CellParams
    W_y: np.ndarray  # (K, H)
    b_y: np.ndarray  # (K,)

    def __post_init__(self) -> None:
        if not isinstance(self.cell, CellParams):
            raise ValueError(
                f"Model.cell must be LSTM, GRU or RNN parameters; got {type(self.cell).__name__}"
            )
        dt = self.cell.dtype
        W_y = as_float_array(self.W_y, "W_y", dt)
        if W_y.ndim != 2 or W_y.shape[0] < 1:
            raise ValueError(f"W_y must be a matrix (K, H) with K >= 1; got shape {W_y.shape}")
        check_shape(W_y, "W_y", (W_y.shape[0], self.cell.hidden_size), "(K, H)")
        b_y = as_float_array(self.b_y, "b_y", dt)
        check_shape(b_y, "b_y", (W_y.shape[0],), "(K,)")
        object.__setattr__(self, "W_y", _frozen(W_y))
        object.__setattr__(self, "b_y", _frozen(b_y))

    @property
    def kind(self) -> str:
        return self.cell.KIND

    @property
    def input_size(self) -> int:
        return self.cell.input_size

    @property
    def hidden_size(self) -> int:
        return self.cell.hidden_size

    @property
    def n_classes(self) -> int:
        return int(self.W_y.shape[0])

    @property
    def dtype(self) -> np.dtype:
        return self.cell.dtype

    def astype(self, dtype: object) -> Model:
        """The same model cast to float64 or float32."""
        dt = check_dtype(dtype)
        return Model(self.cell.astype(dt), self.W_y.astype(dt), self.b_y.astype(dt))

    def to_flat(self) -> tuple[np.ndarray, ...]:
        """(weight_ih, weight_hh, bias_ih, bias_hh, W_y, b_y): the order Adam sees."""
        c = self.cell
        return (c.weight_ih, c.weight_hh, c.bias_ih, c.bias_hh, self.W_y, self.b_y)

    def from_flat(self, arrays: tuple[np.ndarray, ...]) -> Model:
        """A model of the same kind built from ``to_flat``-ordered arrays."""
        if len(arrays) != 6:
            raise ValueError(f"a model has 6 arrays; got {len(arrays)}")
        return Model(type(self.cell)(*arrays[:4]), arrays[4], arrays[5])


def init_model(
    kind: str,
    input_size: int,
    hidden_size: int,
    n_classes: int,
    seed: int = 0,
    forget_bias: float = 0.0,
    dtype: object = np.float64,
) -> Model:
    """Seeded model. The cell comes from ``init_lstm``/``init_gru``/``init_rnn`` (seed ``seed``); the
    readout from U(-1/sqrt(H), 1/sqrt(H)) like ``torch.nn.Linear``, drawn from its own stream."""
    entry = cell_kind(kind)
    if int(n_classes) != n_classes or n_classes < 1:
        raise ValueError(f"n_classes must be a whole number >= 1; got {n_classes!r}")
    dt = check_dtype(dtype)
    extra = {"forget_bias": forget_bias} if entry.has_forget_bias else {}
    if forget_bias != 0.0 and not entry.has_forget_bias:
        raise ValueError(f"forget_bias only applies to an LSTM, not a {kind.upper()}")
    cell = entry.init(input_size, hidden_size, seed=seed, dtype=dt, **extra)
    rng = np.random.default_rng((seed, 1))
    k = 1.0 / np.sqrt(hidden_size)
    W_y = rng.uniform(-k, k, size=(n_classes, hidden_size)).astype(dt)
    b_y = rng.uniform(-k, k, size=n_classes).astype(dt)
    return Model(cell, W_y, b_y)


def run_model(model: Model, xs: object) -> tuple[Trace, np.ndarray]:
    """The cell's trace over ``xs`` (T, D) or (B, T, D), and the logits y_t = W_y h_t + b_y, (…, T, K).

    Runs the reference cell (what the pages show); training and evaluation run ``CellKind.run_fast``."""
    trace = CELLS[model.kind].run(model.cell, xs)
    logits = np.dot(trace.hidden, model.W_y.T)
    logits += model.b_y
    return trace, logits
