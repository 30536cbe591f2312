"""The controls that set gates by hand (the view's ``clamps``, ``lstm_ui.state.clamps``), for any page that
runs a sentence: a small form that adds a clamp, and a line of buttons listing the clamps, each removing
its own.

    clamp_form("step", notation, tokens, units)               # at the page's selected step and unit
    clamp_form("compare", notation, tokens, units, groups, pick=True)   # with its own word and unit pickers
    clamp_list("step", notation, tokens)

The form is a ``st.form``: choosing a gate or typing a value reruns nothing; "Clamp" (or Enter in the value
box) adds the clamp to the view, which writes the URL. A value that is not a number, or outside the gate's
range, adds nothing and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

import streamlit as st

from lstm_ui.layout import controls_row
from lstm_ui.notation import Notation
from lstm_ui.sentence import token_labels
from lstm_ui.state import view
from lstm_ui.state.clamps import PageClamp, added, number_text, parse_value, read, removed, write

GATES = ("forget", "input", "candidate", "output")
GROUP = "group:"  # a unit picker's option naming a group of units


def gate_letter(notation: Notation, gate: str) -> str:
    """The gate's symbol without its step index (``f``, ``C̃``), for text about one step."""
    return notation.symbol_plain(gate).replace("ₜ", "").replace("_t", "")


def _k(key: str, part: str) -> str:
    return f"clamp.{key}.{part}"


def unit_span(units: Sequence[int]) -> str:
    """1-based units as ranges: ``1–8``, ``2, 5–7``."""
    out = []
    for _, run in groupby(enumerate(sorted(units)), key=lambda p: p[1] - p[0]):
        seq = [u for _, u in run]
        out.append(str(seq[0]) if len(seq) == 1 else f"{seq[0]}–{seq[-1]}")
    return ", ".join(out)


def _add(key: str, pick: bool, steps: int, units: int, groups: dict[str, tuple[int, ...]]) -> None:
    """(The form's callback.) The clamp the form describes goes into the view, or the form says why not."""
    gate = st.session_state.get(_k(key, "gate")) or GATES[0]
    try:
        value = parse_value(str(st.session_state.get(_k(key, "value"), "")), gate)
    except ValueError as exc:
        st.session_state[_k(key, "error")] = f"Nothing was clamped: {exc}."
        return
    if pick:
        step = int(st.session_state.get(_k(key, "step")) or 1)
        chosen = str(st.session_state.get(_k(key, "unit")) or "1")
        targets = groups[chosen[len(GROUP) :]] if chosen.startswith(GROUP) else (int(chosen) - 1,)
    else:  # the page's selection, as the view holds it now
        step, targets = int(view.get("step")), (int(view.get("unit")) - 1,)
    step = min(max(step, 1), steps)
    clamps = read(view.get("clamps"))
    for unit in targets:
        clamps = added(clamps, PageClamp(gate, step, min(unit + 1, units), value))
    view.set_view(clamps=write(clamps))


def clamp_form(
    key: str,
    notation: Notation,
    tokens: Sequence[str],
    units: int,
    groups: Sequence[tuple[str, tuple[int, ...]]] = (),
    pick: bool = False,
    default_step: int = 1,
    unit_names: Sequence[str] | None = None,
) -> None:
    """The form that adds a clamp: the gate, (with ``pick``) the word and the unit or group of units
    (0-based ``groups``), and the value. Without ``pick`` it clamps the page's selected step and unit."""
    steps = len(tokens)
    if pick:
        followed = _k(key, "followed")
        if (
            st.session_state.get(followed) != default_step
            or int(st.session_state.get(_k(key, "step")) or 1) > steps
        ):
            st.session_state[_k(key, "step")] = min(max(default_step, 1), steps)
            st.session_state[followed] = default_step
        options = [f"{GROUP}{name}" for name, _ in groups] + [str(j) for j in range(1, units + 1)]
        if st.session_state.get(_k(key, "unit")) not in options:
            st.session_state[_k(key, "unit")] = options[0]
    labels, named = token_labels(tuple(tokens)), dict(groups)
    with st.form(_k(key, "form"), border=False, enter_to_submit=True):
        row = controls_row()
        row.segmented_control(
            "Set by hand",
            GATES,
            format_func=notation.name,
            default=GATES[0],
            required=True,
            key=_k(key, "gate"),
        )
        if pick:
            row.selectbox(
                "at the word", range(1, steps + 1), format_func=lambda s: labels[s - 1], key=_k(key, "step")
            )

            def unit_label(option: str) -> str:
                if option.startswith(GROUP):
                    name = option[len(GROUP) :]
                    return f"{name} (units {unit_span([u + 1 for u in named[name]])})"
                name = unit_names[int(option) - 1] if unit_names else ""
                return f"unit {option}" + (f" ({name})" if name else "")

            row.selectbox("of", options, format_func=unit_label, key=_k(key, "unit"))
        row.text_input(
            "to the value",
            value="1",
            key=_k(key, "value"),
            width=120,
            help="0 … 1 for a gate (0 shut, 1 open), −1 … 1 for the candidate. Enter sets it.",
        )
        row.form_submit_button(
            "Clamp" if pick else "Clamp at the selected step and unit",
            on_click=_add,
            args=(key, pick, steps, units, named),
            icon=":material/push_pin:",
        )
    error = st.session_state.pop(_k(key, "error"), None)
    if error:
        st.error(error)


def _remove(targets: tuple[tuple[int, int, str], ...]) -> None:
    clamps = read(view.get("clamps"))
    for target in targets:
        clamps = removed(clamps, target)
    view.set_view(clamps=write(clamps))


def clamp_list(
    key: str, notation: Notation, tokens: Sequence[str], clamps: Sequence[PageClamp], row: object = None
) -> None:
    """The ``clamps`` as buttons (in ``row``, else a row of their own), one per gate, word and value (its
    units listed), each removing its own; and one removing them all."""
    if not clamps:
        return
    row = controls_row() if row is None else row
    same = groupby(
        sorted(clamps, key=lambda c: (c.step, GATES.index(c.gate), c.value)),
        key=lambda c: (c.step, c.gate, c.value),
    )
    for (step, gate, value), members in same:
        members = list(members)
        word = f" (“{tokens[step - 1]}”)" if step <= len(tokens) else ""
        many = len(members) > 1
        label = (
            f"{gate_letter(notation, gate)} = {number_text(value)} at step {step}{word}, "
            f"unit{'s' if many else ''} {unit_span([c.unit for c in members])}"
        )
        row.button(
            label,
            key=_k(key, f"remove.{step}.{gate}.{number_text(value)}"),
            icon=":material/close:",
            on_click=_remove,
            args=(tuple(c.target for c in members),),
            help="Remove this clamp",
        )
    row.button(
        "Remove all clamps",
        key=_k(key, "clear"),
        on_click=view.set_view,
        kwargs={"clamps": ""},
        type="tertiary",
    )
