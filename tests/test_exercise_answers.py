"""Reading and scoring answers (lstm_core/exercises/answers.py): right and wrong answers of every kind
are scored as such, and odd input gets a clear message, never an exception."""

from __future__ import annotations

import json

import pytest

from lstm_core.exercises import LETTERS, AnswerError, check, fmt, generate, load_sets, parse_number
from lstm_core.exercises.question import Focus, Question
from lstm_core.exercises.sets import parse_set, template_words

LECTURE = load_sets()["lecture"]


def question(kind: str, answer: object, choices: tuple[str, ...] = (), tolerance: float = 0.01) -> Question:
    return Question(
        "t", 0, 0, "x", kind, "?", answer, tolerance, "why", Focus("heatmap"), (("a", "1"),), choices
    )


@pytest.mark.parametrize(
    ("raw", "value"),
    [("0.5", 0.5), ("0,5", 0.5), (" -1.25 ", -1.25), ("−0.302", -0.302), (".5", 0.5), ("+2", 2.0),
     ("50%", 0.5), ("1/4", 0.25), ("2e-3", 0.002), ("1 000.5", 1000.5)],
)  # fmt: skip
def test_numbers_are_read_as_people_type_them(raw, value):
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize(
    ("raw", "says"),
    [("", "Type a number first"), ("   ", "Type a number first"), ("abc", "is not a number"),
     ("1e999", "far too large"), ("-1e999", "far too large"), ("inf", "far too large"),
     ("nan", "is not a number"), ("1,000,5", "not a decimal comma"), ("1/0", "divides by zero"),
     ("0.5.5", "is not a number"), ("½", "is not a number"), ("1e20", "far too large")],
)  # fmt: skip
def test_odd_numbers_get_a_clear_message(raw, says):
    with pytest.raises(AnswerError, match=says):
        parse_number(raw)
    verdict = check(question("number", 0.5), raw)
    assert verdict.status == "unreadable" and says in verdict.message


def test_a_number_is_right_within_the_tolerance_and_wrong_outside_it():
    q = question("number", -0.3021, tolerance=0.01)
    assert check(q, fmt(-0.3021)).right  # the answer as the reveal writes it (a real minus sign)
    assert check(q, "-0,31").right and check(q, "-0.2922").right
    wrong = check(q, "0.302")
    assert wrong.status == "wrong" and "−0.302" in wrong.message and "0.302" in wrong.message


def test_choices_order_and_yes_no_are_scored():
    choice = question("choice", 1, ("f", "i", "o"))
    assert check(choice, "B").right and check(choice, "b").right and check(choice, "2").right
    assert check(choice, "A").status == "wrong"
    assert check(choice, "").message == "Pick a choice first."
    assert "pick one of A, B, C" in check(choice, "Z").message
    order = question("order", (2, 0, 1), ("f", "i", "o"))
    assert check(order, "C, A, B").right and check(order, "cab").right and check(order, "C > A > B").right
    assert check(order, "ABC").status == "wrong"
    assert "B is still missing" in check(order, "CA").message
    assert "once" in check(order, "CAA").message
    assert "X is not one of the items" in check(order, "CAX").message
    assert "Put all 3 in order first" in check(order, "").message
    yes_no = question("yes_no", (False, 0), ("replaced", "kept", "output"))
    assert check(yes_no, "no A").right and check(yes_no, "No, a").right
    assert "but not for that reason" in check(yes_no, "no B").message
    assert check(yes_no, "yes A").status == "wrong"
    assert check(yes_no, "").message == "Say yes or no first."
    assert check(yes_no, "maybe A").message == "Say yes or no first."
    assert "Pick the reason too" in check(yes_no, "no").message


@pytest.mark.parametrize("k", range(len(LECTURE.questions)))
def test_the_right_answer_of_every_lecture_question_scores_right_and_a_wrong_one_wrong(k):
    for seed in range(5):
        q = generate(LECTURE, k, seed)
        if q.kind == "number":
            right, wrong = fmt(q.answer), fmt(q.answer + 3 * q.tolerance + 0.1)
        elif q.kind == "choice":
            right, wrong = LETTERS[q.answer], LETTERS[(q.answer + 1) % len(q.choices)]
        elif q.kind == "order":
            right = "".join(LETTERS[i] for i in q.answer)
            wrong = right[::-1]
        else:
            yes, reason = q.answer
            right = f"{'yes' if yes else 'no'} {LETTERS[reason]}"
            wrong = f"{'no' if yes else 'yes'} {LETTERS[reason]}"
        assert check(q, right).right, (q.text, right)
        assert check(q, wrong).status == "wrong", (q.text, wrong)


def test_a_bad_set_file_is_named_with_what_is_wrong():
    words = template_words()
    good = json.loads(json.dumps({"id": "x", "title": "X", "questions": [
        {"template": "forget_product", "tolerance": 0.01, "explanation": "why", "params": {}}]}))  # fmt: skip
    assert parse_set(good, "x.json", words).questions[0].template == "forget_product"
    for change, says in (
        ({"template": "nope"}, "unknown template 'nope'"),
        ({"explanation": " "}, "needs an explanation"),
        ({"tolerance": 5}, "tolerance must be from 0 to 1"),
    ):
        bad = {**good, "questions": [{**good["questions"][0], **change}]}
        with pytest.raises(ValueError, match=f"x.json: question 1: .*{says}"):
            parse_set(bad, "x.json", words)
    with pytest.raises(ValueError, match="missing 'questions'"):
        parse_set({"id": "x", "title": "X"}, "x.json", words)
