r"""The three cells side by side on one sentence: seeded weights, cached runs; and the plain-RNN page's
step view: the RNN's equations with live numbers (``step_html``); its unrolled drawing is
``lstm_ui.drawings.unrolled``.

Every cell here reads the same token vectors (``lstm_ui.sentence.embed``, D = 16) and has H = 8 units, so
their numbers can be compared. The plain RNN is PyTorch's ``nn.RNN``:

    h_t = tanh(W_hh h_{t-1} + W_xh x_t + b)          (b = b_ih + b_hh)
    y_t = W_hy h_t                                     (W_hy: seeded, untrained, K = 4 outputs)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from lstm_core import RNNParams, RNNTrace
from lstm_ui.components.live_svg import markdown_html, tex_html
from lstm_ui.compute import HIDDEN_SIZE, INPUT_SIZE, rnn_outputs
from lstm_ui.drawings.svg import esc
from lstm_ui.equations import fmt
from lstm_ui.equations import fmt_factor as _p  # a factor: negative in parentheses
from lstm_ui.notation import Notation
from lstm_ui.prose import section


def rnn_parts(params: RNNParams, trace: RNNTrace, t: int) -> dict[str, np.ndarray]:
    """The three terms of step ``t`` (0-based), each (H,): W_hh h_{t-1}, W_xh x_t, b, and their sum z."""
    rec = params.weight_hh @ trace.hidden_prev[t]  # (H,)
    inp = params.weight_ih @ trace.xs[t]  # (H,)
    bias = params.bias_ih + params.bias_hh  # (H,)
    return {"recurrent": rec, "input": inp, "bias": bias, "z": rec + inp + bias, "hidden": trace.hidden[t]}


def rnn_latex(
    params: RNNParams, trace: RNNTrace, y: np.ndarray, t: int, j: int, notation: Notation
) -> list[str]:
    """The RNN's two equations, general and with the numbers of step ``t``, unit ``j`` (both 0-based)."""
    S = notation.symbols
    h, hp, x = S.get("hidden", "h_t"), S.get("hidden_prev", "h_{t-1}"), S.get("x", "x_t")
    v = {k: float(a[j]) for k, a in rnn_parts(params, trace, t).items()}
    unit = rf"\left[{h}\right]_{{{j + 1}}}"
    state = (
        rf"\begin{{gathered}}{h} = \tanh(W_{{hh}}\, {hp} + W_{{xh}}\, {x} + b) \\ "
        rf"{unit} = \tanh(\underbrace{{{_p(v['recurrent'])}}}_{{W_{{hh}} {hp}}} + "
        rf"\underbrace{{{_p(v['input'])}}}_{{W_{{xh}} {x}}} + \underbrace{{{_p(v['bias'])}}}_{{b}}) "
        rf"= \tanh({fmt(v['z'])}) = {fmt(v['hidden'])}\end{{gathered}}"
    )
    ys = ", ".join(fmt(val) for val in y)
    output = rf"\begin{{gathered}}y_t = W_{{hy}}\, {h} \\ y_{{{t + 1}}} = [{ys}]\end{{gathered}}"
    return [state, output]


def step_html(
    params: RNNParams, trace: RNNTrace, tokens: Sequence[str], t: int, j: int, notation: Notation
) -> str:
    """What the step view shows above the unrolled drawing (step ``t``, unit ``j``, both 1-based): a
    caption, the two equations with their live numbers, and the unrolled view's heading and text."""
    caption = (
        f'<p class="gbg-caption">Step {t}: “{esc(tokens[t - 1])}”, unit {j} of {HIDDEN_SIZE}. '
        f"Seeded plain RNN (seed 0, D = {INPUT_SIZE}, H = {HIDDEN_SIZE}).</p>"
    )
    y = rnn_outputs(tuple(tokens))[t - 1]  # (K,): y_t = W_hy h_t
    equations = "".join(tex_html(tex) for tex in rnn_latex(params, trace, y, t - 1, j - 1, notation))
    return caption + equations + _unrolled_text()


@cache
def _unrolled_text() -> str:
    return "<h3>Unrolled: one cell, copied along the sentence</h3>" + markdown_html(
        section("rnn", "unrolled")
    )
