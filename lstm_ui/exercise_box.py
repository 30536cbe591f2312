"""One exercise on screen: the question, a way to answer it, and the reveal (the right answer, the live
numbers, the figure with the asked value highlighted, and why). The Exercises page shows one at a time;
``exercise_box(page)`` puts one at the end of a main page, asking that page's set.

Presenter mode steps a question through three stages, one click each: the question alone, then the
ways to answer, then the reveal. Elsewhere the answers show at once and the reveal follows an answer.
"""

from __future__ import annotations

import streamlit as st

from lstm_core.exercises import LETTERS, Question
from lstm_ui.components.live_chart import show_chart
from lstm_ui.components.live_svg import show_svg
from lstm_ui.layout import chart_font_size, is_presenter
from lstm_ui.notation import Notation, current_notation
from lstm_ui.prose import section
from lstm_ui.state import exercise_state as state
from lstm_ui.viewmodels.exercise import (
    KIND_HINTS,
    answer_of,
    notation_for,
    plain,
    question_at,
    reveal_table,
    rich,
    set_for_page,
    widget_label,
)
from lstm_ui.viewmodels.exercise_figures import before_svg, reveal_chart, reveal_svg


def _raw_answer(question: Question, key: str) -> str:
    """What the answer widgets hold, as the text ``lstm_core.exercises.check`` reads."""
    got = st.session_state.get
    if question.kind == "number":
        return str(got(f"{key}.number") or "")
    if question.kind == "choice":
        picked = got(f"{key}.choice")
        return "" if picked is None else LETTERS[picked]
    if question.kind == "order":
        return "".join(LETTERS[k] for k in got(f"{key}.order") or ())
    reason = got(f"{key}.reason")
    return f"{got(f'{key}.yes') or ''} {'' if reason is None else LETTERS[reason]}".strip()


def _check(question: Question, key: str) -> None:
    """(The Check button's callback.) Score what the widgets hold."""
    answer_of(question, _raw_answer(question, key))


def _answer_form(question: Question, key: str, notation: Notation) -> None:
    labels = [f"{LETTERS[k]}: {widget_label(c, notation)}" for k, c in enumerate(question.choices)]
    plain_labels = [f"{LETTERS[k]}: {plain(c, notation)}" for k, c in enumerate(question.choices)]
    options = list(range(len(labels)))
    with st.form(f"{key}.form", border=False, enter_to_submit=True):
        if question.kind == "number":
            st.text_input("Your answer", key=f"{key}.number", placeholder="for example 0.25")
        elif question.kind == "choice":
            st.radio("Your answer", options, index=None, format_func=labels.__getitem__, key=f"{key}.choice")
        elif question.kind == "order":
            st.multiselect(
                "Your order, first to last",
                options,
                format_func=plain_labels.__getitem__,
                key=f"{key}.order",
                placeholder="Pick them one by one, the first one first",
            )
        else:
            st.radio("Your answer", ["yes", "no"], index=None, horizontal=True, key=f"{key}.yes")
            st.radio("Why?", options, index=None, format_func=labels.__getitem__, key=f"{key}.reason")
        st.caption(KIND_HINTS[question.kind])
        st.form_submit_button("Check my answer", type="primary", on_click=_check, args=(question, key))


def _reveal(question: Question, where: str, notation: Notation) -> None:
    verdict = state.verdict_of(question)
    if verdict is None:
        st.info(f"The answer: {widget_label(question.answer_text(), notation)}.")
    elif verdict[0] == "right":
        st.success(widget_label(verdict[1], notation), icon=":material/check_circle:")
    else:
        st.warning(widget_label(verdict[1], notation), icon=":material/cancel:")
    large, font = is_presenter(), chart_font_size()
    st.markdown(reveal_table(question, notation), unsafe_allow_html=True)
    svg = reveal_svg(question, notation, font, large)
    if svg:
        show_svg(svg, key=f"ex_figure_{where}", name="exercise", wide=question.focus.drawing != "ledger")
    else:
        chart = reveal_chart(question, font)
        if chart is not None:
            show_chart(chart, key=f"ex_chart_{where}", name="exercise-memory-span")
    st.markdown(f"**Why.** {rich(question.explanation, notation)}", unsafe_allow_html=True)


def question_panel(question: Question, where: str, show_before: bool = True) -> None:
    """``question`` with its answers and, once answered (or asked for), its reveal. ``where`` names the
    panel's widgets (one panel per page); ``show_before``: draw the figure the question may be answered
    from."""
    notation = notation_for(question, current_notation())
    key = f"ex.{where}.{question.key}"
    stage = state.shown(question, state.ASKED if is_presenter() else state.ANSWERS)
    st.markdown(rich(question.text, notation), unsafe_allow_html=True)
    if stage == state.REVEALED:
        _reveal(question, where, notation)
        return
    if stage == state.ASKED:
        st.button(
            "Show the answers", key=f"{key}.answers", on_click=state.shown_as, args=(question, state.ANSWERS)
        )
    else:
        _answer_form(question, key, notation)
        verdict = state.verdict_of(question)
        if verdict is not None and verdict[0] == "unreadable":
            st.error(verdict[1], icon=":material/edit:")
        st.button(
            "Reveal the answer", key=f"{key}.show", on_click=state.shown_as, args=(question, state.REVEALED)
        )
    before = before_svg(question, notation, chart_font_size()) if show_before else ""
    if before:
        show_svg(before, key=f"ex_figure_{where}", name="exercise", title="The asked word and unit, outlined")


def score_line() -> str:
    right, tried = state.score()
    return f"Your score this session: {right} of {tried} right." if tried else "No answers yet this session."


def _box_moved(set_id: str, index: int, draw: int) -> None:
    state.move_box(set_id, index, draw)


def exercise_box(page_file: str) -> None:
    """The exercise box at the end of a main page: a question of the page's set (none: nothing)."""
    exercise_set = set_for_page(page_file)
    if exercise_set is None or is_presenter():  # a projector shows the page's figure; the Exercises
        return  # page steps its questions there
    if not state.box_opened(exercise_set.id):  # one button until asked for: every run of the page
        st.button(  # would otherwise redraw the question's widgets and maths (~60 ms in the browser)
            "Predict, then reveal: answer a question about this page",
            key=f"ex_box_{exercise_set.id}.open",
            on_click=state.open_box,
            args=(exercise_set.id,),
            icon=":material/quiz:",
        )
        return
    with st.container(border=True):
        st.subheader("Predict, then reveal")
        index, draw = state.box_place(exercise_set.id)
        index %= len(exercise_set.questions)
        question = question_at(exercise_set.id, index, draw)
        st.caption(section("exercises", "box"))
        question_panel(question, f"box_{exercise_set.id}", show_before=False)
        row = st.container(horizontal=True)
        row.button(
            "New numbers",
            key=f"ex_box_{exercise_set.id}.again",
            on_click=_box_moved,
            args=(exercise_set.id, index, draw + 1),
            icon=":material/casino:",
        )
        if len(exercise_set.questions) > 1:
            following = (index + 1) % len(exercise_set.questions)
            row.button(
                f"On to question {following + 1} of {len(exercise_set.questions)}",
                key=f"ex_box_{exercise_set.id}.move",
                on_click=_box_moved,
                args=(exercise_set.id, following, draw),
            )
        st.caption(score_line())
        st.page_link(
            "views/exercises.py",
            label="All the exercises",
            icon=":material/quiz:",
            query_params={"set": exercise_set.id},
        )
