"""The view state every page shares, kept in ``st.session_state`` and in the URL.

An instructor can prepare a link that opens at an exact view, e.g.
``/step?sentence=Bob+is+a+nice+person&model=lstm8&step=5&unit=3&notation=ltm&presenter=true``.

Keys (each is both the session-state key and the URL parameter):

| key | meaning |
| --- | --- |
| ``sentence`` | the text run through the model |
| ``model`` | a key of ``lstm_ui.models.MODELS`` |
| ``step`` | the timestep t, **1-based** (t = 1 … T; the token at t is ``tokens[t - 1]``) |
| ``unit`` | the hidden unit j, **1-based** (j = 1 … H; the array column is ``j - 1``) |
| ``notation`` | a key of ``assets/notations.json`` (sidebar switch, ``lstm_ui.notation``; URL: its label) |
| ``presenter`` | lecture mode on/off (sidebar toggle, ``lstm_ui.layout``) |

The widgets that own these keys (but the notation's) are bound to the URL (``bind="query-params"``) and
keep their value across page switches (``persist_state="session"``), so another page can read
``st.session_state["step"]`` / ``["unit"]`` or call ``step_index`` / ``unit_index`` below. The
step-through page draws its step controls inside its heatmap component (``lstm_ui.live_svg.StepControls``)
instead: it keeps the same two keys with ``prepare_int`` and writes them to the URL with
``keep_cell_in_url``.

A move or a choice of a page's step controls, and a notation switch, reach the URL a moment later:
``moved_by_controls`` (or ``switched_in_sidebar``, in the radio's callback) makes the runs skip the write
until the page's drawing reports "sync" once the reader pauses (``assets/js/step_controls.js``;
``url_catches_up``), whose run writes it (with what the runs in between noted: ``write_url``); a full run
that has no drawing to ask for it writes the URL at its end (``url_after_full_run``). Every URL write
re-renders Streamlit's whole page in the browser (10–25 ms here); written per pause, stepping and switching
are that much quicker.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from lstm_ui.models import DEFAULT_MODEL, MODELS
from lstm_ui.text import DEFAULT_SENTENCE

SENTENCE, MODEL, STEP, UNIT = "sentence", "model", "step", "unit"
NOTATION, PRESENTER = "notation", "presenter"
PLAYING = "playing"  # non-widget: is the step-through animation running
# Non-widget: the step the server last showed. The previous/next buttons move from it, not from the
# slider value the browser sends with the press: two quick presses (a held arrow key) would otherwise
# send the second press with the slider still showing the step before the first one, and lose a step.
SHOWN_STEP = "_shown_step"
URL_LATER = "_url_later"  # non-widget: this run leaves the URL to the "sync" run (moved_by_controls)
SIDEBAR_SWITCH = "sidebar"  # URL_LATER's value in the full run that a sidebar switch started
URL_PENDING = "_url_pending"  # non-widget: {parameter: value or None} the waiting runs left for the sync
SYNC_ASKED = "_sync_asked"  # non-widget: a drawing of this full run asks for the sync (ask_for_sync)
STEP_BUTTONS = ("prev", "next")  # the keys of the previous/next buttons on every stepping page

# Session defaults for state no widget owns; app.py sets them once per session.
SESSION_DEFAULTS: Mapping[str, object] = {PLAYING: False}


def init_session_defaults() -> None:
    """Set the non-widget defaults once (a no-op when the keys already exist)."""
    for key, value in SESSION_DEFAULTS.items():
        st.session_state.setdefault(key, value)


def _parse_int(raw: object) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def prepare_int(key: str, lo: int, hi: int) -> int:
    """Make the bound integer widget ``key`` start inside [lo, hi]; return the value it will show.

    A deep link beyond the range (``?step=99`` on a 12-token sentence) opens at the nearest end instead
    of being dropped; a value left from a longer sentence is clamped the same way. Call before the widget.
    """
    if key in st.session_state:
        value = _parse_int(st.session_state[key])
    else:
        value = _parse_int(st.query_params.get(key))
    if value is None:
        value = lo
    clamped = min(max(value, lo), hi)
    if key in st.session_state or clamped != value or key in st.query_params:
        st.session_state[key] = clamped
    return clamped


def _slider_moved() -> None:
    """The slider's own change (a drag or its arrow keys) becomes the shown step, unless a previous/next
    press came in the same request: then the slider value is the browser's stale one and the press wins."""
    if not any(st.session_state.get(key) is True for key in STEP_BUTTONS):
        st.session_state[SHOWN_STEP] = st.session_state.get(STEP)


def step_slider(n_steps: int, container: object = st, label: str = "Step t") -> int:
    """The step slider (1 … n_steps) bound to ``?step=``; returns the 1-based step."""
    prepare_int(STEP, 1, n_steps)
    if n_steps <= 1:  # a slider needs min < max
        st.session_state[STEP] = st.session_state[SHOWN_STEP] = 1
        return 1
    step = int(
        container.slider(
            label, 1, n_steps, key=STEP, bind="query-params", persist_state="session", on_change=_slider_moved
        )
    )
    st.session_state[SHOWN_STEP] = step
    return step


def unit_slider(hidden_size: int, container: object = st, label: str = "Unit j") -> int:
    """The unit picker (1 … H) bound to ``?unit=``; returns the 1-based unit."""
    prepare_int(UNIT, 1, hidden_size)
    if hidden_size <= 1:
        st.session_state[UNIT] = 1
        return 1
    return int(
        container.slider(label, 1, hidden_size, key=UNIT, bind="query-params", persist_state="session")
    )


def moved_by_controls() -> None:
    """(In a callback of the step controls: a move, a choice.) The runs from here on leave the URL as it
    is, until the component reports "sync" once the reader pauses (``url_catches_up``)."""
    st.session_state[URL_LATER] = True


def switched_in_sidebar() -> None:
    """(The callback of a sidebar switch, e.g. the notation.) Like ``moved_by_controls``, also for the full
    run that the switch starts (``url_on_full_run``): the page's drawing asks for the "sync" run."""
    st.session_state[URL_LATER] = SIDEBAR_SWITCH


def url_catches_up() -> None:
    """(The callback of the trigger "sync".) The reader paused after a move or a switch: what the runs
    since then left for the URL (``write_url``) is written now, and from this run on the URL is written
    again. Whichever fragment the sync reruns, every page-wide parameter arrives."""
    st.session_state.pop(URL_LATER, None)
    for key, value in st.session_state.pop(URL_PENDING, {}).items():
        _write_url(key, value)


def url_on_full_run() -> None:
    """(app.py, first thing in every full run.) A full run writes the URL itself (a page switch, or the
    first run), so what earlier runs left for it is dropped (another page's step is not this page's);
    unless a sidebar switch started the run: that one waits for the sync like a move of the controls."""
    st.session_state.pop(SYNC_ASKED, None)
    if st.session_state.get(URL_LATER) == SIDEBAR_SWITCH:
        st.session_state[URL_LATER] = True
    else:
        st.session_state.pop(URL_LATER, None)
        st.session_state.pop(URL_PENDING, None)


def ask_for_sync() -> bool:
    """(A drawing, as it is sent.) Does this run wait for the sync (``url_waits``)? Then the drawing asks
    for it once the reader pauses, and says so for ``url_after_full_run``."""
    if url_waits():
        st.session_state[SYNC_ASKED] = True
        return True
    return False


def url_after_full_run() -> None:
    """(app.py, last thing in every full run, also one stopped early.) A run that waits for the sync but
    drew nothing that asks for it (a page without a live drawing, or one stopped by bad input) writes the
    URL now: nothing else would until the next full run."""
    if url_waits() and not st.session_state.pop(SYNC_ASKED, False):
        url_catches_up()


def url_waits() -> bool:
    """Does this run leave the URL as it is (a move of the controls, no pause yet: ``moved_by_controls``)?"""
    return bool(st.session_state.get(URL_LATER, False))


def write_url(key: str, value: str | None) -> None:
    """Make the URL hold ``?key=value`` (``None``: no ``key``). While a move or a switch waits for the
    reader's pause (``url_waits``) it is noted instead, and the "sync" run writes it (``url_catches_up``)."""
    if url_waits():
        st.session_state.setdefault(URL_PENDING, {})[key] = value
    else:
        _write_url(key, value)


def _write_url(key: str, value: str | None) -> None:
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def keep_positions_in_url(values: Mapping[str, int]) -> None:
    """Write each ``?key=value``, a 1-based position (step, unit, the stories' word) (``write_url``)."""
    for key, value in values.items():
        write_url(key, str(value))


def keep_cell_in_url(step: int, unit: int) -> None:
    """Write ``?step=`` and ``?unit=`` (1-based) where no bound slider does it (the step-through page's
    controls are drawn by its heatmap component, not by Streamlit widgets)."""
    keep_positions_in_url({STEP: step, UNIT: unit})


def step_index(n_steps: int) -> int:
    """The selected step as a 0-based row index into (T, H) arrays (for pages that only read it)."""
    value = _parse_int(st.session_state.get(STEP, st.query_params.get(STEP))) or 1
    return min(max(value, 1), n_steps) - 1


def unit_index(hidden_size: int) -> int:
    """The selected unit as a 0-based column index."""
    value = _parse_int(st.session_state.get(UNIT, st.query_params.get(UNIT))) or 1
    return min(max(value, 1), hidden_size) - 1


def set_step(step: int) -> None:
    """Move to ``step`` (1-based). Use in widget callbacks (before the step slider is drawn)."""
    st.session_state[STEP] = st.session_state[SHOWN_STEP] = int(step)


def shift_step(delta: int, n_steps: int) -> None:
    """Callback for the previous/next buttons: move by ``delta`` from the step last shown (see
    ``SHOWN_STEP``), staying inside 1 … n_steps."""
    current = _parse_int(st.session_state.get(SHOWN_STEP)) or _parse_int(st.session_state.get(STEP)) or 1
    set_step(min(max(current + delta, 1), n_steps))


def set_cell(step: int, unit: int) -> None:
    """(A callback of the step controls.) Select a (step, unit) pair, both 1-based (a click on a heatmap
    cell or a move of the controls); the URL follows when the reader pauses (``moved_by_controls``)."""
    set_step(step)
    st.session_state[UNIT] = int(unit)
    moved_by_controls()


def sentence_input(container: object = st, label: str = "Sentence") -> str:
    """The sentence box bound to ``?sentence=`` (default: the France sentence).

    The default goes in through session state (not ``value=``) so that callbacks (the example picker)
    may set the sentence too.
    """
    if SENTENCE not in st.session_state and SENTENCE not in st.query_params:
        st.session_state[SENTENCE] = DEFAULT_SENTENCE
    return container.text_input(
        label,
        key=SENTENCE,
        bind="query-params",
        persist_state="session",
        help="Any text: each word (each CJK character, each emoji) is one step.",
    )


def model_select(container: object = st, label: str = "Model", width: int | str = "stretch") -> str:
    """The model picker bound to ``?model=``; returns a key of ``MODELS``.

    The URL holds the model's title (the widget's label); hand-written links may use its key
    (``?model=lstm16``), and an unknown name gets a warning and the default model.
    """
    keys = list(MODELS)
    raw = st.query_params.get(MODEL)
    if MODEL not in st.session_state and raw is not None:
        titles = {MODELS[k].title: k for k in keys}
        if raw in MODELS and raw not in titles:
            st.session_state[MODEL] = raw
        elif raw not in titles:
            st.warning(f"Unknown model {raw!r} in the link; showing {MODELS[DEFAULT_MODEL].title}.")
    return container.selectbox(
        label,
        keys,
        format_func=lambda k: MODELS[k].title,
        key=MODEL,
        bind="query-params",
        persist_state="session",
        width=width,
    )


def view_query(**overrides: object) -> dict[str, str]:
    """The current view as URL parameters (for ``st.page_link(..., query_params=...)``)."""
    out: dict[str, str] = {}
    for key in (SENTENCE, MODEL, STEP, UNIT, NOTATION, PRESENTER):
        value = overrides.get(key, st.session_state.get(key))
        if value is None or value is False:
            continue
        out[key] = "true" if value is True else str(value)
    return out
