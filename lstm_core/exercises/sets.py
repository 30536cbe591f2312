"""Exercise sets as data: ``assets/exercises/<id>.json`` each, and ``templates.json`` with the words of
every template (the question asked, the names of its choices).

A set holds a title, a blurb, the page whose exercise box asks it (``page``, optional), ``defaults`` (the
parameters its questions share: a model, sentence patterns, word lists) and its ``questions``: each a
``template``, its ``params``, a ``tolerance`` (number questions), the lecture step it practises
(``topic``) and an ``explanation`` of why the answer is what it is. ``{name}`` in the question or the
explanation is a number or word of the drawn question; ``[[name]]`` a symbol in the page's notation.

    sets = load_sets()
    q = generate(sets["lecture"], 0, question_seed(base, "lecture", 0, draw))
    verdict = check(q, "0.31")
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from lstm_core.exercises import templates_memory as memory
from lstm_core.exercises import templates_step as step
from lstm_core.exercises.question import Drawn, Question, Redraw

EXERCISES_DIR = Path(__file__).resolve().parents[2] / "assets" / "exercises"
TEMPLATES_FILE = "templates.json"
ATTEMPTS = 200  # draws before a template gives up (each draw is fast; most questions take 1 or 2)
Template = Callable[[Mapping, np.random.Generator, Mapping], Drawn]
TEMPLATES: Mapping[str, Template] = MappingProxyType(
    {
        "forget_product": step.forget_product,
        "store_product": step.store_product,
        "update_sum": step.update_sum,
        "output_hidden": step.output_hidden,
        "rnn_hidden": step.rnn_hidden,
        "gru_hidden": step.gru_hidden,
        "forget_decay": memory.forget_decay,
        "main_writer": memory.main_writer,
        "still_remembers": memory.still_remembers,
        "nearest_zero_gate": memory.nearest_zero_gate,
        "order_gates": memory.order_gates,
        "span_best": memory.span_best,
    }
)


@dataclass(frozen=True)
class QuestionSpec:
    template: str
    params: Mapping[str, object]
    tolerance: float
    explanation: str
    topic: str = ""


@dataclass(frozen=True)
class ExerciseSet:
    id: str
    title: str
    blurb: str
    questions: tuple[QuestionSpec, ...]
    page: str = ""  # the page whose exercise box asks this set ("views/cell.py"), "" for none
    order: int = 100


def _fail(source: str, message: str) -> ValueError:
    return ValueError(f"{source}: {message}")


def parse_set(raw: object, source: str, words: Mapping[str, Mapping]) -> ExerciseSet:
    """One set from its decoded JSON (``ValueError`` naming the file and the field otherwise)."""
    if not isinstance(raw, dict):
        raise _fail(source, "an exercise set is a JSON object")
    for key in ("id", "title", "questions"):
        if key not in raw:
            raise _fail(source, f"missing {key!r}")
    defaults = dict(raw.get("defaults", {}))
    specs = []
    for k, q in enumerate(raw["questions"], start=1):
        where = f"question {k}"
        if q.get("template") not in TEMPLATES or q["template"] not in words:
            raise _fail(
                source, f"{where}: unknown template {q.get('template')!r}; use {', '.join(TEMPLATES)}"
            )
        if not str(q.get("explanation", "")).strip():
            raise _fail(source, f"{where}: every question needs an explanation")
        tolerance = float(q.get("tolerance", 0.0))
        if not 0 <= tolerance < 1:
            raise _fail(source, f"{where}: the tolerance must be from 0 to 1")
        params = MappingProxyType(defaults | dict(q.get("params", {})))
        specs.append(QuestionSpec(q["template"], params, tolerance, q["explanation"], q.get("topic", "")))
    if not specs:
        raise _fail(source, "a set needs at least one question")
    return ExerciseSet(
        raw["id"],
        raw["title"],
        raw.get("blurb", ""),
        tuple(specs),
        raw.get("page", ""),
        int(raw.get("order", 100)),
    )


@cache
def template_words(directory: Path = EXERCISES_DIR) -> Mapping[str, Mapping]:
    """Each template's words (``ask`` and the names of its choices), from ``templates.json``."""
    raw = json.loads((Path(directory) / TEMPLATES_FILE).read_text(encoding="utf-8"))
    return MappingProxyType({name: MappingProxyType(entry) for name, entry in raw["templates"].items()})


@cache
def load_sets(directory: Path = EXERCISES_DIR) -> Mapping[str, ExerciseSet]:
    """Every set by id, in their ``order`` (read once per process; read-only)."""
    words = template_words(directory)
    sets = []
    for path in sorted(Path(directory).glob("*.json")):
        if path.name == TEMPLATES_FILE:
            continue
        sets.append(parse_set(json.loads(path.read_text(encoding="utf-8")), path.name, words))
    sets.sort(key=lambda s: (s.order, s.id))
    return MappingProxyType({s.id: s for s in sets})


def generate(exercise_set: ExerciseSet, index: int, seed: int) -> Question:
    """Question ``index`` (0-based) of ``exercise_set`` with the numbers of ``seed``: the same seed, the
    same question."""
    if not 0 <= index < len(exercise_set.questions):
        raise ValueError(f"the set has questions 1 … {len(exercise_set.questions)}")
    spec = exercise_set.questions[index]
    words = template_words()[spec.template]
    rng = np.random.default_rng(seed)
    for _ in range(ATTEMPTS):
        try:
            drawn = TEMPLATES[spec.template](spec.params, rng, words)
        except Redraw:
            continue
        return Question(
            exercise_set.id,
            index,
            seed,
            spec.template,
            drawn.kind,
            words["ask"].format_map(drawn.values),
            drawn.answer,
            spec.tolerance,
            spec.explanation.format_map(drawn.values),
            drawn.focus,
            drawn.reveal,
            drawn.choices,
            spec.topic,
            dict(drawn.values),
        )
    raise ValueError(f"{exercise_set.id}, question {index + 1}: no fair question in {ATTEMPTS} draws")
