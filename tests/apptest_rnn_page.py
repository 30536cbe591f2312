"""What the plain RNN page sends under AppTest, read for its tests: the step view's component payload
(the unrolled drawing as data, the step controls, the equations), the selected step and unit; and the
core's reference run of the seeded RNN with one unit's numbers straight from the weights.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import numpy as np
from apptest_helpers import svg_payloads

from lstm_core import init_rnn, run_rnn
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence

PAGE = "views/rnn.py"
STEP_VIEW = "rnn_step"  # the step view's component key
D, H = 16, 8
SHOWN = 5.001e-5  # the squares' values carry 4 decimals
SVG = "{http://www.w3.org/2000/svg}"


def rnn_reference(sentence: str = DEFAULT_SENTENCE):
    tokens = parse_sentence(sentence).tokens
    params = init_rnn(D, H, seed=0)
    return tokens, params, run_rnn(params, embed(tokens, D))


def step_view(at) -> dict:
    """What the step-view component receives: the unrolled drawing, the step controls, the html above it."""
    (payload,) = [p for p in svg_payloads(at) if p["key"] == STEP_VIEW]
    return payload


def equations(at) -> list[str]:
    """The LaTeX of the equations in the step view (its ``data-tex`` attributes, unescaped)."""
    return [html.unescape(tex) for tex in re.findall(r'data-tex="([^"]*)"', step_view(at)["html"])]


def unrolled(at) -> dict:
    """The unrolled drawing as data: ``values`` (T, H) from data-values; per square (t, j) its fill and
    hover text; the copies and token labels; the selection (step outline, selected copy, unit outline)."""
    root = ET.fromstring(step_view(at)["svg"])
    assert root.get("data-role") == "unrolled"
    T, H = int(root.get("data-steps")), int(root.get("data-units"))
    (heat,) = [g for g in root.iter() if g.get("data-role") == "hidden"]
    values = np.array([float(v) for v in heat.get("data-values").split(" ")]).reshape(T, H)
    columns = [g for g in heat if g.get("data-t")]
    assert [int(g.get("data-t")) for g in columns] == list(range(1, T + 1))
    fills = np.array([[r.get("fill") for r in g.findall(f"{SVG}rect")] for g in columns])
    titles = [[r.get("aria-label") for r in g.findall(f"{SVG}rect")] for g in columns]
    units = [[int(r.get("data-j")) for r in g.findall(f"{SVG}rect")] for g in columns]
    assert units == [list(range(1, H + 1))] * T  # each square names its unit (its column names the step)
    overlay = list(root)[-1]
    assert overlay.get("data-role") == "overlay"  # the selection is the drawing's last group
    picked = {el.get("data-role"): el for el in overlay}
    return {
        "T": T,
        "H": H,
        "values": values,
        "fills": fills,
        "titles": titles,
        "copies": [int(el.get("data-t")) for el in root.iter() if el.get("data-role") == "copy"],
        "tokens": {
            int(el.get("data-step")): el.get("data-token") for el in root.iter() if el.get("data-step")
        },
        "step_outline": int(picked["step-outline"].get("data-t")),
        "selected_copy": int(picked["selected-copy"].get("data-t")),
        "unit_outline": (
            int(picked["unit-outline"].get("data-t")),
            int(picked["unit-outline"].get("data-j")),
        ),
    }


def selected(at) -> tuple[int, int]:
    """The (step, unit) the step view shows, checked to agree everywhere it is shown."""
    c, drawing = step_view(at)["controls"], unrolled(at)
    t, j = c["step"], c["unit"]
    assert drawing["step_outline"] == drawing["selected_copy"] == t and drawing["unit_outline"] == (t, j)
    url = (at.query_params.get("step", "1"), at.query_params.get("unit", "1"))  # 1 is the default: left out
    assert url == (str(t), str(j))
    return t, j


def unit_numbers(params, trace, t: int, j: int) -> dict[str, float]:
    """Step t, unit j (0-based) straight from the weights: the three terms, their sum and the new state."""
    prev = trace.h0 if t == 0 else trace.hidden[t - 1]
    rec, inp = params.weight_hh[j] @ prev, params.weight_ih[j] @ trace.xs[t]
    z = rec + inp + params.bias_ih[j] + params.bias_hh[j]
    return {"recurrent": rec, "input": inp, "z": z, "h": np.tanh(z)}
