"""The Train page's controls: what a run trains, each bound to its view parameter (``lstm_ui.state.view``).

The pattern of ``widgets.py``: before it is drawn a control is set to the view's value (``show``), and its
callback writes its new value to the view (``view.set_view``, which writes the URL). The tuned settings
(hidden size, learning rate, steps, forget bias, gap, distractors) show the task's own value while the
view holds None; a value equal to it goes back to None, so a link names only what the student changed.
Choosing another task brings back its own settings.
"""

from __future__ import annotations

import streamlit as st

from lstm_ui.layout import controls_row
from lstm_ui.state import view
from lstm_ui.state.values import MAX_FORGET_BIAS, MAX_HIDDEN, MAX_SEED, MAX_TRAIN_STEPS
from lstm_ui.state.widgets import show
from lstm_ui.viewmodels.train import CELL_KEYS, TUNED, Settings, cell_title, lab_tasks, own_setting

LEARNING_RATES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)


def _key(name: str) -> str:
    return f"train.{name}"


def _changed(name: str) -> None:
    """(A control's callback.) Its value goes to the view; the task's own value as None."""
    value = st.session_state[_key(name)]
    tuned = name in TUNED and value == own_setting(str(view.get("task")), name)
    view.set_view(**{name: None if tuned else value})


def _new_task() -> None:
    """Another task: its own settings (the cell and the seed stay)."""
    view.set_view(task=st.session_state[_key("task")], **dict.fromkeys(TUNED))


def train_controls(s: Settings) -> None:
    """Every choice of a run, showing the settings ``s`` (the view's, resolved)."""
    tasks = lab_tasks()
    setup = tasks[s.task]
    row = controls_row()
    row.selectbox(
        "Task",
        list(tasks),
        format_func=lambda k: tasks[k].title,
        key=show(_key("task"), s.task),
        on_change=_new_task,
        width=300,
    )
    if setup.gap is not None:
        _, low, high = setup.gap
        row.slider(
            "Gap (symbols between the clue and the question)",
            low,
            high,
            key=show(_key("gap"), s.gap),
            on_change=_changed,
            args=("gap",),
            width=320,
            help="Training gaps go from 1 up to this one" if setup.curriculum else None,
        )
    if setup.distractors is not None:
        row.segmented_control(
            "What fills the gap",
            list(setup.distractors),
            format_func=setup.distractors.get,
            key=show(_key("distractors"), s.distractors),
            on_change=_changed,
            args=("distractors",),
            required=True,
        )
    st.caption(setup.description)
    row = controls_row()
    row.segmented_control(
        "Cell",
        list(CELL_KEYS),
        format_func=cell_title,
        key=show(_key("cell"), s.cell),
        on_change=_changed,
        args=("cell",),
        required=True,
        help="Race trains all three side by side.",
    )
    row.number_input(
        "Hidden size", 1, MAX_HIDDEN, key=show(_key("hidden"), s.hidden), on_change=_changed,
        args=("hidden",), width=130,
    )  # fmt: skip
    rates = sorted({*LEARNING_RATES, s.lr})
    row.select_slider(
        "Learning rate", rates, key=show(_key("lr"), s.lr), on_change=_changed, args=("lr",), width=220
    )
    row.number_input(
        "Steps (at most)", 1, MAX_TRAIN_STEPS, step=100, key=show(_key("steps"), s.steps),
        on_change=_changed, args=("steps",), width=150,
    )  # fmt: skip
    row.number_input(
        "Forget-gate bias (LSTM)", -MAX_FORGET_BIAS, MAX_FORGET_BIAS, step=0.5, format="%.1f",
        key=show(_key("forget_bias"), s.forget_bias), on_change=_changed, args=("forget_bias",), width=170,
        help="Added to the forget gate's bias at the start: 3 makes f ≈ 0.95, so the cell keeps what it "
        "stores across the gap from the first step on.",
    )  # fmt: skip
    row.number_input(
        "Seed", 0, MAX_SEED, key=show(_key("seed"), s.seed), on_change=_changed, args=("seed",), width=120,
        help="Fixes the data, the first weights and the batch order: the same seed gives the same curves.",
    )  # fmt: skip
