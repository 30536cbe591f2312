r"""The GRU next to the LSTM: a pair of cells per weight set, cached runs, the GRU's labels, its
equations (general, and with the numbers of one step and unit) and what the page's step view (one
``lstm_ui.components.live_svg`` component) shows: three heatmap drawings and the html above and below
them. The equations are PyTorch's ``nn.GRU`` (see ``lstm_core/gru.py``):

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
    n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import streamlit as st

from lstm_core import GRUTrace, LSTMTrace
from lstm_core.story import load_model, run_text
from lstm_ui.components.live_svg import Drawing, tex_html
from lstm_ui.compute import cached_run, lstm_trace
from lstm_ui.drawings.folding import fold_steps
from lstm_ui.drawings.heatmap import HALF_WIDTH_PX, WIDTH_PX, trace_svg
from lstm_ui.equations import gru_general, gru_live
from lstm_ui.notation import Notation
from lstm_ui.prose import markdown_html, section

GATE_PANELS = ("reset", "update")  # side by side with the LSTM's
STATE_PANELS = ("candidate", "hidden")
GRU_PANELS = GATE_PANELS + STATE_PANELS
LSTM_PANELS = ("forget", "input")


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


@st.cache_resource(show_spinner=False)
def _story_model(name: str):
    return load_model(name)


def compute_pair(weights: str, tokens: tuple[str, ...]) -> Pair:
    """GRU and LSTM traces of the same words under weight set ``weights`` (uncached)."""
    spec = WEIGHT_SETS[weights]
    if spec.gru_model is None:
        return Pair(tokens, cached_run("gru", tokens), lstm_trace("lstm8", tokens))
    gru_model, lstm_model = _story_model(spec.gru_model), _story_model(spec.lstm_model)
    text = " ".join(tokens)
    gru_run, lstm_run = run_text(gru_model, text), run_text(lstm_model, text)
    return Pair(gru_run.texts, gru_run.trace, lstm_run.trace)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_pair(weights: str, tokens: tuple[str, ...]) -> Pair:
    return compute_pair(weights, tokens)


def load_pair(weights: str, tokens: tuple[str, ...]) -> tuple[Pair, str, str | None]:
    """(the traces, the weight set shown, an error message or None): a weight set whose models cannot
    be loaded (a missing file) falls back to the first one, with a message saying why."""
    try:
        return cached_pair(weights, tokens), weights, None
    except ValueError as exc:
        fallback = next(iter(WEIGHT_SETS))
        if weights == fallback:
            raise
        shown, wanted = WEIGHT_SETS[fallback].title, WEIGHT_SETS[weights].title
        message = f"The {wanted} models cannot be shown ({exc}); showing the {shown} ones."
        return cached_pair(fallback, tokens), fallback, message


def step_drawings(pair: Pair, notation: Notation, t: int, j: int, font: int) -> tuple[Drawing, ...]:
    """The three heatmap drawings with step ``t`` and unit ``j`` (1-based) outlined: the GRU's gates and
    the LSTM's forget and input gates side by side (half width each), then the GRU's candidate and new
    state (full width)."""
    gru, lstm, tokens, g_notation = pair.gru, pair.lstm, pair.tokens, notation.for_gru()
    selected = (t - 1, j - 1)
    fold = fold_steps(len(tokens), (t - 1,), 3)  # a long text: the steps around t, the rest folded

    def heat(trace, names, how: Notation, name: str, title: str, wide: bool) -> Drawing:
        arrays = {n: getattr(trace, n) for n in names}
        width = WIDTH_PX if wide else HALF_WIDTH_PX
        svg = trace_svg(arrays, tokens, how, selected=selected, font_size=font, width_px=width, fold=fold)
        return Drawing(svg, name, title, wide)

    return (
        heat(gru, GATE_PANELS, g_notation, "gru_heat", "GRU: reset and update gates", False),
        heat(lstm, LSTM_PANELS, notation, "lstm_heat", "LSTM: forget and input gates", False),
        heat(gru, STATE_PANELS, g_notation, "gru_states", "The GRU's candidate n and new state h", True),
    )


def general_markdown(notation: Notation) -> str:
    """The GRU's equations in general form, aligned, with their caption (Markdown with display math).

    Drawn once outside the step view: inside it, these ~1000 KaTeX boxes would be laid out or painted
    again on every step although they never change."""
    tex = gru_general(notation)
    lines = r" \\ ".join(tex[name].replace(" = ", " &= ", 1) for name in GRU_PANELS)
    return f"{section('gru', 'general')}\n\n$$\n\\begin{{aligned}} {lines} \\end{{aligned}}\n$$"


def top_html(weights: str, presenter: bool = False) -> str:
    """Above the drawings: which weights, and what the drawings show (not on a projector, where the
    lecturer says it and the drawings must fit the first screen)."""
    if presenter:  # the weights' buttons say which they are
        return ""
    caption = f'<p class="gbg-caption">{escape(WEIGHT_SETS[weights].description)}</p>'
    return caption + markdown_html(section("gru", "compare"))


def step_html(pair: Pair, notation: Notation, t: int, j: int) -> str:
    """Under the drawings: the chosen step and unit as a heading, then the GRU's four equations with
    this step's and unit's numbers (reset and update side by side)."""
    live = gru_live(pair.gru, t - 1, j - 1, notation)
    return (
        f"<h3>Step {t}: “{escape(pair.tokens[t - 1])}”, unit {j}</h3>"
        + markdown_html(section("gru", "equations"))
        + '<div class="gbg-columns">'
        + "".join(tex_html(live[name]) for name in GATE_PANELS)
        + "</div>"
        + "".join(tex_html(live[name]) for name in STATE_PANELS)
    )
