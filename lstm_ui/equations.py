r"""Every equation the app shows, in the chosen notation, with the live numbers: one builder.

The symbols, the element-wise product sign and the general forms come from the notation registry
(``assets/notations.json`` via ``lstm_ui.notation``); every number comes from the core's trace (its
pre-activations, gates, the parts C^f and C^i, the states) or from ``lstm_core.cell_update``. Nothing
here computes gate math: it only writes the numbers into the equations, e.g.

    f_t = \sigma(W_f \cdot [h_{t-1}, x_t] + b_f)
    [f_t]_{2} = \sigma(0.532) = 0.630
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from lstm_core import GRUTrace, LSTMTrace, RNNTrace
from lstm_ui.notation import Notation

GATES = ("forget", "input", "candidate", "output")
ACTIVATION = {"forget": r"\sigma", "input": r"\sigma", "candidate": r"\tanh", "output": r"\sigma"}
# the equation keys in the order of the four steps
EQUATION_ORDER = ("forget", "forget_part", "input", "candidate", "input_part", "cell", "output", "hidden")
GRU_ORDER = ("reset", "update", "candidate", "hidden")


def fmt(v: float) -> str:
    """A number for LaTeX: 3 decimals, or m \\times 10^{e} when |v| >= 10^4."""
    v = float(v) + 0.0  # + 0.0: an exact −0.0 (0 × a negative) shows as 0.000
    if abs(v) >= 1e4:
        mant, exp = f"{v:.3e}".split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return f"{v:.3f}"


def fmt_factor(v: float) -> str:
    """``fmt(v)`` as a factor in a product: in parentheses when negative (``0.24 \\times (-0.72)``)."""
    s = fmt(v)
    return f"({s})" if float(v) < 0 else s


_p = fmt_factor


def _trim(v: float) -> str:
    """Short numbers for vectors: [1, 0, 4], [0.5, -0.25]; at most 3 decimals; ``fmt`` when huge."""
    v = float(v)
    if abs(v) >= 1e4:
        return fmt(v)
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def vec(a: object) -> str:
    """A short vector, ``[1, 0, 4]``."""
    return "[" + ", ".join(_trim(x) for x in np.ravel(a)) + "]"


def _unit(symbol: str, j: int) -> str:
    return rf"\left[{symbol}\right]_{{{j}}}"


def _gathered(general: str, live: str) -> str:
    return rf"\begin{{gathered}}{general} \\ {live}\end{{gathered}}"


# ---- the LSTM -------------------------------------------------------------------------------------------


def cell_values(trace: LSTMTrace, t: int) -> dict[str, np.ndarray]:
    """Every vector the cell touches at step ``t`` (0-based), read from the trace: x_t, h_{t-1}, C_{t-1},
    the pre-activations ``pre_<gate>``, the gates, C^f, C^i, C_t, tanh(C_t) and h_t; ``set_<gate>``: the
    units whose gate was set by hand at this step (a run with clamps)."""
    if not 0 <= t < trace.steps:
        raise ValueError(f"step {t} is outside the sequence (0 … {trace.steps - 1})")
    names = ("forget_part", "input_part", "cell", "cell_tanh", "hidden", *GATES)
    out = {"x": trace.xs[t], "hidden_prev": trace.hidden_prev[t], "cell_prev": trace.cell_prev[t]}
    out.update({name: getattr(trace, name)[t] for name in names})
    out.update({f"pre_{g}": getattr(trace, f"pre_{g}")[t] for g in GATES})
    H = np.shape(out["cell"])[-1]
    for g in GATES:  # which units' gate was set by hand at this step (a run with clamps records them)
        out[f"set_{g}"] = np.zeros(H, dtype=bool)
    for clamp in getattr(trace, "clamps", ()):
        if clamp.step == t:
            out[f"set_{clamp.gate}"][..., clamp.unit] = True
    return out


def part_equations(notation: Notation) -> dict[str, str]:
    """General forms of the two cell-state parts, C_t^f = f_t * C_{t-1} and C_t^i = i_t * C̃_t (a
    notation whose part symbol is already the product, like PyTorch's, shows it once)."""
    S, op = notation.symbols, notation.product
    out = {}
    for part, (gate, other) in {
        "forget_part": ("forget", "cell_prev"),
        "input_part": ("input", "candidate"),
    }.items():
        product, sym = f"{S[gate]} {op} {S[other]}", S[part]
        out[part] = sym if sym.replace(" ", "") == product.replace(" ", "") else f"{sym} = {product}"
    return out


def unit_equations(values: Mapping[str, np.ndarray], unit: int, notation: Notation) -> dict[str, str]:
    """LaTeX per equation key (``EQUATION_ORDER``): the notation's general form, a line break, and the
    same equation for ``unit`` (0-based; shown 1-based as on the sliders) with its numbers."""
    S = notation.symbols
    general = {**notation.equations, **part_equations(notation)}
    v = {k: float(np.ravel(a)[unit]) for k, a in values.items() if k != "x"}
    j = unit + 1
    lines = {g: rf"{_unit(S[g], j)} = {ACTIVATION[g]}({fmt(v[f'pre_{g}'])}) = {fmt(v[g])}" for g in GATES}
    for g in GATES:
        if v.get(f"set_{g}"):  # clamped: the weights gave ACTIVATION(z), the run used the value set
            weights = rf"\text{{(set by hand; the weights gave }} {ACTIVATION[g]}({fmt(v[f'pre_{g}'])}))"
            lines[g] = rf"{_unit(S[g], j)} = {fmt(v[g])} \quad {weights}"
    product = rf"{_p(v['forget'])} \times {_p(v['cell_prev'])}"
    lines["forget_part"] = rf"{_unit(S['forget_part'], j)} = {product} = {fmt(v['forget_part'])}"
    written = rf"{_p(v['input'])} \times {_p(v['candidate'])}"
    lines["input_part"] = rf"{_unit(S['input_part'], j)} = {written} = {fmt(v['input_part'])}"
    # the long chains get one line per step, so they fit a narrow column
    lines["cell"] = (
        rf"{_unit(S['cell'], j)} = {product} + {written} \\ = {fmt(v['forget_part'])} + "
        rf"{_p(v['input_part'])} = {fmt(v['cell'])}"
    )
    lines["hidden"] = (
        rf"{_unit(S['hidden'], j)} = {_p(v['output'])} \times \tanh({fmt(v['cell'])}) \\ = "
        rf"{_p(v['output'])} \times {_p(v['cell_tanh'])} = {fmt(v['hidden'])}"
    )
    return {k: _gathered(general[k], lines[k]) for k in EQUATION_ORDER}


def step_equations(values: Mapping[str, np.ndarray], unit: int, notation: Notation) -> tuple[str, str]:
    """The step page's two update equations for ``unit`` (0-based), in one line each: C_t and h_t."""
    eq = unit_equations(values, unit, notation)
    return eq["cell"], eq["hidden"]


def vector_latex(symbol: str, values: object, limit: int = 8) -> str:
    """``symbol = [v_0, v_1, …]`` with at most ``limit`` entries shown."""
    arr = np.ravel(values)
    more = r", \dots" if arr.size > limit else ""
    return rf"{symbol} = [{', '.join(fmt(x) for x in arr[:limit])}{more}]"


def chain_latex(lhs: str, parts: Sequence[str], broken: bool = False) -> str:
    """``lhs = parts[0] = parts[1] = …`` on one line, or (``broken``: a narrow column in large type) with
    each "= part" after the first on a line of its own."""
    if not broken:
        return " = ".join((lhs, *parts))
    rows = [f"{lhs} &= {parts[0]}", *(f"&= {part}" for part in parts[1:])]
    return r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"


def forget_product_latex(
    notation: Notation, c_prev: object, f: object, forget_part: object, two_lines: bool = False
) -> str:
    """The lecture's forget product: C_t^f = C_{t-1} * f_t = [1, 2, 4] * [1, 0, 1] = [1, 0, 4]
    (``two_lines``: the numbers on a second line, for a narrow column in large type)."""
    S, op = notation.symbols, notation.product
    sym = part_equations(notation)["forget_part"].split(" = ")[0]
    numbers = rf"{vec(c_prev)} {op} {vec(f)} = {vec(forget_part)}"
    return chain_latex(sym, (rf"{S['cell_prev']} {op} {S['forget']}", numbers), two_lines)


def update_latex(notation: Notation, gates: Mapping[str, object], update: object) -> list[str]:
    """The rest of the Gate lab's update as vectors, from ``gates`` (input, candidate, output) and the
    core's ``cell_update`` result ``update``: C^i = i * C̃, C_t = C^f + C^i, h_t = o * tanh(C_t)."""
    S, op = notation.symbols, notation.product
    parts = part_equations(notation)
    ci, cf = (parts[p].split(" = ")[0] for p in ("input_part", "forget_part"))
    return [
        rf"{ci} = {S['input']} {op} {S['candidate']} = {vec(gates['input'])} {op} {vec(gates['candidate'])}"
        rf" = {vec(update.input_part)}",
        rf"{S['cell']} = {cf} + {ci} = {vec(update.forget_part)} + {vec(update.input_part)}"
        rf" = {vec(update.cell)}",
        rf"{S['hidden']} = {S['output']} {op} \tanh({S['cell']}) = {vec(gates['output'])} {op} "
        rf"\tanh({vec(update.cell)}) = {vec(update.hidden)}",
    ]


# ---- the GRU and the plain RNN --------------------------------------------------------------------------


def gru_general(notation: Notation) -> dict[str, str]:
    """The four GRU equations in general form, by name (``GRU_ORDER``)."""
    S = notation.for_gru().symbols
    h, hp, x, r, z, n = (S[k] for k in ("hidden", "hidden_prev", "x", "reset", "update", "candidate"))

    def gate(sym: str) -> str:
        g = sym[0]
        return rf"{sym} = \sigma(W_{{i{g}}} {x} + b_{{i{g}}} + W_{{h{g}}} {hp} + b_{{h{g}}})"

    return {
        "reset": gate(r),
        "update": gate(z),
        "candidate": rf"{n} = \tanh(W_{{in}} {x} + b_{{in}} + {r} * (W_{{hn}} {hp} + b_{{hn}}))",
        "hidden": rf"{h} = (1 - {z}) * {n} + {z} * {hp}",
    }


def gru_live(trace: GRUTrace, t: int, j: int, notation: Notation) -> dict[str, str]:
    """The four GRU equations for unit ``j`` at step ``t`` (both 0-based) with the trace's numbers: each
    gate from its part from x and its part from h, n_t, then h_t."""
    S = notation.for_gru().symbols
    names = ("reset", "update", "candidate", "hidden")
    v = {k: float(getattr(trace, k)[t, j]) for k in names}
    for g in ("reset", "update", "candidate"):
        v[f"{g}_from_x"], v[f"{g}_from_h"] = (float(getattr(trace, f"{g}_from_{s}")[t, j]) for s in "xh")
    v["hidden_prev"] = float(trace.hidden_prev[t, j])

    def gate(name: str) -> str:
        sums = rf"{_p(v[name + '_from_x'])} + {_p(v[name + '_from_h'])}"
        return rf"{_unit(S[name], j + 1)} = \sigma({sums}) = {fmt(v[name])}"

    return {
        "reset": gate("reset"),
        "update": gate("update"),
        "candidate": rf"{_unit(S['candidate'], j + 1)} = \tanh({_p(v['candidate_from_x'])} + "
        rf"{_p(v['reset'])} \times {_p(v['candidate_from_h'])}) = {fmt(v['candidate'])}",
        "hidden": rf"{_unit(S['hidden'], j + 1)} = (1 - {_p(v['update'])}) \times {_p(v['candidate'])} + "
        rf"{_p(v['update'])} \times {_p(v['hidden_prev'])} = {fmt(v['hidden'])}",
    }


def _label(tex: str) -> str:
    """An underbrace's label: its subscripts as large as the label itself (a subscript of a subscript is
    half size, too small to read on a phone)."""
    return re.sub(r"_(\w)", r"_{\\scriptstyle \1}", tex.replace("_{", r"_{\scriptstyle "))


def rnn_equations(trace: RNNTrace, y: object, t: int, j: int, notation: Notation) -> list[str]:
    """The plain RNN's two equations, general and with the numbers of step ``t``, unit ``j`` (0-based):
    h_t from its three terms (from h_{t-1}, from x_t, the bias), and the outputs ``y`` = y_t."""
    S = notation.symbols
    h, hp, x = S["hidden"], S["hidden_prev"], S["x"]
    v = {k: float(getattr(trace, k)[t, j]) for k in ("from_h", "from_x", "bias", "pre_hidden", "hidden")}
    terms = (
        rf"\underbrace{{{_p(v['from_h'])}}}_{{{_label(f'W_{{hh}} {hp}')}}} + "
        rf"\underbrace{{{_p(v['from_x'])}}}_{{{_label(f'W_{{xh}} {x}')}}} + "
        rf"\underbrace{{{_p(v['bias'])}}}_{{b}}"
    )
    state = _gathered(
        rf"{h} = \tanh(W_{{hh}}\, {hp} + W_{{xh}}\, {x} + b)",
        rf"{_unit(h, j + 1)} = \tanh({terms}) = \tanh({fmt(v['pre_hidden'])}) = {fmt(v['hidden'])}",
    )
    outputs = ", ".join(fmt(val) for val in np.ravel(y))
    return [state, _gathered(rf"y_t = W_{{hy}}\, {h}", rf"y_{{{t + 1}}} = [{outputs}]")]
