"""The cell page's per-step HTML (inside its diagram's component, lstm_ui.components.live_svg): the
heading line, the equations with this unit's numbers, the caption, and σ and tanh as filters with their
probes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

import numpy as np

from lstm_ui.components.live_svg import Drawing, probe_html, slot_html, tex_html
from lstm_ui.drawings.filters import Z_RANGE, filter_svg
from lstm_ui.equations import EQUATION_ORDER, GATES, unit_equations
from lstm_ui.notation import Notation
from lstm_ui.prose import markdown_html, read_text

# The probe sliders: session key → (filter kind, label)
PROBES: dict[str, tuple[str, str]] = {
    "probe_sigmoid": ("sigmoid", "Probe σ at z"),
    "probe_tanh": ("tanh", "Probe tanh at z"),
}


def with_symbols(text: str, notation: Notation) -> str:
    """``text`` as escaped HTML, each ``{name}`` replaced by the notation's symbol of ``name``."""
    return re.sub(r"\{(\w+)\}", lambda m: notation.symbol_html(m.group(1)), escape(text))


def stage_title(stage: str, info: Mapping[str, object], notation: Notation) -> str:
    """ "Forget", or the notation's own name of the step ("Remember gate")."""
    return notation.stage_title(stage, str(info["title"]))


def heading_html(
    t: int, steps: int, token: str, j: int, stage: str, info: Mapping[str, object], notation: Notation
) -> str:
    """ "t = 3 of 14, token 'up', unit j = 2 — step 1, forget: What should we throw away …?" (1-based)."""
    return (
        f"<p><strong>t = {t} of {steps}</strong>, token <strong>{escape(repr(token))}</strong>, "
        f"unit <strong>j = {j}</strong> — step {info['number']}, "
        f"<em>{escape(stage_title(stage, info, notation).lower())}</em>: {escape(str(info['question']))}</p>"
    )


def equations_html(
    values: Mapping[str, np.ndarray], j: int, info: Mapping[str, object], notation: Notation
) -> str:
    """The stage's equations with unit ``j``'s numbers (0-based), then all the others behind a "show all"
    (a <details>: typeset only when opened)."""
    latex = unit_equations(values, j, notation)
    shown = [name for name in EQUATION_ORDER if name in info["equations"]]
    rest = [name for name in EQUATION_ORDER if name not in info["equations"]]
    return (
        f"<h3>The equations — {escape(notation.title)}</h3>"
        + "".join(tex_html(latex[name]) for name in shown)
        + "<details data-keep=\"all\"><summary>All of the cell's equations with this unit's numbers</summary>"
        + "".join(tex_html(latex[name]) for name in rest)
        + "</details>"
    )


def filters_html(probes: Mapping[str, float]) -> str:
    """σ and tanh as filters: the text, then for each its probe slider (at ``probes[key]``) above the slot
    of its drawing (``filter_drawings``). It changes only when a probe moves, so a step leaves it as it is."""
    columns = []
    for key, (kind, label) in PROBES.items():
        probe = probe_html(key, label, float(probes.get(key, 0.0)), -Z_RANGE, Z_RANGE, 0.1)
        columns.append(f"<div>{probe}{slot_html(kind)}</div>")
    intro = "<h3>σ and tanh are filters</h3>" + markdown_html(read_text("cell_filters"))
    return intro + '<div class="gbg-columns">' + "".join(columns) + "</div>"


def filter_drawings(
    values: Mapping[str, np.ndarray], j: int, notation: Notation, probes: Mapping[str, float], large: bool
) -> tuple[Drawing, ...]:
    """The σ and tanh curves with the probe's value and unit ``j``'s gates (0-based) as grey dots at
    their real pre-activations; a step changes only their dots (each drawing's overlay group)."""
    marks = {
        "sigmoid": {
            notation.symbol_plain(g): float(values[f"pre_{g}"][j]) for g in GATES if g != "candidate"
        },
        "tanh": {notation.symbol_plain("candidate"): float(values["pre_candidate"][j])},
    }
    return tuple(
        Drawing(filter_svg(kind, float(probes.get(key, 0.0)), marks[kind], large), kind, slot=kind)
        for key, (kind, _label) in PROBES.items()
    )


def caption_html(info: Mapping[str, object], notation: Notation) -> str:
    """The step's caption, its symbols in the notation shown."""
    return f'<p class="gbg-caption">{with_symbols(str(info["caption"]), notation)}</p>'
