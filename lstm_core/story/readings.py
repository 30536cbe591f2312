"""What a story model makes of each token: is the word in its vocabulary, and what does the model do with
it? A page marks the words a model does not know and says what became of them ("read as <unk>", "read as
a name, with a new code"), instead of answering as if it had understood them.

The designed model's vocabulary is its word lists (``assets/story/lexicon.json``) plus numbers,
punctuation and the blank; a capitalised word in no list is *not* known but read as a name, by rule. A
trained model's vocabulary is the word list it was trained with; it reads every word in lower case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lstm_core.story.features import word_meaning
from lstm_core.story.lexicon import Lexicon, load_lexicon
from lstm_core.story.tokenizer import Token

UNK = "<unk>"


@dataclass(frozen=True)
class TokenReading:
    """One token as the model reads it."""

    text: str  # as written
    known: bool  # in the model's vocabulary
    reading: str  # what the model does with it, in words


_DESIGNED = MappingProxyType(
    {
        "name": "“{word}” is in no word list and starts with a capital letter: read as a name, with a new "
        "code made from its spelling",
        "pronoun": "a pronoun: it points back at someone; no weight reads it",
        "fact": "a fact worth storing: the fact units add its code",
        "filler": "a filler word: no weight reads it, the memory stays as it was",
        "country": "the country {cap}: it carries the code of {meaning}",
        "language": "the language {meaning}",
        "language_cue": "a language cue: a blank later in this sentence asks for a language",
        "place_thing": "a thing whose usual place is the {meaning}: it carries that place's code",
        "blank": "the question: the model answers here",
        "sentence_end": "the end of a sentence: the cues are cleared",
        "other": "“{word}” is in no word list: read as ‘other’, which no weight reads (it changes nothing)",
    }
)
_NUMBER = "a number: read as a filler word"
_PUNCT = "punctuation: read as a filler word"
_SYMBOL = "“{word}” is not an English word the model knows: read as ‘other’ (it changes nothing)"
_NOT_A_NAME = ". Names need a capital letter: “{cap}” would be read as a name"
_LOWER_OK = " (written in lower case: read as the {kind} all the same)"
_LOWER_COMMON = (
    "“{word}” in lower case is the common word, not the country or language: read as ‘other’; write "
    "“{cap}” to mean the country or language"
)


def designed_readings(
    tokens: tuple[Token, ...], kinds: tuple[str, ...], lexicon: Lexicon | None = None
) -> tuple[TokenReading, ...]:
    """The designed model's reading of each token (``kinds`` from ``features.encode``)."""
    lex = lexicon or load_lexicon()
    out = []
    for tok, kind in zip(tokens, kinds, strict=True):
        word, lower = tok.base, tok.base.casefold()
        meaning = word_meaning(tok, kind, lex) or ""
        known, text = kind not in ("name", "other"), _DESIGNED[kind]
        if tok.kind == "number":
            text = _NUMBER
        elif tok.kind == "punct" and kind == "filler":
            text = _PUNCT
        elif kind == "other" and tok.kind != "word":
            text = _SYMBOL
        elif kind == "other" and lower in lex.lowercase_common:
            known, text = True, _LOWER_COMMON
        elif kind == "other":
            text += _NOT_A_NAME
        elif kind in ("country", "language") and word == lower:
            text += _LOWER_OK
        cap = word[:1].upper() + word[1:]
        out.append(TokenReading(tok.text, known, text.format(word=word, meaning=meaning, cap=cap, kind=kind)))
    return tuple(out)


def vocabulary_readings(
    tokens: tuple[Token, ...], index: Mapping[str, int], blank: str
) -> tuple[TokenReading, ...]:
    """A trained model's reading of each token: its vocabulary is ``index`` (lower-case word → position);
    ``blank`` says what the model does with a blank ___."""
    out = []
    for tok in tokens:
        lower = tok.text.casefold()
        if tok.kind == "blank":
            out.append(TokenReading(tok.text, True, blank))
        elif lower in index:
            case = f" as “{lower}” (this model reads lower case)" if lower != tok.text else ""
            out.append(TokenReading(tok.text, True, f"in the model's vocabulary{case}"))
        elif UNK in index:
            text = f"“{tok.text}” is not in the model's vocabulary: read as {UNK}, like every unknown word"
            out.append(TokenReading(tok.text, False, text))
        else:
            text = f"“{tok.text}” is not in the model's vocabulary: read as all zeros (it has no {UNK})"
            out.append(TokenReading(tok.text, False, text))
    return tuple(out)
