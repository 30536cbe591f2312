"""Every heatmap can show its numbers as a table: the table holds exactly the trace's values."""

from __future__ import annotations

import numpy as np
from apptest_helpers import open_app

from lstm_core import init_gru, init_lstm, init_rnn, run_gru, run_lstm, run_rnn
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence


def _reference(D: int = 16, H: int = 8):
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    xs = embed(tokens, D)
    return tokens, run_lstm(init_lstm(D, H, seed=0), xs), run_gru(init_gru(D, H, seed=0), xs)


def _tables(at) -> list[np.ndarray]:
    return [np.asarray(df.value, dtype=float) for df in at.dataframe]


def test_gru_page_numbers_equal_both_traces():
    at = open_app("views/gru.py")
    at.toggle(key="gru_numbers").set_value(True).run()
    at.toggle(key="lstm_numbers").set_value(True).run()
    assert not at.exception
    _, lstm, gru = _reference()
    tables = _tables(at)
    expected = [gru.reset, gru.update, gru.candidate, gru.hidden, lstm.forget, lstm.input]
    assert len(tables) == len(expected)
    for table, ref in zip(tables, expected, strict=True):
        np.testing.assert_array_equal(table, ref)


def test_rnn_unrolled_numbers_equal_the_trace():
    at = open_app("views/rnn.py")
    tables_before = len(at.dataframe)  # the gradient tables are always shown
    at.toggle(key="rnn_numbers").set_value(True).run()
    assert not at.exception
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    hidden = run_rnn(init_rnn(16, 8, seed=0), embed(tokens, 16)).hidden
    new = _tables_by_shape(at, hidden.shape)
    assert len(at.dataframe) == tables_before + 1 and len(new) == 1
    np.testing.assert_array_equal(new[0], hidden)


def _tables_by_shape(at, shape: tuple[int, int]) -> list[np.ndarray]:
    out = []
    for df in at.dataframe:
        try:
            values = np.asarray(df.value, dtype=float)
        except (TypeError, ValueError):  # a table with text columns (the gradient summaries)
            continue
        if values.shape == shape:
            out.append(values)
    return out
