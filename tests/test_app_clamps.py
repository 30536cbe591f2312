"""Gates set by hand on the step page, the cell page and (through the pieces Stories hooks in) a story,
headless (AppTest).

A clamp set with the form goes into the URL; the page's drawings then show the run with it (the core's
``run_lstm(..., clamps=...)`` on the same word vectors, recomputed here), and "what the clamps changed"
shows after − before with the selected step's values before and after; a typed value that is not a
number, or outside the gate's range, changes nothing and says why; a clamp outside the sentence is said
and not applied; the clamps stay with the view from page to page.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from apptest_helpers import heat_drawings, open_app, svg_payloads, view_of
from streamlit.testing.v1 import AppTest

from lstm_core import run_lstm
from lstm_core.intervene import Clamp
from lstm_ui.compute import INPUT_SIZE, MODELS
from lstm_ui.sentence import embed, parse_sentence

SENTENCE = "Bob is a nice person. Dan is evil."
SUBMIT = {
    "step": "FormSubmitter:clamp.step.form-Clamp at the selected step and unit",
    "cell": "FormSubmitter:clamp.cell.form-Clamp at the selected step and unit",
}


def core_run(clamps=(), model="lstm8", sentence=SENTENCE):
    tokens = parse_sentence(sentence).tokens
    return run_lstm(MODELS[model].build(), embed(tokens, INPUT_SIZE), clamps=clamps)


def changes(at, key: str) -> dict[str, np.ndarray]:
    """The "what the clamps changed" drawing's hover texts, by panel."""
    (payload,) = [p for p in svg_payloads(at) if p["key"] == key]
    root = ET.fromstring(payload["svg"])
    T, H = int(root.get("data-steps")), int(root.get("data-units"))
    return {
        g.get("data-panel"): np.array(g.get("data-values").split(" "), dtype=object).reshape(T, H)
        for g in root.iter()
        if g.get("data-panel")
    }


def open_form(at, key: str):
    """The form is one button until the reader asks for it (then it stays open for the session)."""
    if f"clamp.{key}.open" in [b.key for b in at.button]:
        at.button(key=f"clamp.{key}.open").click().run()
    assert f"clamp.{key}.open" not in [b.key for b in at.button] and not at.exception
    return at


def test_the_form_opens_when_asked_for_and_closes():
    at = open_app("views/step_through.py", {"sentence": SENTENCE})
    assert "clamp.step.gate" not in [b.key for b in at.button_group]  # one button until asked for
    open_form(at, "step")
    assert "clamp.step.gate" in [b.key for b in at.button_group]
    at.button(key="clamp.step.close").click().run()
    assert "clamp.step.gate" not in [b.key for b in at.button_group] and not at.exception


def clamp_with_the_form(at, page: str, gate: str, value: str):
    open_form(at, page)
    at.button_group(key=f"clamp.{page}.gate").set_value(gate)
    at.text_input(key=f"clamp.{page}.value").set_value(value)
    return at.button(key=SUBMIT[page]).click().run()


def test_the_step_page_clamps_the_selected_step_and_unit_and_shows_before_and_after():
    at = open_app("views/step_through.py", {"sentence": SENTENCE, "step": "4", "unit": "2"})
    assert "heat_clamps" not in {p["key"] for p in svg_payloads(at)}  # no clamps: nothing extra drawn
    clamp_with_the_form(at, "step", "output", "1")
    assert at.query_params["clamps"] == "o_4_2_1" and not at.exception
    want = core_run([Clamp("output", 1, 3, 1.0)])
    heat = heat_drawings(at)["heat"]["panels"]
    for name in ("output", "cell", "hidden"):
        np.testing.assert_allclose(heat[name]["values"], getattr(want, name), atol=5e-5)
    assert heat["output"]["values"][3, 1] == 1.0
    before = core_run()
    delta = changes(at, "heat_clamps")
    assert delta["hidden"][3, 1].startswith(
        f"Δ\u00a0{want.hidden[3, 1] - before.hidden[3, 1]:+.3f}".replace("-", "−")
    )
    assert all(s.startswith("Δ\u00a0+0.000") for s in delta["hidden"][:3].ravel())  # nothing before step 4
    (payload,) = [p for p in svg_payloads(at) if p["key"] == "heat_clamps"]
    assert 'data-step="4" data-unit="2"' in payload["below"] and "(set by hand)" in payload["below"]
    assert f"{before.output[3, 1]:.3f}" in payload["below"]  # the weights' value, before


@pytest.mark.parametrize(
    ("gate", "value", "said"),
    [
        ("forget", "abc", "Nothing was clamped: 'abc' is not a number."),
        ("input", "1.5", "Nothing was clamped: the input gate takes values from 0 to 1; 1.5 is outside."),
        ("candidate", "-3", "Nothing was clamped: the candidate C̃ takes values from −1 to 1; −3 is outside."),
    ],
)
def test_a_bad_typed_value_changes_nothing_and_says_why(gate, value, said):
    at = open_app("views/step_through.py", {"sentence": SENTENCE, "clamps": "f_2_1_0"})
    clamp_with_the_form(at, "step", gate, value)
    assert [e.value for e in at.error] == [said]
    assert at.query_params["clamps"] == "f_2_1_0" and not at.exception


def test_a_clamp_outside_the_sentence_is_said_and_removing_clamps_brings_the_model_back():
    at = open_app("views/step_through.py", {"sentence": SENTENCE, "clamps": "f_3_2_0~i_40_1_1"})
    assert any(
        "i = 1 at step 40, unit 1 is outside this run (10 steps, 8 units)" in w.value for w in at.warning
    )
    np.testing.assert_allclose(
        heat_drawings(at)["heat"]["panels"]["cell"]["values"],
        core_run([Clamp("forget", 1, 2, 0.0)]).cell,
        atol=5e-5,
    )
    (remove,) = [b for b in at.button if b.label.startswith("f = 0 at step 3")]
    remove.click().run()
    assert at.query_params["clamps"] == "i_40_1_1"
    np.testing.assert_allclose(
        heat_drawings(at)["heat"]["panels"]["cell"]["values"], core_run().cell, atol=5e-5
    )
    assert "heat_clamps" not in {p["key"] for p in svg_payloads(at)}


def test_the_cell_page_runs_with_the_clamps_and_says_which_gate_is_set_here():
    at = open_app("views/cell.py", {"sentence": SENTENCE, "step": "3", "unit": "2"})
    clamp_with_the_form(at, "cell", "forget", "0")
    assert at.query_params["clamps"] == "f_3_2_0"
    before = core_run()
    (notice,) = [i.value for i in at.info if "set by hand" in i.value]
    assert notice.startswith("At this step and unit f is set by hand to 0 (the weights gave σ(")
    assert f"= {before.forget[2, 1]:.3f})" in notice
    (diagram,) = [p for p in svg_payloads(at) if p["key"] == "cell_diagram"]
    want = core_run([Clamp("forget", 1, 2, 0.0)])
    assert f"{want.cell[2, 1]:.3f}".replace("-", "−") in diagram["svg"]  # C_t with f = 0 on a wire
    # the gate's own equation says it was set, and what the weights gave (not "σ(z) = 0")
    z = f"{before.pre_forget[2, 1]:.3f}"
    line = r"\left[f_t\right]_{2} = 0.000 \quad \text{(set by hand; the weights gave } \sigma("
    side = html.unescape(diagram["side"])
    assert line + z + "))" in side and r"\left[C_t^f\right]_{2} = 0.000 \times" in side  # not −0.000
    assert "cell_clamps" in {p["key"] for p in svg_payloads(at)}


def test_the_clamps_go_with_the_view_from_page_to_page():
    at = open_app("views/step_through.py", {"sentence": SENTENCE, "clamps": "o_4_2_1"})
    for page in ("views/cell.py", "views/compare.py", "views/home.py", "views/step_through.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.query_params["clamps"] == "o_4_2_1" and view_of(at)["clamps"] == "o_4_2_1", page


BRAVE = (
    "Bob is a nice person. Dan on the other hand single handedly fought the enemy. "
    "For his contributions, brave ___."
)


def story_app(sentence: str, clamps: str = "", model: str = "designed_story") -> AppTest:
    """The Stories page on the "brave ___" example with ``sentence``, ``model`` and ``clamps`` from a link,
    at the word "Dan" (7)."""
    query = {"example": "output_brave", "text": sentence, "story_model": model, "word": "7"}
    return open_app("views/stories.py", query | ({"clamps": clamps} if clamps else {}))


def test_the_story_pieces_show_the_answer_before_and_after():
    keep = "~".join(f"{g}_7_{u}_{v}" for u in range(1, 9) for g, v in (("f", 1), ("i", 0)))
    at = story_app(BRAVE, keep)
    assert not at.exception
    (payload,) = [p for p in svg_payloads(at) if p["key"] == "story_clamps"]
    answers = payload["html"]
    assert answers.index("<b>Dan</b>") < answers.index("<b>Bob</b>")  # without the clamps: Dan; with: Bob
    assert "<strong>with the clamps</strong>, step 7: subject: “Bob” (100 %)" in payload["below"]
    assert {p["key"] for p in svg_payloads(at)} >= {"story_clamps/ledger-without-the-clamps"}


def test_the_story_form_clamps_a_group_and_a_model_without_gates_says_so():
    at = story_app(BRAVE)
    assert "story_clamps" not in {p["key"] for p in svg_payloads(at)}
    open_form(at, "story")
    assert at.selectbox(key="clamp.story.step").value == 7  # opens at the word given
    at.selectbox(key="clamp.story.unit").set_value("group:subject")
    at.button(key="FormSubmitter:clamp.story.form-Clamp").click().run()
    assert at.query_params["clamps"] == "~".join(f"f_7_{u}_1" for u in range(1, 9))
    gru = story_app(BRAVE, model="trained_story_gru")
    assert not gru.exception
    if "trained_story_gru" in at.radio(key="story_model_choice").options:  # when this example offers it
        assert any("is not an LSTM" in i.value for i in gru.info)
