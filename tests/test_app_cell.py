"""The "Inside the LSTM cell" page, headless (AppTest): the diagram and the equations show the trace.

The reference trace is computed here with lstm_core from the model's weights and the sentence's vectors.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from apptest_helpers import filter_dots, open_app, set_in_view, svg_payloads, vkey

from lstm_core import run_lstm
from lstm_ui.compute import DEFAULT_MODEL, MODELS
from lstm_ui.equations import EQUATION_ORDER
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence

PAGE = "views/cell.py"


@pytest.fixture(scope="module")
def reference():
    spec = MODELS[DEFAULT_MODEL]
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    return tokens, run_lstm(spec.build(), embed(tokens, spec.input_size))


def payload(at) -> dict:
    """What the page sent its component (lstm_ui/live_svg.py): controls, diagram, html blocks."""
    return next(p for p in svg_payloads(at) if p["key"] == "cell_diagram")


def shown_latex(at) -> list[str]:
    """The equations shown beside the diagram (the stage's), in order: the ``data-tex`` of its side
    block before the closed "all equations" <details>."""
    side = payload(at)["side"]
    return [html.unescape(t) for t in re.findall(r'data-tex="([^"]*)"', side.split("<details")[0])]


def all_latex(at) -> str:
    """Every equation the page sent (the stage's and the rest behind "All of the cell's equations")."""
    return "\n".join(html.unescape(t) for t in re.findall(r'data-tex="([^"]*)"', payload(at)["side"]))


def controls(at) -> dict:
    return payload(at)["controls"]


def move(at, step: int | None = None, unit: int | None = None):
    """What the component's controls do (AppTest cannot fire component events): set the step / unit as
    the page's callback does, then rerun."""
    if step is not None:
        set_in_view(at, step=step)
    if unit is not None:
        set_in_view(at, unit=unit)
    return at.run()


def filters(at) -> dict[str, dict]:
    """The σ and tanh drawings (in the slots under the diagram), by kind, read with ``filter_dots``."""
    return {
        d["name"]: filter_dots(d["svg"]) for d in svg_payloads(at) if d["key"].startswith("cell_diagram/")
    }


def numbers(tex: str) -> list[str]:
    """The substituted numbers (second lines of the gathered blocks), in order."""
    return [n for line in re.findall(r"\\\\ (.*?)\\end", tex) for n in re.findall(r"-?\d+\.\d{3}", line)]


def diagram(at) -> ET.Element:
    """The cell diagram the page sent (the gbg.live_svg component keyed "cell_diagram"), parsed."""
    return ET.fromstring(payload(at)["svg"])


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
    assert radios == [vkey(at, "notation")], "views/cell.py ran without app.py"


def test_page_loads_and_shows_step_one(reference):
    tokens, trace = reference
    at = open_app(PAGE)
    assert not at.exception
    c = controls(at)
    assert (c["step"], c["unit"], c["steps"], c["units"]) == (1, 1, len(tokens), 8)
    assert c["tokens"] == list(tokens) and not c["play"] and c["choice"]["value"] == "forget"
    assert len(shown_latex(at)) == 2 and len(re.findall("data-tex=", payload(at)["side"])) == len(
        EQUATION_ORDER
    )
    tex = all_latex(at)  # the stage's two, the rest behind "All of the cell's equations"
    assert f"{trace.forget[0, 0]:.3f}" in tex
    assert f"{trace.cell[0, 0]:.3f}" in tex and f"{trace.hidden[0, 0]:.3f}" in tex
    fig = diagram(at)
    assert wire_text(fig, "f").endswith(f"{trace.forget[0, 0]:.3f}".replace("-", "−"))
    assert set(filters(at)) == {"sigmoid", "tanh"}  # σ and tanh filters, drawn under the diagram
    assert re.findall(r'data-slot="(\w+)"', payload(at)["below"]) == ["sigmoid", "tanh"]  # in their slots
    payloads = svg_payloads(at)
    assert [(p["key"], p["name"], p["slot"]) for p in payloads] == [
        ("cell_diagram", "cell-diagram", ""),
        ("cell_diagram/sigmoid", "sigmoid", "sigmoid"),
        ("cell_diagram/tanh", "tanh", "tanh"),
    ]  # each with its downloads
    assert not [
        el for el in at.main if el.type in ("slider", "latex", "plotly_chart")
    ]  # all in the component


def test_deep_link_opens_at_step_and_unit(reference):
    _tokens, trace = reference
    at = open_app(PAGE, {"step": "5", "unit": "3"})
    assert not at.exception
    assert (controls(at)["step"], controls(at)["unit"]) == (5, 3)
    tex = all_latex(at)
    for name in ("forget", "input", "candidate", "output", "cell", "hidden"):
        assert f"{getattr(trace, name)[4, 2]:.3f}" in tex, name
    assert f"{trace.cell[3, 2]:.3f}" in tex  # C_{t-1}
    assert r"\left[f_t\right]_{3}" in tex
    fig = diagram(at)
    assert wire_text(fig, "c_prev").endswith(f"{trace.cell[3, 2]:.3f}".replace("-", "−"))
    assert wire_text(fig, "h").endswith(f"{trace.hidden[4, 2]:.3f}".replace("-", "−"))
    assert at.query_params["step"] == "5" and at.query_params["unit"] == "3"


def test_stepping_changes_the_numbers_and_the_url(reference):
    tokens, trace = reference
    at = move(open_app(PAGE), step=4)
    assert f"{trace.forget[3, 0]:.3f}" in all_latex(at)
    assert controls(at)["step"] == 4 and at.query_params["step"] == "4"
    assert f"t = 4 of {len(tokens)}" in html.unescape(re.sub("<[^>]+>", "", payload(at)["html"]))
    move(at, step=5)
    assert f"{trace.forget[4, 0]:.3f}" in all_latex(at)
    assert wire_text(diagram(at), "c_out").endswith(f"{trace.cell[4, 0]:.3f}".replace("-", "−"))
    move(at, step=3, unit=8)
    assert (controls(at)["step"], controls(at)["unit"]) == (3, 8)
    assert f"{trace.forget[2, 7]:.3f}" in all_latex(at)
    assert not at.exception


def test_a_step_outside_the_sentence_opens_at_its_nearest_end(reference):
    tokens, _ = reference
    at = move(open_app(PAGE), step=len(tokens) + 5, unit=99)
    assert (controls(at)["step"], controls(at)["unit"]) == (len(tokens), 8)
    move(at, step=0)
    assert controls(at)["step"] == 1
    assert not at.exception


def test_notation_changes_text_not_numbers(reference):
    at = open_app(PAGE, {"step": "6", "unit": "2"})
    before_tex, before_nums = all_latex(at), numbers(all_latex(at))
    before_wires = wire_texts(diagram(at))
    set_in_view(at, notation="ltm")  # what the sidebar radio (key "notation") sets
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
    first = shown_latex(at)
    assert r"\sigma(W_f" in first[0]
    set_in_view(at, stage="output")  # what the "4 Output" button's callback sets
    at.run()
    assert not at.exception
    assert r"o_t = \sigma" in shown_latex(at)[0] and r"h_t = o_t" in shown_latex(at)[1]
    assert controls(at)["choice"]["value"] == "output" and at.query_params["stage"] == "output"
    svg = diagram(at)
    assert wire_colour(svg, "o") != wire_colour(svg, "f")
    assert "Output" in title_text(svg) or "output" in title_text(svg)


def test_stage_from_the_url_and_an_unknown_one(reference):
    at = open_app(PAGE, {"stage": "store"})
    assert controls(at)["choice"]["value"] == "store" and r"i_t = \sigma" in shown_latex(at)[0]
    at = open_app(PAGE, {"stage": "nonsense"})
    assert not at.exception and controls(at)["choice"]["value"] == "forget"


def test_filter_probe_slider(reference):
    at = open_app(PAGE)
    at.session_state["probe_sigmoid"] = 2.0  # what the probe's callback sets when it is let go
    at.run()
    _z, value, text = filters(at)["sigmoid"]["probe"]
    assert value == pytest.approx(1 / (1 + np.exp(-2.0))) and text == "σ(2.000) = 0.881"
    assert 'data-report="probe_sigmoid" min="-8.0" max="8.0" step="0.1" value="2.0"' in payload(at)["below"]


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
    figs = filters(at)
    for name, symbol in (("forget", "f"), ("input", "i"), ("output", "o")):
        gate = getattr(trace, name)[2, 1]
        z, value, _label = figs["sigmoid"][f"mark {symbol}ₜ"]
        assert z == pytest.approx(np.log(gate / (1 - gate)), abs=1e-9) and value == pytest.approx(
            gate, abs=1e-12
        )
    z, value, _label = figs["tanh"]["mark C̃ₜ"]
    g = trace.candidate[2, 1]
    assert z == pytest.approx(np.arctanh(g), abs=1e-9) and value == pytest.approx(g, abs=1e-12)


def test_captions_show_symbols_not_latex_source():
    """Issue 16: the cell page's caption showed raw LaTeX (``h_{t-1}``, ``C_{t-1}``); its symbols are the
    notation's, drawn as HTML."""
    for stage in ("forget", "store", "update", "output"):
        at = open_app(PAGE, query={"stage": stage, "notation": "split"})
        below = payload(at)["below"]
        caption = below.split('<p class="gbg-caption">', 1)[1].split("</p>", 1)[0]
        assert "_{" not in caption and "{" not in caption, caption
        assert "<sub>" in caption, caption


def test_the_ltm_story_has_its_remember_gate():
    """Issue 16: the LTM-STM notation's four gates are learn, forget, remember and use; the remember gate
    appeared nowhere. The cell page's steps carry the story's names, and its update equation names it."""
    at = open_app(PAGE, query={"notation": "ltm", "stage": "update"})
    names = [text for _, text in controls(at)["choice"]["options"]]
    assert names == ["1 Forget gate", "2 Learn gate", "3 Remember gate", "4 Use gate"]
    assert "remember gate" in payload(at)["html"]
    assert r"\text{remember gate}" in all_latex(at)
