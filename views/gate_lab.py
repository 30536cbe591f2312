"""Gate lab: the forget product and the whole cell update, with vectors and weights you edit."""

import streamlit as st

from lstm_ui import editors
from lstm_ui.components.live_svg import show_svg, tex_html
from lstm_ui.drawings.update_bars import update_bars_svg
from lstm_ui.equations import forget_product_latex, update_latex, vector_latex
from lstm_ui.exercise_box import exercise_box
from lstm_ui.layout import intro, is_presenter
from lstm_ui.notation import current_notation
from lstm_ui.prose import read_text
from lstm_ui.state.widgets import lab_mode
from lstm_ui.viewmodels import gate_lab as lab


def _editor_key() -> str:
    return f"lab_direct_{st.session_state['lab_version']}"


def _apply_demo(changes: dict) -> None:
    st.session_state["lab_gates"] = lab.apply_demo(st.session_state["lab_gates"], changes)
    edits = st.session_state.get(_editor_key()) or {}
    if lab.demo_overrides_edits(edits.get("edited_rows", {}), changes):
        st.session_state["lab_version"] += 1


def _reset_weights() -> None:
    st.session_state["lab_params"] = lab.default_params()
    st.session_state["lab_vectors"] = lab.default_vectors()
    st.session_state["lab_version"] += 1


def edit_direct() -> dict | None:
    """The demos and the table of C_{t-1} and the four gates; their values, or None while a cell is bad."""
    for col, (label, changes) in zip(st.columns(len(lab.DEMOS)), lab.DEMOS.items(), strict=True):
        col.button(label, key=f"demo_{label}", on_click=_apply_demo, args=(changes,), width="stretch")
    st.markdown(f"**Edit {plain('cell_prev')} and the gates** (one row per unit):")
    parsed = editors.number_editor(
        lab.gates_frame(st.session_state["lab_gates"]),
        _editor_key(),
        "Cell inputs",
        {n: plain(n) for n in lab.CELL_INPUTS},
        help="any number",
    )
    if not editors.show_problems([parsed]):
        return None
    values = st.session_state["lab_gates"] = lab.read_gates(parsed)
    for message in lab.range_warnings(values, notation):
        st.warning(message)
    return values


def edit_weights() -> dict | None:
    """x_t, h_{t-1}, C_{t-1} and every weight and bias; the gates the core computes from them, or None
    while a cell is bad."""
    version = st.session_state["lab_version"]
    st.button("Reset weights and vectors", key="reset_weights", on_click=_reset_weights)
    params0 = lab.params_from_lists(st.session_state["lab_params"])
    x_frame, states_frame = lab.vector_frames(st.session_state["lab_vectors"])
    left, right = st.columns([1, 2])
    with left:
        st.markdown(f"**Inputs** {plain('x')}")
        px = editors.number_editor(x_frame, f"lab_x_{version}", plain("x"), {"value": plain("x")})
        st.markdown(f"**States** {plain('hidden_prev')}, {plain('cell_prev')}")
        phc = editors.number_editor(
            states_frame, f"lab_hc_{version}", "States", {n: plain(n) for n in lab.STATE_COLUMNS}
        )
    with right:
        st.markdown(f"**Weights and biases** in the {notation.title} notation")
        tables = editors.weight_tables(params0, notation)
        tabs = st.tabs([notation.name(g) for g in editors.GATE_ORDER])
        parsed_w = {}
        for table in tables:
            with tabs[editors.GATE_ORDER.index(table.gate)]:
                if table.part in ("all", "U"):
                    st.latex(notation.equations[table.gate])
                if table.part != "all":
                    st.caption(table.part)
                parsed_w[(table.gate, table.part)] = editors.number_editor(
                    table.frame,
                    f"lab_w_{notation.key}_{table.gate}_{table.part}_{version}",
                    f"{notation.name(table.gate)} " + ("weights" if table.part == "all" else table.part),
                    table.labels,
                )
    if not editors.show_problems([px, phc, *parsed_w.values()]):
        return None
    params = editors.params_from_tables({k: p.array for k, p in parsed_w.items()}, notation, lab.D)
    st.session_state["lab_params"] = lab.params_to_lists(params)
    st.session_state["lab_vectors"] = lab.read_vectors(px, phc)
    values = lab.gates_from_weights(params, st.session_state["lab_vectors"])  # the core computes every gate
    st.markdown("**The gates the weights produce:**")
    for g in editors.GATE_ORDER:
        st.latex(vector_latex(notation.symbols[g], values[g]))
    return values


@st.fragment
def lab_body(mode: str) -> None:
    """The editors and the results: an edit or a demo reruns only this. The results, their equations and
    the bars, are one component (lstm_ui.components.live_svg.show_svg), updated in place."""
    results = st.container()  # a projector: the results first, on the first screen; else after the editors
    values = edit_direct() if mode == "direct" else edit_weights()
    if values is None:
        return
    if not large:
        results = st.container()
    result = lab.lab_update(values)  # the cell state updated twice, through the core
    v, update = result.values, result.update
    pre = {g: values[f"pre_{g}"] for g in editors.GATE_ORDER if f"pre_{g}" in values}
    equations = (
        forget_product_latex(notation, v["cell_prev"], v["forget"], update.forget_part),
        *update_latex(notation, v, update),
    )
    with results:
        for note in lab.saturation_notes(result, notation, pre):
            st.info(note)
        show_svg(
            update_bars_svg(
                v["cell_prev"], update.forget_part, update.input_part, update.cell, notation, large
            ),
            key="lab_result",
            name="gate-lab",
            html="<h3>The cell state, updated twice</h3>"
            + ("" if large else "".join(map(tex_html, equations))),
            side="".join(map(tex_html, equations)) if large else "",  # a projector: beside the bars
        )


st.session_state.setdefault("lab_version", 0)
st.session_state.setdefault("lab_gates", dict(lab.LECTURE))
if "lab_params" not in st.session_state:
    _reset_weights()

notation = current_notation()
large = is_presenter()
plain = notation.symbol_plain

st.title("Gate lab")
intro(read_text("gate_lab"), unsafe_allow_html=True)

lab_body(lab_mode())
exercise_box("views/gate_lab.py")  # issue 19: predict, then reveal
