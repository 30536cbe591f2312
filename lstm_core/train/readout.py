r"""The linear readout on top of the cell and its backward pass.

y = h W_yᵀ + b_y                                   h (N, H) → y (N, K)
∂loss/∂W_y = dyᵀ h      ∂loss/∂b_y = Σ_n dy_n      ∂loss/∂h = dy W_y
"""

from __future__ import annotations

import numpy as np


def readout(W_y: np.ndarray, b_y: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Logits (N, K) of hidden states ``h`` (N, H)."""
    y = np.dot(h, W_y.T)
    y += b_y
    return y


def readout_backward(
    W_y: np.ndarray, h: np.ndarray, dy: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dW_y (K, H), db_y (K,), dh (N, H)) from the logit gradient ``dy`` (N, K)."""
    return np.dot(dy.T, h), dy.sum(axis=0), np.dot(dy, W_y)
