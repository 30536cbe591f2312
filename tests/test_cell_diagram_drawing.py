"""How the cell diagram is drawn: a step colours its parts and greys the rest, arrowheads stop at the
node's edge, the SVG is well-formed and escaped, and no label crosses a wire or another label.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET
from types import MappingProxyType

import numpy as np
import pytest
from diagram_helpers import SVG, hovers, labels, node_shapes, parse, small_run

from lstm_core import init_lstm, run_lstm
from lstm_ui.drawings.cell_diagram import cell_svg, load_steps
from lstm_ui.drawings.cell_layout import NODE_AT, NODE_PX, NODES, WIRES
from lstm_ui.drawings.colours import palette
from lstm_ui.drawings.heatmap import label_px
from lstm_ui.drawings.svg import fmt_number
from lstm_ui.equations import cell_values
from lstm_ui.notation import get_notation, load_notations


@pytest.fixture(scope="module")
def run():
    return small_run()


def wire_paths(svg: str) -> dict[str, ET.Element]:
    return {el.get("data-wire-path"): el for el in parse(svg).iter() if el.get("data-wire-path")}


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
