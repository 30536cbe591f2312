"""What a session remembers of its exercises: its own seed, its score, the answers checked, and where
each page's exercise box is (which question, which draw of numbers, how far presenter mode has stepped).

The numbers of a question come from a seed: the class's (``?class_seed=``, the same for everyone who
opens the link) or else this session's own, made from Streamlit's session id, so two students get
different numbers and one student keeps hers across reruns. Everything lives in ``st.session_state``.
"""

from __future__ import annotations

import hashlib

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lstm_core.exercises import Question, Verdict, question_seed
from lstm_ui.state import view

SEED = "_ex_seed"  # this session's own seed
SCORE = "_ex_score"  # {"right": r, "tried": n}: each question counts once, at its first answer
VERDICTS = "_ex_verdicts"  # {question key: (status, message)}
SHOWN = "_ex_shown"  # {question key: 0 asked, 1 answers shown, 2 revealed} (presenter mode steps these)
BOXES = "_ex_boxes"  # {set id: (question index, draw)} of the pages' exercise boxes
OPENED = "_ex_opened"  # the sets whose box the student opened: a closed box is one button on the page
ASKED, ANSWERS, REVEALED = 0, 1, 2


def session_seed() -> int:
    """This session's own seed (from its id; stable across its reruns)."""
    if SEED not in st.session_state:
        ctx = get_script_run_ctx()
        session_id = ctx.session_id if ctx is not None else ""
        st.session_state[SEED] = int(hashlib.sha256(session_id.encode()).hexdigest()[:12], 16)
    return int(st.session_state[SEED])


def base_seed() -> int:
    """The class's seed when the link gives one, else this session's."""
    fixed = view.get("class_seed")
    return int(fixed) if fixed is not None else session_seed()


def seed_for(set_id: str, index: int, draw: int) -> int:
    return question_seed(base_seed(), set_id, index, draw)


def score() -> tuple[int, int]:
    """(right, tried) this session."""
    counts = st.session_state.get(SCORE, {})
    return int(counts.get("right", 0)), int(counts.get("tried", 0))


def verdict_of(question: Question) -> tuple[str, str] | None:
    return st.session_state.get(VERDICTS, {}).get(question.key)


def record(question: Question, verdict: Verdict) -> None:
    """Keep the verdict; the first right or wrong answer to a question counts in the score."""
    verdicts = st.session_state.setdefault(VERDICTS, {})
    first = question.key not in verdicts or verdicts[question.key][0] == "unreadable"
    verdicts[question.key] = (verdict.status, verdict.message)
    if verdict.status != "unreadable":
        if first:
            counts = st.session_state.setdefault(SCORE, {"right": 0, "tried": 0})
            counts["tried"] += 1
            counts["right"] += int(verdict.right)
        shown_as(question, REVEALED)


def shown(question: Question, default: int) -> int:
    """How far the question has stepped: asked, answers shown, revealed."""
    return int(st.session_state.get(SHOWN, {}).get(question.key, default))


def shown_as(question: Question, stage: int) -> None:
    st.session_state.setdefault(SHOWN, {})[question.key] = stage


def box_opened(set_id: str) -> bool:
    return set_id in st.session_state.get(OPENED, ())


def open_box(set_id: str) -> None:
    st.session_state[OPENED] = (*st.session_state.get(OPENED, ()), set_id)


def box_place(set_id: str) -> tuple[int, int]:
    """(question index, draw) of the exercise box asking set ``set_id``."""
    index, draw = st.session_state.get(BOXES, {}).get(set_id, (0, 0))
    return int(index), int(draw)


def move_box(set_id: str, index: int, draw: int) -> None:
    st.session_state.setdefault(BOXES, {})[set_id] = (index, draw)
