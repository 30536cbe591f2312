"""The "Inside the LSTM cell" page, headless (AppTest): the diagram and the equations show the trace.

The reference trace is computed here with lstm_core from the model's weights and the sentence's vectors.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from apptest_helpers import figures, open_app, svg_payloads

from lstm_core import run_lstm
from lstm_ui.equations import EQUATION_ORDER
from lstm_ui.filters import filter_dots
from lstm_ui.models import DEFAULT_MODEL, MODELS
from lstm_ui.text import DEFAULT_SENTENCE, embed, parse_sentence

PAGE = "views/cell.py"


@pytest.fixture(scope="module")
def reference():
    spec = MODELS[DEFAULT_MODEL]
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    return tokens, run_lstm(spec.build(), embed(tokens, spec.input_size))


def with_all_equations(at):
    """Switch on "All of the cell's equations" (off by default: typesetting hidden ones costs every step)."""
    return at.toggle(key="all_equations").set_value(True).run()


def all_latex(at) -> str:
    return "\n".join(el.value for el in at.latex)


def numbers(tex: str) -> list[str]:
    """The substituted numbers (second lines of the gathered blocks), in order."""
    return [n for line in re.findall(r"\\\\ (.*?)\\end", tex) for n in re.findall(r"-?\d+\.\d{3}", line)]


def diagram(at) -> ET.Element:
    """The cell diagram the page sent (the gbg.live_svg component keyed "cell_diagram"), parsed."""
    payload = next(p for p in svg_payloads(at) if p["key"] == "cell_diagram")
    return ET.fromstring(payload["svg"])


def wire_text(svg: ET.Element, wire: str) -> str:
    return next("".join(el.itertext()) for el in svg.iter() if el.get("data-wire") == wire)


def wire_texts(svg: ET.Element) -> dict[str, str]:
    return {el.get("data-wire"): "".join(el.itertext()) for el in svg.iter() if el.get("data-wire")}


def wire_colour(svg: ET.Element, wire: str) -> str:
    return next(el.get("stroke") for el in svg.iter() if el.get("data-wire-path") == wire)


def title_text(svg: ET.Element) -> str:
    return next("".join(el.itertext()) for el in svg.iter() if el.get("data-role") == "title")


def test_page_runs_inside_the_app_with_its_sidebar():
    # The page runs inside app.py (its sidebar, its wide layout), never alone as a legacy page.
    at = open_app(PAGE)
    assert not at.exception
    radios = [r.key for r in at.sidebar.radio]
    assert radios == ["notation", "figure_format"], "views/cell.py ran without app.py"


def test_page_loads_and_shows_step_one(reference):
    _tokens, trace = reference
    at = open_app(PAGE)
    assert not at.exception
    assert at.slider(key="step").value == 1 and at.slider(key="unit").value == 1
    shown = len(at.latex)
    tex = all_latex(with_all_equations(at))
    assert shown == 2 and len(at.latex) == len(EQUATION_ORDER)  # the stage's two, the rest behind the toggle
    assert f"{trace.forget[0, 0]:.3f}" in tex
    assert f"{trace.cell[0, 0]:.3f}" in tex and f"{trace.hidden[0, 0]:.3f}" in tex
    fig = diagram(at)
    assert wire_text(fig, "f").endswith(f"{trace.forget[0, 0]:.3f}".replace("-", "−"))
    assert len(figures(at)) == 2  # σ and tanh filters (plotly)
    payloads = svg_payloads(at)
    assert [(p["key"], p["name"]) for p in payloads] == [("cell_diagram", "cell-diagram")]  # the downloads


def test_deep_link_opens_at_step_and_unit(reference):
    _tokens, trace = reference
    at = with_all_equations(open_app(PAGE, {"step": "5", "unit": "3"}))
    assert not at.exception
    assert at.slider(key="step").value == 5 and at.slider(key="unit").value == 3
    tex = all_latex(at)
    for name in ("forget", "input", "candidate", "output", "cell", "hidden"):
        assert f"{getattr(trace, name)[4, 2]:.3f}" in tex, name
    assert f"{trace.cell[3, 2]:.3f}" in tex  # C_{t-1}
    assert r"\left[f_t\right]_{3}" in tex
    fig = diagram(at)
    assert wire_text(fig, "c_prev").endswith(f"{trace.cell[3, 2]:.3f}".replace("-", "−"))
    assert wire_text(fig, "h").endswith(f"{trace.hidden[4, 2]:.3f}".replace("-", "−"))


def test_stepping_changes_the_numbers(reference):
    _tokens, trace = reference
    at = open_app(PAGE)
    at.slider(key="step").set_value(4).run()
    assert f"{trace.forget[3, 0]:.3f}" in all_latex(at)
    at.button(key="next").click().run()
    assert at.slider(key="step").value == 5
    assert f"{trace.forget[4, 0]:.3f}" in all_latex(at)
    assert wire_text(diagram(at), "c_out").endswith(f"{trace.cell[4, 0]:.3f}".replace("-", "−"))
    at.button(key="prev").click().run()
    at.button(key="prev").click().run()
    assert at.slider(key="step").value == 3
    assert f"{trace.forget[2, 0]:.3f}" in all_latex(at)
    at.slider(key="unit").set_value(8).run()
    assert f"{trace.forget[2, 7]:.3f}" in all_latex(at)
    assert not at.exception


def test_step_buttons_stay_inside_the_sentence(reference):
    tokens, _ = reference
    at = open_app(PAGE)
    at.button(key="prev").click().run()
    assert at.slider(key="step").value == 1
    at.slider(key="step").set_value(len(tokens)).run()
    at.button(key="next").click().run()
    assert at.slider(key="step").value == len(tokens)
    assert not at.exception


def test_notation_changes_text_not_numbers(reference):
    at = with_all_equations(open_app(PAGE, {"step": "6", "unit": "2"}))
    before_tex, before_nums = all_latex(at), numbers(all_latex(at))
    before_wires = wire_texts(diagram(at))
    at.session_state["notation"] = "ltm"  # what the sidebar radio (key "notation") sets
    at.run()
    assert not at.exception
    after_tex = all_latex(at)
    assert after_tex != before_tex and "LTM" in after_tex
    assert numbers(after_tex) == before_nums and len(before_nums) >= 20
    after_wires = wire_texts(diagram(at))
    assert after_wires != before_wires and "LTM" in after_wires["c_out"]
    num = re.compile(r"−?\d+\.\d{3}")
    assert set(after_wires) == set(before_wires) and len(before_wires) == 12
    for wire, text in before_wires.items():
        assert num.findall(after_wires[wire]) == num.findall(text), wire


def test_stage_selector_moves_the_highlight_and_the_equations(reference):
    at = open_app(PAGE)
    first = [el.value for el in at.latex]
    assert r"\sigma(W_f" in first[0]
    at.segmented_control(key="stage").set_value("output").run()
    assert not at.exception
    assert r"o_t = \sigma" in at.latex[0].value and r"h_t = o_t" in at.latex[1].value
    svg = diagram(at)
    assert wire_colour(svg, "o") != wire_colour(svg, "f")
    assert "Output" in title_text(svg) or "output" in title_text(svg)


def test_filter_probe_slider(reference):
    at = open_app(PAGE)
    at.slider(key="probe_sigmoid").set_value(2.0).run()
    fig = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("sigmoid"))
    _z, value, text = filter_dots(fig)["probe"]
    assert value == pytest.approx(1 / (1 + np.exp(-2.0))) and text == "σ(2.000) = 0.881"


def test_empty_sentence_is_a_message_not_a_crash():
    at = open_app(PAGE, {"sentence": "   "})
    assert not at.exception
    assert at.info or at.warning or at.error


def test_filter_marks_sit_at_the_gates_real_pre_activations(reference):
    """The σ chart marks f, i, o and the tanh chart marks the candidate at the pre-activations of the
    shown step and unit: σ(z) and tanh(z) of them are the trace's gate values (z = logit(f), atanh(g))."""
    _tokens, trace = reference
    at = open_app(PAGE, {"step": "3", "unit": "2"})
    assert not at.exception
    figs = {f["layout"]["title"]["text"].split(":")[0]: filter_dots(f) for f in figures(at)}
    for name, symbol in (("forget", "f"), ("input", "i"), ("output", "o")):
        gate = getattr(trace, name)[2, 1]
        z, value, _label = figs["sigmoid"][f"mark {symbol}ₜ"]
        assert z == pytest.approx(np.log(gate / (1 - gate)), abs=1e-9) and value == pytest.approx(
            gate, abs=1e-12
        )
    z, value, _label = figs["tanh"]["mark C̃ₜ"]
    g = trace.candidate[2, 1]
    assert z == pytest.approx(np.arctanh(g), abs=1e-9) and value == pytest.approx(g, abs=1e-12)
