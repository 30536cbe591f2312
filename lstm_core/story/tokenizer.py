"""A small tokenizer that keeps case (a capital letter can mark a name) and splits off punctuation.

"Bob knows swimming. He told me…" → Bob | knows | swimming | . | He | told | me | …

Token kinds: ``word`` (letters, with inner apostrophes: "Bob's", "isn't"), ``number`` ("4", "3.5"),
``blank`` (a run of two or more underscores, "___", the question the model must answer), ``punct``
(any other visible character: ".", ",", "…", an emoji, a lone CJK symbol). CJK text has no spaces, so
a run of CJK letters is one word. Any string works, including the empty one (no tokens).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"(?P<blank>_{2,})"
    r"|(?P<ellipsis>\.{3}|…)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<number>\d+(?:[.,]\d+)*)"
    r"|(?P<punct>\S)"
)
SENTENCE_END = frozenset(".!?。！？")
MAX_CHARS = 200_000  # a bound on work per call; the page limits text far below this


@dataclass(frozen=True)
class Token:
    """One token: its text as written, its kind, where it starts in the text and whether it opens a
    sentence (the first word after ".", "!", "?" or the start of the text)."""

    text: str
    kind: str  # "word", "number", "blank" or "punct"
    start: int  # character offset in the text
    sentence_start: bool

    @property
    def is_sentence_end(self) -> bool:
        return self.kind == "punct" and self.text in SENTENCE_END

    @property
    def base(self) -> str:
        """The word without a possessive or clitic: "Bob's" → "Bob"."""
        return re.split(r"['’]", self.text, maxsplit=1)[0] if self.kind == "word" else self.text


def tokenize(text: str) -> tuple[Token, ...]:
    """Tokens of ``text`` (``ValueError`` if it is not a string or is over ``MAX_CHARS`` long)."""
    if not isinstance(text, str):
        raise ValueError(f"the text must be a string; got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise ValueError(f"the text is {len(text):,} characters long; the limit is {MAX_CHARS:,}")
    tokens: list[Token] = []
    opens = True  # the next word opens a sentence
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        kind = "punct" if kind == "ellipsis" else kind
        tok = Token(m.group(), kind, m.start(), opens and kind in ("word", "number"))
        tokens.append(tok)
        if tok.is_sentence_end:
            opens = True
        elif kind in ("word", "number", "blank"):
            opens = False
    return tuple(tokens)
