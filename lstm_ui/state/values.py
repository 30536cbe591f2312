"""What each view parameter may hold: the defaults, and the parsers that turn the text of a URL into a
value (``ValueError`` with a message for the user otherwise). Names may be given by key or by label, in
any case, since people type links by hand."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from lstm_ui.compute import DEFAULT_MODEL, MODELS
from lstm_ui.sentence import DEFAULT_SENTENCE

__all__ = ["DEFAULT_MODEL", "DEFAULT_SENTENCE"]  # the view's defaults, re-exported
ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_NOTATION = "colah"
DEFAULT_STAGE = "forget"
DEFAULT_WEIGHTS = "seeded"
DEFAULT_LAB = "direct"
LAB_MODES = ("direct", "weights")
WEIGHT_SETS = ("seeded", "trained")
MAX_TEXT = 50_000  # characters of a sentence a link may carry
MAX_POSITION = 1_000_000


def text(raw: str) -> str:
    if len(raw) > MAX_TEXT:
        raise ValueError(f"it is longer than {MAX_TEXT:,} characters")
    return raw


def position(raw: str) -> int:
    """A 1-based position (a step, a unit, a word)."""
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError("it is not a whole number") from None
    if not 1 <= value <= MAX_POSITION:
        raise ValueError("it must be 1 or more")
    return value


def flag(raw: str) -> bool:
    value = raw.strip().casefold()
    if value not in ("true", "false", "1", "0", ""):
        raise ValueError("use true or false")
    return value in ("true", "1")


def one_of(raw: str, options: Mapping[str, str]) -> str:
    """The key of ``options`` ({key: label}) that ``raw`` names, by key or by label, in any case."""
    wanted = raw.strip().casefold()
    for key, label in options.items():
        if wanted in (key.casefold(), label.casefold()):
            return key
    raise ValueError(f"choose one of {', '.join(options.values())}")


def model(raw: str) -> str:
    return one_of(raw, {k: m.title for k, m in MODELS.items()})


@cache
def _notation_labels() -> dict[str, str]:
    raw = json.loads((ASSETS / "notations.json").read_text(encoding="utf-8"))["notations"]
    return {key: entry["label"] for key, entry in raw.items()}


def notation(raw: str) -> str:
    return one_of(raw, _notation_labels())


def example(raw: str) -> str:
    from lstm_core import load_examples

    return one_of(raw, {key: key for key in load_examples()})


def story_model(raw: str) -> str:
    from lstm_core.story import MODEL_SPECS

    return one_of(raw, {key: key for key in MODEL_SPECS})


@cache
def _stages() -> dict[str, str]:
    steps = json.loads((ASSETS / "steps.json").read_text(encoding="utf-8"))
    return {key: steps["steps"][key]["title"] for key in steps["order"]}


def stage(raw: str) -> str:
    return one_of(raw, _stages())


def weights(raw: str) -> str:
    return one_of(raw, {key: key for key in WEIGHT_SETS})


def lab_mode(raw: str) -> str:
    return one_of(raw, {key: key for key in LAB_MODES})
