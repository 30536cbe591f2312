"""What the Stories page says about the sentence shown, all of it computed live by the core
(``lstm_core.examples.run_example``): whether the lecture's claim holds here, part by part, with the
numbers that decide it; how the model reads each word (the ones it does not know marked); and its answer,
or that there is no clear winner. HTML for the word view's component (and the numeric examples' claim
column); every text is escaped here, its symbols' sub- and superscripts made tags (``inline_html``)."""

from __future__ import annotations

from html import escape

from lstm_core.claims import FAILS, HOLDS
from lstm_core.examples import ExampleResult
from lstm_core.story import Prediction
from lstm_ui.prose import inline_html

MARKS = {HOLDS: ("✓", "holds"), FAILS: ("✗", "does not hold here")}
NOT_APPLICABLE_MARK = ("–", "does not apply to this sentence")
HEADLINES = {
    HOLDS: "The lecture's claim holds here",
    FAILS: "The lecture's claim does not hold here",
}
NOT_APPLICABLE_HEADLINE = "The lecture's claim does not apply to this sentence"
COLOURS = {HOLDS: "#1b7d3a", FAILS: "#b3261e"}
GREY = "rgba(49, 51, 63, 0.6)"


def check_html(result: ExampleResult) -> str:
    """The claim checked on this run: a headline (holds / does not hold here / does not apply), then each
    part with its mark and the numbers that decide it."""
    check = result.checks
    if check is None:
        return ""
    colour = COLOURS.get(check.status, GREY)
    rows = []
    for part in check.parts:
        mark, word = MARKS.get(part.status, NOT_APPLICABLE_MARK)
        rows.append(
            f'<li data-role="part" data-status="{escape(part.status)}" style="margin: 0 0 0.4rem 0">'
            f'<span style="color: {COLOURS.get(part.status, GREY)}; font-weight: 700" aria-label="{word}">'
            f"{mark}</span> {inline_html(part.says)}<br>"
            f'<span style="color: {GREY}; font-size: 0.875em">{inline_html(part.detail)}</span></li>'
        )
    headline = HEADLINES.get(check.status, NOT_APPLICABLE_HEADLINE)
    skipped = sum(part.status not in MARKS for part in check.parts)
    if check.status == HOLDS and skipped:  # true, but only of the parts this sentence has
        verb = "does" if skipped == 1 else "do"
        headline = (
            "The lecture's claim holds where it applies here "
            f"({skipped} of its {len(check.parts)} parts {verb} not apply to this sentence)"
        )
    return (
        f'<div data-role="claim-check" data-status="{escape(check.status)}">'
        f'<p style="font-weight: 700; color: {colour}; margin: 0.5rem 0">{escape(headline)}</p>'
        f'<ul style="list-style: none; padding: 0; margin: 0 0 1rem 0">{"".join(rows)}</ul></div>'
    )


def readings_html(result: ExampleResult, step: int) -> str:
    """The sentence as the model reads it: every word, the one shown outlined, the ones the model does
    not know underlined and listed with what it does with each (its reading also on hover)."""
    if not result.readings:
        return ""
    chips = []
    for t, reading in enumerate(result.readings):
        style = "padding: 0 0.15rem; border-radius: 0.2rem"
        if not reading.known:
            style += "; text-decoration: underline wavy #b35806; text-underline-offset: 0.2em"
        if t == step:
            style += "; outline: 2px solid #d6007a"
        chips.append(
            f'<span data-role="word" data-t="{t + 1}" data-known="{int(reading.known)}" '
            f'title="{escape(reading.reading)}" style="{style}">{escape(reading.text)}</span>'
        )
    unknown = list(dict.fromkeys((r.text, r.reading) for r in result.readings if not r.known))
    notes = "".join(
        f'<li data-role="unknown"><strong>{escape(text)}</strong>: {escape(reading)}</li>'
        for text, reading in unknown
    )
    listed = (
        f'<p style="margin: 0.5rem 0 0.25rem 0">Words the model does not know ({len(unknown)}):</p>'
        f'<ul style="margin: 0 0 0.5rem 0">{notes}</ul>'
        if unknown
        else '<p style="margin: 0.5rem 0">The model knows every word of this sentence.</p>'
    )
    return (
        '<div data-role="readings"><h3>How the model reads your sentence</h3>'
        f'<p style="line-height: 1.9">{" ".join(chips)}</p>{listed}</div>'
    )


def verdict_html(pred: Prediction, where: str, expected: str | None) -> str:
    """The model's answer at ``where`` in words: the word, or that there is no clear winner (the core's
    margin rule), with the numbers; and what the claim expects, when it expects anything here."""
    lecture = f" The claim expects <strong>{escape(expected)}</strong>." if expected else ""
    among = f" Candidates: {escape(pred.among)}." if pred.among else ""
    answer = escape(pred.verdict)
    if not pred.clear:
        answer = f"<strong>no clear winner</strong>: {escape(pred.verdict.removeprefix('no clear winner: '))}"
    return (
        f'<p data-role="prediction" data-clear="{int(pred.clear)}">Answer read at '
        f"<strong>“{escape(where)}”</strong>: {answer}.{lecture}{among}</p>"
    )
