"""Every lecture story example says what the lecture claims, on its sentence and on variants of our own.

The expected answers and the fact words are written here by hand; name codes are recomputed here from
SHA-256 (independently of ``lstm_core.story.codes``).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from lstm_core.examples import ExampleResult, load_examples, run_example

EXAMPLES = load_examples()


def _code(name: str) -> np.ndarray:
    byte = hashlib.sha256(name.casefold().encode()).digest()[0]
    return np.array([1.0 if byte >> k & 1 else -1.0 for k in range(8)])


def _run(example_id: str, sentence: str) -> ExampleResult:
    return run_example(EXAMPLES[example_id], sentence)


def _units(res: ExampleResult, group: str) -> list[int]:
    """ "fact" → fact 1 … fact 4 (not "fact count")."""
    return [k for k, n in enumerate(res.unit_names) if n == group or n.removeprefix(group + " ").isdigit()]


FORGET_CASES = [
    ("Bob is a nice person. Dan on the other hand is evil.", "Bob", "Dan"),  # the lecture's sentence
    ("Alice is a nice person. Maria on the other hand is evil.", "Alice", "Maria"),
    ("Zork is kind. Quibble on the other hand is rude.", "Zork", "Quibble"),
    ("Tom knows swimming. He is a nice person. Sam on the other hand is evil.", "Tom", "Sam"),
    ("Bob is nice. " + "He is very nice. " * 60 + "Dan on the other hand is evil.", "Bob", "Dan"),
    ("Leo grew up in France, saw the clouds in the sky and served the navy. Eva is evil.", "Leo", "Eva"),
]


@pytest.mark.parametrize(("sentence", "first", "second"), FORGET_CASES)
def test_forget_new_subject_replaces_old(sentence: str, first: str, second: str) -> None:
    res = _run("forget_bob_dan", sentence)
    subject = _units(res, "subject")
    cell, forget = res.trace.cell[:, subject], res.trace.forget[:, subject]
    t1, t2 = res.tokens.index(first), res.tokens.index(second)
    for t in range(t1, t2):  # holds the first name from its step until the second name
        np.testing.assert_array_equal(np.sign(cell[t]), _code(first))
        assert np.abs(cell[t]).min() > 0.9
    assert forget[t2].max() < 0.1  # the forget gate drops the old subject at the new name
    for t in range(t2, len(res.tokens)):
        np.testing.assert_array_equal(np.sign(cell[t]), _code(second))
        assert np.abs(cell[t]).min() > 0.9
    others = [t for t in range(len(res.tokens)) if t not in (t1, t2)]
    assert forget[others].min() > 0.99  # nothing else resets them
    if first == "Bob" and second == "Dan" and len(res.tokens) == 14:
        assert res.open_step == t2  # the lecture sentence opens at "Dan"


INPUT_CASES = [
    ("Bob knows swimming. He told me over the phone that he had served the navy for 4 long years.",
     {"swimming", "navy"}),
    ("Alice knows chess. She told me over the phone that she had served the army for 6 long years.",
     {"chess", "army"}),
    ("Tom plays piano. He called me on the phone to say he studied physics at college.",
     {"piano", "physics", "college"}),
    ("Zork knows karate. He told me over the phone, the radio and the letters that he loved cooking.",
     {"karate", "cooking"}),
    ("Maria knows painting. " + "It was a long day on the phone. " * 40 + "She mentioned tennis.",
     {"painting", "tennis"}),
    ("Bob told me over the phone that he had served the navy.", {"navy"}),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "facts"), INPUT_CASES)
def test_input_gate_stores_facts_not_the_phone(sentence: str, facts: set[str]) -> None:
    res = _run("input_swimming_navy", sentence)
    fact_units = _units(res, "fact")
    gate = res.trace.input[:, fact_units]  # (T, 4)
    assert "phone" in res.tokens
    for t, tok in enumerate(res.tokens):
        if tok in facts:
            assert gate[t].min() > 0.8, tok
        else:
            assert gate[t].max() < 0.2, tok  # the phone, pronouns, filler words, punctuation
    count = _units(res, "fact count")
    n = sum(tok in facts for tok in res.tokens)
    np.testing.assert_allclose(res.trace.cell[-1, count], 0.5 * n, rtol=0.01)  # σ(12)^T decay


BRAVE = "single handedly fought the enemy and died for {0} country. For {0} contributions, brave ___."
OUTPUT_CASES = [
    ("Bob " + BRAVE.format("his"), "Bob"),  # the lecture's sentence
    ("Alice " + BRAVE.format("her"), "Alice"),
    ("Zork " + BRAVE.format("his"), "Zork"),
    ("Bob is a nice person. Dan on the other hand single handedly fought the enemy. For his contributions, "
     "brave ___.", "Dan"),
    ("Maria knows swimming. She told me over the phone that she had served the navy for 4 long years and "
     "died for her country. For her contributions, brave ___.", "Maria"),
    ("Tom fought the enemy. " + "It was a long war. " * 100 + "For his contributions, brave ___.", "Tom"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "subject"), OUTPUT_CASES)
def test_output_gate_shows_the_subject_at_the_blank(sentence: str, subject: str) -> None:
    res = _run("output_brave", sentence)
    blank = res.tokens.index("___")
    subject_units = _units(res, "subject")
    gate = res.trace.output[:, subject_units]
    assert gate[blank].min() > 0.9
    assert np.delete(gate, blank, axis=0).max() < 0.01  # shut everywhere else
    np.testing.assert_array_equal(np.sign(res.trace.hidden[blank, subject_units]), _code(subject))
    (pred,) = res.predictions
    assert pred.step == blank and pred.best == subject and pred.probability(subject) > 0.5 and pred.clear
    names = [w for w in ("Bob", "Dan", "Alice", "Maria", "Tom", "Zork") if w in res.tokens]
    assert set(pred.labels) == {*names, "(nothing)"}  # the names in the text, and the baseline
    np.testing.assert_allclose(pred.probabilities.sum(), 1.0)


@pytest.mark.parametrize("name", ["Dan", "Alice", "Kwame", "Zork", "Xiadani"])
def test_changing_the_name_changes_the_answer(name: str) -> None:
    """Any name, also one no list has ever held: the answer is that name, recomputed here from its
    SHA-256 code against (nothing), the only other candidate: P = e^z / (e^z + e^0)."""
    lecture = EXAMPLES["output_brave"].sentence
    assert run_example(EXAMPLES["output_brave"]).predictions[0].best == "Bob"
    res = _run("output_brave", lecture.replace("Bob", name))
    (pred,) = res.predictions
    assert pred.labels == (name, "(nothing)") and pred.answer == name
    z = _code(name) @ res.trace.hidden[pred.step, _units(res, "subject")]
    np.testing.assert_allclose(pred.probability(name), np.exp(z) / (np.exp(z) + 1.0), rtol=1e-12)


CLOUD_CASES = [
    ("The clouds are in the ___", "sky"),
    ("The stars are in the ___", "sky"),
    ("The fish are in the ___", "sea"),
    ("The books are on the shelves of the ___", "library"),
    ("The cows are standing very quietly in the ___", "field"),
    ("The fish swam. The clouds are in the ___", "sky"),  # a new sentence, a new thing
]


@pytest.mark.parametrize(("sentence", "answer"), CLOUD_CASES)
def test_clouds_are_in_the_sky(sentence: str, answer: str) -> None:
    (pred,) = _run("clouds_sky", sentence).predictions
    assert pred.best == answer and pred.probability(answer) > 0.5


FILLER = "We lived near the old river. My father worked at the mill. "
FRANCE_CASES = [
    ("I grew up in France. Blah blah blah. I speak ___", "French"),
    ("I grew up in Spain. " + FILLER + "I speak ___", "Spanish"),
    ("I grew up in Japan. " + "Blah " * 2000 + ". I speak ___", "Japanese"),
    ("I grew up in Brazil. " + FILLER * 20 + "I speak fluent ___", "Portuguese"),
    ("I grew up in Germany, then we moved. The clouds were grey. She speaks ___", "German"),
    ("I was born in Italy. I lived in Poland for years. Later we went home. I speak ___", "Polish"),
    ("I grew up in Egypt. Bob is nice. Dan is evil. I speak ___", "Arabic"),
]


@pytest.mark.parametrize(("sentence", "answer"), FRANCE_CASES)
def test_far_clue_france_french(sentence: str, answer: str) -> None:
    res = _run("france_french", sentence)
    (pred,) = res.predictions
    assert pred.best == answer and pred.probability(answer) > 0.5
    assert res.open_step == res.tokens.index("___")


def test_lecture_expectations_hold() -> None:
    for example in EXAMPLES.values():
        if example.kind == "story" and example.expected and example.model == "designed_story":
            (pred,) = run_example(example).predictions
            assert pred.best == example.expected, example.id


def test_designed_examples_variants_all_run() -> None:
    for example in EXAMPLES.values():
        if example.model == "designed_story":
            assert len(example.variants) >= 5, example.id
            for sentence in example.variants:
                assert run_example(example, sentence).trace.steps > 0
