"""Stories, off the script (issue 16): whatever sentence and model are shown, the page checks the lecture's
claim on them live and says what holds, with the deciding numbers; marks the words the model does not
know; says when there is no clear winner; runs long texts whole and folds them; opens where the answer is
read; and quotes no number of another model. Each test below failed before these fixes.

The expectations come from the core directly (``run_example``) and from the lectures' words."""

from __future__ import annotations

from dataclasses import replace

import pytest
from apptest_helpers import open_app, svg_payloads
from apptest_stories_page import bars, parse, word, word_view

from lstm_core import load_examples, run_example

PAGE = "views/stories.py"
EXAMPLES = load_examples()
FILLER = " ".join(["we walked to the shop and then we went home"] * 8)  # 80 filler words


def story(example: str, text: str | None = None, model: str | None = None):
    """The page at ``example``, with ``text`` in its sentence box and ``model`` chosen, from a link."""
    query = (
        {"example": example} | ({"text": text} if text else {}) | ({"story_model": model} if model else {})
    )
    at = open_app(PAGE, query=query)
    assert not at.exception and not at.error, [e.value for e in at.exception]
    return at


def check(at) -> tuple[str, list[tuple[str, str]]]:
    """The claim check drawn: its status and each part's (status, deciding numbers)."""
    (block,) = word_view(at)["dom"].find(data_role="claim-check")
    parts = [(li.attrs["data-status"], li.children[-1].text) for li in block.find(data_role="part")]
    return block.attrs["data-status"], parts


def heat_rows(at) -> list[str]:
    (focus,) = [p for p in svg_payloads(at) if p["key"] == "focus"]
    tree = parse(focus["svg"])
    return [el.text for el in tree.find() if "data-row" in el.attrs or "data-gap" in el.attrs]


def readings(at) -> dict[str, str]:
    """The words the page lists as unknown to the model, with what it does with each."""
    (focus,) = [p for p in svg_payloads(at) if p["key"] == "focus"]
    return {
        li.children[0].text: li.text.split(": ", 1)[1]
        for li in parse(focus["below"]).find(data_role="unknown")
    }


def test_the_lectures_sentence_holds_with_its_numbers():
    at = story("forget_bob_dan")
    status, parts = check(at)
    ref = run_example(EXAMPLES["forget_bob_dan"])
    assert status == "holds" == ref.checks.status
    assert [p[1] for p in parts] == [p.detail for p in ref.checks.parts]  # the core's deciding numbers
    assert f"{ref.trace.forget[6, list(ref.highlight)].mean():.6f}" in parts[0][1]  # f at “Dan”


def test_a_sentence_where_the_claim_fails_says_so():
    """A third name mid-sentence ("Dan likes Bob"): the subject units take "Bob" again, so "every other word
    after the first name keeps the subject" does not hold here; the page says so, with the numbers."""
    text = "Bob is a nice person. Dan on the other hand is evil. Dan likes Bob."
    at = story("forget_bob_dan", text)
    status, parts = check(at)
    ref = run_example(EXAMPLES["forget_bob_dan"], text)
    assert status == "does not hold here" == ref.checks.status
    failed = [detail for s, detail in parts if s == "does not hold here"]
    assert failed and failed == [p.detail for p in ref.checks.parts if p.status == "does not hold here"]
    headline = word_view(at)["dom"].find(data_role="claim-check")[0].children[0].text
    assert headline == "The lecture's claim does not hold here"


def test_a_model_whose_gates_do_not_do_what_the_lecture_says_is_told_so():
    """The trained story LSTM keeps its input gate open at almost every word: the input-gate claim does
    not hold for it."""
    at = story("input_swimming_navy", model="trained_story")
    assert check(at)[0] == "does not hold here"


def test_a_claim_about_a_second_name_does_not_apply_to_one_name():
    at = story("forget_bob_dan", "Bob is a nice person. dan on the other hand is evil.")
    status, parts = check(at)
    assert status == "holds"  # every part that applies holds …
    assert any(s == "not applicable here" and "one name" in detail for s, detail in parts)
    headline = word_view(at)["dom"].find(data_role="claim-check")[0].children[0].text
    skipped = sum(s == "not applicable here" for s, _ in parts)
    assert headline == (  # … and says so, with how many parts do not apply
        "The lecture's claim holds where it applies here "
        f"({skipped} of its {len(parts)} parts {'does' if skipped == 1 else 'do'} not apply to this sentence)"
    )


def test_lowercase_names_are_explained():
    at = story("forget_bob_dan", "bob is a nice person. dan on the other hand is evil.")
    status, _ = check(at)
    assert status == "not applicable here"
    said = readings(at)
    assert "bob" in said and "Names need a capital letter" in said["bob"]


def test_a_long_gap_keeps_the_clue_and_folds_the_heatmap():
    """ "I grew up in France." then 80 filler words, then "I speak ___": the blank is kept (the page read
    only the first 60 words) and the answer is French; the heatmap folds the filler into one row."""
    text = f"I grew up in France. {FILLER}. I speak ___"
    at = story("france_french", text)
    ref = run_example(EXAMPLES["france_french"], text)
    assert len(ref.tokens) > 80 and ref.predictions[0].answer == "French"
    assert max(bars(at), key=bars(at).get) == "French"
    assert word(at) == ref.tokens.index("___") + 1  # opens at the blank
    rows = heat_rows(at)
    assert any(r.startswith("… ") and r.endswith(" words …") for r in rows) and len(rows) < 40
    assert check(at)[0] == "holds"


def test_france_two_thousand_words_later():
    text = "I grew up in France. " + " ".join(["blah"] * 2000) + ". I speak ___"
    at = story("france_french", text)
    assert max(bars(at), key=bars(at).get) == "French"
    assert any("2,000 words" in r or "1,99" in r for r in heat_rows(at))


@pytest.mark.parametrize(
    ("example", "text", "unknown"),
    [
        (
            "output_brave",
            "Kwame single handedly fought the enemy. For his contributions, brave ___.",
            "Kwame",
        ),
        ("reviews_rating", "A sublime film.", "sublime"),
        ("events_wolf_dog", "bear dragon tree canine", "dragon"),
    ],
)
def test_unknown_words_are_marked_with_what_the_model_does(example, text, unknown):
    at = story(example, text)
    said = readings(at)
    assert said.get(unknown)  # listed, with its reading
    (focus,) = [p for p in svg_payloads(at) if p["key"] == "focus"]
    chip = [w for w in parse(focus["below"]).find(data_role="word") if w.text == unknown]
    assert chip and chip[0].attrs["data-known"] == "0"


def test_a_new_name_wins_from_the_sentence_not_a_fixed_list():
    """ "Kwame … brave ___" gave Alice and Zork tied at 0.459, from a fixed list of 8 names."""
    at = story("output_brave", "Kwame single handedly fought the enemy. For his contributions, brave ___.")
    p = bars(at)
    assert max(p, key=p.get) == "Kwame" and "Alice" not in p and "Zork" not in p


def test_no_clear_winner_is_said():
    """ "I grew up in Narnia … I speak ___" answered "Narnia" at 0.031, with "sky" among the languages."""
    at = story("france_french", "I grew up in Narnia. Blah blah blah. I speak ___")
    (line,) = word_view(at)["dom"].find(data_role="prediction")
    assert line.attrs["data-clear"] == "0" and "no clear winner" in line.text
    assert "sky" not in bars(at)


def test_lowercase_france_is_read_as_the_country():
    """Lowercase "france" tied every language at 0.031, with "French" first."""
    at = story("france_french", "I grew up in france. Blah blah blah. I speak ___")
    (line,) = word_view(at)["dom"].find(data_role="prediction")
    assert line.attrs["data-clear"] == "1" and max(bars(at), key=bars(at).get) == "French"


def test_reviews_open_where_the_rating_is_read():
    """The reviews example opened at word 1 ("The"); the rating is read at the final "."."""
    at = story("reviews_rating")
    ref = run_example(EXAMPLES["reviews_rating"])
    assert word(at) == len(ref.tokens) and ref.tokens[-1] == "."


def test_a_trained_model_quotes_none_of_the_designed_models_numbers():
    at = story("forget_bob_dan", model="trained_story")
    shown = word_view(at)["html"]
    assert "0.000006" not in shown and "0.999994" not in shown
    ref = run_example(replace(EXAMPLES["forget_bob_dan"], model="trained_story"))
    assert (ref.caption and ref.caption in EXAMPLES["forget_bob_dan"].caption) or ref.caption
    assert bars(at) == {}  # no answer is read at "."
