r"""Losses and their gradients with respect to the logits (checked by finite differences in the tests).

Softmax cross-entropy over the N scored positions (targets k_n, logits y_n (K,)):

    p_n  = softmax(y_n)
    loss = -(1/N) Σ_n log p_n[k_n]                ∂loss/∂y_n = (p_n - onehot(k_n)) / N

Per step with a mask: N = the number of scored steps (mask true, target >= 0) in the whole batch;
padded and unscored steps get zero loss and zero gradient. Last step only: one position per sequence,
its own last real step ``lengths[b] - 1``. Mean squared error over the masked entries:

    loss = (1/M) Σ (ŷ - y)²                        ∂loss/∂ŷ = 2 (ŷ - y) / M     (M = scored values)
"""

from __future__ import annotations

import numpy as np


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy of ``logits`` (N, K) against class ids ``targets`` (N,) and its
    gradient (N, K). N = 0 gives loss 0 and an empty gradient."""
    logits = np.asarray(logits)
    targets = np.asarray(targets)
    if logits.ndim != 2 or targets.shape != logits.shape[:1]:
        raise ValueError(f"logits must be (N, K) and targets (N,); got {logits.shape} and {targets.shape}")
    n, k = logits.shape
    if n == 0:
        return 0.0, np.zeros_like(logits)
    if targets.min() < 0 or targets.max() >= k:
        raise ValueError(f"targets must be class ids in 0 … {k - 1}")
    shifted = logits - logits.max(axis=1, keepdims=True)  # (N, K)
    log_z = np.log(np.exp(shifted).sum(axis=1))  # (N,)
    rows = np.arange(n)
    loss = float(np.mean(log_z - shifted[rows, targets]))
    grad = np.exp(shifted - log_z[:, None])  # p (N, K)
    grad[rows, targets] -= 1.0
    grad /= n
    return loss, grad


def masked_cross_entropy(
    logits: np.ndarray, targets: np.ndarray, mask: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    """Per-step loss: ``logits`` (B, T, K), ``targets`` (B, T) class ids (negative = not scored),
    ``mask`` (B, T) (true = scored; default: every step with a target). Mean over scored steps."""
    logits = np.asarray(logits)
    targets = np.asarray(targets)
    if logits.ndim != 3 or targets.shape != logits.shape[:2]:
        raise ValueError(f"logits must be (B, T, K) and targets (B, T); got {logits.shape}, {targets.shape}")
    scored = targets >= 0
    if mask is not None:
        scored &= np.asarray(mask, dtype=bool)
    b, t = np.nonzero(scored)
    loss, g = cross_entropy(logits[b, t], targets[b, t])
    grad = np.zeros_like(logits)
    grad[b, t] = g
    return loss, grad


def last_step_cross_entropy(
    logits: np.ndarray, targets: np.ndarray, lengths: np.ndarray
) -> tuple[float, np.ndarray]:
    """Last-step loss: ``logits`` (B, T, K), one class id per sequence ``targets`` (B,), scored at each
    sequence's own last real step ``lengths - 1`` (right padding). Gradient (B, T, K)."""
    logits = np.asarray(logits)
    lengths = np.asarray(lengths)
    B, T = logits.shape[:2]
    if lengths.shape != (B,) or lengths.min() < 1 or lengths.max() > T:
        raise ValueError(f"lengths must be (B,) = ({B},) whole numbers in 1 … {T}")
    rows, last = np.arange(B), lengths - 1
    loss, g = cross_entropy(logits[rows, last], targets)
    grad = np.zeros_like(logits)
    grad[rows, last] = g
    return loss, grad


def mse(pred: np.ndarray, target: np.ndarray, mask: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Mean squared error of ``pred`` against ``target`` (same shape) over the entries where ``mask``
    (broadcastable, e.g. (B, T, 1)) is true, and its gradient."""
    pred = np.asarray(pred)
    target = np.asarray(target, dtype=pred.dtype)
    if pred.shape != target.shape:
        raise ValueError(f"pred {pred.shape} and target {target.shape} differ in shape")
    w = np.ones(pred.shape, dtype=pred.dtype)
    if mask is not None:
        w = w * np.asarray(mask, dtype=pred.dtype)
    m = float(w.sum())
    if m == 0.0:
        return 0.0, np.zeros_like(pred)
    diff = (pred - target) * w
    return float(np.sum(diff * diff) / m), 2.0 * diff / m
