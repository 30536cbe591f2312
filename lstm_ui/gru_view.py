r"""The GRU next to the LSTM: a pair of cells per weight set, cached runs, the GRU's labels and its
equations with live numbers (PyTorch's ``nn.GRU``, see ``lstm_core/gru.py``):

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
    n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
import streamlit as st

from lstm_core import GRUParams, GRUTrace, LSTMTrace
from lstm_core.story import load_model, run_text
from lstm_ui.equations import fmt
from lstm_ui.models import lstm_trace
from lstm_ui.notation import Notation
from lstm_ui.rnn_view import cached_run, cell_params

GATE_PANELS = ("reset", "update")  # side by side with the LSTM's
STATE_PANELS = ("candidate", "hidden")
GRU_PANELS = GATE_PANELS + STATE_PANELS
LSTM_PANELS = ("forget", "input")
# The GRU's own names; the hidden state and the input keep the notation's symbols.
GRU_LABELS = MappingProxyType(
    {
        "reset": ("reset gate", "r_t", "r<sub>t</sub>"),
        "update": ("update gate", "z_t", "z<sub>t</sub>"),
        "candidate": ("candidate n", "n_t", "n<sub>t</sub>"),
    }
)


@dataclass(frozen=True)
class WeightSet:
    key: str
    title: str
    description: str
    gru_model: str | None  # a lstm_core.story model name (None: the seeded cells of this app)
    lstm_model: str | None


WEIGHT_SETS: dict[str, WeightSet] = {
    w.key: w
    for w in (
        WeightSet(
            "seeded",
            "seeded (random)",
            "Random weights (seed 0), D = 16, H = 8, the same word vectors "
            "for both cells: the mechanics, not a meaning.",
            None,
            None,
        ),
        WeightSet(
            "trained",
            "trained on stories",
            "Both cells trained on the same next-word story task (H = 64): what the gates learned to do.",
            "trained_story_gru",
            "trained_story",
        ),
    )
}


@dataclass(frozen=True, eq=False)
class Pair:
    tokens: tuple[str, ...]
    gru: GRUTrace
    lstm: LSTMTrace
    gru_params: GRUParams


def gru_notation(notation: Notation) -> Notation:
    """``notation`` with the GRU's gate names and symbols added (the numbers never depend on it)."""
    return replace(
        notation,
        names=MappingProxyType({**notation.names, **{k: v[0] for k, v in GRU_LABELS.items()}}),
        symbols=MappingProxyType({**notation.symbols, **{k: v[1] for k, v in GRU_LABELS.items()}}),
        html=MappingProxyType({**notation.html, **{k: v[2] for k, v in GRU_LABELS.items()}}),
    )


@st.cache_resource(show_spinner=False)
def _story_model(name: str):
    return load_model(name)


def compute_pair(weights: str, tokens: tuple[str, ...]) -> Pair:
    """GRU and LSTM traces of the same words under weight set ``weights`` (uncached)."""
    spec = WEIGHT_SETS[weights]
    if spec.gru_model is None:
        return Pair(tokens, cached_run("gru", tokens), lstm_trace("lstm8", tokens), cell_params("gru"))
    gru_model, lstm_model = _story_model(spec.gru_model), _story_model(spec.lstm_model)
    text = " ".join(tokens)
    gru_run, lstm_run = run_text(gru_model, text), run_text(lstm_model, text)
    return Pair(gru_run.texts, gru_run.trace, lstm_run.trace, gru_model.params)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_pair(weights: str, tokens: tuple[str, ...]) -> Pair:
    return compute_pair(weights, tokens)


def gru_terms(params: GRUParams, trace: GRUTrace, t: int) -> dict[str, np.ndarray]:
    """Every number of step ``t`` (0-based), each (H,): the gates' input and recurrent parts, the gates,
    q = W_hn h_{t-1} + b_hn, n_t, h_{t-1} and h_t."""
    x, h_prev = trace.xs[t], trace.hidden_prev[t]
    out = {}
    for g in ("reset", "update", "candidate"):
        out[f"in_{g}"] = params.gate_block("weight_ih", g) @ x + params.gate_block("bias_ih", g)
        out[f"rec_{g}"] = params.gate_block("weight_hh", g) @ h_prev + params.gate_block("bias_hh", g)
        out[g] = getattr(trace, g)[t]
    out["hidden_prev"], out["hidden"] = h_prev, trace.hidden[t]
    return out


def _p(v: float) -> str:
    return f"({fmt(v)})" if v < 0 else fmt(v)


def gru_latex(params: GRUParams, trace: GRUTrace, t: int, j: int, notation: Notation) -> dict[str, str]:
    """The four GRU equations, general and for unit ``j`` at step ``t`` (both 0-based), by panel name."""
    S = gru_notation(notation).symbols
    h, hp, x = S["hidden"], S["hidden_prev"], S["x"]
    v = {k: float(a[j]) for k, a in gru_terms(params, trace, t).items()}
    u = j + 1

    def unit(sym: str) -> str:
        return rf"\left[{sym}\right]_{{{u}}}"

    def gate(name: str, sym: str) -> str:
        general = (
            rf"{sym} = \sigma(W_{{i{sym[0]}}} {x} + b_{{i{sym[0]}}} + W_{{h{sym[0]}}} {hp} + b_{{h{sym[0]}}})"
        )
        live = rf"{unit(sym)} = \sigma({_p(v['in_' + name])} + {_p(v['rec_' + name])}) = {fmt(v[name])}"
        return rf"\begin{{gathered}}{general} \\ {live}\end{{gathered}}"

    r, z, n = S["reset"], S["update"], S["candidate"]
    cand = (
        rf"\begin{{gathered}}{n} = \tanh(W_{{in}} {x} + b_{{in}} + {r} * (W_{{hn}} {hp} + b_{{hn}})) \\ "
        rf"{unit(n)} = \tanh({_p(v['in_candidate'])} + {_p(v['reset'])} \times {_p(v['rec_candidate'])})"
        rf" = {fmt(v['candidate'])}\end{{gathered}}"
    )
    hid = (
        rf"\begin{{gathered}}{h} = (1 - {z}) * {n} + {z} * {hp} \\ "
        rf"{unit(h)} = (1 - {_p(v['update'])}) \times {_p(v['candidate'])} + {_p(v['update'])} \times "
        rf"{_p(v['hidden_prev'])} = {fmt(v['hidden'])}\end{{gathered}}"
    )
    return {"reset": gate("reset", r), "update": gate("update", z), "candidate": cand, "hidden": hid}
