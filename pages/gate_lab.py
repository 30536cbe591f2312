"""Gate lab: the forget product and the whole cell update, with vectors and weights you edit."""

import numpy as np
import streamlit as st

from lstm_core import LSTMParams, cell_update, init_lstm, lstm_step, tanh
from lstm_ui import editors
from lstm_ui.equations import forget_product_latex, update_latex, vector_latex
from lstm_ui.filters import update_figure
from lstm_ui.layout import is_presenter, read_text
from lstm_ui.notation import current_notation

# The lecture's forget product (C_{t-1} = [1, 2, 4], f = [1, 0, 1]) and a store/output step to go with it.
LECTURE = {
    "cell_prev": (1.0, 2.0, 4.0),
    "forget": (1.0, 0.0, 1.0),
    "input": (0.0, 1.0, 0.5),
    "candidate": (0.9, 0.8, -0.5),
    "output": (1.0, 1.0, 0.0),
}
DEMOS = {  # button label -> what it sets
    "Lecture example": {},
    "f = 0: forget everything": {"forget": (0.0, 0.0, 0.0)},
    "f = 1: forget nothing": {"forget": (1.0, 1.0, 1.0)},
}
GATE_RANGES = {"forget": (0.0, 1.0), "input": (0.0, 1.0), "output": (0.0, 1.0), "candidate": (-1.0, 1.0)}
D, H = 2, 3  # sizes in "from weights" mode


def _default_params() -> dict[str, list]:
    """Seeded weights whose forget bias (+6, −6, +6) makes f ≈ [1, 0, 1], like the lecture."""
    arrays = init_lstm(D, H, seed=0).to_torch()
    arrays["bias_ih"][H : 2 * H] = (6.0, -6.0, 6.0)
    arrays["bias_hh"][H : 2 * H] = 0.0
    return {k: v.tolist() for k, v in arrays.items()}


def _apply_demo(changes: dict) -> None:
    base = {**LECTURE} if not changes else {**st.session_state["lab_gates"]}
    st.session_state["lab_gates"] = {**base, **changes}
    st.session_state["lab_version"] += 1


def _reset_weights() -> None:
    st.session_state["lab_params"] = _default_params()
    st.session_state["lab_vectors"] = {
        "x": (0.5, -1.0),
        "hidden_prev": (0.0, 0.0, 0.0),
        "cell_prev": (1.0, 2.0, 4.0),
    }
    st.session_state["lab_version"] += 1


st.session_state.setdefault("lab_version", 0)
st.session_state.setdefault("lab_gates", dict(LECTURE))
if "lab_params" not in st.session_state:
    _reset_weights()

notation = current_notation()
large = is_presenter()
version = st.session_state["lab_version"]
plain = notation.symbol_plain

st.title("Gate lab")
st.markdown(read_text("gate_lab"), unsafe_allow_html=True)

mode = st.segmented_control(
    "Where the gates come from",
    ["direct", "weights"],
    default="direct",
    required=True,
    format_func={"direct": "Set gates directly", "weights": "From weights"}.get,
    key="lab_mode",
)

if mode == "direct":
    demo_cols = st.columns(len(DEMOS))
    for col, (label, changes) in zip(demo_cols, DEMOS.items(), strict=True):
        col.button(label, key=f"demo_{label}", on_click=_apply_demo, args=(changes,), width="stretch")
    gates = st.session_state["lab_gates"]
    names = ("cell_prev", "forget", "input", "candidate", "output")
    frame = editors.matrix_frame(
        np.column_stack([gates[n] for n in names]),
        [f"unit {k + 1}" for k in range(len(gates["forget"]))],
        names,
    )
    st.markdown(f"**Edit {plain('cell_prev')} and the gates** (one row per unit):")
    parsed = editors.number_editor(
        frame, f"lab_direct_{version}", "Cell inputs", {n: plain(n) for n in names}, help="any number"
    )
    if not editors.show_problems([parsed]):
        st.stop()
    values = dict(zip(names, parsed.array.T, strict=True))
    st.session_state["lab_gates"] = {n: tuple(float(v) for v in values[n]) for n in names}
    for name, (lo, hi) in GATE_RANGES.items():
        outside = (values[name] < lo) | (values[name] > hi)
        if outside.any():
            st.warning(
                f"{notation.name(name)} {plain(name)} has value(s) outside {lo:g} … {hi:g}, which "
                f"{'σ' if lo == 0 else 'tanh'} can never produce. Computed anyway."
            )
else:
    st.button("Reset weights and vectors", key="reset_weights", on_click=_reset_weights)
    params0 = LSTMParams(**{k: np.asarray(v) for k, v in st.session_state["lab_params"].items()})
    vec = st.session_state["lab_vectors"]
    left, right = st.columns([1, 2])
    with left:
        st.markdown(f"**Inputs** {plain('x')}")
        px = editors.number_editor(
            editors.vector_frame(vec["x"], [f"x{k + 1}" for k in range(D)]),
            f"lab_x_{version}",
            plain("x"),
            {"value": plain("x")},
        )
        st.markdown(f"**States** {plain('hidden_prev')}, {plain('cell_prev')}")
        hc = editors.matrix_frame(
            np.column_stack([vec["hidden_prev"], vec["cell_prev"]]),
            [f"unit {k + 1}" for k in range(H)],
            ["hidden_prev", "cell_prev"],
        )
        phc = editors.number_editor(
            hc, f"lab_hc_{version}", "States", {n: plain(n) for n in ("hidden_prev", "cell_prev")}
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
        st.stop()
    params = editors.params_from_tables({k: p.array for k, p in parsed_w.items()}, notation, D)
    st.session_state["lab_params"] = {k: v.tolist() for k, v in params.to_torch().items()}
    x, h_prev, c_prev = px.array[:, 0], phc.array[:, 0], phc.array[:, 1]
    st.session_state["lab_vectors"] = {
        "x": tuple(x),
        "hidden_prev": tuple(h_prev),
        "cell_prev": tuple(c_prev),
    }
    step = lstm_step(params, x, h_prev, c_prev)  # the core computes every gate
    values = {"cell_prev": c_prev, **{g: getattr(step, g)[0] for g in editors.GATE_ORDER}}
    st.markdown("**The gates the weights produce:**")
    for g in editors.GATE_ORDER:
        st.latex(vector_latex(notation.symbols[g], values[g]))

# The cell state updated twice, through the core.
zeros = np.zeros_like(values["cell_prev"])
c_forget = cell_update(values["cell_prev"], values["forget"], zeros, zeros)  # C^f = f * C_{t-1}
c_input = cell_update(zeros, zeros, values["input"], values["candidate"])  # C^i = i * C̃
c_new = cell_update(values["cell_prev"], values["forget"], values["input"], values["candidate"])
h_new = values["output"] * tanh(c_new)

st.subheader("The cell state, updated twice")
st.latex(forget_product_latex(notation.symbols, values["cell_prev"], values["forget"], c_forget))
for tex in update_latex(notation, values, c_forget, c_input, c_new, h_new):
    st.latex(tex)
st.plotly_chart(
    update_figure(values["cell_prev"], c_forget, c_input, c_new, notation, large),
    key="lab_result",
    config={"displayModeBar": False},
)
