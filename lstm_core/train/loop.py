"""The training loop: a pure function of (task data, config, starting state).

Step s (0-based, counted over resumes) trains on the batch ``batch_index(N, batch_size, seed, s)``,
computes the loss and gradients (``loss_and_grads``) and takes one clipped Adam step. Nothing else is
random, so the same inputs give the same loss curve bit for bit, and running N steps then resuming
for N more equals running 2N steps.

``callback(step, loss, accuracy)`` is called after every step (``step`` = steps done so far,
``accuracy`` = on that training batch); returning ``False`` stops. Every ``eval_every`` steps the
model is scored on up to ``eval_size`` held-out examples; reaching ``target_accuracy`` stops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lstm_core.fast.workspace import Workspace
from lstm_core.tasks.base import TaskData
from lstm_core.train.adam import AdamState, adam_init, adam_step
from lstm_core.train.batching import Encoded, batch_index, encode, one_hot_table
from lstm_core.train.evaluate import check_loss, evaluate_encoded, loss_and_grads
from lstm_core.train.model import Model, cell_kind, init_model
from lstm_core.validate import check_dtype

Callback = Callable[[int, float, float], bool | None]


@dataclass(frozen=True)
class TrainConfig:
    """Everything a run depends on besides the data. ``steps`` is the number of steps of *this* call."""

    cell: str = "lstm"  # "lstm", "gru" or "rnn"
    hidden_size: int = 32
    lr: float = 0.005
    batch_size: int = 32
    steps: int = 500
    clip: float | None = 1.0  # global gradient-norm clip; None or 0 = off
    dtype: str = "float32"  # float32 to train fast, float64 for exact numbers
    seed: int = 0  # initial weights and batch order
    forget_bias: float = 1.0  # added to the LSTM forget-gate bias at init (ignored for GRU, RNN)
    loss: str = "per_step"  # "per_step" or "last" (the TaskSpec's loss)
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    eval_every: int = 50  # held-out evaluation period in steps; 0 = never
    eval_size: int = 500  # held-out examples used for those evaluations
    target_accuracy: float | None = None  # stop when a held-out evaluation reaches it
    threads: int = 1  # 2: a helper thread sums the LSTM's weight gradients (same numbers, bit for bit)

    def __post_init__(self) -> None:
        cell_kind(self.cell)
        check_dtype(self.dtype)
        check_loss(self.loss)
        for name in ("hidden_size", "batch_size", "eval_size"):
            if int(getattr(self, name)) != getattr(self, name) or getattr(self, name) < 1:
                raise ValueError(f"{name} must be a whole number >= 1; got {getattr(self, name)!r}")
        for name in ("steps", "eval_every"):
            if int(getattr(self, name)) != getattr(self, name) or getattr(self, name) < 0:
                raise ValueError(f"{name} must be a whole number >= 0; got {getattr(self, name)!r}")
        if not self.lr > 0:
            raise ValueError(f"lr must be > 0; got {self.lr!r}")
        if self.clip is not None and self.clip < 0:
            raise ValueError(f"clip must be >= 0 or None; got {self.clip!r}")
        if self.target_accuracy is not None and not 0 < self.target_accuracy <= 1:
            raise ValueError(f"target_accuracy must be in (0, 1]; got {self.target_accuracy!r}")
        if self.threads not in (1, 2):
            raise ValueError(f"threads must be 1 or 2; got {self.threads!r}")
        if self.target_accuracy is not None and self.eval_every == 0:
            raise ValueError("target_accuracy needs eval_every > 0 (it is checked at the evaluations)")


@dataclass(frozen=True, eq=False)
class TrainState:
    """Where a run stands: the model, Adam's state and the number of steps done."""

    model: Model
    adam: AdamState
    step: int


@dataclass(frozen=True, eq=False)
class TrainResult:
    """The state after this call and its history: one loss and batch accuracy per step, and the
    held-out accuracies at ``eval_steps``. ``stopped`` is "steps", "callback" or "target"."""

    state: TrainState
    losses: np.ndarray  # (n,) float64
    accuracies: np.ndarray  # (n,) float64
    eval_steps: np.ndarray  # (m,) int64
    eval_accuracies: np.ndarray  # (m,) float64
    stopped: str

    @property
    def model(self) -> Model:
        return self.state.model


def init_state(data: TaskData, config: TrainConfig) -> TrainState:
    """A fresh model for ``data`` (D = len(vocab), K = len(classes)) and zero Adam moments."""
    fb = config.forget_bias if cell_kind(config.cell).has_forget_bias else 0.0
    model = init_model(
        config.cell, len(data.vocab), config.hidden_size, len(data.classes), config.seed, fb, config.dtype
    )
    return TrainState(model, adam_init(model.to_flat()), 0)


def _check_state(state: TrainState, data: TaskData, config: TrainConfig) -> None:
    m = state.model
    want = (config.cell, len(data.vocab), config.hidden_size, len(data.classes), check_dtype(config.dtype))
    have = (m.kind, m.input_size, m.hidden_size, m.n_classes, m.dtype)
    if want != have:
        raise ValueError(
            f"cannot resume: the state is (cell, D, H, K, dtype) = {have}, the config and data need {want}"
        )


def train(
    data: TaskData,
    config: TrainConfig,
    callback: Callback | None = None,
    state: TrainState | None = None,
) -> TrainResult:
    """Train on ``data.train`` for ``config.steps`` steps, from ``state`` (resume) or a fresh model."""
    state = init_state(data, config) if state is None else state
    _check_state(state, data, config)
    train_set = encode(data.train, data.vocab, data.classes)
    test_set: Encoded | None = None
    if config.eval_every and data.test:
        test_set = encode(data.test[: config.eval_size], data.vocab, data.classes)
    table = one_hot_table(len(data.vocab), state.model.dtype)
    model, adam, step = state.model, state.adam, state.step
    losses, accs, eval_steps, eval_accs = [], [], [], []
    stopped = "steps"
    workspace = Workspace(config.threads)  # scratch buffers reused by every step (same numbers)
    try:
        for _ in range(config.steps):
            batch = train_set.take(batch_index(len(train_set), config.batch_size, config.seed, step))
            res = loss_and_grads(model, batch, config.loss, table, workspace=workspace)
            flat, adam = adam_step(
                model.to_flat(),
                res.grads,
                adam,
                config.lr,
                config.beta1,
                config.beta2,
                config.eps,
                config.clip,
            )
            model = model.from_flat(flat)
            step += 1
            losses.append(res.loss)
            accs.append(res.accuracy)
            if callback is not None and callback(step, res.loss, res.accuracy) is False:
                stopped = "callback"
                break
            if test_set is not None and step % config.eval_every == 0:
                acc = evaluate_encoded(model, test_set, config.loss, workspace=workspace).accuracy
                eval_steps.append(step)
                eval_accs.append(acc)
                if config.target_accuracy is not None and acc >= config.target_accuracy:
                    stopped = "target"
                    break
    finally:
        workspace.close()  # the helper thread, if any
    return TrainResult(
        TrainState(model, adam, step),
        np.asarray(losses, dtype=np.float64),
        np.asarray(accs, dtype=np.float64),
        np.asarray(eval_steps, dtype=np.int64),
        np.asarray(eval_accs, dtype=np.float64),
        stopped,
    )
