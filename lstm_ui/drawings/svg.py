"""What every drawing shares: escaping, the small HTML of notation symbols as SVG text, coordinates,
numbers on wires and labels, and colour-bar gradients."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import numpy as np

from lstm_ui.drawings.colours import Scale, rgb, scale_stops

FONT_FAMILY = "'Source Sans', 'Source Sans Pro', sans-serif"
SUB_CHARS = frozenset("0123456789+-−=()aehijklmnoprstuvx")  # those with a Unicode subscript
SUB_PLAIN = str.maketrans("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TAG = re.compile(r"<\s*(/?)\s*(sub|sup|b|br)\s*/?\s*>", re.IGNORECASE)
_SCRIPT = re.compile(r"<\s*(sub|sup)\s*>(.*?)<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_TSPAN = {
    "sub": '<tspan baseline-shift="-0.25em" font-size="85%">',  # 85 %: 11 px where the text is 13
    "sup": '<tspan baseline-shift="0.6em" font-size="85%">',
    "b": '<tspan font-weight="bold">',
}


def fmt_number(v: float) -> str:
    """A wire label number: 3 decimals, a real minus sign, scientific when huge."""
    v = float(v)
    s = f"{v:.2e}" if abs(v) >= 1e4 else f"{v:.3f}"
    return s.replace("-", "−")


def fmt_vector(vec: np.ndarray, highlight: int | None = None, per_line: int = 8) -> str:
    """The whole vector for hover text, ``highlight`` in bold, wrapped every ``per_line`` numbers."""
    parts = [fmt_number(v) for v in np.ravel(vec)]
    if highlight is not None and 0 <= highlight < len(parts):
        parts[highlight] = f"<b>{parts[highlight]}</b>"
    lines = [", ".join(parts[k : k + per_line]) for k in range(0, len(parts), per_line)]
    return "[" + ",<br>".join(lines) + "]"


def esc(text: object) -> str:
    """``text`` as XML character data or an attribute value: escaped, characters XML forbids removed."""
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def _tags(text: str) -> list[tuple[str, str]]:
    """The small HTML of notation symbols and hover texts as ("text", s) and ("open"/"close", tag) parts.

    Only <sub>, <sup>, <b> and <br> are markup; anything else (a stray ``<``, ``&``, other tags) is text.
    """
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in _TAG.finditer(text):
        if m.start() > pos:
            parts.append(("text", text[pos : m.start()]))
        tag = m.group(2).lower()
        parts.append(("br", tag) if tag == "br" else ("close" if m.group(1) else "open", tag))
        pos = m.end()
    if pos < len(text):
        parts.append(("text", text[pos:]))
    return parts


def rich_text(text: str) -> str:
    """Notation HTML (``C<sub>t−1</sub>``, ``<b>h</b>``) as SVG text content: <tspan>s, the rest escaped."""
    out: list[str] = []
    stack: list[str] = []
    for kind, value in _tags(text):
        if kind == "text":
            out.append(esc(value))
        elif kind == "br":
            out.append(" ")
        elif kind == "open":
            stack.append(value)
            out.append(_TSPAN[value])
        elif value in stack:  # a closing tag: close everything opened after it, too
            while stack:
                out.append("</tspan>")
                if stack.pop() == value:
                    break
    out.extend("</tspan>" for _ in stack)
    return "".join(out)


def plain_text(text: str) -> str:
    """Notation HTML as plain Unicode for a tooltip: subscripts as ``ₜ₋₁`` (or ``_x``), superscripts as
    ``^f``, bold as «…», line breaks kept. Not escaped."""

    def script(m: re.Match[str]) -> str:
        body = "".join(value for kind, value in _tags(m.group(2)) if kind == "text")
        if m.group(1).lower() == "sup":
            return f"^{body}"
        return body.translate(SUB_PLAIN) if body and set(body) <= SUB_CHARS else f"_{body}"

    out = []
    for kind, value in _tags(_SCRIPT.sub(script, text)):
        if kind == "text":
            out.append(value)
        elif kind == "br":
            out.append("\n")
        elif value == "b":
            out.append("«" if kind == "open" else "»")
    return "".join(out)


def coord(v: float) -> str:
    """A coordinate for an SVG attribute: one decimal, no trailing zero (every drawing uses it)."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def gradient_defs(prefix: str, scales: Mapping[str, Scale]) -> str:
    """``<defs>`` with each colour scale as a horizontal gradient, id ``prefix + key`` (for colour bars)."""
    out = ["<defs>"]
    for key, scale in scales.items():
        out.append(f'<linearGradient id="{prefix}{key}" x1="0" y1="0" x2="1" y2="0">')
        stops = scale_stops(scale.colorscale)
        out.extend(f'<stop offset="{pos:.4f}" stop-color="{rgb(stop)}"/>' for pos, stop in stops)
        out.append("</linearGradient>")
    out.append("</defs>")
    return "".join(out)
