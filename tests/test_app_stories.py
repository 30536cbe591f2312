"""The Stories page, headless (AppTest): each lecture example computed, claim next to the model's numbers.

References come from lstm_core directly (load_examples + run_example, the story models).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from apptest_helpers import decode, figures, heat_drawings, open_app

from lstm_core import load_examples, run_example
from lstm_ui import stories

PAGE = "views/stories.py"
EXAMPLES = load_examples()


def metric(at, label_start: str) -> float:
    return float(next(m.value for m in at.metric if m.label.startswith(label_start)))


def bars(at) -> dict[str, float]:
    fig = next(f for f in figures(at) if f["data"] and f["data"][0].get("type") == "bar")
    trace = fig["data"][0]
    return dict(zip(trace["y"], decode(trace["x"]).astype(float), strict=True))


def show(example: str):
    """The page at ``example`` (AppTest drops URL parameters on a page switch: the deep link
    ``?example=`` is checked in tests/browser/test_stories_browser.py)."""
    at = open_app(PAGE)
    at.selectbox(key="example").set_value(example).run()
    assert not at.exception
    return at


def test_every_example_opens_without_error():
    at = open_app(PAGE)
    assert not at.exception
    for example_id in EXAMPLES:
        at.selectbox(key="example").set_value(example_id).run()
        assert not at.exception, example_id
        assert any(EXAMPLES[example_id].claim in m.value for m in at.markdown), example_id


def test_forget_story_opens_at_dan_with_the_forget_gate_shut():
    at = show("forget_bob_dan")
    ref = run_example(EXAMPLES["forget_bob_dan"])
    t = ref.tokens.index("Dan")
    assert at.slider(key="word").value == t + 1
    subject = list(ref.highlight)
    forget = ref.trace.forget[t, subject].mean()
    assert forget < 0.1
    assert metric(at, "forget gate") == pytest.approx(forget, abs=1e-6)
    assert ref.trace.forget[t - 1, subject].mean() > 0.9  # "is" the word before kept Bob
    focus = heat_drawings(at)["focus"]
    np.testing.assert_allclose(
        focus["panels"]["forget"]["values"], ref.trace.forget[:, subject], atol=5.001e-5
    )
    assert focus["rows"][t].endswith("Dan") and set(focus["row_outlines"]) == {t + 1}
    (table,) = at.table  # "All the numbers at this word"
    row = table.value.set_index("").loc[next(n for n in table.value[""] if n.startswith("forget gate"))]
    assert row["at “Dan”"] == pytest.approx(forget, abs=1e-12)
    assert row["one word before"] == pytest.approx(ref.trace.forget[t - 1, subject].mean(), abs=1e-12)
    assert row["lowest unit"] == pytest.approx(ref.trace.forget[t, subject].min(), abs=1e-12)
    assert row["highest unit"] == pytest.approx(ref.trace.forget[t, subject].max(), abs=1e-12)


def test_output_story_predicts_bob_and_a_new_name_changes_the_answer():
    at = show("output_brave")
    p = bars(at)
    assert p["Bob"] > 0.5 and max(p, key=p.get) == "Bob"
    ref = run_example(EXAMPLES["output_brave"]).predictions[0]
    assert p["Bob"] == pytest.approx(ref.probability("Bob"), abs=1e-12)
    sentence = EXAMPLES["output_brave"].sentence.replace("Bob", "Alice")
    at.text_input(key="text").set_value(sentence).run()
    assert not at.exception
    p = bars(at)
    assert max(p, key=p.get) == "Alice" and p["Alice"] > 0.5
    assert p["Alice"] == pytest.approx(
        run_example(EXAMPLES["output_brave"], sentence).predictions[0].probability("Alice")
    )


def test_switching_to_a_trained_model_shows_its_numbers():
    at = show("forget_bob_dan")
    at.radio(key="story_model").set_value("trained_story").run()
    assert not at.exception
    ref = run_example(replace(EXAMPLES["forget_bob_dan"], model="trained_story"))
    t = ref.tokens.index("Dan")
    units = stories.focus_units(ref, t)
    assert len(units) == stories.FOCUS_UNITS
    assert metric(at, "forget gate") == pytest.approx(ref.trace.forget[t, list(units)].mean(), abs=1e-6)
    p, pred = bars(at), ref.predictions[0]  # a trained model reads what follows the last word
    assert list(p) == list(pred.labels[:10])
    np.testing.assert_allclose(list(p.values()), pred.probabilities[:10], atol=1e-12)


def test_a_variant_replaces_the_sentence():
    at = show("forget_bob_dan")
    variant = EXAMPLES["forget_bob_dan"].variants[0]
    at.selectbox(key="variant").set_value(variant).run()
    assert not at.exception
    assert at.text_input(key="text").value == variant
    ref = run_example(EXAMPLES["forget_bob_dan"], variant)
    assert at.slider(key="word").value == ref.tokens.index("Maria") + 1  # opens at the new decisive word
    assert metric(at, "forget gate") < 0.1
    at.selectbox(key="example").set_value("output_brave").run()  # another example: its own sentence again
    assert not at.exception
    assert at.text_input(key="text").value == EXAMPLES["output_brave"].sentence
    assert at.selectbox(key="variant").value is None


def test_softmax_and_cell_update_examples_compute_their_numbers():
    p = bars(show("softmax_dog_wolf"))
    assert p == pytest.approx({"dog": 0.8, "wolf": 0.15, "fish": 0.05}, abs=1e-9)
    at = show("forget_product")
    assert any("[1, 0, 4]" in e.value for e in at.latex)


def test_a_missing_model_file_gives_a_note(monkeypatch):
    real = stories.model_status()
    fake = {**real, "reviews_lstm": (False, real["reviews_lstm"][1], "reviews_lstm.npz is missing")}
    monkeypatch.setattr(stories, "model_status", lambda: fake)
    at = show("reviews_rating")
    assert not at.exception and not at.error
    assert any("not available yet" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("text", "level", "phrase"),
    [("", "error", "empty"), ("Bob " * 2000, "warning", "first 60"), ("我喜欢猫 🐈 Bob", "warning", "Emoji")],
)
def test_bad_input_gets_a_message(text, level, phrase):
    at = show("forget_bob_dan")
    at.text_input(key="text").set_value(text).run()
    assert not at.exception
    assert phrase in " ".join(m.value for m in getattr(at, level))


def test_notation_switch_renames_the_gates():
    at = open_app(PAGE, query={"notation": "ltm"})
    at.selectbox(key="example").set_value("forget_bob_dan").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert any(label.startswith("forget factor") for label in labels)
    assert any(label.startswith("use gate") for label in labels)


def test_the_designed_model_shows_its_weight_table():
    from lstm_core.story import weights_table_markdown

    at = show("forget_bob_dan")
    (expander,) = [e for e in at.expander if "every weight" in e.label]
    text = " ".join(m.value for m in expander.markdown)
    assert weights_table_markdown() in text  # the table generated from weights.json, on the page
    assert "](features.md)" not in text and "`assets/story/features.md`" in text  # no dead link
    assert not [
        line for line in text.splitlines() if line.startswith(("# ", "## ", "### "))
    ]  # below the page title
    at.radio(key="story_model").set_value("trained_story").run()
    assert not [e for e in at.expander if "every weight" in e.label]
