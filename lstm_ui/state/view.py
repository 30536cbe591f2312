"""The view: what the pages show, as one set of named parameters with one source of truth.

The parameters (``PARAMS``) are the sentence, the model, the step and unit, the notation, presenter mode,
the Stories example, its text, model and word, the cell page's stage, the GRU page's weights and the
Gate lab's mode. Each has a default and a parser that turns the text of a URL into a value or says why
it cannot.

**The rule: the session holds the view, and the URL always shows it.**

- A session's first run, every move to another page and the browser's Back and Forward take each
  parameter the URL holds (a deep link, a reload, a copied link, a link inside the app, an earlier view of
  this tab); the others keep the session's value.
- A control changes the view with ``set_view`` (in its callback), which writes the URL too. A move of a
  drawing's own step controls is the one exception: the drawing has already put it in the address bar
  (``components/step_controls.js``), so its callback only notes it (``note_moved``).
- Every full run writes the whole view to the URL (``start_run``): a move between pages in the sidebar
  arrives with an empty address.

So any link reopens the same view, and any move between pages keeps it. A URL value that cannot be
used (an unknown model, ``word=-5``) is dropped, and the page says so (``link_notes``). Values equal to
their default are left out of the URL.

    view.start_run(page)               # app.py, once per full run, before any page reads the view
    view.get("sentence")               # read
    view.set_view(step=4, unit=2)      # write (session and URL)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lstm_ui.state import values as v

VIEW = "_view"  # session key: {parameter: value}
PAGE = "_view_page"  # session key: the url path of the page the last full run drew
NOTES = "_view_notes"  # session key: messages about URL values that could not be used, shown once
SHOWN = "_view_shown"  # session key: the parameters the address bar shows


@dataclass(frozen=True)
class Param:
    """One view parameter: its URL name (also its key in the view), its default and its parser (URL text
    → value; ``ValueError`` with a message for the user when the text cannot be used)."""

    name: str
    default: object
    parse: Callable[[str], object]
    what: str  # how the page names it in a message ("model", "step")

    def url_text(self, value: object) -> str:
        return "true" if value is True else str(value)


PARAMS: tuple[Param, ...] = (
    Param("sentence", v.DEFAULT_SENTENCE, v.text, "sentence"),
    Param("model", v.DEFAULT_MODEL, v.model, "model"),
    Param("step", 1, v.position, "step"),
    Param("unit", 1, v.position, "unit"),
    Param("notation", v.DEFAULT_NOTATION, v.notation, "notation"),
    Param("presenter", False, v.flag, "presenter mode"),
    Param("example", None, v.example, "example"),  # Stories; None: the first example
    Param("text", None, v.text, "story text"),  # None: the example's own sentence
    Param("story_model", None, v.story_model, "story model"),  # None: the example's own model
    Param("word", None, v.position, "word"),  # None: the example's decisive word
    Param("stage", v.DEFAULT_STAGE, v.stage, "step of the cell"),
    Param("weights", v.DEFAULT_WEIGHTS, v.weights, "weights"),
    Param("lab", v.DEFAULT_LAB, v.lab_mode, "lab mode"),
    # --- The Train page (issue 17): what a run trains; None = the task's own setting (train_lab.json) ---
    Param("task", v.DEFAULT_TASK, v.task, "training task"),
    Param("cell", v.DEFAULT_CELL, v.cell, "cell"),
    Param("hidden", None, v.hidden, "hidden size"),
    Param("lr", None, v.learning_rate, "learning rate"),
    Param("steps", None, v.train_steps, "number of training steps"),
    Param("forget_bias", None, v.forget_bias, "forget-gate bias"),
    Param("seed", 0, v.seed, "seed"),
    Param("gap", None, v.gap, "gap"),
    Param("distractors", None, v.distractors, "kind of distractors"),
    # --- end of the Train page's parameters ---
    # --- Clamps and the Compare page (issue 18): lstm_ui/state/clamps.py, views/compare.py; the memory
    # ledger's step is the view's step ---
    Param("clamps", "", v.clamps, "clamps"),  # gates set by hand: f_7_1_1~i_7_1_0 (gate_step_unit_value)
    Param("compare", v.DEFAULT_COMPARE, v.compare_mode, "comparison"),  # sentences, models or clamp
    Param("sentence2", None, v.second_sentence, "second sentence"),  # None: assets/compare.json's
    Param("model1", None, v.run_model, "first model"),  # None: the view's model
    Param("model2", None, v.run_model, "second model"),  # None: the first model's neighbour
    Param("show", v.DEFAULT_SHOW, v.shown_array, "array shown"),
    # --- end of issue 18's parameters ---
    # --- Exercises (issue 19): views/exercises.py, lstm_ui/exercise_box.py ---
    Param("set", v.DEFAULT_EXERCISE_SET, v.exercise_set, "exercise set"),
    Param("q", 1, v.position, "question"),
    Param("draw", 0, v.exercise_draw, "draw of numbers"),
    Param("class_seed", None, v.class_seed, "class seed"),  # None: each session its own numbers
    # --- end of the Exercises' parameters ---
)
BY_NAME: Mapping[str, Param] = {p.name: p for p in PARAMS}


def _view() -> dict[str, object]:
    view = st.session_state.get(VIEW)
    if view is None:
        view = st.session_state[VIEW] = {p.name: p.default for p in PARAMS}
    return view


def get(name: str) -> object:
    """The value of parameter ``name`` in the view."""
    return _view()[BY_NAME[name].name]


def set_view(**changes: object) -> None:
    """Change parameters of the view (``None`` for an optional one: back to its default) and show the
    whole view in the URL. Callbacks and pages call this; nothing else writes the view."""
    view = _view()
    for name, value in changes.items():
        view[BY_NAME[name].name] = value
    _write_url(view)


def note_moved(**changes: object) -> None:
    """(A drawing's callback.) Its controls moved and put the move in the address bar themselves: change
    the view, and note that the address shows it."""
    view = _view()
    for name, value in changes.items():
        view[BY_NAME[name].name] = value
    st.session_state[SHOWN] = url_params(view)


def start_run(page: str) -> None:
    """(app.py, every full run.) On a session's first run, on a move to another page and on the browser's
    Back or Forward, take the parameters the URL holds; then show the whole view in the URL."""
    view = _view()
    ctx = get_script_run_ctx()
    back_or_forward = ctx is not None and ctx.is_history_navigation
    if st.session_state.get(PAGE) != page or back_or_forward:
        st.session_state[PAGE] = page
        st.session_state[SHOWN] = st.query_params.to_dict()
        notes = []
        for p in PARAMS:
            raw = st.query_params.get(p.name)
            if raw is None:
                continue
            try:
                view[p.name] = p.parse(raw)
            except ValueError as exc:
                notes.append(f"The link's {p.what} {_quoted(raw)} cannot be used: {exc}")
        st.session_state[NOTES] = notes
    _write_url(view)


def link_notes() -> list[str]:
    """The messages about URL values that could not be used, once (the page shows them)."""
    return st.session_state.pop(NOTES, None) or []


def url_params(view: Mapping[str, object] | None = None) -> dict[str, str]:
    """The view as URL parameters, in ``PARAMS`` order, defaults left out."""
    view = _view() if view is None else view
    return {p.name: p.url_text(view[p.name]) for p in PARAMS if view[p.name] != p.default}


def _write_url(view: Mapping[str, object]) -> None:
    wanted = url_params(view)
    if st.session_state.get(SHOWN) != wanted:
        st.query_params.from_dict(wanted)
        st.session_state[SHOWN] = wanted


def _quoted(raw: str, most: int = 40) -> str:
    return repr(raw if len(raw) <= most else raw[: most - 1] + "…")
