r"""The cell's equations in the chosen notation, with the live numbers of one unit substituted.

``cell_values`` gathers every vector of one timestep (including the gates' pre-activations z, which
the trace does not keep) and ``unit_equations`` turns them into LaTeX for ``st.latex``, e.g.

    f_t = \sigma(W_f \cdot [h_{t-1}, x_t] + b_f)
    [f_t]_{2} = \sigma(0.532) = 0.630

Labels come from the notation entry of assets/notations.json; the numbers do not depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lstm_core import LSTMParams, LSTMTrace
from lstm_ui.notation import Notation

GATES = ("forget", "input", "candidate", "output")
ACTIVATION = {"forget": r"\sigma", "input": r"\sigma", "candidate": r"\tanh", "output": r"\sigma"}
# the equation keys in the order of the four steps
EQUATION_ORDER = ("forget", "forget_part", "input", "candidate", "input_part", "cell", "output", "hidden")


def preactivations(params: LSTMParams, x_t: np.ndarray, h_prev: np.ndarray) -> dict[str, np.ndarray]:
    """z_g = W_ig x_t + W_hg h_{t-1} + b_ig + b_hg for each gate g, each (H,)."""
    x = np.asarray(x_t, dtype=params.dtype)
    h = np.asarray(h_prev, dtype=params.dtype)
    return {
        g: params.gate_block("weight_ih", g) @ x
        + params.gate_block("weight_hh", g) @ h
        + params.gate_block("bias_ih", g)
        + params.gate_block("bias_hh", g)
        for g in GATES
    }


def cell_values(trace: LSTMTrace, t: int, params: LSTMParams | None = None) -> dict[str, np.ndarray]:
    """Every vector the cell touches at step ``t``: gates, states, parts and (with ``params``) z."""
    if not 0 <= t < trace.steps:
        raise ValueError(f"step {t} is outside the sequence (0 … {trace.steps - 1})")
    out = {
        "x": trace.xs[t],  # (D,)
        "hidden_prev": trace.hidden_prev[t],  # (H,)
        "cell_prev": trace.cell_prev[t],
        "forget_part": trace.forget_part[t],
        "input_part": trace.input_part[t],
        **{name: getattr(trace, name)[t] for name in (*GATES, "cell", "cell_tanh", "hidden")},
    }
    if params is not None:
        z = preactivations(params, out["x"], out["hidden_prev"])
        out.update({f"pre_{g}": z[g] for g in GATES})
    return out


def fmt(v: float) -> str:
    """A number for LaTeX: 3 decimals, or m \\times 10^{e} when |v| >= 10^4."""
    v = float(v)
    if abs(v) >= 1e4:
        mant, exp = f"{v:.3e}".split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return f"{v:.3f}"


def fmt_factor(v: float) -> str:
    """``fmt(v)`` as a factor in a product: in parentheses when negative (``0.24 \\times (-0.72)``)."""
    s = fmt(v)
    return f"({s})" if float(v) < 0 else s


def _unit(symbol: str, j: int) -> str:
    return rf"\left[{symbol}\right]_{{{j}}}"


def _product(notation: Notation) -> str:
    """The element-wise product sign the notation uses (``*`` or ``\\odot``)."""
    return r"\odot" if r"\odot" in notation.equations.get("cell", "") else "*"


def part_equations(notation: Notation) -> dict[str, str]:
    """General forms of the two cell-state parts, C_t^f = f_t * C_{t-1} and C_t^i = i_t * C̃_t."""
    S, op = notation.symbols, _product(notation)
    out = {}
    for part, (gate, other) in {
        "forget_part": ("forget", "cell_prev"),
        "input_part": ("input", "candidate"),
    }.items():
        product = f"{S[gate]} {op} {S[other]}"
        sym = S[part]
        out[part] = sym if any(o in sym for o in ("*", r"\odot")) else f"{sym} = {product}"
    return out


def unit_equations(values: dict[str, np.ndarray], unit: int, notation: Notation) -> dict[str, str]:
    """LaTeX per equation key (see ``EQUATION_ORDER``): the notation's general form, a line break, and
    the same equation for ``unit`` (0-based; shown 1-based as on the sliders) with its numbers. Gates show
    σ(z) when ``values`` holds ``pre_<gate>``."""
    S = notation.symbols
    general = {**notation.equations, **part_equations(notation)}
    v = {k: float(np.ravel(a)[unit]) for k, a in values.items() if k != "x"}
    j = unit + 1
    lines: dict[str, str] = {}
    for g in GATES:
        head = rf"{_unit(S[g], j)} = {ACTIVATION[g]}"
        if f"pre_{g}" in v:
            lines[g] = rf"{head}({fmt(v[f'pre_{g}'])}) = {fmt(v[g])}"
        else:
            lines[g] = rf"{head}(\dots) = {fmt(v[g])}"
    lines["forget_part"] = (
        rf"{_unit(S['forget_part'], j)} = {fmt_factor(v['forget'])} \times {fmt_factor(v['cell_prev'])}"
        rf" = {fmt(v['forget_part'])}"
    )
    lines["input_part"] = (
        rf"{_unit(S['input_part'], j)} = {fmt_factor(v['input'])} \times {fmt_factor(v['candidate'])}"
        rf" = {fmt(v['input_part'])}"
    )
    # the long chains get one line per step, so they fit a narrow column
    lines["cell"] = (
        rf"{_unit(S['cell'], j)} = {fmt_factor(v['forget'])} \times {fmt_factor(v['cell_prev'])} + "
        rf"{fmt_factor(v['input'])} \times {fmt_factor(v['candidate'])} \\ = {fmt(v['forget_part'])} + "
        rf"{fmt_factor(v['input_part'])} = {fmt(v['cell'])}"
    )
    lines["hidden"] = (
        rf"{_unit(S['hidden'], j)} = {fmt_factor(v['output'])} \times \tanh({fmt(v['cell'])}) \\ = "
        rf"{fmt_factor(v['output'])} \times {fmt_factor(v['cell_tanh'])} = {fmt(v['hidden'])}"
    )
    return {k: rf"\begin{{gathered}}{general[k]} \\ {lines[k]}\end{{gathered}}" for k in EQUATION_ORDER}


def vector_latex(symbol: str, vec: np.ndarray, limit: int = 8) -> str:
    """``symbol = [v_0, v_1, …]`` with at most ``limit`` entries shown."""
    arr = np.ravel(vec)
    shown = ", ".join(fmt(x) for x in arr[:limit])
    more = r", \dots" if arr.size > limit else ""
    return rf"{symbol} = [{shown}{more}]"


def forget_product_latex(
    symbols: Mapping[str, str], c_prev: np.ndarray, f: np.ndarray, cf: np.ndarray
) -> str:
    """The lecture's forget product: C_t^f = C_{t-1} * f_t = [1, 2, 4] * [1, 0, 1] = [1, 0, 4]."""

    def vec(a: np.ndarray) -> str:
        return "[" + ", ".join(_trim(x) for x in np.ravel(a)) + "]"

    return (
        rf"{symbols['forget_part']} = {symbols['cell_prev']} * {symbols['forget']} = "
        rf"{vec(c_prev)} * {vec(f)} = {vec(cf)}"
    )


def _trim(v: float) -> str:
    """Short numbers for vectors: [1, 0, 4], [0.5, -0.25]; at most 3 decimals; ``fmt`` when huge."""
    v = float(v)
    if abs(v) >= 1e4:
        return fmt(v)
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def update_latex(
    notation: Notation,
    values: Mapping[str, np.ndarray],
    c_forget: np.ndarray,
    c_input: np.ndarray,
    c_new: np.ndarray,
    h_new: np.ndarray,
) -> list[str]:
    """The rest of the gate lab's update as vectors: C^i = i * C̃, C_t = C^f + C^i, h_t = o * tanh(C_t)."""
    S, op = notation.symbols, _product(notation)

    def vec(a: np.ndarray) -> str:
        return "[" + ", ".join(_trim(x) for x in np.ravel(a)) + "]"

    parts = part_equations(notation)
    ci_sym = parts["input_part"].split(" = ")[0]
    cf_sym = parts["forget_part"].split(" = ")[0]
    return [
        rf"{ci_sym} = {S['input']} {op} {S['candidate']} = {vec(values['input'])} {op} "
        rf"{vec(values['candidate'])} = {vec(c_input)}",
        rf"{S['cell']} = {cf_sym} + {ci_sym} = {vec(c_forget)} + {vec(c_input)} = {vec(c_new)}",
        rf"{S['hidden']} = {S['output']} {op} \tanh({S['cell']}) = {vec(values['output'])} {op} "
        rf"\tanh({vec(c_new)}) = {vec(h_new)}",
    ]
