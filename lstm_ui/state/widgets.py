"""The controls that show and change the view (``lstm_ui.state.view``).

Every control follows the same two lines: before it is drawn it is set to the view's value (``_show``),
and its callback writes its new value to the view (``_changed`` → ``view.set_view``, which writes the
URL). A control's own key (``"w.<name>@<page>"``) is Streamlit's business; the view is the one source
of truth, so a control dropped by a page switch comes back showing the view.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lstm_ui.components.live_svg import Choice, StepControls, clicked_square, moved_in_address
from lstm_ui.compute import DEFAULT_MODEL, MODELS
from lstm_ui.notation import load_notations
from lstm_ui.state import view
from lstm_ui.trained_models import session_models

_MISSING = object()


def _key(name: str) -> str:
    """The key of the control of view parameter ``name`` on this page (a control of another page with the
    same key would keep that page's widget, not show this one)."""
    return f"w.{name}@{st.session_state.get(view.PAGE, '')}"


def show(key: str, value: object) -> str:
    """Make the control ``key`` show ``value`` (call it before the control is drawn); return ``key``."""
    if st.session_state.get(key, _MISSING) != value:
        st.session_state[key] = value
    return key


def _show(name: str, value: object) -> str:
    """Make the control of view parameter ``name`` show ``value``; return its key."""
    return show(_key(name), value)


def _changed(name: str) -> None:
    """(A control's callback.) Its new value goes to the view."""
    view.set_view(**{name: st.session_state[_key(name)]})


def sentence_box(container: object = st, label: str = "Sentence") -> str:
    """The sentence box; returns the view's sentence."""
    container.text_input(
        label,
        key=_show("sentence", view.get("sentence")),
        on_change=_changed,
        args=("sentence",),
        help="Any text: each word (each CJK character, each emoji) is one step.",
    )
    return str(view.get("sentence"))


def model_select(container: object = st, label: str = "Model", width: int | str = "stretch") -> str:
    """The model picker: the seeded models, then the ones this session trained (``trained-1``, …);
    returns the view's model key. A trained model this session no longer keeps falls back to the
    default, and the page says so."""
    titles = {key: model.title for key, model in (*MODELS.items(), *session_models().items())}
    if view.get("model") not in titles:
        st.warning(
            "That trained model is no longer kept (a session keeps its latest few): showing the default."
        )
        view.set_view(model=DEFAULT_MODEL)
    container.selectbox(
        label,
        list(titles),
        format_func=titles.get,
        key=_show("model", view.get("model")),
        on_change=_changed,
        args=("model",),
        width=width,
    )
    return str(view.get("model"))


def notation_switch() -> None:
    """The notation switch (app.py draws it in the sidebar). After a click on it the ← / → keys step the
    page again, not the radio (``step_controls.js`` lets go of a radio's focus after a pointer click)."""
    notations = load_notations()
    keys = list(notations)
    st.radio(
        "Notation",
        keys,
        format_func=lambda k: notations[k].label,
        captions=[notations[k].title for k in keys],
        key=_show("notation", view.get("notation")),
        on_change=_changed,
        args=("notation",),
        help="The same numbers under each lecture's names and symbols.",
    )


def presenter_toggle() -> None:
    """Presenter mode (app.py draws it in the sidebar)."""
    st.toggle(
        "Presenter mode",
        key=_show("presenter", bool(view.get("presenter"))),
        on_change=_changed,
        args=("presenter",),
        help="Large type for a projector; the controls move into a closed 'Controls' panel.",
    )


def lab_mode() -> str:
    """The Gate lab's choice: set the gates directly, or compute them from weights."""
    st.segmented_control(
        "Where the gates come from",
        ["direct", "weights"],
        format_func={"direct": "Set gates directly", "weights": "From weights"}.get,
        key=_show("lab", view.get("lab")),
        required=True,
        on_change=_changed,
        args=("lab",),
    )
    return str(view.get("lab"))


def address_of(**controls: str) -> dict[str, tuple[str, object]]:
    """``StepControls.address`` for controls of view parameters: ``address_of(step="word")`` → the
    "step" control is ``?word=``, left out of the URL at its default."""
    return {control: (name, view.BY_NAME[name].default) for control, name in controls.items()}


def step_controls(
    steps: int, units: int, tokens: Sequence[str], choice: Choice | None = None, **options: object
) -> StepControls:
    """The step controls of a page's live drawing at the view's step and unit, kept inside 1 … steps and
    1 … units (a step beyond a shorter sentence shows its last word, and the view says so); with a
    ``choice`` of the view parameter ``choice.param`` (the cell page's stage, the GRU page's weights)."""
    step = min(max(int(view.get("step")), 1), steps)
    unit = min(max(int(view.get("unit")), 1), units)
    if (step, unit) != (view.get("step"), view.get("unit")):
        view.set_view(step=step, unit=unit)
    names = {"step": "step", "unit": "unit"} | ({"choice": choice.param} if choice else {})
    address = address_of(**names)
    return StepControls(steps, units, step, unit, tokens, choice=choice, address=address, **options)


def move(key: str, trigger: str = "click", **changes: object) -> None:
    """(A drawing's callback.) The view moves to ``changes``: noted only, when the drawing has put the move
    in the address bar (``moved_in_address``), else written to the URL."""
    if moved_in_address(key, trigger):
        view.note_moved(**changes)
    else:
        view.set_view(**changes)


def select_clicked(key: str) -> None:
    """(A callback, e.g. ``partial(select_clicked, key)``.) Select the (step, unit) that drawing ``key``
    reported: a clicked square or a move of its controls."""
    cell = clicked_square(key)
    if cell is not None:
        move(key, step=cell[0], unit=cell[1])
