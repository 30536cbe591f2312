"""One training step's loss and gradients, and held-out evaluation (accuracy, confusion matrix).

The scored positions of a batch are its steps with a target (``loss="per_step"``) or each sequence's
own last real step (``loss="last"``). Only the hidden states at those positions go through the readout:

    y_n = W_y h_n + b_y,   loss = mean cross-entropy,   δh_t = ∂loss/∂h_t (zero elsewhere)

and δh goes back through the cell (``lstm_backward`` etc.). Both directions run the training path
(``lstm_core.fast``, ``CellKind.run_fast``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.fast.workspace import Workspace, scratch
from lstm_core.tasks.base import Example
from lstm_core.train.batching import Batch, Encoded, encode, one_hot, one_hot_table
from lstm_core.train.losses import cross_entropy
from lstm_core.train.model import CELLS, Model
from lstm_core.train.readout import readout, readout_backward

LOSSES = ("per_step", "last")
FEATURE_MAJOR_CELLS = ("lstm",)  # cells whose backward reads δh fastest as a (T, H, B) buffer


def check_loss(loss: str) -> str:
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    return loss


def scored_positions(batch: Batch, loss: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, steps, targets) of the scored positions, each (N,)."""
    if check_loss(loss) == "last":
        rows = np.arange(len(batch.lengths))
        return rows, batch.lengths - 1, batch.last_targets()
    rows, steps = np.nonzero(batch.mask)
    return rows, steps, batch.targets[rows, steps]


@dataclass(frozen=True, eq=False)
class StepResult:
    """Loss, correct predictions out of ``count`` scored positions, and the gradients in
    ``Model.to_flat`` order (weight_ih, weight_hh, bias_ih, bias_hh, W_y, b_y)."""

    loss: float
    correct: int
    count: int
    grads: tuple[np.ndarray, ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.count if self.count else 0.0


def loss_and_grads(
    model: Model,
    batch: Batch,
    loss: str = "per_step",
    table: np.ndarray | None = None,
    *,
    workspace: Workspace | None = None,
) -> StepResult:
    """Forward, loss and backward on one batch (``table`` = ``one_hot_table``, made when omitted).

    ``workspace``: the training loop's :class:`~lstm_core.fast.Workspace`, reused by every step for the
    large intermediate arrays (same numbers, bit for bit). The returned gradients are fresh arrays either
    way.
    """
    if table is None:
        table = one_hot_table(model.input_size, model.dtype)
    kind = CELLS[model.kind]
    xs = one_hot(batch.ids, table)  # (B, T, D)
    trace = kind.run_fast(model.cell, xs, workspace=workspace)  # hidden (B, T, H)
    rows, steps, targets = scored_positions(batch, loss)
    h = trace.hidden[rows, steps]  # (N, H)
    logits = readout(model.W_y, model.b_y, h)  # (N, K)
    value, dy = cross_entropy(logits, targets)
    correct = int(np.count_nonzero(logits.argmax(axis=1) == targets))
    dW_y, db_y, dh = readout_backward(model.W_y, h, dy)
    B, T, H = trace.hidden.shape
    if kind.name in FEATURE_MAJOR_CELLS:  # δh_t stored (T, H, B) like the cell's buffers, seen (B, T, H)
        buf = scratch(workspace, "loss_and_grads.d_hidden", (T, H, B), model.dtype)
        buf.fill(0)
        d_hidden = buf.transpose(2, 0, 1)  # (B, T, H)
    else:
        d_hidden = np.zeros((B, T, H), dtype=model.dtype)  # δh_t, (B, T, H)
    d_hidden[rows, steps] = dh
    back = kind.backward(model.cell, trace, d_hidden, workspace=workspace, input_grads=False)  # xs are data
    g = back.grads
    grads = (g.weight_ih, g.weight_hh, g.bias_ih, g.bias_hh, dW_y, db_y)
    return StepResult(value, correct, len(targets), grads)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Held-out accuracy and mean loss over ``count`` scored positions; ``confusion[k, j]`` counts
    positions of true class k predicted as j."""

    accuracy: float
    loss: float
    count: int
    confusion: np.ndarray  # (K, K) int64


def evaluate_encoded(
    model: Model,
    data: Encoded,
    loss: str = "per_step",
    batch_size: int = 256,
    *,
    workspace: Workspace | None = None,
) -> Evaluation:
    """Accuracy, loss and confusion matrix of ``model`` on encoded examples (forward only).

    ``workspace``: as in ``loss_and_grads`` (the training loop's, between two steps)."""
    if data.vocab_size != model.input_size or data.n_classes != model.n_classes:
        raise ValueError(
            f"the data (D = {data.vocab_size}, K = {data.n_classes}) does not fit the model "
            f"(D = {model.input_size}, K = {model.n_classes})"
        )
    table = one_hot_table(model.input_size, model.dtype)
    K = model.n_classes
    kind = CELLS[model.kind]
    confusion = np.zeros((K, K), dtype=np.int64)
    total = 0.0
    for start in range(0, len(data), batch_size):
        batch = data.take(np.arange(start, min(start + batch_size, len(data))))
        trace = kind.run_fast(model.cell, one_hot(batch.ids, table), workspace=workspace)
        rows, steps, targets = scored_positions(batch, loss)
        logits = readout(model.W_y, model.b_y, trace.hidden[rows, steps])
        value, _ = cross_entropy(logits, targets)
        total += value * len(targets)
        np.add.at(confusion, (targets, logits.argmax(axis=1)), 1)
    count = int(confusion.sum())
    accuracy = float(np.trace(confusion) / count) if count else 0.0
    return Evaluation(accuracy, total / count if count else 0.0, count, confusion)


def evaluate(
    model: Model,
    examples: tuple[Example, ...],
    vocab: tuple[str, ...],
    classes: tuple[str, ...],
    loss: str = "per_step",
) -> Evaluation:
    """Accuracy, loss and confusion matrix of ``model`` on ``examples`` (e.g. ``TaskData.test``)."""
    return evaluate_encoded(model, encode(examples, vocab, classes), loss)
