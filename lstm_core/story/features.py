"""Word → a feature vector whose every number a student can read (see assets/story/features.md).

x_t (D = 19,) = [one-hot kind (11): name, pronoun, fact, filler, country, language, language_cue,
place_thing, blank, sentence_end, other] + [code 1 … code 8]. Exactly one kind is 1. The code is the
±1 code (``codes.py``) of *which* thing the word means: the name itself for a name, the fact word for a
fact, the country's **language** for a country (France → French), the place for a thing with a home
(clouds → sky), the language for a language word; zeros for every other word.

Kinds come from the lexicon (``assets/story/lexicon.json``), in this order of precedence: country,
language (in any case, except the few in ``lowercase_common``: "turkey" is food, "Turkey" a country),
place_thing, fact, language_cue, pronoun, filler; then a capitalised word in no list is a **name** (at the
start of a sentence too: "Dan on the other hand…"); any other word is ``other`` (a lower-case unknown word
is never a name: "bob" is not Bob). Numbers and punctuation other than ". ! ?" are filler; ". ! ?" end a
sentence; "___" is the blank; symbols (emoji) are ``other``. ``readings.py`` says per token what this
means for the model.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from lstm_core.story.codes import CODE_SIZE, hash_code, index_code
from lstm_core.story.lexicon import Lexicon, load_lexicon
from lstm_core.story.tokenizer import Token


@dataclass(frozen=True)
class Feature:
    name: str
    nouns: tuple[str, str]  # for messages: "the sentence has one name", "… two names"
    meaning: str


# fmt: off
KINDS: tuple[Feature, ...] = (
    Feature("name", ("name", "names"), "a capitalised word in no word list: a person (Bob, Dan, Zork)"),
    Feature("pronoun", ("pronoun", "pronouns"),
            "he, she, his, I …: points back at someone, stores nothing new"),
    Feature("fact", ("fact", "facts"), "a skill or institution worth remembering (swimming, navy)"),
    Feature("filler", ("filler word", "filler words"),
            "a function word, number or comma: carries no memory (the, phone, 4)"),
    Feature("country", ("country", "countries"), "a country (France); its code is its language's code"),
    Feature("language", ("language", "languages"), "a language named outright (French)"),
    Feature("language_cue", ("language cue", "language cues"),
            "speak, speaks, fluent …: the next blank asks for a language"),
    Feature("place_thing", ("thing with a place", "things with a place"),
            "a thing with a usual place (clouds → sky); its code is the place's code"),
    Feature("blank", ("blank ___", "blanks ___"), "___: the question the model must answer here"),
    Feature("sentence_end", ("sentence end", "sentence ends"), ". ! ?"),
    Feature("other", ("unknown word", "unknown words"),
            "anything else: an unknown lower-case word, an emoji, CJK text"),
)
# fmt: on
KIND_NAMES: tuple[str, ...] = tuple(f.name for f in KINDS)
KIND_NOUNS = MappingProxyType({f.name: f.nouns for f in KINDS})  # kind -> (one, many)
CODE_NAMES: tuple[str, ...] = tuple(f"code {k + 1}" for k in range(CODE_SIZE))
FEATURE_NAMES: tuple[str, ...] = (*KIND_NAMES, *CODE_NAMES)
INPUT_SIZE = len(FEATURE_NAMES)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def word_kind(token: Token, lexicon: Lexicon) -> str:
    """The kind of one token (one of ``KIND_NAMES``)."""
    if token.kind == "blank":
        return "blank"
    if token.kind == "number":
        return "filler"
    if token.kind == "punct":
        if token.is_sentence_end:
            return "sentence_end"
        return "filler" if unicodedata.category(token.text[0]).startswith("P") else "other"
    base = token.base
    w = base.casefold()
    proper = _capitalised(base) or w not in lexicon.lowercase_common  # "turkey" is food, "Turkey" a country
    if proper and w in lexicon.countries:
        return "country"
    if proper and w in lexicon.languages:
        return "language"
    for kind, words in (
        ("place_thing", lexicon.place_things),
        ("fact", lexicon.facts),
        ("language_cue", lexicon.language_cues),
        ("pronoun", lexicon.pronouns),
        ("filler", lexicon.fillers),
    ):
        if w in words:
            return kind
    if _capitalised(base) and not lexicon.known(base):
        return "name"
    return "other"


def word_code(token: Token, kind: str, lexicon: Lexicon) -> np.ndarray:
    """The ±1 code (8,) the word carries, or zeros."""
    w = token.base.casefold()
    if kind in ("name", "fact"):
        return hash_code(w)
    if kind == "country":
        return index_code(lexicon.languages.index(lexicon.countries[w]))
    if kind == "language":
        return index_code(lexicon.languages.index(w))
    if kind == "place_thing":
        return index_code(lexicon.places.index(lexicon.place_things[w]))
    return np.zeros(CODE_SIZE)


def word_meaning(token: Token, kind: str, lexicon: Lexicon) -> str | None:
    """The word whose code the token carries, spelled as the readout names it: a name or fact itself,
    a country's or language's language ("France" → "French"), a thing's place ("clouds" → "sky");
    None for a word without a code."""
    w = token.base.casefold()
    if kind in ("name", "fact"):
        return token.base
    if kind in ("country", "language"):
        return lexicon.countries.get(w, w).capitalize()
    if kind == "place_thing":
        return lexicon.place_things[w]
    return None


def encode(tokens: tuple[Token, ...], lexicon: Lexicon | None = None) -> tuple[np.ndarray, tuple[str, ...]]:
    """Feature vectors (T, D) of ``tokens`` and each token's kind. T = 0 gives a (0, D) array."""
    lex = lexicon or load_lexicon()
    xs = np.zeros((len(tokens), INPUT_SIZE))  # (T, D)
    kinds = []
    for t, tok in enumerate(tokens):
        kind = word_kind(tok, lex)
        kinds.append(kind)
        xs[t, KIND_NAMES.index(kind)] = 1.0
        xs[t, len(KIND_NAMES) :] = word_code(tok, kind, lex)
    return xs, tuple(kinds)
