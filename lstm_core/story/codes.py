"""Eight-number ±1 codes: how the story model writes *which* name, language or place it means.

- A name (or a fact) gets a code from a hash of its lower-cased spelling: the first byte of its
  SHA-256 digest, bit k → +1 or -1. Any name works, even one never seen before, and the same name
  always gets the same code; two different names share a code with probability 1/256.
- A language or a place gets an exactly distinguishable code from its position k in the lexicon:
  row k of the 8×8 Sylvester–Hadamard matrix for k < 8, minus row k - 8 otherwise. Two different
  such codes have dot product 0 or -8, never more, so the readout never confuses them.
"""

from __future__ import annotations

import hashlib

import numpy as np

CODE_SIZE = 8


def _hadamard(n: int) -> np.ndarray:
    h = np.ones((1, 1))
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h


_HADAMARD = _hadamard(CODE_SIZE)
_HADAMARD.setflags(write=False)


def hash_code(word: str) -> np.ndarray:
    """The ±1 code (8,) of ``word`` (case-insensitive): bits of the first SHA-256 byte."""
    byte = hashlib.sha256(word.casefold().encode("utf-8")).digest()[0]
    return np.array([1.0 if (byte >> k) & 1 else -1.0 for k in range(CODE_SIZE)])


def index_code(k: int) -> np.ndarray:
    """The ±1 code (8,) of the k-th language or place: Hadamard row k, or minus row k - 8."""
    if not 0 <= k < 2 * CODE_SIZE:
        raise ValueError(f"a coded list holds at most {2 * CODE_SIZE} words; got index {k}")
    sign = 1.0 if k < CODE_SIZE else -1.0
    return sign * _HADAMARD[k % CODE_SIZE]
