"""The exercises as the pages show them: cached questions (``lstm_core.exercises``), their text with the
symbols of the chosen notation, and the reveal's table of live numbers.

A question's words mark symbols as ``[[forget_part]]``: the prompt and explanation (Markdown) get the
notation's HTML symbol (``C<sub>t</sub><sup>f</sup>``), choices (plain widget labels) its Unicode form.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import streamlit as st

from lstm_core.exercises import ExerciseSet, Question, check, generate, load_sets
from lstm_ui.notation import Notation
from lstm_ui.state import exercise_state

_SYMBOL = re.compile(r"\[\[(\w+)\]\]")
KIND_HINTS = {  # what to do, under the question
    "number": "Type a number (a point or a comma for decimals).",
    "choice": "Pick one.",
    "order": "Pick them in order, the first one first.",
    "yes_no": "Answer yes or no, and pick the reason.",
}


def exercise_sets() -> Mapping[str, ExerciseSet]:
    """Every exercise set by id (read once per process)."""
    return load_sets()


def set_for_page(page_file: str) -> ExerciseSet | None:
    """The set a page's exercise box asks (``"page"`` in its file), if any."""
    return next((s for s in exercise_sets().values() if s.page == page_file), None)


@st.cache_data(max_entries=256, show_spinner=False)
def _question(set_id: str, index: int, seed: int) -> Question:
    return generate(exercise_sets()[set_id], index, seed)


def question_at(set_id: str, index: int, draw: int) -> Question:
    """Question ``index`` (0-based) of set ``set_id`` with the numbers of ``draw`` under the class's or
    this session's seed."""
    return _question(set_id, index, exercise_state.seed_for(set_id, index, draw))


def notation_for(question: Question, notation: Notation) -> Notation:
    """The notation with the GRU's symbols for a question on a GRU."""
    return notation.for_gru() if question.focus.cell == "gru" else notation


def rich(text: str, notation: Notation) -> str:
    """Markdown with the symbols as the notation's HTML (``st.markdown(..., unsafe_allow_html=True)``):
    the rest is escaped, so only the symbols are HTML."""
    parts = _SYMBOL.split(text)
    return "".join(
        notation.symbol_html(part) if k % 2 else html.escape(part, quote=False)
        for k, part in enumerate(parts)
    )


def widget_label(text: str, notation: Notation) -> str:
    """Text with the symbols as inline TeX (``$f_t$``), for a radio option (Streamlit typesets it)."""
    return _SYMBOL.sub(lambda m: f"${notation.symbols.get(m.group(1), m.group(1))}$", text)


def plain(text: str, notation: Notation) -> str:
    """Text with the symbols in Unicode (widget labels)."""
    return _SYMBOL.sub(lambda m: notation.symbol_plain(m.group(1)), text)


def reveal_table(question: Question, notation: Notation) -> str:
    """The live numbers as a Markdown table (what, value)."""
    rows = [f"| {rich(what, notation)} | {html.escape(value)} |" for what, value in question.reveal]
    return "\n".join(["| what | live value |", "| --- | ---: |", *rows])


def answer_of(question: Question, raw: str) -> None:
    """Score ``raw`` and keep the verdict (a callback's work)."""
    exercise_state.record(question, check(question, raw))
