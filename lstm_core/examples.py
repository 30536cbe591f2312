"""The lectures' worked examples as data: one ``assets/examples/<id>.json`` each (+ a ``<id>.md`` caption).

Adding an example is adding a file. ``load_examples()`` reads and validates them all (a bad file gives a
``ValueError`` naming the file and the field); ``run_example(example, sentence)`` computes it live with
the real core. Kinds:

- ``story``: a sentence run through a story model (``lstm_core.story``): trace, tokens, unit names, the
  softmax over candidate words at each blank ``___`` (or at the end).
- ``cell_update``: C^f = f * C_{t-1}, C^i = i * C̃, C = C^f + C^i via ``lstm_core.cell_update``.
- ``softmax``: labelled probabilities P = softmax(z) from logits z.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lstm_core.lstm import LSTMTrace, cell_update
from lstm_core.story.designed import designed_model
from lstm_core.story.models import MODEL_SPECS, load_model, run_text
from lstm_core.story.readout import Prediction, labelled_softmax

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "assets" / "examples"
KINDS = ("story", "cell_update", "softmax")
NUMBERS = {
    "cell_update": ("c_prev", "forget", "input", "candidate"),
    "softmax": ("labels", "logits"),
}
_REQUIRED = ("id", "title", "kind", "model", "claim", "caption")


@dataclass(frozen=True)
class Example:
    """One worked example (see the module docstring for the fields' meaning)."""

    id: str
    title: str
    kind: str  # one of KINDS
    model: str  # a story model name, or "none" for the numeric kinds
    claim: str  # what the lecture says this shows
    caption: str  # Markdown text of <id>.md
    order: int = 100  # position in the page's list
    sentence: str = ""
    variants: tuple[str, ...] = ()  # more sentences showing the same thing
    highlight_units: tuple[str, ...] = ()  # unit or group names
    open_at: str | int | None = None  # token text or token index to open the page at
    candidates: tuple[str, ...] = ()  # words the softmax chooses from (empty: the model's default)
    expected: str | None = None  # the answer the lecture expects for ``sentence``
    number_items: tuple[tuple[str, tuple], ...] = ()  # hashable form of the "numbers" object

    @property
    def numbers(self) -> dict[str, tuple]:
        """The example's numbers by name (a fresh dict): c_prev/forget/input/candidate or labels/logits."""
        return dict(self.number_items)


@dataclass(frozen=True, eq=False)
class ExampleResult:
    """An example computed live. ``trace`` etc. are None for the numeric kinds."""

    example: Example
    tokens: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # each token's kind (designed model) or known/unknown (trained)
    unit_names: tuple[str, ...] = ()
    highlight: tuple[int, ...] = ()  # indices of the highlighted units
    open_step: int = 0
    trace: LSTMTrace | None = None
    xs: np.ndarray | None = None  # (T, D) input vectors
    feature_names: tuple[str, ...] = ()
    predictions: tuple[Prediction, ...] = ()
    numbers: Mapping[str, np.ndarray] = field(default_factory=dict)


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
    out = {k: tuple(v) if isinstance(v, list) else v for k, v in nums.items()}
    lengths = {len(v) if isinstance(v, tuple) else -1 for k, v in out.items() if k in NUMBERS[kind]}
    if len(lengths) != 1 or -1 in lengths or 0 in lengths:
        raise _fail(source, f"the lists {', '.join(NUMBERS[kind])} must be non-empty and equally long")
    return tuple((k, v) for k, v in out.items() if isinstance(v, tuple))


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
    open_at = raw.get("open_at")
    if open_at is not None and not isinstance(open_at, str | int):
        raise _fail(source, "'open_at' must be a token (text) or a token index")
    order = raw.get("order", 100)
    if not isinstance(order, int):
        raise _fail(source, "'order' must be a whole number")
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
        candidates=_strings(raw, "candidates", source),
        expected=raw.get("expected"),
        number_items=_numbers(raw, kind, source),
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


def _open_step(open_at: str | int | None, tokens: tuple[str, ...]) -> int:
    """The token index to open at: an index (clipped), the first token with that text, else the first
    blank, else 0 (the user may have edited the sentence)."""
    if isinstance(open_at, int):
        return min(max(open_at, 0), len(tokens) - 1)
    if isinstance(open_at, str) and open_at in tokens:
        return tokens.index(open_at)
    return tokens.index("___") if "___" in tokens else 0


def _run_numbers(example: Example, numbers: Mapping[str, object] | None) -> ExampleResult:
    nums = {**example.numbers, **(numbers or {})}
    if example.kind == "softmax":
        pred = labelled_softmax(nums["labels"], nums["logits"])
        return ExampleResult(example, predictions=(pred,), numbers={"logits": pred.logits})
    arr = {}
    for key in NUMBERS["cell_update"]:
        try:
            arr[key] = np.asarray(nums[key], dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{key} must be a list of numbers") from None
        if arr[key].ndim != 1 or not np.all(np.isfinite(arr[key])):
            raise ValueError(f"{key} must be a flat list of finite numbers")
    if len({a.shape for a in arr.values()}) != 1:
        raise ValueError("C_{t-1}, f, i and C̃ must have the same length")
    zeros = np.zeros_like(arr["c_prev"])
    forget_part = cell_update(arr["c_prev"], arr["forget"], zeros, zeros)  # C^f = f * C_{t-1}
    input_part = cell_update(zeros, zeros, arr["input"], arr["candidate"])  # C^i = i * C̃
    cell = cell_update(arr["c_prev"], arr["forget"], arr["input"], arr["candidate"])  # C = C^f + C^i
    out = {**arr, "forget_part": forget_part, "input_part": input_part, "cell": cell}
    return ExampleResult(example, numbers=out)


def run_example(
    example: Example, sentence: str | None = None, numbers: Mapping[str, object] | None = None
) -> ExampleResult:
    """Compute ``example`` live: its own sentence, or ``sentence`` (the user's edit) for a story
    example; its numbers, updated by ``numbers``, for the numeric kinds."""
    if example.kind != "story":
        return _run_numbers(example, numbers)
    model = load_model(example.model)
    run = run_text(model, example.sentence if sentence is None else sentence, example.candidates or None)
    highlight: list[int] = []
    if example.model == "designed_story":
        for name in example.highlight_units:
            highlight += [k for k in designed_model().units_of(name) if k not in highlight]
    return ExampleResult(
        example=example,
        tokens=run.texts,
        kinds=run.kinds,
        unit_names=run.unit_names,
        highlight=tuple(highlight),
        open_step=_open_step(example.open_at, run.texts),
        trace=run.trace,
        xs=run.xs,
        feature_names=run.feature_names,
        predictions=run.predictions,
    )
