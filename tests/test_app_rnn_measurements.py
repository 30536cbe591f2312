"""The plain RNN page, headless (AppTest): its measurements. The gradient norms through time (BPTT)
of the four cells, the memory-span chart against every training run, the shipped gradient flow and its
table, no developer text around them, and a note where a result is missing.

References are computed here straight from lstm_core (init_*, run_*, *_backward on the sentence's token
vectors) and from the result files in assets/results, not from the page's cached calls.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from apptest_helpers import ROOT, decode, figures, open_app
from apptest_rnn_page import PAGE, D, H, unrolled

from lstm_core import (
    gru_backward,
    init_gru,
    init_lstm,
    init_rnn,
    lstm_backward,
    rnn_backward,
    run_gru,
    run_lstm,
    run_rnn,
)
from lstm_ui.drawings.colours import cell_style
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence
from lstm_ui.viewmodels import measured


def fig_with(at, name_part: str) -> dict:
    for fig in figures(at):
        if any(name_part in str(t.get("name", "")) for t in fig["data"]):
            return fig
    raise AssertionError(f"no figure with a trace named like {name_part!r}")


def line(fig: dict, name_part: str) -> np.ndarray:
    trace = next(t for t in fig["data"] if name_part in str(t.get("name", "")))
    return decode(trace["y"]).astype(float)


@pytest.fixture(scope="module")
def page():
    at = open_app(PAGE)
    assert not at.exception
    return at


def test_gradient_norms_match_bptt_and_the_rnn_vanishes_fastest(page):
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    xs = embed(tokens, D)
    T = len(tokens)
    dh = np.zeros((T, H))
    dh[-1] = 1 / np.sqrt(H)
    p_rnn, p_gru = init_rnn(D, H, seed=0), init_gru(D, H, seed=0)
    p_lstm, p_rem = init_lstm(D, H, seed=0), init_lstm(D, H, seed=0, forget_bias=2.0)
    ref = {
        "plain RNN": rnn_backward(p_rnn, run_rnn(p_rnn, xs), dh).d_hidden_total,
        "GRU": gru_backward(p_gru, run_gru(p_gru, xs), dh).d_hidden_total,
        "LSTM:": lstm_backward(p_lstm, run_lstm(p_lstm, xs), dh).d_hidden_total,
        "LSTM, forget bias +2:": lstm_backward(p_rem, run_lstm(p_rem, xs), dh).d_hidden_total,
    }
    fig = fig_with(page, "‖∂L/∂")
    assert fig["layout"]["yaxis"]["type"] == "log"
    shown = {}
    for name, grad in ref.items():
        shown[name] = line(fig, f"{name}" if name.endswith(":") else f"{name}:")
        np.testing.assert_allclose(shown[name], np.linalg.norm(grad, axis=1), rtol=1e-12)
        assert np.isclose(shown[name][-1], 1.0)  # ‖∂L/∂h_T‖ = ‖v‖ = 1
    assert shown["plain RNN"][0] < shown["LSTM, forget bias +2:"][0] / 100  # vanishes far faster
    cell = line(fig, "‖∂L/∂C")
    assert cell.shape == (T,)


def _runs_by_cell_and_gap() -> dict[tuple[str, int], list[float]]:
    """Every training run's accuracy, from the per-run file (not the summary the page reads)."""
    runs = [
        json.loads(line) for line in (ROOT / "assets/results/memory_span_runs.jsonl").read_text().splitlines()
    ]
    out: dict[tuple[str, int], list[float]] = {}
    for run in runs:
        out.setdefault((run["cell"], run["gap"]), []).append(run["accuracy"])
    return out


def test_the_memory_span_chart_draws_every_run_and_their_median(page):
    """The chart's medians, bands and dots against the runs themselves: the median and the middle half
    recomputed here from every run's accuracy."""
    runs = _runs_by_cell_and_gap()
    doc = json.loads((ROOT / "assets" / "results" / "memory_span.json").read_text())
    span = next(f for f in figures(page) if f["layout"]["xaxis"].get("type") == "log")
    cells = {r["cell"]: r["label"] for r in doc["summary"]}
    assert len(cells) >= 3
    for cell, label in cells.items():
        gaps = sorted(g for c, g in runs if c == cell)
        median = next(t for t in span["data"] if t.get("name") == cell_style(cell, label)[0])
        np.testing.assert_allclose(decode(median["x"]), gaps)
        np.testing.assert_allclose(decode(median["y"]), [np.median(runs[cell, g]) for g in gaps], atol=1e-12)
        dots = [t for t in span["data"] if t.get("legendgroup") == cell and t.get("mode") == "markers"]
        (dots,) = dots
        np.testing.assert_allclose(decode(dots["y"]), [a for g in gaps for a in runs[cell, g]])
        band = [t for t in span["data"] if t.get("legendgroup") == cell and t.get("fill") == "tonexty"]
        np.testing.assert_allclose(decode(band[0]["y"]), [np.percentile(runs[cell, g], 25) for g in gaps])
    levels = sorted(s_["y0"] for s_ in span["layout"]["shapes"])
    assert levels == [doc["chance"], doc["target_accuracy"]]
    assert any(doc["reading"] == m.value for m in page.markdown)  # the reading written for these runs


def test_the_shipped_gradient_flow_is_drawn_and_explained(page):
    flow = json.loads((ROOT / "assets" / "results" / "gradient_flow.json").read_text())
    shipped = next(f for f in figures(page) if any("(trained)" in str(t.get("name")) for t in f["data"]))
    trace = next(t for t in shipped["data"] if t["name"].startswith("plain RNN (trained): ‖∂L/∂h"))
    np.testing.assert_allclose(
        decode(trace["y"]), np.maximum(flow["cells"]["rnn"]["trained"]["dh_norm"], 1e-300)
    )
    table = next(d.value for d in page.dataframe if "what that means" in d.value.columns)
    for cell, entry in flow["cells"].items():
        row = table[table["cell"] == cell_style(cell)[0]].iloc[0]
        assert row["accuracy after training"] == entry["trained_accuracy"]
        guessing = entry["trained_accuracy"] < flow["chance"] + 0.1
        assert ("guessing" in row["what that means"]) == guessing, cell


def test_no_developer_text_on_the_page(page):
    """No commands, file names, "budget-limited" or "None" on screen (issue 16)."""
    shown = " ".join(
        [m.value for m in page.markdown] + [c.value for c in page.caption] + [i.value for i in page.info]
    )
    for leak in ("python", "scripts/", ".json", "assets/", "budget-limited", "None", "Command"):
        assert leak not in shown, leak


def test_missing_results_give_a_note_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(measured, "RESULTS_DIR", tmp_path)
    at = open_app(PAGE)
    assert not at.exception
    notes = [i.value for i in at.info]
    assert notes.count("This measurement is not part of this copy of the app.") == 2
    assert len(figures(at)) == 1 and unrolled(at)["T"] > 1  # the live figures still draw
