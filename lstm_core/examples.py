"""The lectures' worked examples as data: one ``assets/examples/<id>.json`` each (+ a ``<id>.md`` caption).

Adding an example is adding a file. ``load_examples()`` reads and validates them all (a bad file gives a
``ValueError`` naming the file and the field); ``run_example(example, sentence)`` computes it live with
the real core, on any sentence of any length, and checks the example's claim on it. Kinds:

- ``story``: a sentence run through a story model (``lstm_core.story``): trace, tokens, what the model
  made of each token, its answers at each blank ``___`` (a classifier's at the end).
- ``cell_update``: C^f = f * C_{t-1}, C^i = i * C̃, C = C^f + C^i and h = o * tanh(C) via
  ``lstm_core.cell_update``, from C_{t-1}, f, i, C̃ and o.
- ``softmax``: labelled probabilities P = softmax(z) from logits z.

An example's ``roles`` name the steps (or entries) that matter and its ``checks`` are its claim as
predicates (``lstm_core.claims``); ``open_at`` is a role. Its caption may hold blocks for some models
only, ``<!-- for: designed_story -->`` … ``<!-- end -->`` (or ``for: not designed_story``), so that no
caption describes a model that is not the one shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import numpy as np

from lstm_core.claims import (
    ANSWER_VALUES,
    GATES_AND_STATES,
    ClaimCheck,
    Part,
    check_claim,
    expected_word,
    parse_entry_roles,
    parse_part,
)
from lstm_core.example_runs import run_numbers, run_story
from lstm_core.story.designed import designed_model
from lstm_core.story.models import MODEL_SPECS, StoryModel
from lstm_core.story.readings import TokenReading
from lstm_core.story.readout import Prediction
from lstm_core.story.roles import BUILTIN_ROLES, parse_roles
from lstm_core.trace import Trace

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "assets" / "examples"
KINDS = ("story", "cell_update", "softmax")
NUMBERS = MappingProxyType(
    {"cell_update": ("c_prev", "forget", "input", "candidate", "output"), "softmax": ("labels", "logits")}
)
RESULTS = MappingProxyType({"cell_update": ("forget_part", "input_part", "cell", "hidden"), "softmax": ()})
_REQUIRED = ("id", "title", "kind", "model", "claim", "caption")
_BLOCK = re.compile(r"<!--\s*for:\s*(not\s+)?([\w\s,]+?)\s*-->\n?(.*?)<!--\s*end\s*-->\n?", re.S)


@dataclass(frozen=True)
class Example:
    """One worked example (see the module docstring for the fields' meaning)."""

    id: str
    title: str
    kind: str  # one of KINDS
    model: str  # a story model name, or "none" for the numeric kinds
    claim: str  # what the lecture says this shows, in words
    caption: str  # Markdown text of <id>.md, with its model blocks (see ``caption_for``)
    order: int = 100  # position in the page's list
    sentence: str = ""
    variants: tuple[str, ...] = ()  # more sentences showing the same thing
    highlight_units: tuple[str, ...] = ()  # unit or group names
    open_at: str | None = None  # the role whose first step the page opens at (None: the answer)
    expected: str | None = None  # the answer the lecture expects for ``sentence``
    number_items: tuple[tuple[str, tuple], ...] = ()  # hashable form of the "numbers" object
    role_items: tuple[tuple[str, object], ...] = ()  # role name -> Selector (story) or (vector, value)
    checks: tuple[Part, ...] = ()  # the claim as predicates

    @property
    def numbers(self) -> dict[str, tuple]:
        """The example's numbers by name (a fresh dict): c_prev/forget/input/candidate or labels/logits."""
        return dict(self.number_items)

    @property
    def roles(self) -> dict[str, object]:
        return dict(self.role_items)


@dataclass(frozen=True, eq=False)
class ExampleResult:
    """An example computed live. ``trace`` etc. are None for the numeric kinds."""

    example: Example
    tokens: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # each token's kind (designed model) or known/unknown (trained)
    unit_names: tuple[str, ...] = ()
    highlight: tuple[int, ...] = ()  # indices of the highlighted units
    open_step: int = 0  # the step to open at: the first step of ``open_at``, else the first answer, else 0
    trace: Trace | None = None
    xs: np.ndarray | None = None  # (T, D) input vectors
    feature_names: tuple[str, ...] = ()
    predictions: tuple[Prediction, ...] = ()
    numbers: Mapping[str, np.ndarray] = field(default_factory=dict)
    readings: tuple[TokenReading, ...] = ()  # per token: known to the model or not, and what it does
    steps: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # role -> its steps here
    key_steps: tuple[int, ...] = ()  # the steps that matter: the roles' tokens, the answers, open_step
    checks: ClaimCheck | None = None  # the claim checked on this run
    caption: str = ""  # the caption for this run's model (blocks for other models left out)
    expected: str | None = None  # the answer the claim expects on this sentence (None: none applies)


def _fail(source: str, msg: str) -> ValueError:
    return ValueError(f"example {source}: {msg}")


def _strings(raw: dict, key: str, source: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(source, f"{key!r} must be a list of strings")
    return tuple(value)


def _numbers(raw: dict, kind: str, source: str) -> tuple[tuple[str, tuple], ...]:
    if kind not in NUMBERS:
        return ()
    nums = raw.get("numbers")
    if not isinstance(nums, dict) or any(k not in nums for k in NUMBERS[kind]):
        raise _fail(source, f"a {kind} example needs 'numbers' with {', '.join(NUMBERS[kind])}")
    if set(nums) - set(NUMBERS[kind]):
        raise _fail(source, f"'numbers' may hold only {', '.join(NUMBERS[kind])}")
    out = {k: tuple(v) if isinstance(v, list) else v for k, v in nums.items()}
    lengths = {len(v) if isinstance(v, tuple) else -1 for v in out.values()}
    if len(lengths) != 1 or -1 in lengths or 0 in lengths:
        raise _fail(source, f"the lists {', '.join(out)} must be non-empty and equally long")
    return tuple((k, out[k]) for k in NUMBERS[kind])


def caption_for(caption: str, model: str) -> str:
    """``caption`` with the blocks for ``model`` kept (their markers removed) and the others left out."""

    def keep(m: re.Match) -> str:
        names = {n.strip() for n in m.group(2).split(",")}
        return m.group(3) if (model in names) != bool(m.group(1)) else ""

    return re.sub(r"\n{3,}", "\n\n", _BLOCK.sub(keep, caption)).strip() + "\n"


def _check_caption(caption: str, source: str) -> None:
    for m in _BLOCK.finditer(caption):
        unknown = {n.strip() for n in m.group(2).split(",")} - set(MODEL_SPECS)
        if unknown:
            raise _fail(source, f"caption block for unknown model(s) {sorted(unknown)}")
    if "<!--" in _BLOCK.sub("", caption):
        raise _fail(source, "caption: a '<!-- for: … -->' block without its '<!-- end -->'")


def _claim_parts(raw: dict, kind: str, model: str, source: str) -> tuple[tuple, tuple[Part, ...]]:
    """(role items, parsed checks) of an example."""
    if kind == "story":
        roles = parse_roles(raw.get("roles"), f"example {source}")
        names, values = {*roles, *BUILTIN_ROLES}, {*GATES_AND_STATES, *ANSWER_VALUES, "known share"}
    elif kind == "cell_update":
        vectors = (*NUMBERS[kind], *RESULTS[kind])
        roles = parse_entry_roles(raw.get("roles"), vectors, f"example {source}")
        names, values = {*roles, "every entry"}, set(vectors)
    else:
        roles, names, values = {}, {"answer"}, set(ANSWER_VALUES)
    checks = raw.get("checks")
    if not isinstance(checks, list) or not checks:
        raise _fail(source, "'checks' must be a non-empty list: the claim as predicates")
    vectors = frozenset(values) if kind == "cell_update" else frozenset()  # compared entry by entry
    parts = tuple(parse_part(c, names, values, f"example {source}", vectors) for c in checks)
    groups = {*designed_model().unit_names, *(g.name for g in designed_model().groups)}
    bad = [p.units for p in parts if p.units is not None and p.units not in groups]
    if bad:
        raise _fail(source, f"check units {bad} are not groups or units of the designed model")
    return tuple(roles.items()), parts


def parse_example(raw: object, caption: str, source: str = "<data>") -> Example:
    """Validate one decoded JSON entry; ``ValueError`` naming ``source`` and the bad field."""
    if not isinstance(raw, dict):
        raise _fail(source, "the file must hold a JSON object")
    missing = [k for k in _REQUIRED if not isinstance(raw.get(k), str) or not raw[k].strip()]
    if missing:
        raise _fail(source, f"missing or empty: {', '.join(missing)}")
    kind, model = raw["kind"], raw["model"]
    if kind not in KINDS:
        raise _fail(source, f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if kind == "story" and model not in MODEL_SPECS:
        raise _fail(source, f"model {model!r} is not one of {', '.join(MODEL_SPECS)}")
    if kind != "story" and model != "none":
        raise _fail(source, f'a {kind} example uses no model: set "model": "none"')
    sentence = raw.get("sentence", "")
    if kind == "story" and (not isinstance(sentence, str) or not sentence.strip()):
        raise _fail(source, "a story example needs a 'sentence'")
    highlight = _strings(raw, "highlight_units", source)
    if model == "designed_story":
        names = designed_model().unit_names
        groups = {g.name for g in designed_model().groups}
        unknown = [u for u in highlight if u not in names and u not in groups]
        if unknown:
            raise _fail(source, f"unknown unit(s) {unknown}; groups are {', '.join(sorted(groups))}")
    role_items, checks = _claim_parts(raw, kind, model, source)
    open_at = raw.get("open_at")
    if open_at is not None and open_at not in {*dict(role_items), *BUILTIN_ROLES}:
        raise _fail(source, f"'open_at' {open_at!r} must be a role: {', '.join(dict(role_items))} or answer")
    order = raw.get("order", 100)
    if not isinstance(order, int):
        raise _fail(source, "'order' must be a whole number")
    _check_caption(caption, source)
    return Example(
        id=raw["id"],
        title=raw["title"],
        kind=kind,
        model=model,
        claim=raw["claim"],
        caption=caption,
        order=order,
        sentence=sentence,
        variants=_strings(raw, "variants", source),
        highlight_units=highlight,
        open_at=open_at,
        expected=raw.get("expected"),
        number_items=_numbers(raw, kind, source),
        role_items=role_items,
        checks=checks,
    )


def load_examples(directory: Path = EXAMPLES_DIR) -> dict[str, Example]:
    """Every example in ``directory`` by id, in page order (``order``, then id)."""
    out = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise _fail(path.name, f"not readable JSON ({exc})") from None
        if not isinstance(raw, dict) or raw.get("id") != path.stem:
            raise _fail(path.name, f"'id' must equal the file name {path.stem!r}")
        cap = path.with_name(str(raw.get("caption", "")))
        if not raw.get("caption") or not cap.is_file():
            raise _fail(path.name, f"caption file {raw.get('caption')!r} not found next to it")
        out.append(parse_example(raw, cap.read_text(encoding="utf-8"), path.name))
    return {e.id: e for e in sorted(out, key=lambda e: (e.order, e.id))}


def run_example(
    example: Example,
    sentence: str | None = None,
    numbers: Mapping[str, object] | None = None,
    story: StoryModel | None = None,
) -> ExampleResult:
    """Compute ``example`` live: its own sentence, or ``sentence`` (the user's edit, any length) for a
    story example, through ``story`` if given (a model built from arrays: the result names it, by
    ``story.name``) else the registry's ``example.model``; its numbers, updated by ``numbers``, for the
    numeric kinds. The claim is checked on the result (``ExampleResult.checks``)."""
    if example.kind != "story":
        nums = {**example.numbers, **(numbers or {})}
        pred, arrays, ctx = run_numbers(example.kind, nums, example.roles)
        return ExampleResult(
            example,
            predictions=(pred,) if pred else (),
            numbers=arrays,
            checks=check_claim(example.checks, ctx),
            caption=caption_for(example.caption, example.model),
        )
    text = example.sentence if sentence is None else sentence
    if story is not None:
        example = replace(example, model=story.name)
    run, ctx, key_steps = run_story(example.model, text, example.roles, story)
    highlight: list[int] = []
    if example.model == "designed_story":
        for name in example.highlight_units:
            highlight += [k for k in designed_model().units_of(name) if k not in highlight]
    steps = {name: f.steps for name, f in ctx.found.items()}
    opening = steps.get(example.open_at or "answer") or steps["answer"] or (0,)
    return ExampleResult(
        example=example,
        tokens=run.texts,
        kinds=run.kinds,
        unit_names=run.unit_names,
        highlight=tuple(highlight),
        open_step=opening[0],
        trace=run.trace,
        xs=run.xs,
        feature_names=run.feature_names,
        predictions=run.predictions,
        readings=run.readings,
        steps=steps,
        key_steps=tuple(sorted({*key_steps, opening[0]})),
        checks=check_claim(example.checks, ctx),
        caption=caption_for(example.caption, example.model),
        expected=expected_word(example.checks, ctx),
    )
