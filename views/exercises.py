"""Exercises: predict, then reveal. A set of questions drawn from live runs, one at a time; the link
holds the set, the question, the draw of numbers and, for a class, a fixed seed."""

import streamlit as st

from lstm_ui.exercise_box import question_panel, score_line
from lstm_ui.layout import controls_area, controls_row, intro, is_presenter
from lstm_ui.prose import section
from lstm_ui.state import view
from lstm_ui.state.exercise_state import session_seed
from lstm_ui.state.widgets import show
from lstm_ui.viewmodels.exercise import exercise_sets, question_at

SET_PICKER, QUESTION_PICKER = "ex_set_picker", "ex_question_picker"


def pick_set() -> None:
    view.set_view(set=st.session_state[SET_PICKER], q=1, draw=0)


def pick_question() -> None:
    view.set_view(q=int(st.session_state[QUESTION_PICKER]))


sets = exercise_sets()
set_id = str(view.get("set"))
exercise_set = sets[set_id]
n = len(exercise_set.questions)
q = min(max(int(view.get("q")), 1), n)
if q != view.get("q"):
    view.set_view(q=q)
draw = int(view.get("draw"))

st.title("Exercises: predict, then reveal")
intro(section("exercises", "intro"))
with controls_area("Set and question"):
    row = controls_row()
    row.selectbox(
        "Exercise set",
        list(sets),
        format_func=lambda k: sets[k].title,
        key=show(SET_PICKER, set_id),
        on_change=pick_set,
    )
    row.selectbox(
        "Question",
        list(range(1, n + 1)),
        key=show(QUESTION_PICKER, q),
        on_change=pick_question,
        format_func=lambda k: f"{k} of {n}: {exercise_set.questions[k - 1].topic}",
    )
    if exercise_set.blurb:
        st.caption(exercise_set.blurb)

question = question_at(set_id, q - 1, draw)
topic = exercise_set.questions[q - 1].topic
st.subheader(f"Question {q} of {n}" + (f" · {topic}" if topic else ""))
question_panel(question, "page")

row = st.container(horizontal=True)
row.button(
    "New numbers", key="ex_again", icon=":material/casino:", on_click=view.set_view, kwargs={"draw": draw + 1}
)
if q < n:
    row.button(
        f"On to question {q + 1}",
        key="ex_move",
        icon=":material/arrow_forward:",
        on_click=view.set_view,
        kwargs={"q": q + 1},
    )
else:
    row.button(
        "Back to question 1", key="ex_move", icon=":material/replay:", on_click=view.set_view, kwargs={"q": 1}
    )
st.caption(score_line())

if not is_presenter():
    fixed = view.get("class_seed") is not None
    st.caption(section("exercises", "class_fixed" if fixed else "class"))
    if fixed:
        st.button(
            "Use my own numbers again", key="ex_own", on_click=view.set_view, kwargs={"class_seed": None}
        )
    else:
        st.button(
            "Fix these numbers for the whole class",
            key="ex_fix",
            on_click=view.set_view,
            kwargs={"class_seed": session_seed()},
        )
