"""The numbers the cell diagram shows: every wire's label and hover, the nodes' fills and squashes, the
colour ranges; the notation changes the labels, never the numbers.

References are computed from the core's trace fields (C_{t-1} = C_{t-1} of the trace, C^f = f * C_{t-1},
…) and from the textbook formulas, not through the functions under test.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from diagram_helpers import SVG, H, T, expected_vectors, hovers, labels, node_shapes, parse, small_run

from lstm_ui.drawings.cell_diagram import cell_svg
from lstm_ui.drawings.cell_layout import WIRES
from lstm_ui.drawings.colours import SCALES
from lstm_ui.drawings.svg import fmt_number
from lstm_ui.equations import cell_values
from lstm_ui.notation import get_notation, load_notations


@pytest.fixture(scope="module")
def run():
    return small_run()


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
