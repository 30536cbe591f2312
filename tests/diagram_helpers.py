"""Helpers for the cell diagram and equations tests: a small LSTM run, the reference vectors every wire
should carry (from the trace fields and the textbook formulas, not through the functions under test), and
readers of the diagram's SVG (its labels, hovers and node shapes).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np

from lstm_core import init_lstm, run_lstm

T, D, H = 6, 5, 4


def small_run():
    """(params, xs, trace): an LSTM of D inputs and H units run over T random steps."""
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


def node_shapes(svg: str) -> dict[str, ET.Element]:
    """Each node's outlined shape (the <rect> or <circle> with a stroke), by node id."""
    out = {}
    for g in parse(svg).iter(f"{SVG}g"):
        if g.get("data-node"):
            out[g.get("data-node")] = next(el for el in g if el.get("stroke"))
    return out
