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

from lstm_core import RNNParams, RNNTrace
from lstm_ui.components.live_svg import tex_html
from lstm_ui.compute import HIDDEN_SIZE, INPUT_SIZE, rnn_outputs
from lstm_ui.drawings.svg import esc
from lstm_ui.equations import rnn_equations
from lstm_ui.notation import Notation
from lstm_ui.prose import markdown_html, section


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
    equations = "".join(tex_html(tex) for tex in rnn_equations(trace, y, t - 1, j - 1, notation))
    return caption + equations + _unrolled_text()


@cache
def _unrolled_text() -> str:
    return "<h3>Unrolled: one cell, copied along the sentence</h3>" + markdown_html(
        section("rnn", "unrolled")
    )
