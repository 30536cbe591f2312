"""Losses and the readout against central finite differences; Adam against its formula written out."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lstm_core.train import (
    adam_init,
    adam_step,
    cross_entropy,
    last_step_cross_entropy,
    masked_cross_entropy,
    mse,
    readout,
    readout_backward,
)


def numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar f at x (float64)."""
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        g[idx] = (f(up) - f(down)) / (2 * eps)
    return g


rng = np.random.default_rng(0)


def test_cross_entropy_value_and_gradient() -> None:
    logits = rng.normal(size=(5, 4)) * 3
    targets = np.array([0, 3, 1, 1, 2])
    loss, grad = cross_entropy(logits, targets)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)  # plain softmax, independent
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(5), targets])), rel=1e-12)
    np.testing.assert_allclose(grad, numeric_grad(lambda z: cross_entropy(z, targets)[0], logits), atol=1e-9)
    # stable for huge logits
    big, _ = cross_entropy(np.array([[1000.0, 0.0]]), np.array([1]))
    assert big == pytest.approx(1000.0)
    with pytest.raises(ValueError, match="class ids"):
        cross_entropy(logits, np.array([0, 4, 1, 1, 2]))


def test_masked_cross_entropy_ignores_padded_steps() -> None:
    logits = rng.normal(size=(3, 4, 5))
    targets = np.array([[1, -1, 2, 0], [4, 4, -1, -1], [-1, -1, -1, 3]])
    mask = np.array([[1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 1, 1]], dtype=bool)  # step (0, 3) padded
    loss, grad = masked_cross_entropy(logits, targets, mask)
    f = lambda z: masked_cross_entropy(z, targets, mask)[0]  # noqa: E731
    np.testing.assert_allclose(grad, numeric_grad(f, logits), atol=1e-9)
    assert np.all(grad[0, 3] == 0) and np.all(grad[0, 1] == 0) and np.all(grad[1, 2:] == 0)
    scored = [(0, 0), (0, 2), (1, 0), (1, 1), (2, 3)]  # the mean over exactly these steps
    expect = np.mean([cross_entropy(logits[b, t][None], targets[b, t][None])[0] for b, t in scored])
    assert loss == pytest.approx(expect, rel=1e-12)


def test_last_step_loss_uses_each_sequences_own_last_step() -> None:
    logits = rng.normal(size=(3, 6, 4))
    lengths = np.array([6, 2, 4])
    targets = np.array([3, 0, 2])
    loss, grad = last_step_cross_entropy(logits, targets, lengths)
    expect = cross_entropy(logits[[0, 1, 2], [5, 1, 3]], targets)[0]
    assert loss == pytest.approx(expect, rel=1e-12)
    f = lambda z: last_step_cross_entropy(z, targets, lengths)[0]  # noqa: E731
    np.testing.assert_allclose(grad, numeric_grad(f, logits), atol=1e-9)
    with pytest.raises(ValueError, match="lengths"):
        last_step_cross_entropy(logits, targets, np.array([7, 1, 1]))


def test_mse_and_readout_gradients() -> None:
    pred, target = rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 3, 2))
    mask = np.array([[1, 1, 0], [1, 0, 0]])[:, :, None]
    loss, grad = mse(pred, target, mask)
    assert loss == pytest.approx(np.sum(((pred - target) ** 2)[:, :, :] * mask) / 6, rel=1e-12)
    np.testing.assert_allclose(grad, numeric_grad(lambda p: mse(p, target, mask)[0], pred), atol=1e-9)

    W, b, h = rng.normal(size=(3, 4)), rng.normal(size=3), rng.normal(size=(5, 4))
    targets = np.array([0, 2, 1, 1, 0])

    def total(W_: np.ndarray, b_: np.ndarray, h_: np.ndarray) -> float:
        return cross_entropy(readout(W_, b_, h_), targets)[0]

    _, dy = cross_entropy(readout(W, b, h), targets)
    dW, db, dh = readout_backward(W, h, dy)
    np.testing.assert_allclose(dW, numeric_grad(lambda w: total(w, b, h), W), atol=1e-9)
    np.testing.assert_allclose(db, numeric_grad(lambda c: total(W, c, h), b), atol=1e-9)
    np.testing.assert_allclose(dh, numeric_grad(lambda x: total(W, b, x), h), atol=1e-9)


def test_adam_matches_the_formula_and_is_pure() -> None:
    params = (rng.normal(size=(3, 2)), rng.normal(size=4))
    grads_seq = [(rng.normal(size=(3, 2)), rng.normal(size=4)) for _ in range(3)]
    lr, b1, b2, eps = 0.01, 0.8, 0.99, 1e-6
    # Independent: Kingma & Ba with bias-corrected moments m̂, v̂, step by step.
    ref_p = [p.copy() for p in params]
    ref_m = [np.zeros_like(p) for p in params]
    ref_v = [np.zeros_like(p) for p in params]
    state, current = adam_init(params), params
    for t, grads in enumerate(grads_seq, start=1):
        before = [g.copy() for g in grads]
        current_copy = [p.copy() for p in current]
        current, state = adam_step(current, grads, state, lr=lr, beta1=b1, beta2=b2, eps=eps)
        for k in range(2):
            ref_m[k] = b1 * ref_m[k] + (1 - b1) * grads[k]
            ref_v[k] = b2 * ref_v[k] + (1 - b2) * grads[k] ** 2
            m_hat, v_hat = ref_m[k] / (1 - b1**t), ref_v[k] / (1 - b2**t)
            ref_p[k] = ref_p[k] - lr * m_hat / (np.sqrt(v_hat) + eps)
            np.testing.assert_allclose(current[k], ref_p[k], rtol=1e-12, atol=1e-14)
            assert np.array_equal(grads[k], before[k])  # inputs untouched
        assert state.step == t
        assert all(np.array_equal(a, b) for a, b in zip(current_copy, current_copy, strict=True))
    # the first step moves every weight by about lr (m̂ / sqrt(v̂) = ±1)
    one, _ = adam_step(params, grads_seq[0], adam_init(params), lr=lr, eps=1e-12)
    np.testing.assert_allclose(np.abs(one[0] - params[0]), lr, rtol=1e-6)


def test_adam_clips_the_global_gradient_norm() -> None:
    params = (np.zeros(2), np.zeros(1))
    grads = (np.array([3.0, 0.0]), np.array([4.0]))  # ‖g‖ = 5
    _, state = adam_step(params, grads, adam_init(params), lr=1.0, beta1=0.0, beta2=0.0, clip=1.0)
    assert state.grad_norm == pytest.approx(5.0)
    np.testing.assert_allclose(state.m[0], [0.6, 0.0])  # β₁ = 0: m = the clipped gradient g / 5
    np.testing.assert_allclose(state.m[1], [0.8])
    unclipped, _ = adam_step(params, grads, adam_init(params), lr=1.0, beta1=0.0, beta2=0.0, clip=10.0)
    np.testing.assert_allclose(unclipped[1], [-4.0 / (math.sqrt(16.0) + 1e-8)])
    with pytest.raises(ValueError, match="not finite"):
        adam_step(params, (np.array([np.nan, 0.0]), np.zeros(1)), adam_init(params))
    with pytest.raises(ValueError, match="does not match"):
        adam_step(params, (np.zeros(3), np.zeros(1)), adam_init(params))
