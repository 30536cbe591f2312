"""The lectures' worked forget product, computed by the core's own cell step.

C_{t-1} = [1, 2, 4], f_t = [1, 0, 1]  ->  C_t^f = f_t * C_{t-1} = [1, 0, 4];
then C_t^i = i_t * C̃_t and C_t = C_t^f + C_t^i ("the cell state is updated twice").

A pre-activation of +-40 saturates σ to exactly 1.0 / 0.0 in float64 (σ(z) = (1 + tanh(z/2)) / 2 and
tanh(20) rounds to 1), so the gates are the lectures' exact 0/1 filters, not merely close to them.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import LSTMParams, cell_update, lstm_step, run_lstm, sigmoid

SAT = 40.0
C_PREV = np.array([1.0, 2.0, 4.0])
H = 3


def make_params(forget: list[float], input_: list[float], candidate: list[float]) -> LSTMParams:
    """D = 1, H = 3 cell whose gates are set by their biases alone (all weights zero except as noted).

    ``forget``/``input_`` are the wanted pre-activations (±SAT for exact 1/0), ``candidate`` the
    candidate pre-activations (C̃ = tanh of them). The output gate is fully open.
    """
    bias = np.concatenate([input_, forget, candidate, [SAT] * H])  # PyTorch order i, f, g, o
    return LSTMParams(np.zeros((4 * H, 1)), np.zeros((4 * H, H)), bias, np.zeros(4 * H))


def test_saturation_gives_exact_zero_and_one():
    assert sigmoid(np.array(SAT)) == 1.0
    assert sigmoid(np.array(-SAT)) == 0.0


def test_lecture_forget_product_through_lstm_step():
    params = make_params([SAT, -SAT, SAT], [-SAT] * H, [0.0] * H)  # f = [1, 0, 1], i = 0
    step = lstm_step(params, [0.5], h_prev=np.zeros(H), c_prev=C_PREV)
    np.testing.assert_array_equal(step.forget[0], [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(step.input[0], [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(step.cell_prev[0], [1.0, 2.0, 4.0])
    np.testing.assert_array_equal(step.forget_part[0], [1.0, 0.0, 4.0])  # C^f = f * C_{t-1}
    np.testing.assert_array_equal(step.cell[0], [1.0, 0.0, 4.0])  # nothing stored: C = C^f
    np.testing.assert_array_equal(cell_update(C_PREV, [1.0, 0.0, 1.0], 0.0, 0.0, 1.0).cell, [1.0, 0.0, 4.0])


def test_forget_gate_driven_by_the_input_gives_the_same_product():
    """Same product with the forget gate computed from x_t (W_if x_t) instead of the bias."""
    w_ih = np.zeros((4 * H, 1))
    w_ih[H : 2 * H, 0] = [SAT, -SAT, SAT]  # forget rows
    bias = np.concatenate([[-SAT] * H, [0.0] * H, [0.0] * H, [SAT] * H])
    params = LSTMParams(w_ih, np.zeros((4 * H, H)), bias, np.zeros(4 * H))
    step = lstm_step(params, [1.0], c_prev=C_PREV)
    np.testing.assert_array_equal(step.forget[0], [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(step.cell[0], [1.0, 0.0, 4.0])


def test_store_step_adds_input_part_to_forget_part():
    params = make_params([SAT, -SAT, SAT], [SAT, 0.0, -SAT], [0.3, -1.2, 2.0])
    step = lstm_step(params, [0.0], c_prev=C_PREV)
    i, g = step.input[0], step.candidate[0]
    np.testing.assert_array_equal(i, [1.0, 0.5, 0.0])  # σ(0) = 1/2 exactly
    np.testing.assert_allclose(g, np.tanh([0.3, -1.2, 2.0]), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(step.input_part[0], i * g)  # C^i = i * C̃
    np.testing.assert_array_equal(step.forget_part[0], [1.0, 0.0, 4.0])
    np.testing.assert_array_equal(step.cell[0], step.forget_part[0] + step.input_part[0])  # C = C^f + C^i
    np.testing.assert_array_equal(step.cell[0], [1.0 + g[0], 0.5 * g[1], 4.0])
    np.testing.assert_array_equal(step.cell[0], cell_update(C_PREV, step.forget[0], i, g, 1.0).cell)
    np.testing.assert_array_equal(step.hidden[0], np.tanh(step.cell[0]))  # o = 1


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forget_zero_forgets_everything_and_one_forgets_nothing(seed: int):
    c_prev = np.random.default_rng(seed).normal(scale=5.0, size=H)
    g_pre = [0.7, -0.4, 1.1]
    forget_all = lstm_step(make_params([-SAT] * H, [-SAT] * H, g_pre), [0.0], c_prev=c_prev)
    np.testing.assert_array_equal(forget_all.forget_part[0], 0.0)
    np.testing.assert_array_equal(forget_all.cell[0], 0.0)
    keep_all = lstm_step(make_params([SAT] * H, [-SAT] * H, g_pre), [0.0], c_prev=c_prev)
    np.testing.assert_array_equal(keep_all.forget_part[0], c_prev)
    np.testing.assert_array_equal(keep_all.cell[0], c_prev)
    # forgetting nothing while storing: the old memory plus what this step writes
    keep_and_store = lstm_step(make_params([SAT] * H, [SAT] * H, g_pre), [0.0], c_prev=c_prev)
    np.testing.assert_array_equal(keep_and_store.cell[0], c_prev + np.tanh(g_pre))


def test_open_forget_gate_carries_the_cell_unchanged_over_many_steps():
    """f = 1, i = 0 at every step: the cell state runs down the chain untouched."""
    params = make_params([SAT] * H, [-SAT] * H, [0.0] * H)
    xs = np.random.default_rng(0).normal(size=(50, 1))
    trace = run_lstm(params, xs, c0=C_PREV)
    np.testing.assert_array_equal(trace.cell, np.tile(C_PREV, (50, 1)))
    np.testing.assert_array_equal(trace.forget_part, trace.cell)
    np.testing.assert_array_equal(trace.input_part, 0.0)


def test_the_example_file_through_the_cells_own_step():
    """assets/examples/forget_product.json (the one source of these numbers, for Stories and the gate
    lab) computed by ``run_example`` equals one real ``lstm_step`` whose gates are set to those numbers."""
    from lstm_core.examples import load_examples, run_example

    example = load_examples()["forget_product"]
    nums = {k: np.asarray(v, dtype=float) for k, v in example.numbers.items()}
    assert nums["c_prev"].tolist() == [1, 2, 4] and nums["forget"].tolist() == [1, 0, 1]

    def pre(gate: np.ndarray) -> np.ndarray:  # σ(pre) = gate for 0, 1/2 and 1
        return np.select([gate == 1.0, gate == 0.0], [SAT, -SAT], 0.0)

    bias = np.concatenate(
        [pre(nums["input"]), pre(nums["forget"]), np.arctanh(nums["candidate"]), pre(nums["output"])]
    )
    params = LSTMParams(np.zeros((4 * H, 1)), np.zeros((4 * H, H)), bias, np.zeros(4 * H))
    step = lstm_step(params, [0.0], c_prev=nums["c_prev"])
    got = run_example(example).numbers
    np.testing.assert_array_equal(step.input[0], nums["input"])
    np.testing.assert_array_equal(step.forget_part[0], got["forget_part"])
    np.testing.assert_allclose(step.input_part[0], got["input_part"], rtol=1e-15)
    np.testing.assert_allclose(step.cell[0], got["cell"], rtol=1e-15)
    np.testing.assert_allclose(step.hidden[0], got["hidden"], rtol=1e-15)
    np.testing.assert_allclose(got["cell"], [1.0, 0.8, 3.75], rtol=1e-15)  # [1, 0, 4] + [0, 0.8, -0.25]
