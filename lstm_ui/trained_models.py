"""The models this session trained on the Train page, kept for the other pages (step-through, the cell).

They live in ``st.session_state`` (per user, never shared, gone with the session) under keys
``trained-1``, ``trained-2``, … that the view's ``model`` parameter may name. A trained model reads one-hot
inputs over its task's vocabulary: ``TrainedModel.inputs`` turns any tokens into them and says which words
it does not know (they enter as all-zero vectors). ``lstm_ui.compute`` looks them up next to the seeded
models (``get_model``, ``lstm_trace``, ``model_inputs``). A model of a task with words (``STORY_TASKS``)
keeps its readout too, and Stories runs it as a story model (``TrainedModel.story``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from lstm_core import CellParams

if TYPE_CHECKING:
    from lstm_core.story import StoryModel

KEPT = "_trained_models"  # session key: {key: TrainedModel}, oldest first
COUNT = "_trained_count"  # session key: how many models this session has kept (the next key's number)
MAX_KEPT = 8  # models a session keeps (the oldest goes first)
_KEY = re.compile(r"trained-([1-9][0-9]{0,5})")
ELSEWHERE = (
    "it was trained in another session (or before the app restarted): a trained model stays with the "
    "browser tab that trained it"
)
# The Train page's tasks whose models tell a story: (the Stories model it stands in for, the example the
# Train page opens it on). A memory-span or long-lag model reads symbols, not words: none.
STORY_TASKS = MappingProxyType(
    {
        "story": ("designed_story", "france_french"),
        "reviews": ("reviews_lstm", "reviews_rating"),
        "events": ("events_lstm", "events_wolf_dog"),
    }
)


@dataclass(frozen=True)
class Inputs:
    """Tokens as a model's inputs: ``xs`` (T, D) and the 0-based steps whose word it does not know."""

    xs: np.ndarray
    unknown: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class TrainedModel:
    """A cell trained in this session: its weights (float64, read-only), its task's vocabulary (the
    one-hot inputs) and what the model picker says about it. ``probe`` is the sequence to open it on;
    ``task``, ``classes`` and ``readout`` (W_y (K, H), b_y (K,)) what it was trained to answer."""

    key: str
    title: str
    description: str
    params: CellParams
    vocab: tuple[str, ...]
    probe: tuple[str, ...]
    digest: str  # of the weights, readout, vocabulary and classes: the cache key of its runs
    task: str
    classes: tuple[str, ...]
    readout: tuple[np.ndarray, np.ndarray]  # W_y (K, H), b_y (K,), float64, read-only

    @property
    def hidden_size(self) -> int:
        return self.params.hidden_size

    @cached_property
    def story(self) -> StoryModel | None:
        """The model as Stories runs it (its task's words, its answers), or None: a task without words."""
        if self.task not in STORY_TASKS:
            return None
        from lstm_core.story import trained_story_model
        from lstm_core.train import Model

        model = Model(self.params, *self.readout)
        return trained_story_model(self.key, self.title, model, self.vocab, self.classes, self.task)

    def inputs(self, tokens: Sequence[str]) -> Inputs:
        """One-hot rows over ``vocab`` (a word matches exactly, else ignoring case); unknown words are
        zeros."""
        exact = {w: k for k, w in enumerate(self.vocab)}
        folded = {w.casefold(): k for k, w in reversed(list(enumerate(self.vocab)))}
        xs = np.zeros((len(tokens), len(self.vocab)))
        unknown = []
        for t, tok in enumerate(tokens):
            k = exact.get(tok, folded.get(tok.casefold()))
            if k is None:
                unknown.append(t)
            else:
                xs[t, k] = 1.0
        return Inputs(xs, tuple(unknown))


def is_trained_key(raw: str) -> bool:
    """Is ``raw`` shaped like a trained model's key (``trained-3``), whether or not this session has it."""
    return _KEY.fullmatch(raw.strip().casefold()) is not None


def _kept() -> dict[str, TrainedModel]:
    return st.session_state.setdefault(KEPT, {})


def session_models() -> Mapping[str, TrainedModel]:
    """This session's trained models by key, oldest first (read-only)."""
    return MappingProxyType(_kept())


def find_trained(key: object) -> TrainedModel | None:
    """The session's trained model ``key``, or None (a seeded model's key, or one this session lacks)."""
    return _kept().get(key) if isinstance(key, str) else None


def trained_key(raw: str) -> str:
    """(The view's parser.) The key ``raw`` names; ``ValueError`` if this session has no such model."""
    key = raw.strip().casefold()
    if key not in _kept():
        raise ValueError(ELSEWHERE)
    return key


def digest_of(
    params: CellParams, vocab: Sequence[str], readout: Sequence[np.ndarray], classes: Sequence[str]
) -> str:
    h = hashlib.blake2b(digest_size=16)
    for arr in (params.weight_ih, params.weight_hh, params.bias_ih, params.bias_hh, *readout):
        h.update(np.ascontiguousarray(arr, dtype=np.float64).tobytes())
    h.update("\x00".join(vocab).encode())
    h.update(b"\x01" + "\x00".join(classes).encode())
    return h.hexdigest()


def keep_model(
    params: CellParams,
    vocab: Sequence[str],
    probe: Sequence[str],
    label: tuple[str, str],
    answers: tuple[str, Sequence[str], tuple[np.ndarray, np.ndarray]],
) -> str:
    """Keep a trained cell for this session under ``label`` (title, description), with ``answers``: its
    (task, classes, readout W_y, b_y) (the same model twice: the key it already has); returns its key.
    Past ``MAX_KEPT`` models the oldest is dropped."""
    if params.KIND != "lstm":
        raise ValueError(f"the other pages show LSTMs; this is a {params.KIND}")
    kept = _kept()
    task, classes, arrays = answers
    readout = tuple(np.array(a, dtype=np.float64) for a in arrays)
    for arr in readout:
        arr.setflags(write=False)
    digest = digest_of(params, vocab, readout, classes)
    for key, model in kept.items():
        if model.digest == digest:
            return key
    count = int(st.session_state.get(COUNT, 0)) + 1
    st.session_state[COUNT] = count
    key = f"trained-{count}"
    kept[key] = TrainedModel(
        key, *label, params, tuple(vocab), tuple(probe), digest, task, tuple(classes), readout
    )
    while len(kept) > MAX_KEPT:
        kept.pop(next(iter(kept)))
    return key


def unknown_words_note(
    model: TrainedModel, tokens: Sequence[str], unknown: Sequence[int]
) -> tuple[tuple[str, str], ...]:
    """A (level, message) note for ``show_notes``: the words of ``tokens`` at the steps ``unknown`` are
    not in the model's vocabulary."""
    words = list(dict.fromkeys(tokens[t] for t in unknown))
    shown = ", ".join(f"“{w}”" for w in words[:6]) + (" …" if len(words) > 6 else "")
    known = " ".join(model.vocab[:12]) + (" …" if len(model.vocab) > 12 else "")
    verb = "is" if len(words) == 1 else "are"
    message = f"This model knows only its task's words ({known}); {shown} {verb} new to it: all-zero inputs."
    return (("warning", message),)
