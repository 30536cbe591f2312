"""The Train page's figures as data: the curves' binning, and the gradient-path drawing (one band per path,
its thickness the gradient's size on a log scale)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from lstm_ui.drawings.gradient_path import DECADES, Lane, gradient_path_svg
from lstm_ui.viewmodels.train_charts import binned


def test_a_short_curve_is_drawn_as_it_is_and_a_long_one_as_bin_means():
    steps, values = binned(np.arange(5.0), most=10)
    assert steps.tolist() == [1, 2, 3, 4, 5] and values.tolist() == [0, 1, 2, 3, 4]
    steps, values = binned(np.arange(10.0), most=4)  # bins of 3 steps, the last one partial
    assert steps.tolist() == [3, 6, 9, 10] and values.tolist() == [1, 4, 7, 9]


def band_half_widths(svg: str, lane: str) -> np.ndarray:
    """Half the band's thickness at each step, read from its path (upper edge, then lower edge back)."""
    root = ET.fromstring(svg)
    (group,) = [g for g in root.iter() if g.get("data-lane") == lane]
    (band,) = [p for p in group.iter() if p.get("data-role") == "band"]
    ys = [float(y) for y in re.findall(r"[ML]\S+ (\S+)", band.get("d"))]
    upper, lower = np.array(ys[: len(ys) // 2]), np.array(ys[len(ys) // 2 :])[::-1]
    return (lower - upper) / 2


def test_each_path_is_a_band_as_thick_as_its_gradient_on_a_log_scale():
    tokens = ("A", "x", "y", "?")
    fading = np.array([1e-9, 1e-5, 1e-2, 1.0])  # a plain RNN's: lost on the way back
    kept = np.array([0.5, 0.6, 0.8, 1.0])  # an LSTM cell state's: carried
    svg = gradient_path_svg(
        [
            Lane("lstm-cell", "LSTM C<sub>t</sub>", "#2166ac", kept),
            Lane("rnn-hidden", "RNN h", "#D55E00", fading),
        ],
        tokens,
        scored=(3,),
    )
    root = ET.fromstring(svg)
    assert root.get("data-steps") == "4"
    values = {g.get("data-lane"): g.get("data-values") for g in root.iter() if g.get("data-lane")}
    assert [float(v) for v in values["rnn-hidden"].split()] == pytest.approx(fading.tolist())
    rnn, lstm = band_half_widths(svg, "rnn-hidden"), band_half_widths(svg, "lstm-cell")
    assert np.all(np.diff(rnn) > 0)  # thicker towards the loss
    assert rnn[0] == pytest.approx(rnn.min()) and rnn[0] < 1  # 1e-9: more than DECADES below: a hairline
    assert lstm[0] > 0.8 * lstm[-1]  # the carried gradient keeps its thickness
    log_ratio = (rnn[2] - rnn[0]) / (rnn[3] - rnn[0])  # linear in log10 above the floor
    assert log_ratio == pytest.approx((DECADES - 2) / DECADES, abs=0.02)
    marks = [g.get("data-t") for g in root.iter() if g.get("data-role") == "loss-mark"]
    assert marks == ["4"]


def test_a_lane_must_have_one_norm_per_token():
    with pytest.raises(ValueError, match="one norm per token"):
        gradient_path_svg([Lane("x", "x", "#000", np.ones(3))], ("a", "b"), scored=())


def test_the_cell_diagrams_cell_state_line_is_as_wide_as_its_gradient():
    from lstm_core.train import RunSpec
    from lstm_core.train.live_run import advance, start_run
    from lstm_ui.drawings.gradient_path import LINE_PX, cell_gradient_svg, line_width
    from lstm_ui.notation import get_notation

    _, _, snap = advance(start_run(RunSpec()), 25)
    values = {**snap.cell_step, "x": snap.cell_step["xs"]}
    norms = np.array([1e-9, 1e-2, 1.0, 0.5])  # C_1 gets almost nothing; C_2 a hundredth of the largest
    svg = cell_gradient_svg(values, norms, 1, get_notation("colah"), "")
    root = ET.fromstring(svg)
    wires = {p.get("data-wire-path"): p for p in root.iter() if p.get("data-gradient")}
    assert set(wires) == {"c_prev", "c_forget", "c_out"}
    assert float(wires["c_prev"].get("data-gradient")) == pytest.approx(1e-9)
    assert float(wires["c_out"].get("data-gradient")) == pytest.approx(1e-2)
    widths = {k: float(p.get("stroke-width")) for k, p in wires.items()}
    assert widths["c_prev"] == pytest.approx(LINE_PX[0])  # more than DECADES below the largest: thinnest
    want = LINE_PX[0] + (LINE_PX[1] - LINE_PX[0]) * (DECADES - 2) / DECADES  # 2 decades below the largest
    assert widths["c_out"] == pytest.approx(want, abs=0.01) == pytest.approx(line_width(1e-2, 1.0), abs=0.01)
    labels = ["".join(t.itertext()) for t in root.iter() if t.get("data-role") == "gradient"]
    assert labels == ["‖∂L/∂C1‖ = 1.0e−9", "‖∂L/∂C2‖ = 1.0e−2"]
    with pytest.raises(ValueError, match="no previous step"):
        cell_gradient_svg(values, norms, 0, get_notation("colah"), "")


def test_the_gradient_chart_draws_the_snapshots_norms_on_a_readable_log_axis():
    """The chart's curves are the snapshot's own ‖∂L/∂h_t‖ and ‖∂L/∂C_t‖, and its ticks are powers of
    ten written whole ("10⁻³"), not plotly's small raised exponent."""
    import numpy as np

    from lstm_core.tasks import memory_span
    from lstm_core.train.model import init_model
    from lstm_core.train.snapshot import probe_example, take_snapshot
    from lstm_ui.notation import get_notation
    from lstm_ui.viewmodels.train_charts import gradient_figure

    data = memory_span.make(seed=3, gap=12, n_train=4, n_test=2)
    model = init_model("lstm", len(data.vocab), 4, len(data.classes), seed=1, forget_bias=1.0)
    snap = take_snapshot(model, probe_example(data), data.vocab, data.classes, "last", step=0)
    fig = gradient_figure([("lstm", snap)], get_notation("colah"))
    h, c = (np.asarray(trace.y, dtype=float) for trace in fig.data)
    np.testing.assert_allclose(h, np.maximum(snap.d_hidden_norm, 1e-300), rtol=0, atol=0)
    np.testing.assert_allclose(c, np.maximum(snap.d_cell_norm, 1e-300), rtol=0, atol=0)
    axis = fig.layout.yaxis
    assert axis.type == "log" and axis.exponentformat is None
    values = np.concatenate([h, c])
    assert min(axis.tickvals) <= values.min() * 10 and max(axis.tickvals) >= values.max()
    assert all(t.startswith("10") and t[2:] and set(t[2:]) <= set("⁻⁰¹²³⁴⁵⁶⁷⁸⁹") for t in axis.ticktext)
