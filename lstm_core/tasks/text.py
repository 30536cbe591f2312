"""A tiny word tokenizer shared by the text tasks: lower-case words and punctuation marks as tokens.

"Bob isn't here, is he?" → ("bob", "isn't", "here", ",", "is", "he", "?"). A word is a run of
letters or digits, optionally with one apostrophe part ("isn't", "bob's"); every other visible
character is a token of its own. Curly apostrophes count as straight ones.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")
_NO_SPACE_BEFORE = frozenset(".,!?;:)'")


def tokenize(text: str) -> tuple[str, ...]:
    """Lower-case word and punctuation tokens of ``text`` (a ``str``; ``ValueError`` otherwise)."""
    if not isinstance(text, str):
        raise ValueError(f"tokenize needs a string; got {type(text).__name__}")
    clean = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return tuple(_TOKEN.findall(clean))


def detokenize(tokens: tuple[str, ...] | list[str]) -> str:
    """Join tokens back into readable text (no space before punctuation)."""
    out: list[str] = []
    for tok in tokens:
        if out and tok not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append(tok)
    return "".join(out)
