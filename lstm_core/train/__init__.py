"""Training: a cell + linear readout, cross-entropy, clipped Adam, padded batches, a pure loop.

Usage::

    from lstm_core.tasks import get_task
    from lstm_core.train import TrainConfig, train, evaluate, save_model, load_model

    spec = get_task("memory_span")
    data = spec.make(seed=0, gap=50)
    config = TrainConfig(cell="lstm", hidden_size=32, steps=2000, loss=spec.loss, seed=0,
                         eval_every=50, target_accuracy=0.95)

    def progress(step: int, loss: float, accuracy: float) -> bool:   # optional; False stops
        return True

    result = train(data, config, callback=progress)       # TrainResult
    result.losses, result.accuracies                      # per step (training batch)
    result.eval_steps, result.eval_accuracies             # held-out, every eval_every steps
    more = train(data, config, state=result.state)        # resume: N + N steps == 2N steps, bitwise
    ev = evaluate(more.model, data.test, data.vocab, data.classes, loss=spec.loss)
    ev.accuracy, ev.confusion                             # confusion[true, predicted]
    save_model("assets/models/x.npz", more.model.astype("float64"), data.vocab, data.classes,
               task=spec.name, config=config, metrics={"accuracy": ev.accuracy})
    model, meta = load_model("assets/models/x.npz")       # meta = the JSON next to it

The live lab (the Train page): ``RunSpec`` says what a run trains, ``race_specs`` its RNN, GRU and LSTM
versions; a ``JobRunner`` trains them in worker processes and reports a ``JobStatus`` (one
``LaneProgress`` per run, with its ``Snapshot``s); ``Limits`` bound it, ``QueueFull`` says it is full.

``TrainConfig.steps`` counts the steps of one call; ``loss`` is "per_step" (every step with a target)
or "last" (each sequence's own last real step). Same data + config + state → the same result, bit
for bit. ``run_model(model, xs)`` gives the trace and logits for the pages; ``loss_and_grads`` one
step's gradients.
"""

from lstm_core.train.adam import AdamState, adam_init, adam_step, global_norm
from lstm_core.train.batching import Batch, Encoded, batch_index, encode, one_hot, one_hot_table
from lstm_core.train.checkpoint import load_model, save_model
from lstm_core.train.evaluate import Evaluation, StepResult, evaluate, evaluate_encoded, loss_and_grads
from lstm_core.train.jobs_limits import Limits, QueueFull
from lstm_core.train.jobs_status import JobStatus, LaneProgress
from lstm_core.train.live_lab import LIVE_LAB_CONFIG, LIVE_LAB_TASK, live_lab
from lstm_core.train.live_run import RunSpec, race_specs
from lstm_core.train.loop import TrainConfig, TrainResult, TrainState, init_state, train
from lstm_core.train.losses import cross_entropy, last_step_cross_entropy, masked_cross_entropy, mse
from lstm_core.train.model import CELLS, Model, cell_kind, init_model, run_model
from lstm_core.train.readout import readout, readout_backward
from lstm_core.train.snapshot import Snapshot

__all__ = [
    "CELLS",
    "LIVE_LAB_CONFIG",
    "LIVE_LAB_TASK",
    "AdamState",
    "Batch",
    "Encoded",
    "Evaluation",
    "JobRunner",
    "JobStatus",
    "LaneProgress",
    "Limits",
    "Model",
    "QueueFull",
    "RunSpec",
    "Snapshot",
    "StepResult",
    "TrainConfig",
    "TrainResult",
    "TrainState",
    "adam_init",
    "adam_step",
    "batch_index",
    "cell_kind",
    "cross_entropy",
    "encode",
    "evaluate",
    "evaluate_encoded",
    "global_norm",
    "init_model",
    "init_state",
    "last_step_cross_entropy",
    "live_lab",
    "load_model",
    "loss_and_grads",
    "masked_cross_entropy",
    "mse",
    "one_hot",
    "one_hot_table",
    "race_specs",
    "readout",
    "readout_backward",
    "run_model",
    "save_model",
    "train",
]


def __getattr__(name: str) -> object:
    """``JobRunner`` on first use: its module imports the worker's (``jobs_worker``), which runs as
    ``python -m lstm_core.train.jobs_worker`` and must not be imported by this package before it starts."""
    if name == "JobRunner":
        from lstm_core.train.jobs import JobRunner

        return JobRunner
    raise AttributeError(f"module 'lstm_core.train' has no attribute {name!r}")
