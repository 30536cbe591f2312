"""The Exercises page and the pages' exercise boxes (AppTest): answering every kind of question, the
score, new numbers, the link's set, question and class seed, hostile links, presenter mode's steps and
the numbers shown being the core's."""

from __future__ import annotations

import pytest

from lstm_core.exercises import LETTERS, fmt, generate, load_sets, question_seed
from lstm_ui.layout import PAGES
from tests.apptest_helpers import open_app, svg_payloads

PAGE = "views/exercises.py"
SETS = load_sets()


def shown_question(at, set_id: str = "lecture", q: int = 1, draw: int = 0, base: int | None = None):
    """The question the page should show, drawn here from the core with the session's (or class) seed."""
    base = at.session_state["_ex_seed"] if base is None else base
    return generate(SETS[set_id], q - 1, question_seed(base, set_id, q - 1, draw))


def answer(at, question, where: str = "page", right: bool = True):
    """Fill in the answer widgets (the right answer, or a wrong one) and press Check."""
    key = f"ex.{where}.{question.key}"
    if question.kind == "number":
        value = question.answer if right else question.answer + 10 * question.tolerance + 0.5
        at.text_input(key=f"{key}.number").input(fmt(value))
    elif question.kind == "choice":
        pick = question.answer if right else (question.answer + 1) % len(question.choices)
        at.radio(key=f"{key}.choice").set_value(pick)
    elif question.kind == "order":
        order = list(question.answer)
        at.multiselect(key=f"{key}.order").set_value(order if right else order[::-1])
    else:
        yes, reason = question.answer
        at.radio(key=f"{key}.yes").set_value("yes" if yes == right else "no")
        at.radio(key=f"{key}.reason").set_value(reason)
    (check,) = [b for b in at.button if b.label == "Check my answer" and key in b.key]
    return check.click().run()


def texts(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_the_page_is_in_the_app_and_asks_the_first_lecture_question_with_the_cores_numbers():
    assert any(p.file == PAGE for p in PAGES)
    at = open_app(PAGE)
    assert not at.exception
    q = shown_question(at)
    assert q.template == "nearest_zero_gate" and q.values["unit"] in texts(at)
    assert f"“{q.values['word']}” (step {q.values['step']})" in texts(at)
    assert not at.success and not at.warning and not at.error
    (before,) = [d for d in svg_payloads(at) if d["key"] == "ex_figure_page"]
    want = f'data-role="cell-outline" data-t="{q.focus.step + 1}" data-j="{q.focus.unit + 1}"'
    assert want in before["svg"] and 'data-panel="forget"' not in before["svg"]  # the gates stay hidden


def test_a_right_answer_scores_and_reveals_the_live_numbers_the_figure_and_why():
    at = open_app(PAGE, {"q": "2"})
    q = shown_question(at, q=2)
    answer(at, q)
    assert not at.exception
    assert [s.value for s in at.success] == [f"Right: {q.answer_text()} (you said {q.answer_text()})."]
    assert q.values["forget_part"] in texts(at) and "**Why.**" in texts(at)
    (figure,) = [d for d in svg_payloads(at) if d["key"] == "ex_figure_page"]
    assert 'data-wire="c_forget"' in figure["svg"]  # the cell diagram, its forget step lit
    assert any("1 of 1 right" in c.value for c in at.caption)


def test_odd_input_gets_a_message_without_scoring():
    at = open_app(PAGE, {"q": "2"})
    q = shown_question(at, q=2)
    key = f"ex.page.{q.key}"
    at.text_input(key=f"{key}.number").input("1e999")
    next(b for b in at.button if b.label == "Check my answer").click().run()
    assert [e.value for e in at.error] == [
        "'1e999' is far too large to be the answer here: check the digits."
    ]
    assert any("No answers yet" in c.value for c in at.caption)
    for raw, says in (
        ("abc", "is not a number"),
        ("", "Type a number first"),
        ("1,2,3", "not a decimal comma"),
    ):
        at.text_input(key=f"{key}.number").input(raw)
        next(b for b in at.button if b.label == "Check my answer").click().run()
        assert says in at.error[0].value and not at.warning and not at.success
    at.text_input(key=f"{key}.number").input(fmt(q.answer).replace(".", ","))  # a comma decimal
    next(b for b in at.button if b.label == "Check my answer").click().run()
    assert at.success and any("1 of 1 right" in c.value for c in at.caption)


def test_a_wrong_answer_is_scored_wrong():
    at = open_app(PAGE, {"q": "2"})
    q = shown_question(at, q=2)
    answer(at, q, right=False)
    assert at.warning and at.warning[0].value.startswith("Not quite") and not at.success
    assert any("0 of 1 right" in c.value for c in at.caption)
    assert "**Why.**" in texts(at)  # a wrong answer reveals too


def test_a_whole_set_answered_right_scores_every_question():
    at = open_app(PAGE, {"set": "lecture"})
    n = len(SETS["lecture"].questions)
    for k in range(1, n + 1):
        q = shown_question(at, "lecture", k)
        answer(at, q)
        assert not at.exception
        assert at.success, (k, q.template, [w.value for w in at.warning], [e.value for e in at.error])
        at.button(key="ex_move").click().run()
    assert any(f"{n} of {n} right" in c.value for c in at.caption)
    assert "q" not in at.query_params  # back to question 1, the default


def test_new_numbers_draw_a_new_question_and_the_link_keeps_the_draw():
    at = open_app(PAGE, {"q": "2"})
    first = shown_question(at, q=2)
    at.button(key="ex_again").click().run()
    second = shown_question(at, q=2, draw=1)
    assert at.query_params["draw"] == "1"
    assert second.text != first.text and second.values["cell_prev"] in texts(at)


def test_a_class_seed_link_shows_everyone_the_same_question_and_sessions_differ_without_it():
    link = {"set": "lecture", "q": "3", "class_seed": "42"}
    a, b = open_app(PAGE, link), open_app(PAGE, link)
    want = shown_question(a, "lecture", 3, base=42)
    assert want.values["wrote"] in texts(a) and want.values["wrote"] in texts(b)
    # Each session's own seed comes from its id (AppTest's is always the same; the browser test opens two
    # real sessions): another seed, other numbers.
    own = open_app(PAGE, {"q": "2"})
    first = shown_question(own, q=2)
    own.session_state["_ex_seed"] = own.session_state["_ex_seed"] + 1
    own.run()
    other = shown_question(own, q=2)
    assert other.text != first.text and other.values["cell_prev"] in texts(own)


def test_fixing_the_numbers_for_the_class_puts_the_seed_in_the_link():
    at = open_app(PAGE, {"q": "2"})
    seed = at.session_state["_ex_seed"]
    before = shown_question(at, q=2)
    at.button(key="ex_fix").click().run()
    assert at.query_params["class_seed"] == str(seed)
    assert before.values["cell_prev"] in texts(at)  # the same numbers: the class sees what I saw
    at.button(key="ex_own").click().run()
    assert "class_seed" not in at.query_params


@pytest.mark.parametrize(
    ("param", "raw", "says"),
    [("set", "nope", "The link's exercise set 'nope' cannot be used: choose one of lecture"),
     ("q", "abc", "The link's question 'abc' cannot be used: it is not a whole number"),
     ("draw", "-1", "The link's draw of numbers '-1' cannot be used: it must be from 0 to"),
     ("class_seed", "1e999", "The link's class seed '1e999' cannot be used: it is not a whole number")],
)  # fmt: skip
def test_a_hostile_link_gets_a_clear_message_and_the_page_still_works(param, raw, says):
    at = open_app(query={param: raw})  # the link's first page says so (here: AppTest's first run)
    assert any(says in w.value for w in at.warning), [w.value for w in at.warning]
    at.switch_page(PAGE).run()
    assert not at.exception and param not in at.query_params
    assert shown_question(at).values["unit"] in texts(at)


def test_a_question_beyond_the_set_opens_its_last_question():
    at = open_app(PAGE, {"set": "gru", "q": "99"})
    assert not at.exception and at.query_params["q"] == "2"


def test_presenter_mode_steps_question_then_answers_then_reveal():
    at = open_app(PAGE, {"presenter": "true", "set": "lecture", "q": "1"})
    q = shown_question(at, "lecture", 1)
    key = f"ex.page.{q.key}"
    assert not [r for r in at.radio if r.key.startswith(key)] and not at.get("form")
    at.button(key=f"{key}.answers").click().run()
    assert at.radio(key=f"{key}.choice").options[q.answer].startswith(LETTERS[q.answer])
    at.button(key=f"{key}.show").click().run()
    (said,) = [i.value for i in at.info]
    assert said.startswith(f"The answer: {LETTERS[q.answer]}: the") and "**Why.**" in texts(at)


BOXED = [p.file for p in PAGES if any(s.page == p.file for s in SETS.values())]


def test_every_main_page_has_an_exercise_box():
    assert set(BOXED) >= {p.file for p in PAGES if p.file not in (PAGE, "views/train.py")}


@pytest.mark.parametrize("page", BOXED)
def test_the_exercise_box_of_a_page_can_be_answered(page):
    at = open_app(page)
    assert not at.exception
    (exercise_set,) = [s for s in SETS.values() if s.page == page]
    assert f"ex_box_{exercise_set.id}.again" not in [b.key for b in at.button]  # no question yet
    opener = at.button(key=f"ex_box_{exercise_set.id}.open")  # one button until asked for
    assert opener.label.startswith("Predict, then reveal")
    opener.click().run()
    assert any(h.value == "Predict, then reveal" for h in at.subheader)
    q = shown_question(at, exercise_set.id)
    answer(at, q, where=f"box_{exercise_set.id}")
    assert not at.exception and at.success
    at.button(key=f"ex_box_{exercise_set.id}.again").click().run()
    assert not at.exception and shown_question(at, exercise_set.id, draw=1).values.get("word", "") in texts(
        at
    )


def test_letters_name_the_choices_in_the_widgets():
    at = open_app(PAGE)
    q = shown_question(at)
    labels = at.radio(key=f"ex.page.{q.key}.choice").options
    assert [label[0] for label in labels] == list(LETTERS[: len(q.choices)])
