"""What an exercise is: a question drawn from a live run, its right answer and what the reveal shows.

A template (``templates_step.py``, ``templates_memory.py``) draws one ``Drawn`` from a seeded random
generator: the kind of answer, the right answer computed by the core, the numbers the question and its
explanation quote, the live numbers the reveal lists and where to look in the figure (``Focus``). The
exercise set (``sets.py``) adds the words: the question asked and the explanation, from
``assets/exercises``. Symbols are written ``[[forget_part]]``: the page shows them in the chosen notation.

Kinds of answer (``Question.answer``):

- ``number``: a float, right within ``tolerance`` of it;
- ``choice``: the index of the right one of ``choices``;
- ``order``: the indices of ``choices`` in the asked order;
- ``yes_no``: (yes?, index of the right reason among ``choices``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from lstm_core.intervene import Clamp

KINDS = ("number", "choice", "order", "yes_no")
LETTERS = "ABCDEFGH"  # how choices are named: A, B, C, …


class Redraw(Exception):
    """A template drew a question that would be unfair (a tie, a value too small to read): draw again."""


@dataclass(frozen=True)
class Focus:
    """Where the reveal looks: ``drawing`` is "cell" (the cell at one step, ``stage`` lit), "heatmap"
    (``arrays`` of the run, the asked square outlined), "ledger" (what each word wrote into C_t at
    ``step``) or "span" (the measured memory-span study at ``gap``). ``before``: the arrays a heatmap
    shows while the question is open (none: no figure until the reveal). Steps and units are 0-based."""

    drawing: str
    model: str = ""  # a story model (lstm_core.story.MODEL_SPECS)
    text: str = ""
    step: int = 0
    unit: int = 0
    stage: str = ""  # forget, store, update or output (assets/steps.json)
    arrays: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    clamps: tuple[Clamp, ...] = ()
    gap: int = 0
    cell: str = "lstm"  # the kind of cell run: "lstm", "gru" or "rnn" (the symbols follow it)


@dataclass(frozen=True)
class Drawn:
    """What a template drew (see the module docstring)."""

    kind: str
    answer: object
    values: Mapping[str, str]  # the numbers and words the question and explanation quote, formatted
    focus: Focus
    reveal: tuple[tuple[str, str], ...]  # (what, live number) rows shown after the answer
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One exercise, ready to ask: ``text`` asks it, ``explanation`` says why the answer is right."""

    set_id: str
    index: int  # 0-based position in its set
    seed: int
    template: str
    kind: str
    text: str
    answer: object
    tolerance: float
    explanation: str
    focus: Focus
    reveal: tuple[tuple[str, str], ...]
    choices: tuple[str, ...] = ()
    topic: str = ""  # the lecture step it practises (forget, store, …)
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Names this question among all the others (set, position, seed)."""
        return f"{self.set_id}:{self.index}:{self.seed}"

    def answer_text(self) -> str:
        """The right answer in words: the number, the letter and choice, the order, yes/no and why."""
        if self.kind == "number":
            return fmt(float(self.answer))
        if self.kind == "choice":
            return f"{LETTERS[self.answer]}: {self.choices[self.answer]}"
        if self.kind == "order":
            return " → ".join(self.choices[k] for k in self.answer)
        yes, reason = self.answer
        return f"{'Yes' if yes else 'No'}, because {self.choices[reason]}"


def fmt(x: float, digits: int = 3) -> str:
    """A number as the exercises show it: fixed decimals, a real minus sign."""
    text = f"{x:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "−0.000"
    return text.replace("-", "−")


def question_seed(base: int, set_id: str, index: int, draw: int) -> int:
    """The seed of one question: the same for the same (class or session) seed, set, position and draw,
    different otherwise (a stable hash, not Python's salted ``hash``)."""
    digest = hashlib.sha256(f"{base}|{set_id}|{index}|{draw}".encode()).digest()
    return int.from_bytes(digest[:6], "big")
