"""The plain-RNN page's unrolled view as one SVG drawing (shown by ``lstm_ui.components.live_svg``):
one copy of the cell per word, each handing its hidden state up into a units × steps heatmap and on to the
next copy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import streamlit as st

from lstm_ui.drawings.colours import Scale, palette, scale_for, z_range
from lstm_ui.drawings.heatmap import (
    BAR_PX,
    OVERLAY,
    ROW_PX,
    SELECT_LINE,
    TOOLS_PX,
    WIDTH_PX,
    colour_bar,
    label_px,
)
from lstm_ui.drawings.pixels import scale_colours
from lstm_ui.drawings.svg import FONT_FAMILY, esc, gradient_defs, plain_text, rich_text
from lstm_ui.drawings.svg import coord as _n  # an SVG coordinate
from lstm_ui.notation import Notation, notation_hash
from lstm_ui.sentence import token_labels

_ARROW = "gbg-unrolled-arrow"  # the arrowheads' marker ids: this (grey) and this + "-ink"
_ARROW_GREY = "#888"
_BOX_FILL, _PICKED_FILL = "#f4f4f4", "#fde0c5"


@dataclass(frozen=True)
class _Frame:
    """Where the parts of the unrolled drawing sit (viewBox pixels)."""

    T: int
    H: int
    f: int  # font size
    x0: float  # left edge of the heatmap and of the first copy's column
    cw: float  # column width: one copy
    heat_top: float
    rh: float  # heatmap row height: one unit
    box_top: float
    box_w: float
    box_h: float

    def cx(self, k: int) -> float:
        """The centre of column ``k`` (0-based step)."""
        return self.x0 + (k + 0.5) * self.cw

    @property
    def heat_bottom(self) -> float:
        return self.heat_top + self.H * self.rh


def _frame(T: int, H: int, font_size: int, width_px: float) -> _Frame:
    f = font_size
    s = max(1.0, f / 12)
    x0 = 2 * f + 10 + label_px([str(H)], f - 1) + 8  # the slanted axis title, then the unit numbers
    cw = (width_px - x0 - 8) / T
    heat_top = TOOLS_PX + f + 14  # a line of text above it (the download buttons sit top right)
    rh = round(ROW_PX * s)
    box_h = round(2.6 * f)
    box_top = heat_top + H * rh + round(30 * s)  # room for the arrows h_t up into the heatmap
    return _Frame(T, H, f, x0, cw, heat_top, rh, box_top, min(0.64 * cw, 5.0 * f), box_h)


def unrolled_svg(
    hidden: np.ndarray,
    tokens: Sequence[str],
    notation: Notation,
    selected: tuple[int, int] | None = None,
    font_size: int = 12,
    width_px: float = WIDTH_PX,
) -> str:
    """The RNN unrolled, as one SVG document (a string): one copy of the same cell per token (bottom, the
    token's x_t arrow in, the recurrent arrow on to the next copy), and above each copy the hidden state it
    hands on, a column of the units × steps heatmap. ``selected``, a 0-based (step, unit), is outlined: the
    copy, its column and its unit's square, all in the drawing's last group (``heat_svg.OVERLAY``), so a
    new step changes only that group (the browser then swaps only it, ``lstm_ui/components/live_svg.js``).

    For the tests: the heatmap is ``<g data-role="hidden" data-values>`` (the T × H values, step by step,
    4 decimals) of one ``<g data-t>`` column per step of H squares (``<rect data-j>``, unit 1 on top, each
    with its hover text as its ``aria-label``: the page shows it at once and a click selects the square);
    the copies are ``<rect data-role="copy" data-t>``, the tokens
    ``<text data-step data-token>``; the selection is ``step-outline`` (``data-t``), ``selected-copy``
    (``data-t``) and ``unit-outline`` (``data-t``, ``data-j``)."""
    hidden = np.asarray(hidden, dtype=float)
    # A step changes only the overlay: the rest is drawn once per sentence (and notation, size).
    base = _unrolled_base(hidden, tuple(tokens), notation, font_size, width_px)
    return base + _unrolled_overlay(len(tokens), hidden.shape[1], selected, font_size, width_px) + "</svg>"


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs={Notation: notation_hash})
def _unrolled_base(
    hidden: np.ndarray, tokens: tuple[str, ...], notation: Notation, font_size: int, width_px: float
) -> str:
    """Everything of the unrolled drawing but its selection (and the closing tag)."""
    T, H = hidden.shape
    if len(tokens) != T:
        raise ValueError(f"{len(tokens)} tokens for {T} hidden states")
    fr, pal = _frame(T, H, font_size, width_px), palette()
    f = fr.f
    labels = token_labels(tokens)
    scale = scale_for("hidden")
    lo, hi = z_range(scale, hidden)
    hsym = notation.symbol_html("hidden")
    slanted = T > 6 or max((label_px([lab], f - 1) for lab in labels), default=0) > fr.cw - 4
    tokens_y = fr.box_top + fr.box_h + 26 + (f - 1)
    label_h = (label_px(labels, f - 1) * 0.71 + f) if slanted else f + 4
    axis_y = tokens_y + label_h + f
    bar_y = axis_y + 14
    height = bar_y + f + 6 + BAR_PX + f + 8  # the colour bar: its title, the bar, its ticks
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width_px)} {_n(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" style="height: auto; display: block" '
        f'font-family="{FONT_FAMILY}" font-size="{f}" fill="{pal["ink"]}" data-role="unrolled" '
        f'data-steps="{T}" data-units="{H}" aria-label="The plain RNN unrolled along the sentence">'
        f"<defs>{_marker(_ARROW, _ARROW_GREY)}{_marker(_ARROW + '-ink', pal['ink'])}</defs>"
        f'<text x="{_n(fr.x0)}" y="{_n(fr.heat_top - 8)}" font-size="{f}">'
        f"{rich_text(hsym)} after each word: one column per copy of the cell, one row per unit j</text>",
    ]
    out.append(_heat_columns(hidden, tokens, fr, hsym, scale, lo, hi))
    # The unit axis: numbers beside the rows, its title turned up the left edge.
    out.append(f'<g data-role="unit-axis" font-size="{f - 1}" text-anchor="end">')
    out.extend(
        f'<text x="{_n(fr.x0 - 6)}" y="{_n(fr.heat_top + (j + 0.5) * fr.rh + 0.35 * (f - 1))}">{j + 1}</text>'
        for j in range(H)
    )
    mid = fr.heat_top + H * fr.rh / 2
    out.append(
        f'<text x="{f + 2}" y="{_n(mid)}" text-anchor="middle" font-size="{f}" '
        f'transform="rotate(-90 {f + 2} {_n(mid)})">{rich_text(hsym)}, unit j</text></g>'
    )
    out.append(_copies(tokens, labels, fr, slanted, tokens_y, pal))
    out.append(
        f'<text x="{_n(fr.x0 + T * fr.cw / 2)}" y="{_n(axis_y)}" text-anchor="middle">'
        f"input {rich_text(notation.symbol_html('x'))} (one word per step)</text>"
    )
    out.append(_colour_bar(scale, lo, hi, hsym, width_px, bar_y, f))
    return "".join(out)


def _heat_columns(
    hidden: np.ndarray, tokens: tuple[str, ...], fr: _Frame, hsym: str, scale: Scale, lo: float, hi: float
) -> str:
    """The hidden states: one column of H squares per step, each square with its hover text."""
    fills = scale_colours(scale, hidden, lo, hi)  # (T, H)
    shown = " ".join(map("{:.4f}".format, hidden.ravel().tolist())).replace("nan", "NaN")
    gap = 2.0 if fr.cw >= 8 else 0.0
    who = esc(plain_text(hsym))
    out = [f'<g data-role="hidden" data-values="{shown}">']
    for t, token in enumerate(tokens):
        x = fr.x0 + t * fr.cw + gap / 2
        out.append(f'<g data-t="{t + 1}">')
        out.extend(
            f'<rect data-j="{j + 1}" x="{_n(x)}" y="{_n(fr.heat_top + j * fr.rh + 0.5)}" '
            f'width="{_n(fr.cw - gap)}" height="{_n(fr.rh - 1)}" fill="{fills[t, j]}" '
            f'aria-label="{who} after “{esc(token)}” (step {t + 1}), unit {j + 1}: {_value(hidden[t, j])}"/>'
            for j in range(fr.H)
        )
        out.append("</g>")
    out.append("</g>")
    return "".join(out)


def _marker(marker_id: str, colour: str) -> str:
    """An arrowhead for ``marker-end``, in ``colour`` (context-stroke is not drawn everywhere)."""
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
        f'orient="auto"><path d="M0 0L10 5L0 10z" fill="{colour}"/></marker>'
    )


def _value(v: float) -> str:
    return "NaN" if np.isnan(v) else f"{v:.4f}".replace("-", "−")


def _copies(
    tokens: tuple[str, ...], labels: list[str], fr: _Frame, slanted: bool, tokens_y: float, pal: dict
) -> str:
    """The copies of the cell, their arrows (x_t in, h_t up, h on to the next copy) and the tokens."""
    f, bw, bh, top = fr.f, fr.box_w, fr.box_h, fr.box_top
    word = bw >= 2.4 * f  # room for "tanh" in a box
    # Slanted labels need about 1.5 font sizes apart; on a long sentence only every stride-th is shown
    # (every square's hover text names its word).
    stride = max(1, int(np.ceil(1.5 * (f - 1) / fr.cw))) if slanted else 1
    out = [f'<g data-role="copies" font-size="{f - 1}" text-anchor="middle">']
    arrows = []
    for t, (token, label) in enumerate(zip(tokens, labels, strict=True)):
        cx = fr.cx(t)
        out.append(
            f'<rect data-role="copy" data-t="{t + 1}" x="{_n(cx - bw / 2)}" y="{_n(top)}" width="{_n(bw)}" '
            f'height="{bh}" rx="3" fill="{_BOX_FILL}" stroke="#555" stroke-width="1">'
            f"<title>copy {t + 1} of the cell: “{esc(token)}”</title></rect>"
        )
        if word:
            out.append(f'<text x="{_n(cx)}" y="{_n(top + bh / 2 + 0.35 * (f - 1))}">tanh</text>')
        arrows.append(f"M{_n(cx)} {_n(top + bh + 22)}V{_n(top + bh + 2)}")  # x_t up into the copy
        arrows.append(f"M{_n(cx)} {_n(top - 2)}V{_n(fr.heat_bottom + 3)}")  # h_t up into its column
        if t % stride:
            continue
        ty = tokens_y
        turn = f' transform="rotate(-45 {_n(cx)} {_n(ty)})" text-anchor="end"' if slanted else ""
        out.append(
            f'<text data-step="{t + 1}" data-token="{esc(token)}" x="{_n(cx)}" y="{_n(ty)}"{turn}>'
            f"{esc(label)}</text>"
        )
    # One path per arrow: a marker ends a path, not each of its pieces.
    out.append(f'<g stroke="{_ARROW_GREY}" stroke-width="1" fill="none" marker-end="url(#{_ARROW})">')
    out.extend(f'<path d="{d}"/>' for d in arrows)
    out.append("</g>")
    # The recurrence: each copy hands its hidden state on to the next one.
    mid = top + bh / 2
    head = f' marker-end="url(#{_ARROW}-ink)"' if fr.cw - bw >= 16 else ""  # no room for a head: a line
    out.append(f'<g data-role="recurrence" stroke="{pal["ink"]}" stroke-width="2" fill="none"{head}>')
    out.extend(
        f'<path d="M{_n(fr.cx(t) + bw / 2)} {_n(mid)}H{_n(fr.cx(t + 1) - bw / 2 - 1)}"/>'
        for t in range(fr.T - 1)
    )
    out.append("</g>")
    out.append("</g>")
    return "".join(out)


def _colour_bar(scale: Scale, lo: float, hi: float, hsym: str, width: float, top: float, f: int) -> str:
    """The hidden states' colour scale, labelled with its range, centred under the drawing."""
    bar = colour_bar("gbg-unrolled-", "hidden", hsym, lo, hi, width / 2, 0.3 * width, top, f)
    return gradient_defs("gbg-unrolled-", {"hidden": scale}) + bar


def _unrolled_overlay(
    T: int, H: int, selected: tuple[int, int] | None, font_size: int, width_px: float
) -> str:
    """The selection, the drawing's last group: the selected copy filled and outlined (its "tanh" drawn
    again on top), its column of the heatmap outlined, and the selected unit's square in it."""
    if selected is None:
        return f"{OVERLAY}</g>"
    fr = _frame(T, H, font_size, width_px)
    t, j = selected
    cx, f = fr.cx(t), fr.f
    word = fr.box_w >= 2.4 * f
    x = fr.x0 + t * fr.cw
    return (
        f"{OVERLAY}"
        f'<rect data-role="step-outline" data-t="{t + 1}" x="{_n(x)}" y="{_n(fr.heat_top - 1)}" '
        f'width="{_n(fr.cw)}" height="{_n(H * fr.rh + 2)}" fill="none" stroke="{SELECT_LINE}" '
        'stroke-width="3"/>'
        f'<rect data-role="unit-outline" data-t="{t + 1}" data-j="{j + 1}" x="{_n(x + 2.5)}" '
        f'y="{_n(fr.heat_top + j * fr.rh + 1)}" width="{_n(max(fr.cw - 5, 1))}" height="{_n(fr.rh - 2)}" '
        f'fill="none" stroke="#222" stroke-width="2"/>'
        f'<rect data-role="selected-copy" data-t="{t + 1}" x="{_n(cx - fr.box_w / 2)}" y="{_n(fr.box_top)}" '
        f'width="{_n(fr.box_w)}" height="{fr.box_h}" rx="3" fill="{_PICKED_FILL}" stroke="{SELECT_LINE}" '
        f'stroke-width="3"/>'
        + (
            f'<text x="{_n(cx)}" y="{_n(fr.box_top + fr.box_h / 2 + 0.35 * (f - 1))}" text-anchor="middle" '
            f'font-size="{f - 1}">tanh</text>'
            if word
            else ""
        )
        + "</g>"
    )
