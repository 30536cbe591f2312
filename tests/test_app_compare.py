"""The Compare page headless (AppTest): two sentences, two models, or one sentence with and without clamps,
side by side with their difference, and the memory ledger; every part of the view in the URL; bad input
gets a message and nothing else.

The numbers drawn are checked against the core run here on its own (``run_lstm`` on the same word vectors,
the designed story model through ``lstm_core.story``, ``memory_ledger``).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from apptest_helpers import open_app, set_in_view, svg_payloads, view_of

from lstm_core import run_lstm
from lstm_core.intervene import Clamp
from lstm_core.ledger import memory_ledger
from lstm_core.story import load_model, run_text
from lstm_core.story.designed import designed_model
from lstm_ui.compute import INPUT_SIZE, MODELS
from lstm_ui.runs import compare_settings
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence

PAGE = "views/compare.py"
BRAVE = (
    "Bob is a nice person. Dan on the other hand single handedly fought the enemy. "
    "For his contributions, brave ___."
)
BOB_DAN = "Bob is a nice person. Dan on the other hand is evil."
SUBJECT = designed_model().units_of("subject")
KEEP_BOB = [Clamp(g, u, 6, v) for u in SUBJECT for g, v in (("forget", 1.0), ("input", 0.0))]


def drawings(at) -> dict[str, dict]:
    return {p["key"]: p for p in svg_payloads(at)}


def hover(svg: str, panel: str) -> np.ndarray:
    root = ET.fromstring(svg)
    T, H = int(root.get("data-steps")), int(root.get("data-units"))
    (g,) = [g for g in root.iter() if g.get("data-panel") == panel]
    return np.array(g.get("data-values").split(" "), dtype=object).reshape(T, H)


def as_float(strings: np.ndarray) -> np.ndarray:
    return np.char.replace(strings.astype(str), "−", "-").astype(float)


def seeded(model: str, sentence: str):
    tokens = parse_sentence(sentence).tokens
    return run_lstm(MODELS[model].build(), embed(tokens, INPUT_SIZE))


def test_the_page_opens_on_two_sentences_drawn_from_the_core():
    at = open_app(PAGE)
    assert not at.exception and not at.error
    assert dict(at.query_params) == {}  # every default is left out of the link
    shown = drawings(at)
    assert set(shown) == {"compare_view", "compare_view/ledger-a", "compare_view/ledger-b"}
    svg = shown["compare_view"]["svg"]
    a, b = seeded("lstm8", DEFAULT_SENTENCE), seeded("lstm8", compare_settings()["second_sentence"])
    np.testing.assert_allclose(as_float(hover(svg, "A")), a.cell, atol=5e-5)
    np.testing.assert_allclose(as_float(hover(svg, "B")), b.cell, atol=5e-5)
    diff = hover(svg, "diff")
    assert diff[3, 0].startswith("B\u00a0−\u00a0A\u00a0+0.000")  # before "France | Spain" nothing differs
    assert not diff[4, 0].startswith("B\u00a0−\u00a0A\u00a0+0.000")


def test_two_models_mode_runs_the_second_model():
    at = open_app(PAGE, {"compare": "models"})
    svg = drawings(at)["compare_view"]["svg"]
    np.testing.assert_allclose(
        as_float(hover(svg, "B")), seeded("lstm8-remember", DEFAULT_SENTENCE).cell, atol=5e-5
    )
    at.selectbox(key="cmp.model2").set_value("lstm16").run()
    assert at.query_params["model2"] == "lstm16"
    assert any("units do not correspond" in i.value for i in at.info)  # 8 against 16 units: no B − A
    assert "diff" not in drawings(at)["compare_view"]["svg"]


def story_answers(sentence: str, clamps=()) -> str:
    model = load_model("designed_story")
    run = run_text(model, sentence)
    trace = run_lstm(model.params, run.xs, clamps=clamps)
    (prediction,) = model.read(trace, run.tokens, None)
    return prediction.answer


def test_keep_bob_the_lectures_what_if_from_the_ready_made_list():
    """Keep the forget gate open and the input gate shut at "Dan" (the subject units): Bob is still the
    answer at "brave ___"; the model's own run says Dan."""
    assert story_answers(BRAVE) == "Dan" and story_answers(BRAVE, KEEP_BOB) == "Bob"  # the core says so
    at = open_app(PAGE)
    titles = [p["title"] for p in compare_settings()["presets"]]
    at.selectbox(key="cmp.preset").set_value(
        titles.index(next(t for t in titles if t.startswith("Keep Bob")))
    ).run()
    assert not at.exception
    assert at.query_params["compare"] == "clamp" and at.query_params["model1"] == "designed_story"
    assert len(at.query_params["clamps"].split("~")) == 16
    html = drawings(at)["compare_view"]["html"]
    answers = html[html.index('data-role="answers"') :]
    assert answers.index("<b>Dan</b>") < answers.index("<b>Bob</b>")  # A says Dan, B says Bob
    below = drawings(at)["compare_view"]["below"]
    assert "<strong>A</strong>, step 23: subject: “Dan” (100 %)" in below
    assert "<strong>B</strong>, step 23: subject: “Bob” (100 %)" in below


def test_only_the_forget_gate_open_leaves_no_clear_answer():
    """Keeping Bob's code but writing Dan's on top makes the two names tie: no clear answer."""
    clamps = "~".join(f"f_7_{u + 1}_1" for u in SUBJECT)
    at = open_app(PAGE, {"compare": "clamp", "sentence": BRAVE, "model1": "designed_story", "clamps": clamps})
    assert (
        "no clear answer: Dan" in drawings(at)["compare_view"]["html"]
        or "no clear answer: Bob" in drawings(at)["compare_view"]["html"]
    )


def test_the_ledger_shows_each_words_share_from_the_core():
    at = open_app(
        PAGE,
        {
            "sentence": BOB_DAN,
            "sentence2": BOB_DAN.replace("Dan", "Bob"),
            "model1": "designed_story",
            "step": "9",
        },
    )
    model = load_model("designed_story")
    trace = run_text(model, BOB_DAN).trace
    shares, initial = memory_ledger(trace, 8).shares()
    root = ET.fromstring(drawings(at)["compare_view/ledger-a"]["svg"])
    for g in root.iter():
        t = g.get("data-t")
        if t is None or not g.tag.endswith("g"):
            continue
        for rect in g:
            if rect.get("data-share") is None:  # a label, or the pale column of a unit holding nothing
                continue
            j = int(rect.get("data-j")) - 1
            want = initial[j] if t == "0" else shares[int(t) - 1, j]
            assert float(rect.get("data-share")) == pytest.approx(want, abs=1e-6)
    below = drawings(at)["compare_view"]["below"]
    assert (
        "<strong>A</strong>, step 9: subject: “Dan”" in below
        and "<strong>B</strong>, step 9: subject: “Bob”" in below
    )
    assert drawings(at)["compare_view"]["controls"]["step"] == 9


def test_the_step_and_the_array_shown_go_into_the_url():
    at = open_app(PAGE)
    set_in_view(at, step=5, show="hidden").run()
    assert at.query_params["step"] == "5" and at.query_params["show"] == "hidden"
    payload = drawings(at)["compare_view"]
    assert payload["controls"]["step"] == 5 and payload["controls"]["choice"]["value"] == "hidden"
    np.testing.assert_allclose(
        as_float(hover(payload["svg"], "A")), seeded("lstm8", DEFAULT_SENTENCE).hidden, atol=5e-5
    )


def test_a_step_beyond_the_sentences_opens_at_the_last():
    at = open_app(PAGE, {"step": "99"})
    T = len(parse_sentence(DEFAULT_SENTENCE).tokens)
    assert not at.exception and drawings(at)["compare_view"]["controls"]["step"] == T
    assert view_of(at)["step"] == T and at.query_params["step"] == str(T)


def test_an_empty_second_sentence_gets_a_message_and_nothing_else():
    at = open_app(PAGE)
    at.text_input(key="cmp.sentence2").set_value("   ").run()
    assert [e.value for e in at.error] == ["Sentence B is empty: type at least one word."]
    assert not svg_payloads(at) and not at.exception


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"sentence2": "  "}, "The link's second sentence '  ' cannot be used: it is empty"),
        ({"clamps": "f_3_2_abc"}, "The link's clamps 'f_3_2_abc' cannot be used: 'abc' is not a number"),
        ({"compare": "three"}, "The link's comparison 'three' cannot be used"),
        ({"model2": "gpt"}, "The link's second model 'gpt' cannot be used"),
        ({"step": "0"}, "The link's step '0' cannot be used: it must be 1 or more"),
    ],
)
def test_a_bad_link_value_is_dropped_with_a_message(query, said):
    at = open_app(query=query)  # the link's first page says it (open_app(PAGE) starts at home)
    assert any(said in w.value for w in at.warning), [w.value for w in at.warning]
    at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert not set(query) & set(at.query_params)


def test_a_clamp_outside_the_sentence_is_said_and_not_applied():
    at = open_app(PAGE, {"compare": "clamp", "clamps": "f_40_1_1~o_2_9_1"})
    said = " ".join(w.value for w in at.warning)
    assert (
        "at step 40, unit 1 is outside this run" in said and "at step 2, unit 9 is outside this run" in said
    )
    svg = drawings(at)["compare_view"]["svg"]
    np.testing.assert_array_equal(hover(svg, "A"), hover(svg, "B"))  # nothing applied: B is A


def test_the_form_clamps_a_group_of_units_at_a_word():
    at = open_app(PAGE, {"compare": "clamp", "sentence": BRAVE, "model1": "designed_story"})
    assert any("No clamps yet" in i.value for i in at.info)
    at.button(key="clamp.compare.open").click().run()  # the form opens when asked for
    at.selectbox(key="clamp.compare.step").set_value(7)
    at.selectbox(key="clamp.compare.unit").set_value("group:subject")
    at.text_input(key="clamp.compare.value").set_value("1")
    at.button(key="FormSubmitter:clamp.compare.form-Clamp").click().run()
    assert at.query_params["clamps"] == "~".join(f"f_7_{u + 1}_1" for u in SUBJECT)
    a, b = (as_float(hover(drawings(at)["compare_view"]["svg"], k)) for k in ("A", "B"))
    np.testing.assert_array_equal(a[:6], b[:6])  # nothing before "Dan" changes
    assert np.abs(b[6:, list(SUBJECT)] - a[6:, list(SUBJECT)]).max() > 0.1
    at.button(key="clamp.compare.clear").click().run()
    assert "clamps" not in at.query_params


def test_presenter_mode_tucks_the_controls_away():
    at = open_app(PAGE, {"presenter": "true", "compare": "clamp", "clamps": "f_2_1_0"})
    assert not at.exception
    assert [e.label for e in at.expander][:2] == ["Controls", "Clamps"]
    assert json.loads(json.dumps(drawings(at)["compare_view"]["controls"]))["fontPx"] == 22
