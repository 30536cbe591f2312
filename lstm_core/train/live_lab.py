"""The live lab's default run: an LSTM learns memory span at gap 50 (≥ 95 % held-out) in a few seconds.

Task: ``memory_span`` with held-out gap 50 (T = 52), the gap filled with the symbols themselves
(``distractors="symbols"``: keep the first, ignore look-alikes) and a curriculum: training gaps drawn
uniformly from ``min_gap`` = 1 to 50, so short sequences teach the trick that the long ones test.
Model: LSTM, H = 16, forget-gate bias 3 (so f_t ≈ σ(3) ≈ 0.95 at the start and C_t keeps its content
across the gap), Adam lr 0.01, batch 32, float32; held-out check on 300 sequences every 25 steps,
stopping at 95 %.

Measured with ``bench/bench_train.py`` (seeds 0–4): 125–175 steps to the target (the times are in
``bench/README.md``). Without the curriculum, or with forget bias 0 or 1, the same run sits on a chance
plateau for hundreds to thousands of steps.

    data, config = live_lab(seed=0)
    result = train(data, config)            # result.stopped == "target"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from lstm_core.tasks import memory_span
from lstm_core.tasks.base import TaskData
from lstm_core.train.loop import TrainConfig

LIVE_LAB_TASK: Mapping[str, object] = MappingProxyType(
    {"gap": 50, "min_gap": 1, "n_symbols": 4, "distractors": "symbols", "n_train": 2000, "n_test": 500}
)
LIVE_LAB_CONFIG = TrainConfig(
    cell="lstm",
    hidden_size=16,
    lr=0.01,
    batch_size=32,
    steps=1500,  # a ceiling; the run stops at target_accuracy
    clip=1.0,
    dtype="float32",
    forget_bias=3.0,
    loss="last",
    eval_every=25,
    eval_size=300,
    target_accuracy=0.95,
)


def live_lab(seed: int = 0, **overrides: object) -> tuple[TaskData, TrainConfig]:
    """The live lab's data and config for ``seed``; ``overrides`` replace task options (e.g. gap)."""
    options = {**LIVE_LAB_TASK, **overrides}
    config = replace(LIVE_LAB_CONFIG, seed=seed)
    return memory_span.make(seed=seed, **options), config
