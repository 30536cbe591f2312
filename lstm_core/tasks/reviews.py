"""Movie reviews → rating 1–5: a generated corpus with real structure, tested on hand-written reviews.

Every generated review is a few sentences; each opinion clause has a value v:

    v = s(adjective) · m(intensifier)             "the plot was very good"     → 1.0 · 1.5 = 1.5
    v = -sign(u) · (1.2 - 0.3 |u|),  u = s · m    "the plot was not good"      → -0.9 (negation flips,
                                                  and weakens strong words: "not great" → -0.6)
    "A but B", "although A , B", "A . however , B": A counts 0.3, B counts 1 (the later clause wins)

The review's score is the weighted mean of its clause values and the rating follows from it:
score ≤ -1.1 → 1, ≤ -0.35 → 2, < 0.35 → 3, < 1.1 → 4, otherwise 5. Classes are drawn evenly (a review
is redrawn until it has the wanted rating). About 4 % of the training words become "<unk>", so the
model learns to read past words it does not know; in the app every unknown word maps to "<unk>".

``test`` is the hand-written set in ``assets/data/reviews_handwritten.jsonl`` (written by a person,
never used for training), when the file is found; ``info["generated_test"]`` holds generated
held-out reviews as well.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from lstm_core.tasks.base import Example, TaskData, TaskSpec
from lstm_core.tasks.text import tokenize

HANDWRITTEN = Path(__file__).resolve().parents[2] / "assets" / "data" / "reviews_handwritten.jsonl"
CLASSES = ("1", "2", "3", "4", "5")
UNK = "<unk>"

_ADJECTIVE_GROUPS = {
    2.0: "great excellent amazing wonderful brilliant fantastic superb outstanding perfect stunning "
    "incredible beautiful masterful",
    1.0: "good nice fun enjoyable funny charming clever solid moving touching entertaining interesting "
    "fresh gripping impressive lovely strong memorable exciting smart sweet",
    0.4: "decent fine okay watchable pleasant",
    -0.5: "average mediocre uneven ordinary",
    -1.0: "bad boring dull weak slow predictable bland flat confusing silly messy forgettable "
    "disappointing poor cheesy lazy annoying tedious",
    -2.0: "terrible awful horrible dreadful painful unbearable pointless stupid unwatchable ridiculous",
}
ADJECTIVES: dict[str, float] = {w: v for v, words in _ADJECTIVE_GROUPS.items() for w in words.split()}
INTENSIFIERS: dict[str, float] = {
    "very": 1.5, "really": 1.5, "so": 1.5, "truly": 1.5, "extremely": 1.8, "incredibly": 1.8,
    "absolutely": 2.0, "quite": 1.2, "pretty": 1.2, "rather": 1.1, "a bit": 0.6, "somewhat": 0.6,
    "slightly": 0.5, "kind of": 0.6,
}  # fmt: skip
SINGULAR = (
    "the acting", "the plot", "the story", "the music", "the ending", "the dialogue", "the cast",
    "the script", "the pacing", "the soundtrack", "the direction", "the cinematography", "the humor",
    "this movie", "this film", "the movie", "the film", "the lead actor", "the villain", "the first half",
    "the second half", "the premise", "the camera work", "the editing", "it",
)  # fmt: skip
PLURAL = (
    "the characters",
    "the jokes",
    "the visuals",
    "the special effects",
    "the action scenes",
    "the actors",
)
BE = {False: ("is", "was"), True: ("are", "were")}
NEGATED_BE = {
    False: ("is not", "was not", "isn't", "wasn't", "was never", "is never"),
    True: ("are not", "were not", "aren't", "weren't", "were never"),
}
VERBS = {"loved": 2.0, "adored": 2.0, "enjoyed": 1.5, "liked": 1.0, "hated": -2.0, "disliked": -1.0}
NEGATED_VERBS = {"like": 1.0, "love": 2.0, "enjoy": 1.5, "hate": -2.0, "mind": -0.8}  # "i didn't like it"
VERDICTS: dict[str, float] = {
    "a must see": 2.0, "highly recommended": 2.0, "a masterpiece": 2.5,
    "one of the best films of the year": 2.5,
    "i would watch it again": 1.5, "worth watching": 1.0, "worth the ticket": 1.0, "i recommend it": 1.2,
    "it was okay": 0.0, "nothing special": -0.3, "not bad , not great": 0.0, "it had its moments": 0.2,
    "not worth it": -1.0, "i fell asleep": -1.5, "do not bother": -1.5, "don't bother": -1.5,
    "a waste of time": -2.0, "avoid it": -2.0, "i want my money back": -2.0,
    "the worst movie i have seen": -2.5,
    "what a mess": -1.5, "i walked out": -2.0,
}  # fmt: skip
NEUTRAL = (
    "i watched it with my friends", "we saw it last night", "it is about a family in a small town",
    "the movie is two hours long", "i went in with low expectations", "my wife picked this one",
    "it is based on a book", "i saw it on a plane", "the trailer made it look different",
    "it is a sequel", "i watched it at home", "the theater was full",
)  # fmt: skip
TERMINATORS = (".", ".", ".", "!")


def negate(u: float) -> float:
    """The value of a negated opinion of value u: flipped, and strong words weakened."""
    return 0.0 if u == 0 else -float(np.sign(u)) * (1.2 - 0.3 * min(abs(u), 3.0))


def rating_of(score: float) -> str:
    """The rating class ("1" … "5") of a review score (weighted mean of clause values)."""
    for bound, label in ((-1.1, "1"), (-0.35, "2")):
        if score <= bound:
            return label
    return "3" if score < 0.35 else "4" if score < 1.1 else "5"


def opinion(aspect: str, adjective: str, negated: bool = False, intensifier: str | None = None) -> tuple:
    """One opinion clause, e.g. ("the plot was not very good", -0.75): its words and value."""
    if adjective not in ADJECTIVES:
        raise ValueError(f"unknown adjective {adjective!r}")
    plural = aspect in PLURAL
    be = (NEGATED_BE if negated else BE)[plural][0 if aspect == "it" else 1]
    u = ADJECTIVES[adjective] * (INTENSIFIERS[intensifier] if intensifier else 1.0)
    words = " ".join(w for w in (aspect, be, intensifier, adjective) if w)
    return words, (negate(u) if negated else u)


def _pick(rng: np.random.Generator, items: object) -> str:
    seq = list(items)  # type: ignore[call-overload]
    return seq[int(rng.integers(len(seq)))]


def _clause(rng: np.random.Generator, mood: float) -> tuple[str, float]:
    """A random opinion clause, positive with probability ``mood``."""
    positive = rng.random() < mood
    for _ in range(50):
        words, v = _any_clause(rng)
        if (v > 0) == positive:
            break
    return words, v


def _any_clause(rng: np.random.Generator) -> tuple[str, float]:
    """A random opinion clause: about an aspect, or the viewer's own verb ("i really liked it")."""
    if rng.random() < 0.75:
        aspect = _pick(rng, SINGULAR if rng.random() < 0.8 else PLURAL)
        plural, negated = aspect in PLURAL, rng.random() < 0.3
        be = _pick(rng, (NEGATED_BE if negated else BE)[plural])
        intens = _pick(rng, INTENSIFIERS) if rng.random() < 0.4 else None
        adjective = _pick(rng, ADJECTIVES)
        u = ADJECTIVES[adjective] * (INTENSIFIERS[intens] if intens else 1.0)
        words = " ".join(w for w in (aspect, be, intens, adjective) if w)
        return words, (negate(u) if negated else u)
    obj = _pick(rng, ("it", "this movie", "the film", *SINGULAR[:6]))
    if rng.random() < 0.3:
        verb = _pick(rng, NEGATED_VERBS)
        aux = _pick(rng, ("did not", "didn't", "did not really", "didn't really"))
        return f"i {aux} {verb} {obj}", negate(NEGATED_VERBS[verb])
    verb = _pick(rng, VERBS)
    boost = _pick(rng, ("really", "absolutely", "truly")) if rng.random() < 0.3 else None
    factor = INTENSIFIERS[boost] if boost else 1.0
    return " ".join(w for w in ("i", boost, verb, obj) if w), VERBS[verb] * factor


Parts = list[tuple[float, float]]  # (value, weight) of each opinion in a review


def _sentence(rng: np.random.Generator, mood: float) -> tuple[str, Parts]:
    """One sentence (without its final mark) and its weighted opinions."""
    kind = rng.random()
    if kind < 0.35:
        words, v = _clause(rng, mood)
        return words, [(v, 1.0)]
    if kind < 0.50:
        (a, va), (b, vb) = _clause(rng, mood), _clause(rng, mood)
        return f"{a} and {b}", [(va, 1.0), (vb, 1.0)]
    if kind < 0.72:
        (a, va), (b, vb) = _clause(rng, mood), _clause(rng, mood)
        template = _pick(rng, ("{a} , but {b}", "{a} but {b}", "although {a} , {b}", "{a} . however , {b}"))
        return template.format(a=a, b=b), [(va, 0.3), (vb, 1.0)]
    if kind < 0.88:
        fits = [k for k, v in VERDICTS.items() if (v > 0) == (rng.random() < mood)]
        verdict = _pick(rng, fits)
        return verdict, [(VERDICTS[verdict], 1.5)]
    return _pick(rng, NEUTRAL), []


def score_of(parts: Parts) -> float:
    """The review score: the weighted mean of its opinion values (0 when it has none)."""
    total = sum(w for _, w in parts)
    return sum(v * w for v, w in parts) / total if total else 0.0


MOODS = {"1": 0.05, "2": 0.2, "3": 0.5, "4": 0.8, "5": 0.95}  # P(an opinion is positive), by rating


def make_review(rng: np.random.Generator, mood: float = 0.5) -> tuple[str, float]:
    """A random review (1–4 sentences, at least one opinion, each positive with probability ``mood``)
    and its score."""
    while True:
        n = 1 + int(rng.choice(4, p=(0.25, 0.35, 0.25, 0.15)))
        sentences = [_sentence(rng, mood) for _ in range(n)]
        parts = [p for _, ps in sentences for p in ps]
        if parts:
            text = " ".join(f"{words} {_pick(rng, TERMINATORS)}" for words, _ in sentences)
            return text, score_of(parts)


def _labelled(tokens: tuple[str, ...], rating: str) -> Example:
    return Example(tokens=tokens, targets=(*([None] * (len(tokens) - 1)), rating))


def _generate(rng: np.random.Generator, n: int, unk_rate: float) -> tuple[Example, ...]:
    """``n`` reviews, ratings cycling 1 … 5 (each review redrawn until it has the wanted rating)."""
    out = []
    for k in range(n):
        want = CLASSES[k % len(CLASSES)]
        text, score = make_review(rng, MOODS[want])
        while rating_of(score) != want:
            text, score = make_review(rng, MOODS[want])
        tokens = tokenize(text)
        if unk_rate:
            drop = rng.random(len(tokens)) < unk_rate
            tokens = tuple(UNK if d else t for t, d in zip(tokens, drop, strict=True))
        out.append(_labelled(tokens, want))
    return tuple(out)


def _vocabulary() -> tuple[str, ...]:
    texts = [*ADJECTIVES, *INTENSIFIERS, *SINGULAR, *PLURAL, *VERDICTS, *NEUTRAL, *TERMINATORS]
    texts += [*(w for forms in (*BE.values(), *NEGATED_BE.values()) for w in forms), *VERBS, *NEGATED_VERBS]
    texts += ["i did not didn't really and but although however , ."]
    return (UNK, *sorted({tok for text in texts for tok in tokenize(text)}))


VOCAB = _vocabulary()


def load_handwritten(path: Path | str = HANDWRITTEN) -> tuple[Example, ...]:
    """The hand-written reviews (``{"text": …, "rating": 1–5}`` per line) as raw-token examples."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, rating = row["text"], str(row["rating"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a review line ({exc})") from None
        tokens = tokenize(text)
        if rating not in CLASSES or not tokens:
            raise ValueError(f"{path}:{n}: needs a non-empty text and a rating 1-5")
        out.append(_labelled(tokens, rating))
    return tuple(out)


def make(seed: int = 0, n_train: int = 4000, n_test: int = 500) -> TaskData:
    """Generated training reviews; the hand-written reviews as ``test`` (generated held-out reviews in
    ``info["generated_test"]``, from their own random stream: independent of ``n_train``)."""
    for name, value, high in (
        ("seed", seed, 2**32 - 1),
        ("n_train", n_train, 200_000),
        ("n_test", n_test, 50_000),
    ):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value <= high:
            raise ValueError(f"{name} must be a whole number from 0 to {high}; got {value!r}")
    if n_train < 1:
        raise ValueError("n_train must be at least 1")
    train = _generate(np.random.default_rng((seed, 0)), n_train, unk_rate=0.04)
    generated = _generate(np.random.default_rng((seed, 1)), n_test, unk_rate=0.0)
    handwritten = load_handwritten() if HANDWRITTEN.exists() else ()
    info = {"generated_test": generated, "test_source": "handwritten" if handwritten else "generated"}
    return TaskData("reviews", VOCAB, CLASSES, train, handwritten or generated, info)


SPEC = TaskSpec(
    name="reviews",
    title="Movie review → rating",
    description=(
        "Read a movie review word by word and give it 1 to 5 stars at the end: negation, 'very', and "
        "'but' change the meaning."
    ),
    loss="last",
    make=make,
    defaults={"seed": 0, "n_train": 4000, "n_test": 500},
)
