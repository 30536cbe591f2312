"""``cell_update``, the LSTM step's update half (C^f, C^i, C_t, tanh C_t, h_t from the four gates), called
alone with gates set by hand (the gate lab) and inside ``run_lstm`` on both paths."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lstm_core import CellUpdate, cell_update, fast, init_lstm, run_lstm


def test_cell_update_gives_the_lectures_numbers():
    """The gate lab's case: C_{t-1} = [1, 2, 4] with f = [1, 0, 1] (unit 2 forgets), i, C̃ and o set by
    hand; tanh from Python's math library."""
    c_prev, f, i, g, o = [1.0, 2.0, 4.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.5], [0.9, 0.8, -0.5], [1.0, 0.5, 0.0]
    up = cell_update(c_prev, f, i, g, o)
    assert isinstance(up, CellUpdate)
    np.testing.assert_array_equal(up.forget_part, [1.0, 0.0, 4.0])  # C^f = f * C_{t-1}
    np.testing.assert_array_equal(up.input_part, [0.0, 0.8, -0.25])  # C^i = i * C̃
    np.testing.assert_array_equal(up.cell, [1.0, 0.8, 3.75])  # C = C^f + C^i
    np.testing.assert_allclose(up.cell_tanh, [math.tanh(1.0), math.tanh(0.8), math.tanh(3.75)], rtol=1e-15)
    np.testing.assert_allclose(up.hidden, [math.tanh(1.0), 0.5 * math.tanh(0.8), 0.0], rtol=1e-15)


@pytest.mark.parametrize("path", ["reference", "fast"])
def test_the_update_of_a_trace_is_cell_update_of_its_gates(path):
    """Every step's C^f, C^i, C, tanh C and h are ``cell_update`` of that step's gates and C_{t-1}, exactly:
    the gate lab (gates by hand) and the pages (gates from the weights) see the same arithmetic."""
    params = init_lstm(3, 4, seed=2)
    rng = np.random.default_rng(3)
    xs, h0, c0 = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 4)), 3 * rng.normal(size=(2, 4))
    tr = (run_lstm if path == "reference" else fast.run_lstm)(params, xs, h0, c0)
    up = cell_update(tr.cell_prev, tr.forget, tr.input, tr.candidate, tr.output)
    for name in CellUpdate._fields:
        np.testing.assert_array_equal(getattr(up, name), getattr(tr, name), err_msg=name)
