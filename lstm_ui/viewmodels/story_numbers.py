"""The two numeric examples of the Stories page (no model): softmax of editable scores and the cell
state updated twice, ``C^f = f * C_{t-1}``, ``C^i = i * C̃``, ``C = C^f + C^i``, with editable vectors.

``NUMERIC_VIEWS`` maps an example kind to the function that draws it (into the current container) and
returns the core's result for the numbers shown (None when they cannot be used), whose claim check the
page shows beside it.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lstm_core.examples import Example, ExampleResult
from lstm_ui.components.live_chart import show_chart
from lstm_ui.equations import chain_latex, forget_product_latex, part_equations
from lstm_ui.layout import is_presenter
from lstm_ui.notation import Notation
from lstm_ui.viewmodels.stories import numbers_result, prediction_figure

# the example's numbers → the notation's symbol that heads their column
CELL_KEYS = {"c_prev": "cell_prev", "forget": "forget", "input": "input", "candidate": "candidate"}


def softmax_view(example_id: str, example: Example, notation: Notation, font: int) -> ExampleResult | None:
    """Editable scores z, their softmax as bars."""
    nums = example.numbers
    table = pd.DataFrame({"label": list(nums["labels"]), "score z": list(nums["logits"])})
    edited = st.data_editor(table, key="logits", hide_index=True, disabled=["label"])
    try:
        result = numbers_result(example_id, (("logits", tuple(float(z) for z in edited["score z"])),))
    except (TypeError, ValueError) as exc:
        st.error(f"Scores must be finite numbers: {exc}")
        return None
    k = r"_{\scriptstyle k}"  # not half size: readable on a phone
    st.latex(rf"P(\text{{label}}) = \mathrm{{softmax}}(z) = \frac{{e^{{z}}}}{{\sum_k e^{{z{k}}}}}")
    show_chart(prediction_figure(result.predictions[0], None, font), key="softmax", name="softmax")
    return result


def _vec(values: object) -> str:
    return "[" + ", ".join(f"{float(v):g}" for v in values) + "]"


def cell_update_view(
    example_id: str, example: Example, notation: Notation, font: int
) -> ExampleResult | None:
    """Editable C_{t-1}, f, i, C̃ (one row per unit); the two updates of the cell state in LaTeX."""
    nums, S = example.numbers, notation.symbols
    table = pd.DataFrame({notation.symbol_plain(CELL_KEYS[k]): list(nums[k]) for k in CELL_KEYS})
    edited = st.data_editor(table, key="cell_numbers", hide_index=True)
    try:
        items = tuple((k, tuple(float(v) for v in edited.iloc[:, n])) for n, k in enumerate(CELL_KEYS))
        result = numbers_result(example_id, items)
    except (TypeError, ValueError) as exc:
        st.error(f"Every entry must be a finite number: {exc}")
        return None
    r = result.numbers
    large = is_presenter()  # a projector's type: the numbers on a line of their own, or they overflow
    st.latex(forget_product_latex(notation, r["c_prev"], r["forget"], r["forget_part"], two_lines=large))
    st.latex(rf"{part_equations(notation)['input_part']} = {_vec(r['input_part'])}")
    parts = _vec(r["forget_part"]) + " + " + _vec(r["input_part"]), _vec(r["cell"])
    st.latex(chain_latex(S["cell"], parts, large))  # C_t = C^f + C^i = …
    return result


NUMERIC_VIEWS: dict[str, Callable[[str, Example, Notation, int], ExampleResult | None]] = {
    "softmax": softmax_view,
    "cell_update": cell_update_view,
}
