"""Reading and scoring a student's answer. Whatever is typed gets a clear message, never an exception.

``check(question, raw)`` returns a ``Verdict``: ``right``, ``wrong`` (with what was read) or
``unreadable`` (with what to type instead). ``raw`` is what the page collected as text: a number
("0.25", "-1,5", "25%", "1/4"), a letter ("B"), letters in order ("B, A, C") or yes/no and a reason's
letter ("yes B").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lstm_core.exercises.question import LETTERS, Question, fmt

MINUSES = str.maketrans({"−": "-", "–": "-", "﹣": "-", "－": "-"})
_COMMA_DECIMAL = re.compile(r"^[+-]?\d*,\d+$")
_FRACTION = re.compile(r"^([+-]?\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")
LARGEST = 1e12  # no answer here is anywhere near this: a bigger one is a typo


class AnswerError(ValueError):
    """An answer that cannot be read; the message says what to type."""


@dataclass(frozen=True)
class Verdict:
    status: str  # "right", "wrong" or "unreadable"
    message: str

    @property
    def right(self) -> bool:
        return self.status == "right"


def parse_number(raw: str) -> float:
    """A typed number: point or comma decimal ("0,5"), a minus of any kind, "25%", "1/4", "2e-3"."""
    text = str(raw).strip().translate(MINUSES).replace(" ", "")
    if not text:
        raise AnswerError("Type a number first, for example 0.25 or −1.3.")
    if _COMMA_DECIMAL.match(text):
        text = text.replace(",", ".")  # a comma decimal, as many countries write it
    elif "," in text:
        raise AnswerError(f"{raw.strip()!r} has a comma that is not a decimal comma: type one number.")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    fraction = _FRACTION.match(text)
    if fraction and float(fraction.group(2)) == 0:
        raise AnswerError("That fraction divides by zero: type a number.")
    try:
        value = float(fraction.group(1)) / float(fraction.group(2)) if fraction else float(text)
    except (ValueError, OverflowError):
        raise AnswerError(f"{raw.strip()!r} is not a number: type digits, like 0.25 or −1.3.") from None
    if math.isnan(value):
        raise AnswerError(f"{raw.strip()!r} is not a number: type digits, like 0.25 or −1.3.")
    if math.isinf(value) or abs(value) > LARGEST:
        raise AnswerError(f"{raw.strip()!r} is far too large to be the answer here: check the digits.")
    return value * scale


def parse_letter(raw: str, n: int, what: str = "choice") -> int:
    """One of the letters A … (n choices), in any case; "2" counts as B."""
    text = str(raw).strip().strip(".)").upper()
    if not text:
        raise AnswerError(f"Pick a {what} first.")
    if text.isdigit() and 1 <= int(text) <= n:
        return int(text) - 1
    if len(text) == 1 and text in LETTERS[:n]:
        return LETTERS.index(text)
    raise AnswerError(f"{raw.strip()!r} is not one of the {what}s: pick one of {', '.join(LETTERS[:n])}.")


def parse_order(raw: str, n: int) -> tuple[int, ...]:
    """All n letters, each once, in order: "B, A, C", "BAC", "b > a > c"."""
    letters = re.sub(r"[\s,;>→\-]+", "", str(raw)).upper()
    if not letters:
        raise AnswerError(f"Put all {n} in order first.")
    unknown = sorted({c for c in letters if c not in LETTERS[:n]})
    if unknown:
        raise AnswerError(f"{', '.join(unknown)} is not one of the items: use {', '.join(LETTERS[:n])}.")
    if len(set(letters)) != len(letters):
        raise AnswerError("Each item goes in the order once.")
    if len(letters) != n:
        missing = ", ".join(c for c in LETTERS[:n] if c not in letters)
        raise AnswerError(f"The order needs all {n} items; {missing} is still missing.")
    return tuple(LETTERS.index(c) for c in letters)


def parse_yes_no(raw: str, n_reasons: int) -> tuple[bool, int]:
    """ "yes B" / "no, A": the answer and the letter of its reason."""
    words = re.split(r"[\s,;:]+", str(raw).strip())
    head = words[0].casefold() if words and words[0] else ""
    if head not in ("yes", "no", "y", "n"):
        raise AnswerError("Say yes or no first.")
    if len(words) < 2 or not words[1]:
        raise AnswerError("Pick the reason too: the answer counts with its reason.")
    return head.startswith("y"), parse_letter(words[1], n_reasons, "reason")


def check(question: Question, raw: str) -> Verdict:
    """Score ``raw`` against ``question`` (see the module docstring)."""
    right = question.answer_text()
    try:
        if question.kind == "number":
            value = parse_number(raw)
            if abs(value - float(question.answer)) <= question.tolerance:
                return Verdict("right", f"Right: {right} (you said {fmt(value)}).")
            return Verdict("wrong", f"Not quite: the cell computed {right}; you said {fmt(value)}.")
        if question.kind == "choice":
            picked = parse_letter(raw, len(question.choices))
            if picked == question.answer:
                return Verdict("right", f"Right: {right}.")
            return Verdict("wrong", f"Not this time: you picked {LETTERS[picked]}; the answer is {right}.")
        if question.kind == "order":
            order = parse_order(raw, len(question.choices))
            if order == tuple(question.answer):
                return Verdict("right", f"Right: {right}.")
            return Verdict("wrong", f"Not this order: the live numbers give {right}.")
        yes, reason = parse_yes_no(raw, len(question.choices))
        want_yes, want_reason = question.answer
        if (yes, reason) == (want_yes, want_reason):
            return Verdict("right", f"Right: {right}.")
        if yes == want_yes:
            return Verdict("wrong", f"{'Yes' if yes else 'No'} is right, but not for that reason: {right}.")
        return Verdict("wrong", f"Not this time: {right}.")
    except AnswerError as exc:
        return Verdict("unreadable", str(exc))
