"""Sentence → tokens → vectors for the generic (untrained, seeded) models.

Any text works: words, numbers, CJK characters (one token each) and emoji (one token each, joined
sequences kept whole). Each token gets a deterministic vector from a hash of its lower-cased text
(``hashlib.blake2b``, never Python's salted ``hash()``), so the same word has the same vector in every
process. The vectors mean nothing: they only let an untrained cell show its mechanics on any sentence.

``parse_sentence`` never raises on user text: problems come back as ``notes`` (level, message) for the
page to show with ``st.warning`` / ``st.error``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from lstm_ui.drawings.folding import MOST_ROWS

MAX_CHARS = 50_000  # text beyond this is not read (a link may carry at most this much: state/values.py)
MAX_TOKENS = 60  # the most words a view that draws every word on its own shows (the unrolled RNN)
LABEL_CHARS = 14  # longest token label shown on an axis

DEFAULT_SENTENCE = "I grew up in France and moved away years ago but I still speak"

# The lectures' worked sentences (see /work/shared/SEEDS.md), by short name.
EXAMPLES: dict[str, str] = {
    "clouds": "The clouds are in the sky",
    "france": DEFAULT_SENTENCE,
    "bob_dan": "Bob is a nice person. Dan on the other hand is evil.",
    "navy": "Bob knows swimming. He told me over the phone that he had served the navy for 4 long years.",
    "brave": "Bob single handedly fought the enemy and died for his country. For his contributions, brave",
}

_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
_MOD = r"[\ufe0f\u20e3\U0001F3FB-\U0001F3FF]*"  # variation selectors, keycaps, skin tones
_SYMBOL = rf"[^\w\s]{_MOD}(?:\u200d[^\w\s]{_MOD})*"  # one emoji or symbol, ZWJ sequences whole
_TOKEN = re.compile(rf"{_CJK}|[^\W_]+(?:['’][^\W_]+)*|{_SYMBOL}")
_DROP = set("\"'`,;:()[]{}<>«»“”‘’—–-_/\\|*&^%$#@~+=")  # punctuation that carries no step of its own
_LATIN_MAX = 0x024F


@dataclass(frozen=True)
class ParsedText:
    """A sentence split into tokens: ``tokens`` (all of them, or the first ``max_tokens``), ``total``."""

    tokens: tuple[str, ...]
    total: int
    notes: tuple[tuple[str, str], ...]  # (level "warning" | "error" | "info", message)

    @property
    def ok(self) -> bool:
        return bool(self.tokens)


def tokenize(text: str) -> list[str]:
    """All tokens of ``text``: words, CJK characters, emoji; plain punctuation other than . ! ? dropped."""
    text = unicodedata.normalize("NFC", text)
    return [tok for tok in _TOKEN.findall(text) if tok not in _DROP]


def parse_sentence(text: object, max_tokens: int | None = None) -> ParsedText:
    """Tokens of a user's sentence plus messages about anything the page should tell them. A long text
    is read whole (the pages fold it); ``max_tokens`` keeps only the first ones, for a view that draws
    every word on its own."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    notes: list[tuple[str, str]] = []
    if len(text) > MAX_CHARS:
        notes.append(
            ("warning", f"The text has {len(text):,} characters; only the first {MAX_CHARS:,} are read.")
        )
        text = text[:MAX_CHARS]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\u200d\n\t ")
    tokens = tokenize(text)
    if not text.strip():
        return ParsedText((), 0, (("error", "The sentence is empty: type at least one word."),))
    if not tokens:
        msg = "No words found: the text is only punctuation. Type at least one word."
        return ParsedText((), 0, (("error", msg),))
    total = len(tokens)
    max_tokens = total if max_tokens is None else max_tokens
    if total > max_tokens:
        notes.append(
            (
                "warning",
                f"The sentence has {total:,} tokens; showing the first {max_tokens}. "
                "Shorten it to see the rest.",
            )
        )
    elif total > MOST_ROWS:
        notes.append(
            (
                "info",
                f"A long text: {total:,} words, all of them run through the model. A drawing with a row "
                "per word shows the words around the step selected, the first and the last, and folds "
                "each long stretch between them into one row: its average, labelled with how many words.",
            )
        )
    shown = tuple(tokens[:max_tokens])
    if any(ord(ch) > _LATIN_MAX for tok in shown for ch in tok):
        notes.append(
            (
                "warning",
                "Non-Latin characters or emoji: each CJK character and each emoji is one token. This "
                "untrained model gives every token a made-up vector, so the numbers show the mechanics, "
                "not meaning.",
            )
        )
    return ParsedText(shown, total, tuple(notes))


def token_labels(tokens: tuple[str, ...] | list[str]) -> list[str]:
    """Unique, short axis labels: ``"3 word"`` (step t, 1-based, then the token, shortened)."""
    out = []
    for t, tok in enumerate(tokens, start=1):
        short = tok if len(tok) <= LABEL_CHARS else tok[: LABEL_CHARS - 1] + "…"
        out.append(f"{t} {short}")
    return out


def token_vector(token: str, dim: int, salt: str = "gate-by-gate") -> np.ndarray:
    """A deterministic N(0, 1) vector (dim,) for ``token`` (case-insensitive), stable across processes."""
    if dim < 1:
        raise ValueError(f"dim must be >= 1; got {dim}")
    digest = hashlib.blake2b(f"{salt}\x00{token.casefold()}".encode(), digest_size=8).digest()
    rng = np.random.default_rng(int.from_bytes(digest, "little"))
    return rng.standard_normal(dim)


def embed(tokens: tuple[str, ...] | list[str], dim: int, salt: str = "gate-by-gate") -> np.ndarray:
    """The input sequence xs (T, dim) for ``tokens``."""
    xs = np.empty((len(tokens), dim))  # (T, D)
    for t, tok in enumerate(tokens):
        xs[t] = token_vector(tok, dim, salt)
    return xs
