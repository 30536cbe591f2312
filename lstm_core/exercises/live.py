"""The live runs the exercises are drawn from: a story model on a sentence filled in by the seeded
generator, optionally with gates set by hand, and the measured memory-span study.

A sentence pattern names its slots in braces, ``"{name} is nice. {name2} is evil."``; a slot takes a
word from the set's word list of the same name without its digits (``name2`` → ``name``), and slots of
one list get different words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from lstm_core.exercises.question import Redraw
from lstm_core.intervene import Clamp
from lstm_core.lstm import run_lstm
from lstm_core.story import StoryModel, load_model, tokenize
from lstm_core.trace import Trace

RESULTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "results"
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, eq=False)
class LiveRun:
    """One run of a story model: the tokens' texts, the trace and the units' names."""

    model: str
    text: str
    tokens: tuple[str, ...]
    trace: Trace
    unit_names: tuple[str, ...]
    words: Mapping[str, str]  # slot → the word it took

    def step_of(self, slot: str) -> int:
        """The (0-based) step of the word slot ``slot`` took (its first occurrence)."""
        return self.tokens.index(self.words[slot])

    def word_steps(self) -> tuple[int, ...]:
        """The steps that are words or numbers (not punctuation)."""
        return tuple(t for t, tok in enumerate(self.tokens) if any(ch.isalnum() for ch in tok))

    def units(self, groups: Sequence[str] = ()) -> tuple[int, ...]:
        """The units whose names start with one of ``groups`` (every unit when none is given)."""
        if not groups:
            return tuple(range(len(self.unit_names)))
        found = tuple(j for j, name in enumerate(self.unit_names) if name.startswith(tuple(groups)))
        if not found:
            raise ValueError(f"the model has no units named {', '.join(groups)}")
        return found


@cache
def story_model(name: str) -> StoryModel:
    """A story model, loaded once per process (read-only)."""
    return load_model(name)


def fill(patterns: Sequence[str], words: Mapping[str, Sequence[str]], rng: np.random.Generator) -> tuple:
    """(text, {slot: word}): one of ``patterns`` with each slot filled from ``words``."""
    pattern = patterns[int(rng.integers(len(patterns)))]
    chosen: dict[str, str] = {}
    for slot in dict.fromkeys(_SLOT.findall(pattern)):
        pool = [w for w in words[slot.rstrip("0123456789")] if w not in chosen.values()]
        chosen[slot] = pool[int(rng.integers(len(pool)))]
    return _SLOT.sub(lambda m: chosen[m.group(1)], pattern), chosen


def run_story(
    model: str, text: str, clamps: Sequence[Clamp] = (), words: Mapping[str, str] | None = None
) -> LiveRun:
    """``text`` through the story model ``model`` (an LSTM when ``clamps`` are given)."""
    m = story_model(model)
    tokens = tokenize(text)
    xs, _ = m.encode(tokens)
    trace = run_lstm(m.params, xs, clamps=clamps) if clamps else m.run(xs)
    return LiveRun(model, text, tuple(t.text for t in tokens), trace, m.unit_names, dict(words or {}))


def drawn_run(params: Mapping[str, object], rng: np.random.Generator, default_model: str) -> LiveRun:
    """A run of the set's ``model`` on one of its ``sentences``, filled from its ``words``."""
    text, chosen = fill(params["sentences"], params.get("words", {}), rng)
    return run_story(str(params.get("model", default_model)), text, words=chosen)


def pick_step(run: LiveRun, at: object, rng: np.random.Generator, first: int = 0) -> int:
    """The step a question asks about: a slot's word (``at`` = "name2"), or any word from ``first`` on."""
    if isinstance(at, str) and at != "any":
        return run.step_of(at)
    steps = [t for t in run.word_steps() if t >= first]
    if not steps:
        raise Redraw("no word to ask about")
    return steps[int(rng.integers(len(steps)))]


def span_rows(directory: Path = RESULTS_DIR) -> tuple[dict, ...]:
    """The memory-span study's summary rows (cell, label, gap, mean held-out accuracy, …)."""
    doc = json.loads((Path(directory) / "memory_span.json").read_text(encoding="utf-8"))
    return tuple(doc["summary"])
