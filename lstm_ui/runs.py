"""The runs the clamp and comparison views make, cached: a sentence through one of the LSTMs, with the gates
the view sets by hand (``lstm_core.intervene``).

The models are the step page's seeded LSTMs (``compute.MODELS``: hash-made word vectors, any text) and
the story LSTMs listed in ``assets/compare.json`` (their own tokenizer and word features; the designed
one has named units and answers at a blank ``___``). ``assets/compare.json`` also holds the Compare
page's second sentence and its ready-made comparisons.
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import streamlit as st

from lstm_core import LSTMParams, LSTMTrace, run_lstm
from lstm_ui.compute import MODELS, get_model, lstm_trace, model_params
from lstm_ui.sentence import MAX_TOKENS, parse_sentence
from lstm_ui.state.clamps import PageClamp, read, split_by_fit
from lstm_ui.trained_models import find_trained

if TYPE_CHECKING:
    from lstm_core.story import Prediction, StoryModel

COMPARE_PATH = Path(__file__).resolve().parent.parent / "assets" / "compare.json"
DESIGNED = "designed_story"


@cache
def compare_settings() -> MappingProxyType:
    """``assets/compare.json``, read once per process."""
    return MappingProxyType(json.loads(COMPARE_PATH.read_text(encoding="utf-8")))


def run_models(current: str | None = None) -> dict[str, str]:
    """{model key: title}: the seeded LSTMs, the story LSTMs, and the model ``current`` names if it is
    another of the picker's (one trained in this session)."""
    out = {key: spec.title for key, spec in MODELS.items()} | dict(compare_settings()["story_models"])
    if current is not None and current not in out:
        with suppress(ValueError):  # a model this session no longer keeps: the page uses the default
            out[current] = get_model(current).title
    return out


@dataclass(frozen=True, eq=False)
class Prepared:
    """A sentence read for ``model``: its tokens (at most ``MAX_TOKENS``) and the messages for the page
    ((level, text); an "error" means there is nothing to run)."""

    tokens: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        return bool(self.tokens)


@dataclass(frozen=True, eq=False)
class Run:
    """A sentence through ``model``: its trace (a ``ClampedTrace`` recording the clamps applied, if any),
    the units' names and named groups, the answers at its blanks (story models) and the clamps that did
    not fit it (a step or unit beyond the run's)."""

    model: str
    tokens: tuple[str, ...]
    trace: LSTMTrace
    unit_names: tuple[str, ...] | None  # None: units are numbered
    groups: tuple[tuple[str, tuple[int, ...]], ...]  # (name, 0-based units) of the designed model
    predictions: tuple[Prediction, ...]
    outside: tuple[PageClamp, ...]


def is_story(model: str) -> bool:
    """Is ``model`` a story model (``lstm_core.story``: its own tokenizer, answers at a blank; a model
    this session trained on a task with words too)? The story code is imported only when the key is
    neither a seeded model nor one of Compare's story LSTMs."""
    if model in compare_settings()["story_models"]:
        return True
    if model in MODELS:
        return False
    trained = find_trained(model)
    if trained is not None:
        return trained.story is not None
    from lstm_core.story import MODEL_SPECS

    return model in MODEL_SPECS


@st.cache_resource(show_spinner=False)
def _shipped_story(key: str) -> StoryModel:
    """The story LSTM ``key``; the story code is imported here, by the pages that run a story only."""
    from lstm_core.story import load_model

    return load_model(key)


def _story_model(key: str) -> tuple[StoryModel, str]:
    """(the story model ``key``, its cache key): a shipped one by its name, or this session's by its
    weights' digest (no other session's entry can be reached by its key)."""
    trained = find_trained(key)
    if trained is not None and trained.story is not None:
        return trained.story, trained.digest
    return _shipped_story(key), key


def prepare(model: str, sentence: str) -> Prepared:
    """The tokens ``model`` reads in ``sentence`` (a story model splits off punctuation and knows ___)."""
    if not is_story(model):
        parsed = parse_sentence(sentence, max_tokens=MAX_TOKENS)  # every step drawn: no folding here
        return Prepared(parsed.tokens, parsed.notes)
    from lstm_core.story import tokenize

    tokens = tuple(tok.text for tok in tokenize(str(sentence or "")))
    if not tokens:
        return Prepared((), (("error", "The sentence is empty: type at least one word."),))
    notes = ()
    if len(tokens) > MAX_TOKENS:
        notes = (("warning", f"The sentence has {len(tokens):,} tokens; showing the first {MAX_TOKENS}."),)
    return Prepared(tokens[:MAX_TOKENS], notes)


def clamped_trace(model: str, tokens: tuple[str, ...], clamps: tuple[PageClamp, ...]) -> LSTMTrace:
    """The trace of ``tokens`` under the picker's model ``model`` (``compute.lstm_trace``) with ``clamps``
    (which must fit): the same inputs and weights, rerun (about a millisecond: not cached, so a model
    trained in one session never meets another session's entry)."""
    plain = lstm_trace(model, tokens)
    params = model_params(model) if clamps else None
    if not isinstance(params, LSTMParams):  # no clamps, or no gates to set in a GRU or RNN
        return plain
    return run_lstm(params, plain.xs, plain.h0, plain.c0, clamps=[c.core() for c in clamps])


@st.cache_data(max_entries=64, show_spinner=False)
def _story_run(
    cache_key: str, sentence: str, fit: tuple[PageClamp, ...], steps: int, _story: StoryModel
) -> tuple:
    """(trace, predictions) of the first ``steps`` tokens of ``sentence`` through the story LSTM
    ``_story``, cached by ``cache_key`` (``_story_model``)."""
    from lstm_core.story import tokenize

    if not isinstance(_story.params, LSTMParams):
        raise ValueError(f"the model {_story.title!r} is not an LSTM: it has no gates to set by hand")
    words = tokenize(sentence)[:steps]
    xs, _ = _story.encode(words)
    trace = run_lstm(_story.params, xs, clamps=[c.core() for c in fit])
    return trace, _story.read(trace, words, None)


def run_sentence(model: str, sentence: str, clamps: str = "") -> Run:
    """``sentence`` through ``model`` (one of the picker's or any story LSTM: Compare, Stories) with the
    clamps of the text ``clamps`` (the view's form) that fit; ``ValueError`` when the sentence has no
    words (check ``prepare`` first) or the model is no LSTM."""
    prepared = prepare(model, sentence)
    if not prepared.ok:
        raise ValueError(prepared.notes[0][1])
    tokens = prepared.tokens
    if not is_story(model):
        if not isinstance(model_params(model), LSTMParams):
            raise ValueError(f"{get_model(model).title} is not an LSTM: it has no gates to set or compare")
        fit, outside = split_by_fit(read(clamps), len(tokens), hidden_size(model))
        return Run(model, tokens, clamped_trace(model, tokens, fit), None, (), (), outside)
    fit, outside = split_by_fit(read(clamps), len(tokens), hidden_size(model))
    story, cache_key = _story_model(model)
    trace, predictions = _story_run(cache_key, sentence, fit, len(tokens), story)
    groups, names = (), None  # a trained model's unit names count from 0: numbered here, from 1
    if model == DESIGNED:
        from lstm_core.story import designed_model

        design = designed_model()
        groups = tuple((g.name, design.units_of(g.name)) for g in design.groups if g.size > 1)
        names = design.unit_names
    return Run(model, tokens, trace, names, groups, predictions, outside)


def hidden_size(model: str) -> int:
    """H of ``model`` (a story model or one of the picker's)."""
    if is_story(model):
        return _story_model(model)[0].params.hidden_size
    return model_params(model).hidden_size
