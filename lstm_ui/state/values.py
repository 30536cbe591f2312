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
from lstm_ui.sentence import MAX_CHARS as MAX_TEXT
from lstm_ui.trained_models import STORY_TASKS, find_trained, is_trained_key, trained_key

__all__ = ["DEFAULT_MODEL", "DEFAULT_SENTENCE"]  # the view's defaults, re-exported
ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_NOTATION = "colah"
DEFAULT_STAGE = "forget"
DEFAULT_WEIGHTS = "seeded"
DEFAULT_LAB = "direct"
LAB_MODES = ("direct", "weights")
WEIGHT_SETS = ("seeded", "trained")
MAX_POSITION = 1_000_000
NO_WORDS = (
    "it was trained on symbols, not words: it has no words to tell a story with (a model trained on "
    "stories, reviews or events can); the example's own model is shown"
)


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
    if value < 1:
        raise ValueError("it must be 1 or more")
    if value > MAX_POSITION:
        raise ValueError(f"it must be at most {MAX_POSITION:,}")
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
    if is_trained_key(raw):  # a model trained on the Train page, in this session only
        return trained_key(raw)
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

    if is_trained_key(raw):  # a model trained on the Train page, in this session only
        key = trained_key(raw)
        if find_trained(key).task not in STORY_TASKS:
            raise ValueError(NO_WORDS)
        return key
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


# ----- The Train page (issue 17): what a training run trains. ------------------------------------------
# None in the view means "the task's own setting" (assets/train_lab.json), so a link names only what the
# student changed. The runner's bounds (lstm_ui/training.py) are these.
DEFAULT_TASK = "memory_span"
DEFAULT_CELL = "lstm"
MAX_HIDDEN = 128
MAX_TRAIN_STEPS = 5000
MAX_GAP = 1000
MAX_SEED = 2**31 - 1
MAX_FORGET_BIAS = 10.0
DISTRACTORS = ("symbols", "separate")


def task(raw: str) -> str:
    from lstm_core.tasks import task_registry

    return one_of(raw, {key: spec.title for key, spec in task_registry().items()})


def cell(raw: str) -> str:
    from lstm_ui.drawings.colours import cell_style

    return one_of(raw, {key: cell_style(key)[0] for key in ("rnn", "gru", "lstm")})


def _whole(raw: str, low: int, high: int) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError("it is not a whole number") from None
    if not low <= value <= high:
        raise ValueError(f"it must be from {low:,} to {high:,}")
    return value


def _number(raw: str, low: float, high: float, low_included: bool = True) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise ValueError("it is not a number") from None
    if low_included and not low <= value <= high:
        raise ValueError(f"it must be from {low:g} to {high:g}")
    if not low_included and not low < value <= high:
        raise ValueError(f"it must be above {low:g} and at most {high:g}")
    return value


def hidden(raw: str) -> int:
    return _whole(raw, 1, MAX_HIDDEN)


def train_steps(raw: str) -> int:
    return _whole(raw, 1, MAX_TRAIN_STEPS)


def gap(raw: str) -> int:
    return _whole(raw, 1, MAX_GAP)


def seed(raw: str) -> int:
    return _whole(raw, 0, MAX_SEED)


def learning_rate(raw: str) -> float:
    return _number(raw, 0.0, 1.0, low_included=False)


def forget_bias(raw: str) -> float:
    return _number(raw, -MAX_FORGET_BIAS, MAX_FORGET_BIAS)


def distractors(raw: str) -> str:
    return one_of(raw, {key: key for key in DISTRACTORS})


# ----- Clamps and the Compare page (issue 18) -------------------------------------------------------------
DEFAULT_COMPARE = "sentences"
COMPARE_MODES = {"sentences": "two sentences", "models": "two models", "clamp": "with and without clamps"}
DEFAULT_SHOW = "cell"
SHOWN_ARRAYS = ("forget", "input", "candidate", "output", "cell", "hidden")


def clamps(raw: str) -> str:
    """Gates set by hand (``lstm_ui.state.clamps``): the canonical text, or why it cannot be read."""
    from lstm_ui.state.clamps import normalized

    return normalized(raw)


def compare_mode(raw: str) -> str:
    return one_of(raw, COMPARE_MODES)


def second_sentence(raw: str) -> str:
    if not raw.strip():
        raise ValueError("it is empty: a second sentence needs at least one word")
    return text(raw)


def run_model(raw: str) -> str:
    """A model the Compare page runs: a story LSTM (``assets/compare.json``) or one of the picker's."""
    from lstm_ui.runs import compare_settings

    stories = dict(compare_settings()["story_models"])
    try:
        return one_of(raw, stories)
    except ValueError:
        pass
    try:
        return model(raw)
    except ValueError:
        names = [*(m.title for m in MODELS.values()), *stories.values()]
        raise ValueError(f"choose one of {', '.join(names)}") from None


def shown_array(raw: str) -> str:
    from lstm_ui.state.clamps import LETTERS

    return one_of(LETTERS.get(raw.strip().casefold(), raw), {key: key for key in SHOWN_ARRAYS})


# ----- Exercises (issue 19): which set, which draw of numbers, and a class's shared seed -------------------
DEFAULT_EXERCISE_SET = "lecture"
MAX_DRAW = 1_000_000


def exercise_set(raw: str) -> str:
    from lstm_core.exercises import load_sets

    return one_of(raw, {key: key for key in load_sets()})


def exercise_draw(raw: str) -> int:
    return _whole(raw, 0, MAX_DRAW)


def class_seed(raw: str) -> int:
    return _whole(raw, 0, MAX_SEED)
