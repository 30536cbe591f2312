"""The Stories page, headless (AppTest): each lecture example computed, claim next to the model's numbers.

References come from lstm_core directly (load_examples + run_example, the story models). The word view is
one component (lstm_ui.viewmodels.story_text): its numbers are read from the component's payload, the
html block parsed as HTML (tests/apptest_stories_page.py; AppTest cannot press the component's controls: a
move sets ``session_state["word"]``, as its callback does; tests/browser/test_stories_browser.py presses
them).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from apptest_helpers import heat_drawings, open_app, set_in_view
from apptest_stories_page import bars, metric, metrics, numbers_table, softmax_bars, word, word_view

from lstm_core import load_examples, run_example
from lstm_ui.drawings.colours import SCALES
from lstm_ui.prose import inline_html
from lstm_ui.viewmodels import stories
from lstm_ui.viewmodels.story_numbers import CELL_KEYS
from lstm_ui.viewmodels.story_text import claim_html

PAGE = "views/stories.py"
EXAMPLES = load_examples()


def show(example: str, query: dict[str, str] | None = None):
    """The page at ``example`` (AppTest drops URL parameters on a page switch: the deep link
    ``?example=&word=`` is checked in tests/browser/test_stories_browser.py)."""
    at = open_app(PAGE, query=query)
    at.selectbox(key="story_example").set_value(example).run()
    assert not at.exception
    return at


def test_every_example_opens_without_error():
    at = open_app(PAGE)
    assert not at.exception
    for example_id in EXAMPLES:
        at.selectbox(key="story_example").set_value(example_id).run()
        assert not at.exception, example_id
        shown = [m.value for m in at.markdown]
        if EXAMPLES[example_id].kind == "story":
            shown.append(word_view(at)["dom"].text)
        claim = EXAMPLES[example_id].claim  # as written, or as HTML (a numeric example's C^f: C<sup>f</sup>)
        assert any(claim in text or inline_html(claim) in text for text in shown), example_id


def test_forget_story_opens_at_dan_with_the_forget_gate_shut():
    at = show("forget_bob_dan")
    ref = run_example(EXAMPLES["forget_bob_dan"])
    t = ref.tokens.index("Dan")
    assert word(at) == t + 1 and "word" not in at.query_params  # the decisive word: the default
    subject = list(ref.highlight)
    forget = ref.trace.forget[t, subject].mean()
    assert forget < 0.1
    m = metrics(at)["forget"]
    assert m["value"] == pytest.approx(forget, abs=1e-12) and m["shown"] == f"{forget:.6f}"
    before = ref.trace.forget[t - 1, subject].mean()
    assert before > 0.9  # "." the word before kept Bob
    assert m["delta"].endswith(f"{forget - before:+.6f}".replace("-", "−"))
    focus = heat_drawings(at)["focus"]
    np.testing.assert_allclose(
        focus["panels"]["forget"]["values"], ref.trace.forget[:, subject], atol=5.001e-5
    )
    assert focus["rows"][t].endswith("Dan") and set(focus["row_outlines"]) == {t + 1}
    rows = numbers_table(at)  # "All the numbers at this word"
    row = rows[next(n for n in rows if n.startswith("forget gate"))]
    assert row["at “Dan”"] == pytest.approx(forget, abs=1e-12)
    assert row["one word before"] == pytest.approx(before, abs=1e-12)
    assert row["lowest unit"] == pytest.approx(ref.trace.forget[t, subject].min(), abs=1e-12)
    assert row["highest unit"] == pytest.approx(ref.trace.forget[t, subject].max(), abs=1e-12)
    (details,) = word_view(at)["dom"].find("details", data_keep="numbers")
    assert "open" in details.attrs  # open, as the expander was (closed in presenter mode)
    # The symbols are subscripts (the Unicode "ₜ" is missing from the page's font and drawn cramped)
    dom = word_view(at)["dom"]
    (label,) = [m.children[0] for m in dom.find(data_role="metric") if m.attrs["data-gate"] == "forget"]
    assert m["label"] == "forget gate ft" and [s.text for s in label.find("sub")] == ["t"]
    (table,) = dom.find("table", data_role="numbers")
    heads = [tr.find("th", scope="row")[0] for tr in table.find("tr") if tr.find("th", scope="row")]
    assert all([s.text for s in h.find("sub")] for h in heads[:6]) and "ₜ" not in table.text


def test_moving_the_word_moves_metrics_table_and_outline():
    """A move of the controls (their callback sets the word) redraws every number at the new word; the
    word goes to the URL and is clamped to the sentence."""
    at = show("forget_bob_dan")
    ref = run_example(EXAMPLES["forget_bob_dan"])
    subject = list(ref.highlight)
    T = len(ref.tokens)
    for want, shown in ((3, 3), (1, 1), (99, T)):
        set_in_view(at, word=want)
        at.run()
        assert not at.exception
        t = shown - 1
        assert word(at) == shown and at.query_params["word"] == str(shown)
        got = metrics(at)
        for gate in ("forget", "input", "output"):
            now = getattr(ref.trace, gate)[t, subject].mean()
            assert got[gate]["value"] == pytest.approx(now, abs=1e-12) and got[gate]["shown"] == f"{now:.6f}"
            if t == 0:
                assert got[gate]["delta"] is None and got[gate]["before"] is None
            else:
                assert got[gate]["before"] == pytest.approx(getattr(ref.trace, gate)[t - 1, subject].mean())
        assert set(heat_drawings(at)["focus"]["row_outlines"]) == {shown}
        assert f"(word {shown} of {T})" in word_view(at)["dom"].text
        hidden = numbers_table(at)[next(n for n in numbers_table(at) if n.startswith("hidden state"))]
        assert hidden[f"at “{ref.tokens[t]}”"] == pytest.approx(
            ref.trace.hidden[t, subject].mean(), abs=1e-12
        )
        assert (hidden["one word before"] is None) == (t == 0)


def test_output_story_predicts_bob_and_a_new_name_changes_the_answer():
    at = show("output_brave")
    p = bars(at)
    assert p["Bob"] > 0.5 and max(p, key=p.get) == "Bob" and next(iter(p)) == "Bob"
    ref = run_example(EXAMPLES["output_brave"]).predictions[0]
    assert p["Bob"] == pytest.approx(ref.probability("Bob"), abs=1e-12)
    np.testing.assert_allclose(list(p.values()), ref.probabilities[: len(p)], atol=1e-12)
    (bob,) = word_view(at)["dom"].find(data_role="bar", data_label="Bob")
    assert bob.attrs["data-expected"] == "1"  # the lecture's expected word, in the highlight colour
    assert bob.find("rect")[0].attrs["fill"] == SCALES["cell"].colorscale[-1][1]
    (line,) = word_view(at)["dom"].find(data_role="prediction")
    assert f"P = {ref.probabilities[0]:.3f}" in line.text and "The claim expects Bob" in line.text
    sentence = EXAMPLES["output_brave"].sentence.replace("Bob", "Alice")
    at.text_input(key="story_text").set_value(sentence).run()
    assert not at.exception
    p = bars(at)
    assert max(p, key=p.get) == "Alice" and p["Alice"] > 0.5
    assert p["Alice"] == pytest.approx(
        run_example(EXAMPLES["output_brave"], sentence).predictions[0].probability("Alice"), abs=1e-12
    )
    (alice,) = word_view(at)["dom"].find(data_role="bar", data_expected="1")  # the claim's answer here
    assert alice.attrs["data-label"] == "Alice"
    blank = run_example(EXAMPLES["output_brave"], sentence).tokens.index("___") + 1
    assert word(at) == blank and "word" not in at.query_params  # the decisive word: the default
    set_in_view(at, word=2)
    at.run()
    assert at.query_params["word"] == "2"
    at.text_input(key="story_text").set_value(
        sentence.replace("Alice", "Tom")
    ).run()  # a new sentence: its blank
    assert word(at) == blank and "word" not in at.query_params and max(bars(at), key=bars(at).get) == "Tom"


def test_switching_to_a_trained_model_shows_its_numbers():
    at = show("forget_bob_dan")
    at.radio(key="story_model_choice").set_value("trained_story").run()
    assert not at.exception
    ref = run_example(replace(EXAMPLES["forget_bob_dan"], model="trained_story"))
    t = ref.tokens.index("Dan")
    assert word(at) == t + 1
    units = stories.focus_units(ref, t)
    assert len(units) == stories.FOCUS_UNITS
    assert metric(at, "forget gate") == pytest.approx(ref.trace.forget[t, list(units)].mean(), abs=1e-12)
    # A next-word model answers at a blank only: this sentence asks nothing, so no bars (issue 16: they were
    # read at "." and showed "i" 0.336 as if it were an answer).
    assert ref.predictions == () and bars(at) == {}
    (line,) = word_view(at)["dom"].find(data_role="prediction")
    assert line.text == "This model gives no answer in this sentence."
    set_in_view(at, word=3)
    at.run()
    at.radio(key="story_model_choice").set_value("trained_story_gru").run()  # another model keeps the word
    assert not at.exception and word(at) == 3
    gru = run_example(replace(EXAMPLES["forget_bob_dan"], model="trained_story_gru"))
    units = list(stories.focus_units(gru, 2))
    got = metrics(at)
    assert set(got) == {"reset", "update"}  # a GRU's gates
    assert got["update"]["value"] == pytest.approx(gru.trace.update[2, units].mean(), abs=1e-12)


def test_a_variant_replaces_the_sentence():
    at = show("forget_bob_dan")
    set_in_view(at, word=2)
    at.run()
    variant = EXAMPLES["forget_bob_dan"].variants[0]
    at.selectbox(key="story_variant").set_value(variant).run()
    assert not at.exception
    assert at.text_input(key="story_text").value == variant
    ref = run_example(EXAMPLES["forget_bob_dan"], variant)
    assert word(at) == ref.tokens.index("Maria") + 1  # opens at the new decisive word
    assert metric(at, "forget gate") < 0.1
    at.selectbox(key="story_example").set_value(
        "output_brave"
    ).run()  # another example: its own sentence again
    assert not at.exception
    assert at.text_input(key="story_text").value == EXAMPLES["output_brave"].sentence
    assert at.selectbox(key="story_variant").value is None
    assert word(at) == run_example(EXAMPLES["output_brave"]).tokens.index("___") + 1


def test_softmax_and_cell_update_examples_compute_their_numbers():
    p = softmax_bars(show("softmax_dog_wolf"))
    assert p == pytest.approx({"dog": 0.8, "wolf": 0.15, "fish": 0.05}, abs=1e-9)
    at = show("forget_product")
    assert any("[1, 0, 4]" in e.value for e in at.latex)


def test_the_numeric_examples_check_the_lectures_claim_on_the_numbers_shown():
    """The cell-update and softmax examples check their claims live, like the stories: on the lecture's
    numbers they hold; numbers a student types can make a part not apply or fail (the page runs
    ``claim_html(example, numbers_result(...))`` on the edited table; AppTest cannot edit a data editor)."""
    lecture_parts = {  # a part each, with the deciding number, its symbols as sub- and superscripts
        "forget_product": "C<sup>f</sup> at “entry 2” = 0 = 0 ✓",
        "softmax_dog_wolf": "P of “dog” at “the output” = 0.8 = 0.8 ± 0.0005 ✓",
    }
    for example_id, part in lecture_parts.items():
        at = show(example_id)
        (shown,) = [m.value for m in at.markdown if 'data-role="claim-check"' in m.value]
        assert 'data-status="holds"' in shown and shown.count('data-role="part"') == 4, example_id
        assert part in shown, example_id
    at = show("forget_product")
    assert list(at.dataframe[0].value.columns) == ["Cₜ₋₁", "fₜ", "iₜ", "C̃ₜ"]
    assert "C_{t-1} * f_t = [1, 2, 4] * [1, 0, 1] = [1, 0, 4]\n" in at.latex[0].value  # one line
    projector = show("forget_product", {"presenter": "true"})  # large type: the numbers on a second line
    assert r"\\ &= [1, 2, 4] * [1, 0, 1] = [1, 0, 4] \end{aligned}" in projector.latex[0].value
    example, lecture = EXAMPLES["forget_product"], dict(EXAMPLES["forget_product"].numbers)
    typed = {**lecture, "forget": (1.5, 0.5, 1.0)}  # no f = 0, and one f outside [0, 1]
    items = tuple((k, tuple(typed[k])) for k in CELL_KEYS)  # the table's columns, as the page reads them
    checked = claim_html(example, stories.numbers_result("forget_product", items))
    assert 'data-status="does not hold here"' in checked
    assert "no entry has f = 0" in checked and "= 1.5, not in [0, 1] (1 of 3 fail) ✗" in checked


def test_a_missing_model_file_gives_a_note(monkeypatch):
    real = stories.model_status()
    fake = {**real, "reviews_lstm": (False, real["reviews_lstm"][1], "reviews_lstm.npz is missing")}
    monkeypatch.setattr(stories, "model_status", lambda: fake)
    at = show("reviews_rating")
    assert not at.exception and not at.error
    assert any("not available yet" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("text", "level", "phrase"),
    [("", "error", "empty"), ("— ; : ,", "error", "only punctuation")],
)
def test_bad_input_gets_a_message(text, level, phrase):
    at = show("forget_bob_dan")
    at.text_input(key="story_text").set_value(text).run()
    assert not at.exception
    assert phrase in " ".join(m.value for m in getattr(at, level))


def test_notation_switch_renames_the_gates():
    at = open_app(PAGE, query={"notation": "ltm"})
    at.selectbox(key="story_example").set_value("forget_bob_dan").run()
    assert not at.exception
    labels = [m["label"] for m in metrics(at).values()]
    assert any(label.startswith("forget factor") for label in labels)
    assert any(label.startswith("use gate") for label in labels)


def test_presenter_mode_closes_the_numbers():
    at = show("forget_bob_dan", query={"presenter": "true"})
    view = word_view(at)
    assert view["html"] == "" and 'data-role="claim-check"' in view["below"]  # the heatmap first
    (details,) = view["dom"].find("details", data_keep="numbers")
    assert "open" not in details.attrs
    assert numbers_table(at)  # still there, one click away


def test_the_word_view_escapes_what_the_user_typed():
    at = show("output_brave")
    sentence = EXAMPLES["output_brave"].sentence.replace("Bob", "<b>Bo&b</b>")
    at.text_input(key="story_text").set_value(sentence).run()
    ref = run_example(EXAMPLES["output_brave"], sentence)
    assert ref.tokens[:2] == ("<", "b")
    set_in_view(at, word=1)
    at.run()
    assert not at.exception
    view = word_view(at)
    assert "<b>" not in view["html"] and "“&lt;”" in view["html"]  # typed text is never markup
    (at_word,) = view["dom"].find(data_role="at")
    assert at_word.text.startswith("At “<” (word 1 of")
    assert "at “<”" in numbers_table(at)[next(iter(numbers_table(at)))]
    assert list(bars(at)) == list(ref.predictions[0].labels[:10])


def test_the_designed_model_shows_its_weight_table():
    from lstm_core.story import weights_table_markdown

    at = show("forget_bob_dan")
    (expander,) = [e for e in at.expander if "every weight" in e.label]
    text = " ".join(m.value for m in expander.markdown)
    assert weights_table_markdown() in text  # the table generated from weights.json, on the page
    assert "The readout" in text and "H = 31 units" in text  # every section, and the page's own intro
    for developer_text in ("](", ".md", ".json", "assets/", "lstm_core", "LSTMParams", "a test checks"):
        assert developer_text not in text, developer_text  # no file names, no dead links, no code names
    assert not [
        line for line in text.splitlines() if line.startswith(("# ", "## ", "### "))
    ]  # below the page title
    at.radio(key="story_model_choice").set_value("trained_story").run()
    assert not [e for e in at.expander if "every weight" in e.label]
