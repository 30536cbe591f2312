"""Softmax readouts: labelled probabilities from logits, and the designed model's word readout.

P(word_c) = softmax(z)_c = exp(z_c) / Σ_j exp(z_j). For the designed story model the logit of a
candidate word is z_c = e_c · h_t, where the embedding e_c (H,) is the word's ±1 code placed on the units
that would hold it: a name on the subject units, a language on the country units, a place on the place
units; any other word has e_c = 0 (no unit can vouch for it). The readout has no trained weights.

**Candidates** (``designed_candidates``) come from the sentence and the word lists, never from a fixed
list: a blank after a language cue in its sentence ("I speak ___") asks for a language: every language of
the lexicon; after a thing with a place ("the clouds are in the ___"), for a place: every place; else it
asks who: every name in the text. ``NOTHING``, a word no unit holds (e = 0, score 0), is always a
candidate too, so a lone candidate can still lose: it wins when h shows no word at all.

**A clear answer** (``Prediction.clear``): the top probability is at least ``CLEAR_MARGIN`` above the
next one. Otherwise (a tie, even to the last bit, or nearly one) there is no clear winner, and the page
must say so instead of naming the first of equals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lstm_core.activations import softmax
from lstm_core.story.codes import hash_code, index_code
from lstm_core.story.designed import DesignedModel
from lstm_core.story.lexicon import Lexicon, load_lexicon
from lstm_core.story.tokenizer import Token

NOTHING = "(nothing)"  # the designed readout's baseline candidate: a word no unit holds, e = 0
CLEAR_MARGIN = 0.1  # a clear winner leads the runner-up by at least this much probability


@dataclass(frozen=True, eq=False)
class Prediction:
    """Candidate words ranked by probability at one step."""

    step: int  # the token index whose hidden state was read
    labels: tuple[str, ...]  # best first
    probabilities: np.ndarray  # (C,), same order, sums to 1
    logits: np.ndarray  # (C,), same order
    among: str = ""  # what the candidates are, in words ("the names in the text, and (nothing)")

    @property
    def best(self) -> str:
        """The first label: the most probable, or the first of equals (see ``clear``)."""
        return self.labels[0]

    @property
    def margin(self) -> float:
        """P(best) - P(runner-up); P(best) when there is one candidate only."""
        p = self.probabilities
        return float(p[0] - p[1]) if len(p) > 1 else float(p[0])

    @property
    def clear(self) -> bool:
        """Whether the best word leads by at least ``CLEAR_MARGIN``: there is a clear winner."""
        return self.margin >= CLEAR_MARGIN

    @property
    def contenders(self) -> tuple[str, ...]:
        """The labels within ``CLEAR_MARGIN`` of the best (just the best when it is clear)."""
        p = self.probabilities
        return tuple(w for w, q in zip(self.labels, p, strict=True) if p[0] - q < CLEAR_MARGIN)

    @property
    def answer(self) -> str | None:
        """The word the model says: the best when clear and not ``NOTHING``, else None."""
        return self.best if self.clear and self.best != NOTHING else None

    @property
    def verdict(self) -> str:
        """The answer in words, with the numbers that decide it."""
        p = self.probabilities
        if not self.clear:
            shown = ", ".join(f"“{w}” {q:.3f}" for w, q in zip(self.contenders[:4], p, strict=False))
            more = f" and {len(self.contenders) - 4} more" if len(self.contenders) > 4 else ""
            return f"no clear winner: {shown}{more} are within {CLEAR_MARGIN:g} of the top"
        ahead = f", {self.margin:.3f} ahead of “{self.labels[1]}”" if len(p) > 1 else ", the only candidate"
        if self.best == NOTHING:
            return f"no word: h shows none of the candidates ({NOTHING}: P = {p[0]:.3f}{ahead})"
        return f"“{self.best}” (P = {p[0]:.3f}{ahead})"

    def probability(self, label: str) -> float:
        if label not in self.labels:
            raise ValueError(f"{label!r} is not a candidate; candidates: {', '.join(self.labels)}")
        return float(self.probabilities[self.labels.index(label)])


def labelled_softmax(labels: Sequence[str], logits: object, step: int = -1, among: str = "") -> Prediction:
    """Softmax of ``logits`` (C,) with a label each, ranked best first (ties keep the given order)."""
    labels = tuple(str(label) for label in labels)
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 1 or z.shape[0] != len(labels) or not labels:
        raise ValueError(f"need one logit per label: {len(labels)} label(s), logits of shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("logits must be finite numbers")
    if len(set(labels)) != len(labels):
        raise ValueError("labels must be distinct")
    p = softmax(z)
    order = np.argsort(-p, kind="stable")
    return Prediction(step, tuple(labels[k] for k in order), p[order], z[order], among)


def embedding(word: str, model: DesignedModel, lexicon: Lexicon | None = None) -> np.ndarray:
    """e_c (H,): the code of ``word`` on the units that would hold it, zeros if no unit would."""
    lex = lexicon or load_lexicon()
    e = np.zeros(len(model.unit_names))
    w = word.strip().casefold()
    if word == NOTHING:
        return e
    if w in lex.languages:
        e[list(model.units_of("country"))] = index_code(lex.languages.index(w))
    elif w in lex.places:
        e[list(model.units_of("place"))] = index_code(lex.places.index(w))
    elif word.strip()[:1].isupper() and not lex.known(word.strip()):
        e[list(model.units_of("subject"))] = hash_code(w)
    return e


def designed_candidates(
    tokens: tuple[Token, ...], kinds: tuple[str, ...], blank: int, lexicon: Lexicon | None = None
) -> tuple[tuple[str, ...], str]:
    """(the candidate words at the blank ``tokens[blank]``, what they are in words): see the module
    docstring. ``kinds`` are the tokens' kinds from ``features.encode``."""
    lex = lexicon or load_lexicon()
    ends = [t for t in range(blank) if kinds[t] == "sentence_end"]
    asked = set(kinds[(ends[-1] + 1 if ends else 0) : blank])  # this sentence, up to the blank
    words: list[str] = []
    among: list[str] = []
    if "language_cue" in asked:
        words += [w.capitalize() for w in lex.languages]
        among.append(f"the {len(lex.languages)} languages of the word lists")
    if "place_thing" in asked:
        words += list(lex.places)
        among.append(f"the {len(lex.places)} places of the word lists")
    if not words:
        names = dict.fromkeys(tok.base for tok, kind in zip(tokens, kinds, strict=True) if kind == "name")
        words += list(names)
        among.append("the names in the text" if names else "no name (the text has none)")
    about = f"{' and '.join(among)}, and {NOTHING}: a word no unit holds, scored 0"
    return (*words, NOTHING), about


def read_words(
    model: DesignedModel, hidden_t: np.ndarray, candidates: Sequence[str], step: int = -1, among: str = ""
) -> Prediction:
    """P(candidate | h_t) = softmax_c(e_c · h_t) over ``candidates`` (distinct words, at least one)."""
    words = tuple(dict.fromkeys(str(c).strip() for c in candidates if str(c).strip()))
    if not words:
        raise ValueError("give at least one candidate word")
    E = np.stack([embedding(w, model) for w in words])  # (C, H)
    return labelled_softmax(words, E @ np.asarray(hidden_t, dtype=np.float64), step, among)
