"""The story language model: predict the next word of short stories built from the lectures' sentences.

A story introduces a subject ("bob is a nice person ."), may switch it ("dan on the other hand is
evil ."), tells facts worth storing ("he knows swimming .", "he told me over the phone that he had
served the navy for 4 long years ."), may say where the narrator grew up (before or after the
characters appear) followed by a variable number of irrelevant filler words before "i speak
<language> .", may mention that "the clouds are in the sky .", and usually ends with "he single
handedly fought the enemy and died for his country . for his contributions , brave <subject> .".

Targets: the next token at every step (``per_step``), so the model learns the whole grammar. Most steps
are easy or unpredictable (which filler sentence comes next); the steps that need memory are found by
``probes``: after "speak" (the language of the country told ``gap`` filler words earlier), after
"brave" (the current subject) and after "the clouds are in the" (sky, a clue right next to the blank).

Held out for ``test``: every test story pairs its subject with a country it never meets in training
(``held_out_pair``), and its gap is drawn up to 1.5 × ``max_gap``, longer than any training gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lstm_core.tasks.base import Example, TaskData, TaskSpec

NAMES = {
    "bob": "m", "dan": "m", "tom": "m", "sam": "m", "max": "m", "leo": "m",
    "alice": "f", "maria": "f", "anna": "f", "lucy": "f", "eva": "f", "nina": "f",
}  # fmt: skip
LANGUAGE_OF = {
    "france": "french", "spain": "spanish", "germany": "german", "italy": "italian",
    "portugal": "portuguese", "russia": "russian", "japan": "japanese", "china": "chinese",
    "greece": "greek", "poland": "polish", "sweden": "swedish", "turkey": "turkish",
}  # fmt: skip
PRONOUNS = {"m": ("he", "his"), "f": ("she", "her")}
SKILLS = ("swimming", "cooking", "chess", "karate", "painting")
YEARS = ("2", "3", "4", "5", "6")
CLOUDS = ("the", "clouds", "are", "in", "the", "sky", ".")
FILLERS = tuple(
    tuple(s.split())
    for s in (
        "we lived near the old river .",
        "my father worked at the mill .",
        "the summers were long and hot .",
        "my mother loved to cook .",
        "we had a small dog .",
        "it rained a lot .",
        "i walked to school every day .",
        "my friends and i played football .",
        "the town was quiet .",
        "later we moved to the city .",
        "i liked the old market .",
        "we often visited my grandmother .",
        "the winters were cold .",
        "i read many books .",
        "our house had a red door .",
        "my brother and i built a boat .",
    )
)
_PHRASES = (
    "is a nice person . on the other hand evil knows told me over phone that had served navy for long"
    " years single handedly fought enemy and died country contributions , brave i grew up speak"
)


def _vocabulary() -> tuple[str, ...]:
    words: list[str] = [*NAMES, *LANGUAGE_OF, *LANGUAGE_OF.values(), "he", "she", "his", "her"]
    words += [*SKILLS, *YEARS, *CLOUDS, *_PHRASES.split()]
    words += [w for s in FILLERS for w in s]
    return tuple(dict.fromkeys(words))  # first occurrence order, no duplicates


VOCAB = _vocabulary()


@dataclass(frozen=True)
class Probe:
    """A step whose prediction needs the story's context: after ``tokens[position]`` the model
    should say ``answer``. ``gap`` counts the filler words between the clue and the question
    (for "speak"), or the steps since the clue (for "brave" and "sky")."""

    kind: str  # "language", "subject" or "sky"
    position: int
    answer: str
    gap: int


def held_out_pair(name: str, country: str) -> bool:
    """True for the (subject, country) pairs kept out of training: one in six, every name and
    every country in some held-out pair and in some training pair."""
    return list(NAMES).index(name) % 6 == list(LANGUAGE_OF).index(country) % 6


def probes(tokens: tuple[str, ...] | list[str]) -> tuple[Probe, ...]:
    """The informative steps of any token sequence (corpus story or a user's sentence)."""
    out: list[Probe] = []
    country_at = name_at = -1
    for t, tok in enumerate(tokens):
        if tok in LANGUAGE_OF:
            country_at = t
        elif tok in NAMES:
            name_at = t
        elif tok == "speak" and country_at >= 0:
            clue_end = country_at + 1 + int(tuple(tokens[country_at + 1 : country_at + 2]) == (".",))
            ask = t - 1 if t > 0 and tokens[t - 1] == "i" else t
            gap = max(0, ask - clue_end)  # words between "… <country> ." and "i speak"
            out.append(Probe("language", t, LANGUAGE_OF[tokens[country_at]], gap))
        elif tok == "brave" and name_at >= 0:
            out.append(Probe("subject", t, tokens[name_at], t - name_at))
        elif tok == "the" and tuple(tokens[max(0, t - 3) : t]) == CLOUDS[1:4]:
            out.append(Probe("sky", t, "sky", 4))
    return tuple(out)


def _fillers(rng: np.random.Generator, gap: int) -> list[str]:
    """Filler sentences totalling ``gap`` words, or up to two fewer (sentences have 4–7 words)."""
    out: list[str] = []
    while True:
        room = gap - len(out)
        fits = [s for s in FILLERS if len(s) <= room]
        if not fits:
            return out
        out += fits[int(rng.integers(len(fits)))]


def _pick(rng: np.random.Generator, items: object) -> str:
    seq = list(items)  # type: ignore[call-overload]
    return seq[int(rng.integers(len(seq)))]


def make_story(
    rng: np.random.Generator, gap: int, held_out: bool | None, full: bool = False
) -> tuple[str, ...]:
    """One story. ``held_out``: True forces a held-out (subject, country) pair, False forbids one,
    None lets the story go without a country. ``full`` always includes the country and the ending."""
    first = _pick(rng, NAMES)
    intro = [first, "is", "a", "nice", "person", "."]
    subject = first
    if rng.random() < 0.5:
        subject = _pick(rng, [n for n in NAMES if n != first])
        intro += [subject, "on", "the", "other", "hand", "is", "evil", "."]
    he, his = PRONOUNS[NAMES[subject]]
    middle: list[list[str]] = []
    if full or rng.random() < 0.75:
        countries = [c for c in LANGUAGE_OF if held_out is None or held_out_pair(subject, c) == held_out]
        country = _pick(rng, countries)
        told = ["i", "grew", "up", "in", country, "."]
        segment = [*told, *_fillers(rng, gap), "i", "speak", LANGUAGE_OF[country], "."]
        if rng.random() < 0.5:  # the narrator first, then the characters
            intro = segment + intro
        else:
            middle.append(segment)
    if rng.random() < 0.6:
        who = subject if rng.random() < 0.4 else he  # "dan knows swimming ." or "he knows swimming ."
        middle.append([who, "knows", _pick(rng, SKILLS), "."])
    if rng.random() < 0.6:
        years = _pick(rng, YEARS)
        who = subject if rng.random() < 0.4 else he
        phone = [who, "told", "me", "over", "the", "phone", "that", he, "had", "served", "the", "navy"]
        middle.append([*phone, "for", years, "long", "years", "."])
    if rng.random() < 0.4:
        middle.append(list(CLOUDS))
    order = rng.permutation(len(middle))
    story = intro + [w for k in order for w in middle[k]]
    if full or rng.random() < 0.75:
        story += [he, "single", "handedly", "fought", "the", "enemy", "and", "died", "for", his, "country"]
        story += [".", "for", his, "contributions", ",", "brave", subject, "."]
    return tuple(story)


def _example(tokens: tuple[str, ...]) -> Example:
    return Example(tokens=tokens, targets=(*tokens[1:], None))


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    return int(value)


def make(seed: int = 0, n_train: int = 3000, n_test: int = 300, max_gap: int = 24) -> TaskData:
    """Training stories with gaps 0 … ``max_gap``; held-out test stories with new (subject, country)
    pairs and gaps 0 … ⌈1.5 × max_gap⌉. The test set does not depend on ``n_train``."""
    seed = _check_int("seed", seed, 0, 2**32 - 1)
    n_train = _check_int("n_train", n_train, 1, 200_000)
    n_test = _check_int("n_test", n_test, 1, 50_000)
    max_gap = _check_int("max_gap", max_gap, 0, 200)
    test_gap = math.ceil(1.5 * max_gap)
    rng = np.random.default_rng((seed, 0))
    train = tuple(
        _example(make_story(rng, int(rng.integers(max_gap + 1)), held_out=False)) for _ in range(n_train)
    )
    rng = np.random.default_rng((seed, 1))
    test = tuple(
        _example(make_story(rng, int(rng.integers(test_gap + 1)), held_out=True, full=True))
        for _ in range(n_test)
    )
    info = {"max_gap": max_gap, "test_max_gap": test_gap, "probe_kinds": ("language", "subject", "sky")}
    return TaskData("story", VOCAB, VOCAB, train, test, info)


SPEC = TaskSpec(
    name="story",
    title="Story: next word",
    description=(
        "Predict the next word of short stories: the language of the country told many words earlier, "
        "the hero's name after 'brave', 'sky' after 'the clouds are in the'."
    ),
    loss="per_step",
    make=make,
    defaults={"seed": 0, "n_train": 3000, "n_test": 300, "max_gap": 24},
)


GAP_BINS = ((0, 9), (10, 19), (20, 29), (30, 39), (40, 49), (50, 200))


def probe_metrics(
    examples: tuple[Example, ...],
    predicted: list[np.ndarray] | tuple[np.ndarray, ...],
    classes: tuple[str, ...],
) -> dict[str, object]:
    """Accuracy of next-word predictions (``predicted[k]`` = class ids (T,) for ``examples[k]``):
    over every scored step ("all"), at each probe kind, and at "i speak ___" by gap (``GAP_BINS``)."""
    if len(predicted) != len(examples):
        raise ValueError(f"{len(predicted)} predictions for {len(examples)} examples")
    hits: dict[str, list[bool]] = {"all": [], "language": [], "subject": [], "sky": []}
    hits.update({f"language_gap_{lo}_{hi}": [] for lo, hi in GAP_BINS})
    for ex, pred in zip(examples, predicted, strict=True):
        words = [classes[int(i)] for i in pred]
        hits["all"] += [w == y for w, y in zip(words, ex.targets, strict=True) if y is not None]
        for p in probes(ex.tokens):
            hits.setdefault(p.kind, []).append(words[p.position] == p.answer)
            if p.kind == "language":
                lo, hi = next(b for b in GAP_BINS if b[0] <= p.gap <= b[1])
                hits.setdefault(f"language_gap_{lo}_{hi}", []).append(words[p.position] == p.answer)
    hits = {k: v for k, v in hits.items() if v}
    return {
        "accuracy": {k: float(np.mean(v)) for k, v in hits.items()},
        "count": {k: len(v) for k, v in hits.items()},
    }
