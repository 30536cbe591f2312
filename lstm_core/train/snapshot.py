r"""What the live lab draws of a model at one moment: its gates on a probe sequence and the gradient flow.

The probe is one fixed sequence of the task (``probe_example``: the first held-out example). The model
runs on it in float64 through the public run functions (``run_model``), and the loss is training's own
loss on this one sequence, at its scored positions n (its last step for ``loss="last"``, every step with
a target for ``"per_step"``):

    L = mean_n cross-entropy(W_y h_n + b_y, target_n)

δh_n = ∂L/∂h_n goes back through the cell's backward pass, whose totals are the gradient flow:

    ‖∂L/∂h_t‖ = ‖d_hidden_total[t]‖        (every cell)
    ‖∂L/∂C_t‖ = ‖d_cell_total[t]‖          (LSTM: C_t → h_t, and C_t → C_{t+1} → … through the forget gates)

These are *total* derivatives: h_t (or C_t) changed alone, everything after it recomputed, the earlier
steps fixed (what ``tests/test_train_snapshot.py`` checks by finite differences).

For the LSTM, the snapshot also keeps every value of the cell at ``DIAGRAM_STEP`` (the probe's second
step, whose C_{t-1} is what the first step stored) in float64: the cell diagram drawn with the gradient on
its cell-state line.

The gate and state arrays are kept as float16 copies (what a heatmap shows; ~6 KB for an LSTM with
T = 52, H = 16) and the norms as float64 (a plain RNN's vanish far below float16's range).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.tasks.base import Example, TaskData
from lstm_core.train.batching import encode, one_hot, one_hot_table
from lstm_core.train.evaluate import scored_positions
from lstm_core.train.losses import cross_entropy
from lstm_core.train.model import CELLS, Model, run_model
from lstm_core.train.readout import readout_backward

STORED_DTYPE = np.float16  # the gate and state arrays of a snapshot
DIAGRAM_STEP = 1  # 0-based: the LSTM cell whose values a snapshot keeps (C_{t-1} is the first step's C)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The model after ``step`` training steps, seen on the probe ``tokens`` (T steps).

    ``arrays``: the trace's gates then states by name (``Trace.per_step`` order), each (T, H) float16;
    ``d_hidden_norm`` (T,) = ‖∂L/∂h_t‖ and, for the LSTM, ``d_cell_norm`` (T,) = ‖∂L/∂C_t‖ (else None);
    ``scored_steps`` (N,) the probe's scored steps, with their ``targets``, the model's ``predictions``
    and ``probabilities`` (N, K) float32 over the classes; ``loss`` = L; ``cell_step``: for an LSTM
    (probe of at least two steps), every vector of the cell at ``DIAGRAM_STEP`` by name (the trace's
    fields there, with ``cell_prev`` and ``hidden_prev``), float64; else None."""

    step: int
    tokens: tuple[str, ...]
    arrays: dict[str, np.ndarray]
    d_hidden_norm: np.ndarray
    d_cell_norm: np.ndarray | None
    loss: float
    scored_steps: np.ndarray
    targets: tuple[str, ...]
    predictions: tuple[str, ...]
    probabilities: np.ndarray
    cell_step: dict[str, np.ndarray] | None = None

    @property
    def nbytes(self) -> int:
        """The memory its arrays take."""
        extra = [self.d_hidden_norm, self.scored_steps, self.probabilities]
        if self.d_cell_norm is not None:
            extra.append(self.d_cell_norm)
        extra.extend((self.cell_step or {}).values())
        return sum(a.nbytes for a in (*self.arrays.values(), *extra))

    def freeze(self) -> Snapshot:
        """Marks its arrays read-only (again: an unpickled copy has writeable arrays); returns itself."""
        for arr in (*self.arrays.values(), self.d_hidden_norm, self.scored_steps, self.probabilities):
            arr.setflags(write=False)
        if self.d_cell_norm is not None:
            self.d_cell_norm.setflags(write=False)
        for arr in (self.cell_step or {}).values():
            arr.setflags(write=False)
        return self


def probe_example(data: TaskData) -> Example:
    """The task's probe: its first held-out example (the first training example if it has none)."""
    return data.test[0] if data.test else data.train[0]


def take_snapshot(
    model: Model,
    probe: Example,
    vocab: tuple[str, ...],
    classes: tuple[str, ...],
    loss: str,
    step: int = 0,
) -> Snapshot:
    """The :class:`Snapshot` of ``model`` after ``step`` steps on ``probe`` (``loss``: the task's)."""
    batch = encode((probe,), vocab, classes).take(np.arange(1))
    model = model.astype(np.float64)
    xs = one_hot(batch.ids[0], one_hot_table(model.input_size, np.float64))  # (T, D)
    trace, logits = run_model(model, xs)  # hidden (T, H), logits (T, K)
    _, steps, targets = scored_positions(batch, loss)
    scored = logits[steps]  # (N, K)
    value, dy = cross_entropy(scored, targets)
    _, _, dh = readout_backward(model.W_y, trace.hidden[steps], dy)  # (N, H)
    d_hidden = np.zeros_like(trace.hidden)
    d_hidden[steps] = dh  # δh_t: ∂L/∂h_t through the readout at t only (each step scored once)
    back = CELLS[model.kind].backward(model.cell, trace, d_hidden)
    probs = np.exp(scored - scored.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    d_cell = back.d_cell_total
    cell_step = None
    if model.kind == "lstm" and trace.steps > DIAGRAM_STEP:
        cell_step = trace.at(DIAGRAM_STEP)
        cell_step.update(cell_prev=trace.cell_prev[DIAGRAM_STEP], hidden_prev=trace.hidden_prev[DIAGRAM_STEP])
    snap = Snapshot(
        step=int(step),
        tokens=tuple(probe.tokens),
        arrays={name: arr.astype(STORED_DTYPE) for name, arr in trace.per_step().items()},
        d_hidden_norm=np.linalg.norm(back.d_hidden_total, axis=-1),
        d_cell_norm=None if d_cell is None else np.linalg.norm(d_cell, axis=-1),
        loss=float(value),
        scored_steps=steps.astype(np.int64),
        targets=tuple(classes[k] for k in targets),
        predictions=tuple(classes[k] for k in scored.argmax(axis=1)),
        probabilities=probs.astype(np.float32),
        cell_step=cell_step,
    )
    return snap.freeze()
