"""Softmax readouts: labelled probabilities from logits, and the designed model's word readout.

P(word_c) = softmax(z)_c = exp(z_c) / Σ_j exp(z_j). For the designed story model the logit of a
candidate word is z_c = e_c · h_t, where the embedding e_c (H,) is the word's ±1 code placed on the units
that would hold it: a name on the subject units, a language on the country units, a place on the place
units; any other word has e_c = 0 (no unit can vouch for it). The readout has no trained weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lstm_core.activations import softmax
from lstm_core.story.codes import hash_code, index_code
from lstm_core.story.designed import DesignedModel
from lstm_core.story.lexicon import Lexicon, load_lexicon


@dataclass(frozen=True, eq=False)
class Prediction:
    """Candidate words ranked by probability at one step."""

    step: int  # the token index whose hidden state was read
    labels: tuple[str, ...]  # best first
    probabilities: np.ndarray  # (C,), same order, sums to 1
    logits: np.ndarray  # (C,), same order

    @property
    def best(self) -> str:
        return self.labels[0]

    def probability(self, label: str) -> float:
        if label not in self.labels:
            raise ValueError(f"{label!r} is not a candidate; candidates: {', '.join(self.labels)}")
        return float(self.probabilities[self.labels.index(label)])


def labelled_softmax(labels: Sequence[str], logits: object, step: int = -1) -> Prediction:
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
    return Prediction(step, tuple(labels[k] for k in order), p[order], z[order])


def embedding(word: str, model: DesignedModel, lexicon: Lexicon | None = None) -> np.ndarray:
    """e_c (H,): the code of ``word`` on the units that would hold it, zeros if no unit would."""
    lex = lexicon or load_lexicon()
    e = np.zeros(len(model.unit_names))
    w = word.strip().casefold()
    if w in lex.languages:
        e[list(model.units_of("country"))] = index_code(lex.languages.index(w))
    elif w in lex.places:
        e[list(model.units_of("place"))] = index_code(lex.places.index(w))
    elif word.strip()[:1].isupper() and not lex.known(word.strip()):
        e[list(model.units_of("subject"))] = hash_code(w)
    return e


def default_candidates(names_in_text: Sequence[str], lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """The names met in the text, then every language, then every place (capitalised languages)."""
    lex = lexicon or load_lexicon()
    langs = tuple(w.capitalize() for w in lex.languages)
    return tuple(dict.fromkeys((*names_in_text, *langs, *lex.places)))


def read_words(
    model: DesignedModel, hidden_t: np.ndarray, candidates: Sequence[str], step: int = -1
) -> Prediction:
    """P(candidate | h_t) = softmax_c(e_c · h_t) over ``candidates`` (distinct words, at least one)."""
    words = tuple(dict.fromkeys(str(c).strip() for c in candidates if str(c).strip()))
    if not words:
        raise ValueError("give at least one candidate word")
    E = np.stack([embedding(w, model) for w in words])  # (C, H)
    return labelled_softmax(words, E @ np.asarray(hidden_t, dtype=np.float64), step)
