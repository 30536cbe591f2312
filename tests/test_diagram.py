"""The cell diagram, the equations, the filters and the editors' validation, as pure functions.

References are computed here from the core's trace fields (C_{t-1} = C_{t-1} of the trace, C^f = f * C_{t-1},
…) and from the textbook formulas, not through the functions under test.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import filter_dots

from lstm_core import init_lstm, lstm_step, run_lstm
from lstm_ui.drawings.cell_diagram import (
    NODE_AT,
    NODE_PX,
    NODES,
    WIRES,
    cell_svg,
    load_steps,
)
from lstm_ui.drawings.colours import SCALES, palette
from lstm_ui.drawings.filters import filter_svg
from lstm_ui.drawings.heatmap import label_px
from lstm_ui.drawings.svg import fmt_number
from lstm_ui.editors import params_from_tables, read_table, weight_tables
from lstm_ui.equations import EQUATION_ORDER, cell_values, forget_product_latex, unit_equations
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


SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The SVG document as XML (raises on anything that is not well-formed)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def labels(svg: str) -> dict[str, str]:
    """Every wire label's text (``data-wire`` elements), by wire id; a label stacked on two lines (its
    line <tspan>s have an ``x``: the symbol over its value) is read as "symbol = value"."""
    out = {}
    for el in parse(svg).iter():
        if el.get("data-wire"):
            lines = [t for t in el if t.get("x") is not None]
            parts = ["".join(t.itertext()) for t in lines] if lines else ["".join(el.itertext())]
            out[el.get("data-wire")] = " = ".join(parts)
    return out


def hovers(svg: str) -> dict[str, str]:
    """The tooltip (<title>) of every wire label and node, by wire / node id."""
    out = {}
    for g in parse(svg).iter(f"{SVG}g"):
        title = g.find(f"{SVG}title")
        if title is None:
            continue
        if g.get("data-node"):
            out[g.get("data-node")] = title.text
        for el in g:
            if el.get("data-wire"):
                out[el.get("data-wire")] = title.text
    return out


def wire_paths(svg: str) -> dict[str, ET.Element]:
    return {el.get("data-wire-path"): el for el in parse(svg).iter() if el.get("data-wire-path")}


def node_shapes(svg: str) -> dict[str, ET.Element]:
    """Each node's outlined shape (the <rect> or <circle> with a stroke), by node id."""
    out = {}
    for g in parse(svg).iter(f"{SVG}g"):
        if g.get("data-node"):
            out[g.get("data-node")] = next(el for el in g if el.get("stroke"))
    return out


@pytest.mark.parametrize(("t", "unit"), [(0, 0), (3, 2), (5, 3)])
def test_every_wire_is_labelled_with_the_trace_value(run, t, unit):
    params, xs, trace = run
    ref = expected_vectors(trace, params, xs, t)
    svg = cell_svg(cell_values(trace, t), unit, None, get_notation("colah"))
    by_id, hover = labels(svg), hovers(svg)
    labelled = [w for w in WIRES if w.value is not None]
    assert {w.id for w in labelled} == set(by_id)
    assert len(labelled) == 12
    for w in labelled:
        text = by_id[w.id]
        if w.value == "x":
            assert f"{xs[t][0]:.2f}".replace("-", "−") in text
            assert "…" in text  # D = 5 > 3 entries shown
        else:
            want = f"{ref[w.value][unit]:.3f}".replace("-", "−")
            assert text.endswith(f"= {want}"), (w.id, text, want)
        # the hover holds the whole vector
        for v in ref[w.value]:
            assert f"{v:.3f}".replace("-", "−") in hover[w.id]
        if w.value != "x":  # the selected unit is marked in the hover
            assert f"«{fmt_number(ref[w.value][unit])}»" in hover[w.id]


def test_preactivations_squash_to_the_gates(run):
    """The values the diagram and the equations read are the trace's; its pre-activations recomputed here
    from the weights (W_i· x_t + b_i· + W_h· h_{t-1} + b_h·) and squashed by hand give the gates."""
    params, _, trace = run
    vals = cell_values(trace, 2)
    for gate in ("forget", "input", "candidate", "output"):
        z = (
            params.gate_block("weight_ih", gate) @ trace.xs[2]
            + params.gate_block("weight_hh", gate) @ trace.hidden_prev[2]
            + params.gate_block("bias_ih", gate)
            + params.gate_block("bias_hh", gate)
        )
        np.testing.assert_allclose(vals[f"pre_{gate}"], z, atol=1e-12)
    assert np.allclose(1 / (1 + np.exp(-vals["pre_forget"])), trace.forget[2], atol=1e-12)
    assert np.allclose(1 / (1 + np.exp(-vals["pre_output"])), trace.output[2], atol=1e-12)
    assert np.allclose(np.tanh(vals["pre_candidate"]), trace.candidate[2], atol=1e-12)


def test_steps_highlight_their_parts_and_grey_the_rest(run):
    _, _, trace = run
    steps = load_steps()
    assert steps["order"] == ["forget", "store", "update", "output"]
    pal = palette()
    for name in steps["order"]:
        step = steps["steps"][name]
        svg = cell_svg(cell_values(trace, 1), 0, step, get_notation("colah"))
        wires = wire_paths(svg)
        assert set(wires) == {w.id for w in WIRES}
        for wid, path in wires.items():
            if wid in step["wires"]:
                assert path.get("stroke") in (pal["active"], pal["cell_line"]), (name, wid)
            else:
                assert path.get("stroke") == pal["muted"], (name, wid)
        nodes = node_shapes(svg)
        assert set(nodes) == {n.id for n in NODES}
        for nid, shape in nodes.items():
            assert (shape.get("stroke") == pal["active"]) == (nid in step["nodes"]), (name, nid)
            assert float(shape.get("opacity")) == (1.0 if nid in step["nodes"] else 0.45), (name, nid)
        texts = labels(svg)
        assert texts and all(texts.values())


def test_forget_step_is_the_forget_path():
    step = load_steps()["steps"]["forget"]
    assert {"c_prev", "f", "c_forget"} <= set(step["wires"])
    assert set(step["nodes"]) == {"sig_forget", "mul_forget"}


def test_notation_changes_labels_not_numbers(run):
    _, _, trace = run
    vals = cell_values(trace, 4)
    texts = {}
    for key in load_notations():
        texts[key] = labels(cell_svg(vals, 1, None, get_notation(key)))
    number = re.compile(r"−?\d+\.\d+")
    for wid in texts["colah"]:
        assert len({tuple(number.findall(t[wid])) for t in texts.values()}) == 1, wid
    assert texts["colah"]["c_out"] != texts["ltm"]["c_out"]  # C_t vs LTM_t
    assert "LTM" in texts["ltm"]["c_out"]


def test_unit_outside_the_state_is_a_value_error(run):
    _, _, trace = run
    with pytest.raises(ValueError, match="unit"):
        cell_svg(cell_values(trace, 0), H, None, get_notation("colah"))
    with pytest.raises(ValueError, match="unit"):
        cell_svg(cell_values(trace, 0), -1, None, get_notation("colah"))
    with pytest.raises(ValueError, match="step"):
        cell_values(trace, T)


def test_every_figure_has_labelled_colour_ranges(run):
    _, _, trace = run
    root = parse(cell_svg(cell_values(trace, 0), 0, None, get_notation("colah")))
    bars = {g.get("data-scale"): g for g in root.iter(f"{SVG}g") if g.get("data-role") == "scale"}
    assert set(bars) == {"gate", "signed"}
    gradients = {el.get("id"): el for el in root.iter(f"{SVG}linearGradient")}
    for name, g in bars.items():
        texts = ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]
        assert texts[0].endswith(SCALES[name].label) and texts[0].startswith(("σ boxes", "tanh boxes"))
        ticks = [float(t.replace("−", "-")) for t in texts[1:]]
        assert ticks[0] == SCALES[name].zmin and ticks[-1] == SCALES[name].zmax
        bar = next(r for r in g.iter(f"{SVG}rect"))
        stops = gradients[bar.get("fill")[5:-1]].findall(f"{SVG}stop")
        want = reference_stops(SCALES[name].colorscale)
        assert len(stops) == len(want)
        for stop, (pos, rgb) in zip(stops, want, strict=True):
            assert float(stop.get("offset")) == pytest.approx(pos, abs=1e-4)
            assert rgb_of(stop.get("stop-color")) == pytest.approx(rgb, abs=0.51)


def reference_stops(colorscale) -> list[tuple[float, tuple[float, float, float]]]:
    """A colour scale's (position, (r, g, b)) stops, read with plotly (not through lstm_ui's drawings)."""
    from plotly.colors import get_colorscale, hex_to_rgb

    stops = get_colorscale(colorscale) if isinstance(colorscale, str) else colorscale
    return [(float(p), tuple(float(c) for c in hex_to_rgb(col))) for p, col in stops]


def rgb_of(css: str) -> tuple[float, ...]:
    return tuple(float(c) for c in re.findall(r"[\d.]+", css))


def test_nodes_are_filled_by_their_value_and_hover_their_squash(run):
    params, xs, trace = run
    t, unit = 4, 1
    ref = expected_vectors(trace, params, xs, t)
    vals = cell_values(trace, t)
    svg = cell_svg(vals, unit, None, get_notation("colah"))
    shapes, hover = node_shapes(svg), hovers(svg)
    stops = reference_stops(SCALES["gate"].colorscale)
    for nid, gate in (("sig_forget", "forget"), ("sig_input", "input"), ("sig_output", "output")):
        v = ref[gate][unit]
        want = [np.interp(v, [p for p, _ in stops], [c[k] for _, c in stops]) for k in range(3)]
        assert rgb_of(shapes[nid].get("fill")) == pytest.approx(want, abs=0.51), nid
        z = float(re.search(r"σ\((−?[\d.]+)\)", hover[nid]).group(1).replace("−", "-"))
        assert 1 / (1 + np.exp(-z)) == pytest.approx(v, abs=2e-3), nid
        assert hover[nid].endswith(f"= {fmt_number(v)}") and hover[nid].startswith(gate), nid
    assert hover["tanh_cell"].endswith(f"= {fmt_number(np.tanh(ref['cell'][unit]))}")
    assert hover["mul_forget"].endswith(f"= {fmt_number(ref['forget_part'][unit])}")


def test_arrowheads_stop_at_the_node_edge(run):
    _, _, trace = run
    for large in (False, True):
        root = parse(cell_svg(cell_values(trace, 0), 0, None, get_notation("colah"), large=large))
        heads = {el.get("data-arrow"): el for el in root.iter() if el.get("data-arrow")}
        assert set(heads) == {w.id for w in WIRES if w.arrow}
        centres = {}
        for g in root.iter(f"{SVG}g"):
            if g.get("data-node"):
                shape = next(el for el in g if el.get("stroke"))
                if shape.tag == f"{SVG}circle":
                    centres[g.get("data-node")] = (float(shape.get("cx")), float(shape.get("cy")))
                else:
                    x, y, w = (float(shape.get(k)) for k in ("x", "y", "width"))
                    centres[g.get("data-node")] = (x + w / 2, y + w / 2)
        scale = 1.3 if large else 1.0
        for w in WIRES:
            if not w.arrow or w.points[-1] not in NODE_AT:
                continue
            node = NODE_AT[w.points[-1]]
            tip = [float(c) for c in heads[w.id].get("d").split()[1].split(",")]
            gap = float(np.hypot(tip[0] - centres[node.id][0], tip[1] - centres[node.id][1]))
            assert gap == pytest.approx(NODE_PX[node.kind] * scale / 2 + 1, abs=0.15), (w.id, large)


def test_svg_is_well_formed_and_scales_to_its_container(run):
    _, _, trace = run
    vals = cell_values(trace, 2)
    step = load_steps()["steps"]["output"]
    for key in load_notations():
        for large in (False, True):
            root = parse(cell_svg(vals, 1, step, get_notation(key), large=large, title="Step 4: output"))
            w, h = (float(v) for v in root.get("viewBox").split()[2:])
            assert w > 0 and h > 0
            assert root.get("width") == "100%" and "height: auto" in root.get("style")
            assert root.get("preserveAspectRatio") == "xMidYMid meet"
            assert int(root.get("font-size")) == (17 if large else 13)
            title = next(el for el in root.iter() if el.get("data-role") == "title")
            assert "".join(title.itertext()) == "Step 4: output"


def test_user_text_and_notation_markup_are_escaped(run):
    _, _, trace = run
    vals = cell_values(trace, 2)
    base = get_notation("colah")
    odd = dataclasses.replace(
        base, html=MappingProxyType({**base.html, "forget": "f<sub>t</sub> <script>&amp; <b>x</b>"})
    )
    title = "token <script>alert(1)</script> & 'Bob' \"東京\" 🙂 \x07"
    svg = cell_svg(vals, 0, None, odd, title=title)
    root = parse(svg)  # well-formed despite the markup
    assert not list(root.iter(f"{SVG}script")) and "<script>" not in svg
    text = labels(svg)["f"]
    assert text == f"ft <script>&amp; x = {fmt_number(trace.forget[2, 0])}"
    label = next(el for el in root.iter() if el.get("data-wire") == "f")
    tspans = [t for t in label.iter(f"{SVG}tspan") if t.get("x") is None]  # not a line of a stacked label
    assert tspans[0].get("baseline-shift").startswith("-") and tspans[0].text == "t"  # lowered
    assert tspans[1].get("font-weight") == "bold" and tspans[1].text == "x"
    shown = "".join(next(el for el in root.iter() if el.get("data-role") == "title").itertext())
    assert shown == title.replace("\x07", "")  # a control character XML forbids is dropped
    assert "f<sub>t</sub>" not in hovers(svg)["f"] and "fₜ" in hovers(svg)["f"]


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


def _label_boxes(svg: str, font: float) -> dict[str, tuple[float, float, float, float]]:
    """Each wire label's box (x0, y0, x1, y1) from its anchor, its lines and their length (0.6 em per
    character, as heatmap.label_px measures), one line 1.2 em high."""
    out = {}
    for el in parse(svg).iter():
        if not el.get("data-wire"):
            continue
        lines = [t for t in el if t.get("x") is not None] or [el]
        texts = ["".join(t.itertext()) for t in lines]
        width = label_px(texts, font) * 0.95
        x, y = float(el.get("x")), float(el.get("y"))
        x0 = {"start": x, "middle": x - width / 2, "end": x - width}[el.get("text-anchor")]
        top = y - 0.8 * font
        out[el.get("data-wire")] = (x0, top, x0 + width, top + 1.2 * font * len(lines))
    return out


def _segments(svg: str) -> dict[str, list[tuple[float, float, float, float]]]:
    out = {}
    for el in parse(svg).iter():
        if el.get("data-wire-path"):
            pts = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", el.get("d"))]
            out[el.get("data-wire-path")] = [(*a, *b) for a, b in itertools.pairwise(pts)]
    return out


def _hits(box: tuple[float, float, float, float], seg: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = box
    ax, ay, bx, by = seg
    if ax == bx:  # the diagram's wires are horizontal or vertical
        return x0 < ax < x1 and min(ay, by) < y1 and max(ay, by) > y0
    return y0 < ay < y1 and min(ax, bx) < x1 and max(ax, bx) > x0


@pytest.mark.parametrize("key", ["colah", "split", "ltm", "pytorch"])
@pytest.mark.parametrize("large", [False, True])
def test_no_label_crosses_a_wire_or_another_label(run, key, large):
    """Issue 16: wires ran through the labels (o_t read as c_t; i_t, tanh(C_t) and h_t clipped)."""
    _, _, trace = run
    svg = cell_svg(cell_values(trace, 2), 0, None, get_notation(key), large=large)
    font = 13 * (1.3 if large else 1.0)
    boxes, segments = _label_boxes(svg, round(font)), _segments(svg)
    own = {w.id: w.id for w in WIRES}
    for wire, box in boxes.items():
        crossed = [w for w, segs in segments.items() if w != own[wire] and any(_hits(box, s) for s in segs)]
        assert crossed == [], (wire, crossed)
        others = [o for o, b in boxes.items() if o != wire and b[0] < box[2] and box[0] < b[2]
                  and b[1] < box[3] and box[1] < b[3]]  # fmt: skip
        assert others == [], (wire, others)


def test_a_labels_halo_is_a_copy_under_it():
    """The light halo that keeps a label readable over the wires is a copy drawn underneath: on the label
    itself, a subscript's halo covered the letter before it (an "o" with its subscript read as "c")."""
    params = init_lstm(3, 2, seed=0)
    trace = run_lstm(params, np.ones((2, 3)))
    root = parse(cell_svg(cell_values(trace, 1), 0, None, get_notation("colah")))
    texts = [el for el in root.iter(f"{SVG}text") if el.get("data-wire")]
    assert texts and all(el.get("stroke") is None for el in texts)
    halos = [el for el in root.iter(f"{SVG}text") if el.get("data-role") == "halo"]
    assert len(halos) == len(texts) and all(h.get("stroke") for h in halos)
