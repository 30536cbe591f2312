"""What the GRU page sends under AppTest, read for its tests: the step component's payload (controls,
the html above and below the drawings: equations, heading), its heatmap drawings, the equations in general
form; and the core's reference runs of the seeded GRU and LSTM.
"""

from __future__ import annotations

import html
import re

from apptest_helpers import heat_drawings, svg_payloads

from lstm_core import init_gru, init_lstm, run_gru, run_lstm
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence

PAGE = "views/gru.py"
VIEW = "gru_step"  # the component's key; its other drawings are "<key>/<name>"
DRAWINGS = (VIEW, f"{VIEW}/lstm_heat", f"{VIEW}/gru_states")
D, H = 16, 8
SHOWN = 5.001e-5  # the heatmap squares show 4 decimals


def seeded(sentence: str = DEFAULT_SENTENCE):
    tokens = parse_sentence(sentence).tokens
    xs = embed(tokens, D)
    params = init_gru(D, H, seed=0)
    return tokens, params, run_gru(params, xs), run_lstm(init_lstm(D, H, seed=0), xs)


def payload(at) -> dict:
    """What the step component receives (its first drawing's entry: controls, html blocks)."""
    (found,) = [p for p in svg_payloads(at) if p["key"] == VIEW]
    return found


def controls(at) -> dict:
    return payload(at)["controls"]


def tex_in(block: str) -> list[str]:
    return [html.unescape(tex) for tex in re.findall(r'data-tex="([^"]*)"', block)]


def equations(at) -> list[str]:
    """The LaTeX of the equations with numbers under the drawings (r, z, n, h)."""
    return tex_in(payload(at)["below"])


def general(at) -> list[str]:
    """The equations in general form (r, z, n, h): display math of a Markdown element above the step
    view, one aligned line each."""
    (md,) = [m.value for m in at.markdown if r"\begin{aligned}" in m.value]
    body = re.search(r"\$\$\s*\\begin\{aligned\}(.*)\\end\{aligned\}\s*\$\$", md, re.S).group(1)
    return [line.replace("&=", "=").strip() for line in body.split(r" \\ ")]


def heading(at) -> str:
    """The step's heading under the drawings, as text."""
    (found,) = re.findall(r"<h3>(.*?)</h3>", payload(at)["below"])
    return html.unescape(found)


def paren(v: float) -> str:
    """A number as the equations show it: 3 decimals, in parentheses when negative."""
    return f"({v:.3f})" if v < 0 else f"{v:.3f}"


def gru_fig(at) -> dict:
    """The GRU's gates drawing: panels "reset" and "update"."""
    return heat_drawings(at)[VIEW]


def lstm_fig(at) -> dict:
    """The LSTM's gates drawing: panels "forget" and "input"."""
    return heat_drawings(at)[f"{VIEW}/lstm_heat"]
