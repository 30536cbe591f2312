"""The cell diagram, the equations, the filters and the editors' validation, as pure functions.

References are computed here from the core's trace fields (C_{t-1} = C_{t-1} of the trace, C^f = f * C_{t-1},
…) and from the textbook formulas, not through the functions under test.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from lstm_core import init_lstm, lstm_step, run_lstm
from lstm_ui.diagram import NODES, WIRES, cell_figure, fmt_number, load_steps, palette
from lstm_ui.editors import params_from_tables, read_table, weight_tables
from lstm_ui.equations import EQUATION_ORDER, cell_values, forget_product_latex, unit_equations
from lstm_ui.filters import filter_figure
from lstm_ui.notation import get_notation, load_notations

T, D, H = 6, 5, 4


@pytest.fixture(scope="module")
def run():
    params = init_lstm(D, H, seed=3)
    xs = np.random.default_rng(7).normal(size=(T, D))
    return params, xs, run_lstm(params, xs)


def expected_vectors(trace, params, xs, t: int) -> dict[str, np.ndarray]:
    """Every wire's vector at step t, from the trace fields and the textbook formulas."""
    c_prev = trace.c0 if t == 0 else trace.cell[t - 1]
    h_prev = trace.h0 if t == 0 else trace.hidden[t - 1]
    return {
        "cell_prev": c_prev,
        "hidden_prev": h_prev,
        "x": xs[t],
        "forget": trace.forget[t],
        "input": trace.input[t],
        "candidate": trace.candidate[t],
        "output": trace.output[t],
        "forget_part": trace.forget[t] * c_prev,
        "input_part": trace.input[t] * trace.candidate[t],
        "cell": trace.cell[t],
        "cell_tanh": np.tanh(trace.cell[t]),
        "hidden": trace.hidden[t],
    }


def labels(fig) -> dict[str, dict]:
    return {a.name[5:]: a for a in fig.layout.annotations if a.name and a.name.startswith("wire:")}


@pytest.mark.parametrize(("t", "unit"), [(0, 0), (3, 2), (5, 3)])
def test_every_wire_is_labelled_with_the_trace_value(run, t, unit):
    params, xs, trace = run
    ref = expected_vectors(trace, params, xs, t)
    fig = cell_figure(cell_values(trace, t, params), unit, None, get_notation("colah"))
    by_id = labels(fig)
    labelled = [w for w in WIRES if w.value is not None]
    assert {w.id for w in labelled} == set(by_id)
    assert len(labelled) == 12
    for w in labelled:
        text = by_id[w.id].text
        if w.value == "x":
            assert f"{xs[t][0]:.2f}".replace("-", "−") in text
            assert "…" in text  # D = 5 > 3 entries shown
        else:
            want = f"{ref[w.value][unit]:.3f}".replace("-", "−")
            assert text.endswith(f"= {want}"), (w.id, text, want)
        # the hover holds the whole vector
        for v in ref[w.value]:
            assert f"{v:.3f}".replace("-", "−") in by_id[w.id].hovertext


def test_preactivations_squash_to_the_gates(run):
    params, _, trace = run
    vals = cell_values(trace, 2, params)
    assert np.allclose(1 / (1 + np.exp(-vals["pre_forget"])), trace.forget[2], atol=1e-12)
    assert np.allclose(1 / (1 + np.exp(-vals["pre_output"])), trace.output[2], atol=1e-12)
    assert np.allclose(np.tanh(vals["pre_candidate"]), trace.candidate[2], atol=1e-12)


def test_steps_highlight_their_parts_and_grey_the_rest(run):
    params, _, trace = run
    steps = load_steps()
    assert steps["order"] == ["forget", "store", "update", "output"]
    pal = palette()
    for name in steps["order"]:
        step = steps["steps"][name]
        fig = cell_figure(cell_values(trace, 1, params), 0, step, get_notation("colah"))
        wires = {s.name[5:]: s for s in fig.layout.shapes if s.name and s.name.startswith("wire:")}
        assert set(wires) == {w.id for w in WIRES}
        for wid, shape in wires.items():
            if wid in step["wires"]:
                assert shape.line.color in (pal["active"], pal["cell_line"]), (name, wid)
            else:
                assert shape.line.color == pal["muted"], (name, wid)
        nodes = {tr.name[5:]: tr for tr in fig.data if tr.name and tr.name.startswith("node:")}
        assert set(nodes) == {n.id for n in NODES}
        for nid, tr in nodes.items():
            assert (tr.marker.line.color == pal["active"]) == (nid in step["nodes"]), (name, nid)


def test_forget_step_is_the_forget_path():
    step = load_steps()["steps"]["forget"]
    assert {"c_prev", "f", "c_forget"} <= set(step["wires"])
    assert set(step["nodes"]) == {"sig_forget", "mul_forget"}


def test_notation_changes_labels_not_numbers(run):
    params, _, trace = run
    vals = cell_values(trace, 4, params)
    texts = {}
    for key in load_notations():
        fig = cell_figure(vals, 1, None, get_notation(key))
        texts[key] = {k: a.text for k, a in labels(fig).items()}
    number = re.compile(r"−?\d+\.\d+")
    for wid in texts["colah"]:
        assert len({tuple(number.findall(t[wid])) for t in texts.values()}) == 1, wid
    assert texts["colah"]["c_out"] != texts["ltm"]["c_out"]  # C_t vs LTM_t
    assert "LTM" in texts["ltm"]["c_out"]


def test_unit_outside_the_state_is_a_value_error(run):
    params, _, trace = run
    with pytest.raises(ValueError, match="unit"):
        cell_figure(cell_values(trace, 0, params), H, None, get_notation("colah"))
    with pytest.raises(ValueError, match="step"):
        cell_values(trace, T, params)


def test_every_figure_has_labelled_colour_ranges(run):
    params, _, trace = run
    fig = cell_figure(cell_values(trace, 0, params), 0, None, get_notation("colah"))
    bars = [tr.marker.colorbar.title.text for tr in fig.data if tr.name and tr.name.startswith("scale:")]
    assert len(bars) == 2 and all(bars)


def test_equations_substitute_the_unit_values(run):
    params, xs, trace = run
    t, unit = 3, 2
    ref = expected_vectors(trace, params, xs, t)
    latex = unit_equations(cell_values(trace, t, params), unit, get_notation("colah"))
    assert set(latex) == set(EQUATION_ORDER)
    assert f"{ref['forget'][unit]:.3f}" in latex["forget"]
    assert f"{ref['forget_part'][unit]:.3f}" in latex["forget_part"]
    assert f"{ref['cell'][unit]:.3f}" in latex["cell"]
    assert f"{ref['hidden'][unit]:.3f}" in latex["hidden"]
    assert rf"\left[f_t\right]_{{{unit + 1}}}" in latex["forget"]  # 1-based, like the slider


def test_equations_numbers_are_the_same_in_every_notation(run):
    params, _, trace = run
    vals = cell_values(trace, 2, params)
    number = re.compile(r"-?\d+\.\d{3}")
    seen = {}
    for key in load_notations():
        latex = unit_equations(vals, 0, get_notation(key))
        seen[key] = {k: number.findall(v.split(r"\\", 1)[1]) for k, v in latex.items()}
    assert all(s == seen["colah"] for s in seen.values())
    assert (
        unit_equations(vals, 0, get_notation("ltm"))["cell"]
        != unit_equations(vals, 0, get_notation("colah"))["cell"]
    )


def test_forget_product_latex_is_the_lectures():
    S = get_notation("colah").symbols
    tex = forget_product_latex(
        S, np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]), np.array([1.0, 0.0, 4.0])
    )
    assert tex.endswith("[1, 2, 4] * [1, 0, 1] = [1, 0, 4]")


@pytest.mark.parametrize(("kind", "z"), [("sigmoid", 1.3), ("sigmoid", -40.0), ("tanh", 0.7)])
def test_filter_probe_shows_the_function_value(kind, z):
    fig = filter_figure(kind, z, {"f": 0.5})
    want = 1 / (1 + np.exp(-z)) if kind == "sigmoid" else np.tanh(z)
    probe = next(tr for tr in fig.data if tr.name == "probe" and tr.mode == "markers+text")
    assert probe.y[0] == pytest.approx(want, abs=1e-12)
    assert probe.text[0].endswith(fmt_number(want))
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert list(fig.layout.xaxis.range) == [-8.0, 8.0]


def test_read_table_reports_bad_cells_and_keeps_huge_ones():
    df = pd.DataFrame({"value": [1.0, np.nan, 3.0]}, index=["a", "b", "c"])
    bad = read_table(df, "C")
    assert bad.array is None and "row b" in bad.errors[0] and "empty" in bad.errors[0]
    text = pd.DataFrame({"value": ["1", "abc", None]}, index=["a", "b", "c"])
    bad = read_table(text, "C")
    assert len(bad.errors) == 2 and "not a number" in bad.errors[0]
    inf = read_table(pd.DataFrame({"value": [np.inf]}), "C")
    assert inf.array is None and "infinite" in inf.errors[0]
    huge = read_table(pd.DataFrame({"value": [1e6, 2.0]}), "C")
    assert huge.ok and huge.array[0, 0] == 1e6 and huge.warnings
    assert read_table(pd.DataFrame({"value": []}), "C").errors


@pytest.mark.parametrize("key", ["colah", "split", "ltm", "pytorch"])
def test_weight_tables_round_trip_through_every_notation(key):
    params = init_lstm(2, 3, seed=5)
    notation = get_notation(key)
    tables = weight_tables(params, notation)
    back = params_from_tables({(t.gate, t.part): t.frame.to_numpy() for t in tables}, notation, 2)
    x, h, c = np.array([0.3, -1.2]), np.array([0.1, -0.2, 0.5]), np.array([1.0, 2.0, 4.0])
    a, b = lstm_step(params, x, h, c), lstm_step(back, x, h, c)
    for name in ("forget", "input", "candidate", "output", "cell", "hidden"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=0, atol=1e-15)


@pytest.mark.parametrize("notation", ["colah", "ltm"])
def test_unvalidated_figures_are_valid_plotly(run, notation):
    """cell_figure, filter_figure and update_figure skip plotly's validation at run time (speed);
    here plotly validates every property of them."""
    import plotly.graph_objects as go

    from lstm_ui.filters import update_figure

    params, _xs, trace = run
    note = get_notation(notation)
    vals = cell_values(trace, 2, params)
    step = load_steps()["steps"]["forget"]
    figures = [
        cell_figure(vals, 1, step, note, large=True, title="Step 1"),
        cell_figure(vals, 0, None, note),
        filter_figure("sigmoid", 1.5, {"f": 0.5}, large=True),
        filter_figure("tanh", -9.0),
        update_figure(vals["cell_prev"], vals["forget_part"], vals["input_part"], vals["cell"], note),
    ]
    for fig in figures:
        validated = go.Figure(fig.to_dict())  # raises on any invalid property
        assert len(validated.data) == len(fig.data) and validated.layout.height == fig.layout.height
