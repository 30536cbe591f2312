"""The clamps on a page that steps through a sentence with the picker's model (the step page, the cell
page): two calls, each one line in the page.

    clamp_controls("step", model, tokens, notation)                        # before the step fragment
    clamp_changes(model, tokens, t, j, notation, font, key="heat_clamps")  # in it, after the drawing

``clamp_changes`` draws, when the view holds clamps that fit the sentence, what they changed (every
array after − before, the clamped squares outlined, the selected step outlined) with the selected step
and unit's values before, after and their difference: one component, so a step redraws one element.
``clamp_controls`` draws the form that clamps the selected step and unit (behind a button), the list
of clamps, and a message for each clamp outside the sentence. ``clamp_notice`` (the cell page, in its
step fragment) says when the selected step and unit's gate is set by hand. The page shows
``intervene.page_trace`` (the run with the clamps) in its own drawings.

A page with no selected unit and its own tokenizer (Stories, Compare) picks the word and the unit, or a
named group of units, in the form itself, and a story shows its answers before and after:

    picked_clamp_controls("story", model, sentence, word, notation, "story")  # outside the word view
    story_changes(model, sentence, word, notation, font, key="story_clamps")   # inside it
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lstm_ui.components.live_svg import show_svg, slot_html
from lstm_ui.compute import lstm_trace
from lstm_ui.notation import Notation
from lstm_ui.prose import section
from lstm_ui.runs import hidden_size, run_sentence
from lstm_ui.state import view
from lstm_ui.state.clamp_controls import clamp_form, clamp_list
from lstm_ui.state.clamps import split_by_fit
from lstm_ui.viewmodels.intervene import (
    answers_html,
    before_after_html,
    clamp_notes,
    difference_svg,
    fitting,
    page_trace,
    run_fitting,
    set_here_text,
    summary_html,
    view_clamps,
)
from lstm_ui.viewmodels.ledger import ledger_drawing, writers_html


def clamp_changes(
    model: str, tokens: tuple[str, ...], t: int, j: int, notation: Notation, font: int, key: str
) -> None:
    """(1-based ``t``, ``j``: the page's selection.) What the view's clamps changed, if it holds any."""
    fit, _ = run_fitting(model, tokens)
    if not fit:
        return
    before, after = lstm_trace(model, tokens), page_trace(model, tokens)
    show_svg(
        difference_svg(before, after, tokens, notation, fit, t - 1, font),
        key=key,
        name="clamp-changes",
        title="What the clamps changed: after − before (dashed: the gates set by hand)",
        below=summary_html(before, after, tokens, notation)
        + before_after_html(before, after, t - 1, j - 1, notation, fit),
    )


def clamp_notice(model: str, tokens: tuple[str, ...], t: int, j: int, notation: Notation) -> None:
    """(1-based ``t``, ``j``.) When a gate of the selected step and unit is set by hand, say so, with the
    value the weights gave it: the page's equations show the gate as set."""
    fit, _ = run_fitting(model, tokens)
    here = [c for c in fit if (c.step, c.unit) == (t, j)]
    if here:
        weights = lstm_trace(model, tokens)
        st.info(set_here_text(here, weights, t - 1, j - 1, notation), icon=":material/push_pin:")


OPENED = "_clamp_forms_opened"  # session: the pages whose clamp form the reader opened


def _opened(key: str) -> bool:
    """A button that opens the clamp form of ``key`` (one element on the page until asked for: drawn on
    every run, the form's widgets cost 10–25 ms of each full rerun, measured A/B); True once opened."""
    if key in st.session_state.get(OPENED, ()):
        return True
    label = "Set another gate by hand" if view_clamps() else "What if? Set a gate by hand"
    st.button(label, key=f"clamp.{key}.open", icon=":material/push_pin:", on_click=_open, args=(key,))
    return False


def _open(key: str) -> None:
    st.session_state[OPENED] = (*st.session_state.get(OPENED, ()), key)


def _close(key: str) -> None:
    st.session_state[OPENED] = tuple(k for k in st.session_state.get(OPENED, ()) if k != key)


def _close_button(key: str) -> None:
    st.button("Close this form", key=f"clamp.{key}.close", type="tertiary", on_click=_close, args=(key,))


def clamp_controls(key: str, model: str, tokens: Sequence[str], notation: Notation) -> None:
    """A button opening the form that clamps the selected step and unit, the clamps as buttons, and a
    message for each clamp that does not fit the sentence."""
    units = hidden_size(model)
    _, outside = fitting(len(tokens), units)
    if _opened(key):
        with st.container(border=True):
            st.markdown(section("clamps", "form"))
            clamp_form(key, notation, tokens, units)
            _close_button(key)
    clamp_list(key, notation, tokens, view_clamps())  # a row of its own, when there are clamps
    for note in clamp_notes(outside, len(tokens), units, notation):
        st.warning(note)


# ---- Stories: a story model, its own tokens, the answers at a blank -------------------------------------


def picked_clamp_controls(
    key: str, model: str, sentence: str, word: int, notation: Notation, text: str
) -> None:
    """(Stories, Compare: a page with no selected unit.) A button opening the form that clamps a gate of a
    word and of a unit or a named group of units (the designed model's subject, …), the word ``word``
    (1-based) chosen at first; the clamps as buttons beside it; ``text``: the section of
    ``assets/text/clamps.md`` the form starts with. A model with no gates (GRU, plain RNN) or a sentence
    without words says so and draws nothing."""
    try:
        run = run_sentence(model, sentence)
    except ValueError as exc:
        st.info(f"No gates can be set by hand here: {exc}.")
        return
    units = run.trace.hidden_size
    if _opened(key):
        with st.container(border=True):
            st.markdown(section("clamps", text))
            clamp_form(key, notation, run.tokens, units, run.groups, True, word, run.unit_names)
            _close_button(key)
    clamp_list(key, notation, run.tokens, view_clamps())
    _, outside = split_by_fit(view_clamps(), len(run.tokens), units)
    for note in clamp_notes(outside, len(run.tokens), units, notation):
        st.warning(note)


def story_changes(model: str, sentence: str, word: int, notation: Notation, font: int, key: str) -> None:
    """(Stories, in the word view.) When the view holds clamps that fit: the answers at each blank without
    and with them, every array's change (the word ``word``, 1-based, outlined) and the memory ledger at
    the word, before and after, as one component."""
    try:
        before, after = run_sentence(model, sentence), run_sentence(model, sentence, str(view.get("clamps")))
    except ValueError:
        return  # picked_clamp_controls says why
    fit, _ = split_by_fit(view_clamps(), len(after.tokens), after.trace.hidden_size)
    if not fit:
        return
    labels = ("without the clamps", "with the clamps")
    columns = [
        (label, run.predictions, run.tokens) for label, run in zip(labels, (before, after), strict=True)
    ]
    t = min(max(word, 1), len(after.tokens))
    slots = slot_html("ledger-without") + slot_html("ledger-with")
    show_svg(
        difference_svg(before.trace, after.trace, after.tokens, notation, fit, t - 1, font),
        key=key,
        name="clamp-changes",
        title="What the clamps changed: after − before (dashed: the gates set by hand)",
        html=answers_html(columns),
        below=summary_html(before.trace, after.trace, after.tokens, notation)
        + writers_html(list(zip(labels, (before, after), strict=True)), t)
        + f'<div class="gbg-columns">{slots}</div>',
        more=(
            ledger_drawing(before, t, labels[0], notation, font, slot="ledger-without"),
            ledger_drawing(after, t, labels[1], notation, font, slot="ledger-with"),
        ),
    )
