"""Computing an example: a story through its model, or the numeric kinds from their numbers, each with
the ``claims.Context`` its claim is checked against (``lstm_core.examples.run_example`` puts it together).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lstm_core.claims import Context, find_entries
from lstm_core.lstm import cell_update
from lstm_core.story.designed import designed_model
from lstm_core.story.features import encode, word_meaning
from lstm_core.story.lexicon import load_lexicon
from lstm_core.story.models import StoryModel, StoryRun, load_model, run_text
from lstm_core.story.readout import Prediction, labelled_softmax
from lstm_core.story.roles import Found, Selector, find_roles

CELL_INPUTS = ("c_prev", "forget", "input", "candidate", "output")


def _answers(run: StoryRun) -> Found:
    steps = tuple(sorted({p.step for p in run.predictions}))
    if steps:
        return Found(steps)
    if not any(tok.kind == "blank" for tok in run.tokens):
        return Found((), "the sentence asks nothing: it has no blank ___")
    return Found((), "the model gives no answer: nothing comes before the blank")


def run_story(
    model_name: str, sentence: str, roles: Mapping[str, Selector], story: StoryModel | None = None
) -> tuple[StoryRun, Context, tuple[int, ...]]:
    """(the run, its claim context, the key steps): the steps of the example's pointed roles (by kind or
    word) and the answers: what a page shows when it folds the rest of a long text. ``story``: the model
    to run (one built from arrays, ``trained_story_model``) instead of the registry's ``model_name``."""
    run = run_text(story if story is not None else load_model(model_name), sentence)
    story_kinds = encode(run.tokens)[1]  # the sentence's reading, whichever model runs it
    found = find_roles(roles, story_kinds, run.texts, _answers(run))
    lex = load_lexicon()
    trace = run.trace
    ctx = Context(
        found=found,
        labels=run.texts,
        arrays={name: np.asarray(values) for name, values in trace.per_step().items()},
        gates=tuple(trace.GATE_NAMES),
        units_of=designed_model().units_of if model_name == "designed_story" else None,
        predictions={p.step: p for p in run.predictions},
        known=tuple(r.known for r in run.readings),
        words=tuple(tok.base for tok in run.tokens),
        meanings=tuple(word_meaning(tok, k, lex) for tok, k in zip(run.tokens, story_kinds, strict=True)),
    )
    key = {t for name, sel in roles.items() if sel.pointed for t in found[name].steps}
    return run, ctx, tuple(sorted(key | set(found["answer"].steps)))


def _vectors(nums: Mapping[str, object]) -> dict[str, np.ndarray]:
    arr = {}
    for key in CELL_INPUTS:
        try:
            arr[key] = np.asarray(nums[key], dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{key} must be a list of numbers") from None
        if arr[key].ndim != 1 or not np.all(np.isfinite(arr[key])):
            raise ValueError(f"{key} must be a flat list of finite numbers")
    if len({a.shape for a in arr.values()}) != 1:
        raise ValueError("C_{t-1}, f, i, C̃ and o must have the same length")
    return arr


def run_numbers(
    kind: str, nums: Mapping[str, object], roles: Mapping[str, tuple[str, float]]
) -> tuple[Prediction | None, dict[str, np.ndarray], Context]:
    """(the softmax's prediction or None, the numbers computed, the claim context) of a numeric example:
    ``softmax`` from labels and logits; ``cell_update``: C^f = f * C_{t-1}, C^i = i * C̃, C = C^f + C^i
    and h = o * tanh(C)."""
    if kind == "softmax":
        pred = labelled_softmax(nums["labels"], nums["logits"], among="the labels")
        ctx = Context(found={"answer": Found((0,))}, labels=("the output",), arrays={}, predictions={0: pred})
        return pred, {"logits": pred.logits}, ctx
    arr = _vectors(nums)
    new = cell_update(arr["c_prev"], arr["forget"], arr["input"], arr["candidate"], arr["output"])
    out = {
        **arr,
        "forget_part": new.forget_part,  # C^f = f * C_{t-1}
        "input_part": new.input_part,  # C^i = i * C̃
        "cell": new.cell,  # C = C^f + C^i
        "hidden": new.hidden,  # h = o * tanh(C)
    }
    labels = tuple(f"entry {k + 1}" for k in range(len(arr["c_prev"])))
    return None, out, Context(find_entries(roles, out), labels, out, noun="entries")
