"""The equations (the unit's numbers substituted, the same in every notation), the filter plots
(σ and tanh with their probe) and the weight editors' validation, as pure functions.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import filter_dots
from diagram_helpers import expected_vectors, small_run

from lstm_core import init_lstm, lstm_step
from lstm_ui.drawings.filters import filter_svg
from lstm_ui.drawings.svg import fmt_number
from lstm_ui.editors import params_from_tables, read_table, weight_tables
from lstm_ui.equations import EQUATION_ORDER, cell_values, forget_product_latex, unit_equations
from lstm_ui.notation import get_notation, load_notations


@pytest.fixture(scope="module")
def run():
    return small_run()


def test_equations_substitute_the_unit_values(run):
    params, xs, trace = run
    t, unit = 3, 2
    ref = expected_vectors(trace, params, xs, t)
    latex = unit_equations(cell_values(trace, t), unit, get_notation("colah"))
    assert set(latex) == set(EQUATION_ORDER)
    assert f"{ref['forget'][unit]:.3f}" in latex["forget"]
    assert f"{ref['forget_part'][unit]:.3f}" in latex["forget_part"]
    assert f"{ref['cell'][unit]:.3f}" in latex["cell"]
    assert f"{ref['hidden'][unit]:.3f}" in latex["hidden"]
    assert rf"\left[f_t\right]_{{{unit + 1}}}" in latex["forget"]  # 1-based, like the slider


def test_equations_numbers_are_the_same_in_every_notation(run):
    _, _, trace = run
    vals = cell_values(trace, 2)
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
    tex = forget_product_latex(
        get_notation("colah"), np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]), np.array([1.0, 0.0, 4.0])
    )
    assert tex.endswith("[1, 2, 4] * [1, 0, 1] = [1, 0, 4]")
    vectors = (np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]), np.array([1.0, 0.0, 4.0]))
    two = forget_product_latex(get_notation("colah"), *vectors, two_lines=True)  # a projector's narrow column
    assert (
        two == r"\begin{aligned} C_t^f &= C_{t-1} * f_t \\ &= [1, 2, 4] * [1, 0, 1] = [1, 0, 4] \end{aligned}"
    )


@pytest.mark.parametrize(("kind", "z"), [("sigmoid", 1.3), ("sigmoid", -40.0), ("tanh", 0.7)])
def test_filter_probe_shows_the_function_value(kind, z):
    svg = filter_svg(kind, z, {"f": 0.5})
    want = 1 / (1 + np.exp(-z)) if kind == "sigmoid" else np.tanh(z)
    dots = filter_dots(svg)
    probe_z, probe_y, probe_text = dots["probe"]
    assert probe_y == pytest.approx(want, abs=1e-12) and probe_z == float(np.clip(z, -8, 8))
    assert probe_text.endswith(fmt_number(want)) and fmt_number(z) in probe_text
    mark_z, mark_y, mark_text = dots["mark f"]
    f_want = 1 / (1 + np.exp(-0.5)) if kind == "sigmoid" else np.tanh(0.5)
    assert (mark_z, mark_text) == (0.5, "f") and mark_y == pytest.approx(f_want, abs=1e-12)
    root = ET.fromstring(svg)
    texts = ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "z (pre-activation)" in texts and ("σ(z)" if kind == "sigmoid" else "tanh(z)") in texts


def test_filter_curve_is_the_function_on_the_drawn_axes():
    """The curve's points, read back through the drawn grid lines (z = −5, 5; σ = 0, 1), are σ(z)."""
    root = ET.fromstring(filter_svg("sigmoid", 0.0))
    ns = "{http://www.w3.org/2000/svg}"
    curve = next(el for el in root.iter(f"{ns}polyline") if el.get("data-role") == "curve")
    pts = np.array([[float(v) for v in p.split(",")] for p in curve.get("points").split()])
    lines = list(root.iter(f"{ns}line"))
    x_of = {float(el.get("data-z")): float(el.get("x1")) for el in lines if el.get("data-z")}
    y_of = {float(el.get("data-level")): float(el.get("y1")) for el in lines if el.get("data-level")}
    assert sorted(x_of) == [-5, 0, 5] and sorted(y_of) == [0, 0.5, 1]
    zs = -5 + (pts[:, 0] - x_of[-5]) / (x_of[5] - x_of[-5]) * 10
    ys = (pts[:, 1] - y_of[0.0]) / (y_of[1.0] - y_of[0.0])
    np.testing.assert_allclose(ys, 1 / (1 + np.exp(-zs)), atol=0.01)
    assert zs[0] == pytest.approx(-8, abs=0.05) and zs[-1] == pytest.approx(8, abs=0.05)


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
    assert huge.ok and huge.array[0, 0] == 1e6  # a cell state may be that large: the page says what it does
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
