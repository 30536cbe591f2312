"""What every training task provides: token sequences with per-step targets, as plain data.

A task is a registry entry (``TaskSpec``) whose ``make(seed, **options)`` returns a ``TaskData``: the
input vocabulary, the output classes and lists of ``Example`` for training and held-out testing. The
same seed always gives the same data. Inputs are one-hot over ``vocab`` (D = len(vocab)); the model
predicts a class over ``classes`` at every step whose target is not ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

LossKind = str  # "per_step" (a target at many steps) or "last" (one target, at the last step)


@dataclass(frozen=True)
class Example:
    """One sequence. ``targets[t]`` is the class the model should predict after reading ``tokens[t]``,
    or ``None`` where that step is not scored."""

    tokens: tuple[str, ...]
    targets: tuple[str | None, ...]

    def __post_init__(self) -> None:
        if len(self.tokens) != len(self.targets):
            raise ValueError(
                f"tokens ({len(self.tokens)}) and targets ({len(self.targets)}) differ in length"
            )
        if not self.tokens:
            raise ValueError("an example needs at least one token")


@dataclass(frozen=True)
class TaskData:
    """A task's data: vocabulary, classes, and train / held-out examples."""

    name: str
    vocab: tuple[str, ...]  # input tokens; index = one-hot position
    classes: tuple[str, ...]  # output labels; index = class id
    train: tuple[Example, ...]
    test: tuple[Example, ...]
    info: dict[str, object] = field(default_factory=dict)  # e.g. the gap length used

    def token_ids(self, tokens: tuple[str, ...]) -> np.ndarray:
        """Token ids (T,); unknown tokens map to ``"<unk>"`` when the vocabulary has it."""
        index = {tok: k for k, tok in enumerate(self.vocab)}
        unk = index.get("<unk>")
        ids = [index.get(tok, unk) for tok in tokens]
        if any(i is None for i in ids):
            missing = sorted({t for t, i in zip(tokens, ids, strict=True) if i is None})
            raise ValueError(f"unknown token(s) {missing[:5]} for task {self.name!r}")
        return np.asarray(ids, dtype=np.int64)


@dataclass(frozen=True)
class TaskSpec:
    """A registry entry: how to make a task's data and how it is scored."""

    name: str
    title: str
    description: str  # one or two sentences, shown in the app
    loss: LossKind
    make: Callable[..., TaskData]  # make(seed: int, **options) -> TaskData
    defaults: dict[str, object] = field(default_factory=dict)  # default options for make
