"""Numerically stable activations.

sigma(z) = 1 / (1 + exp(-z)) is evaluated as (1 + tanh(z / 2)) / 2, which is exact algebra and never
overflows (tanh saturates at +-1). The training path (``lstm_core.fast``) uses the same identity with the
halving folded into the weights, so one ``np.tanh`` call serves sigmoid and tanh gates alike and its gates
equal ``sigmoid`` of its pre-activations bit for bit.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """sigma(z) = (1 + tanh(z/2)) / 2, stable for any finite z (no overflow warnings, no NaN)."""
    out = np.tanh(np.multiply(z, 0.5))
    out += 1.0
    out *= 0.5
    return out


def tanh(z: np.ndarray) -> np.ndarray:
    """tanh(z), saturating cleanly at +-1."""
    return np.tanh(z)


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(z)_k = exp(z_k - max z) / sum_j exp(z_j - max z), stable for large |z|."""
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)
