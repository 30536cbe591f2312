"""The memory ledger of a run, for any page (Compare, Stories): where the cell state at a step came from.

``ledger_drawing`` draws ``lstm_core.ledger.memory_ledger`` of one run at a step as a words × units matrix
of shares (``drawings.ledger``); ``writers_html`` says, for a model with named unit groups (the designed
story model), which word wrote most of each group. Units whose parts add up to almost nothing (under
``EMPTY``) get no shares: a share of nothing means nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np

from lstm_core.ledger import Ledger, memory_ledger
from lstm_ui.components.live_svg import Drawing
from lstm_ui.drawings.ledger import ledger_svg
from lstm_ui.notation import Notation
from lstm_ui.runs import Run
from lstm_ui.state.clamp_controls import gate_letter

EMPTY = 1e-3  # a unit whose ledger parts add up to less than this holds nothing worth sharing out
LEDGER_TEX = (
    r"C_t = \sum_{s \le t} \Big(\prod_{s<r\le t} f_r\Big)\, i_s \tilde{C}_s"
    r" + \Big(\prod_{r \le t} f_r\Big)\, C_0"
)


def group_labels(names: Sequence[str]) -> list[str]:
    """Each group's name under its first unit only (``subject``, "", …, ``fact``, …): one slanted label
    per group stays readable where one per unit would overlap."""
    out, last = [], None
    for name in names:
        group = re.sub(r" \d+$", "", name)
        out.append("" if group == last else group)
        last = group
    return out


def empty_units(ledger: Ledger) -> np.ndarray:
    """(H,) the units whose parts are all but nothing (together under ``EMPTY``): no shares for them."""
    return np.abs(ledger.parts).sum(axis=-2) + np.abs(ledger.initial) < EMPTY


def ledger_drawing(
    run: Run, t: int, label: str, notation: Notation, font_size: int, slot: str = "", wide: bool = False
) -> Drawing:
    """The ledger of ``run`` at step ``t`` (1-based; a run shorter than ``t`` shows its last step), titled
    with ``label`` ("A", "with the clamps")."""
    step = min(t, run.trace.steps)
    ledger = memory_ledger(run.trace, step - 1)
    shares, initial = ledger.shares()
    c = gate_letter(notation, "cell")
    last = "" if step == t else ", its last step"
    title = f"{label}: where {c} at step {step} (“{run.tokens[step - 1]}”{last}) came from"
    svg = ledger_svg(
        ledger.parts,
        ledger.initial,
        ledger.cell,
        shares,
        initial,
        run.tokens[:step],
        f"{html.escape(c)}<sub>{step}</sub>",
        font_size,
        1000 if wide else 440,
        run.unit_names,
        title,
        empty_units(ledger),
        None if run.unit_names is None else group_labels(run.unit_names),
    )
    name = "ledger-" + re.sub(r"\W+", "-", label.lower()).strip("-")
    return Drawing(svg, name, wide=wide, slot=slot)


def writers_html(runs: Sequence[tuple[str, Run]], t: int) -> str:
    """For runs with named unit groups (the designed model): which word wrote most of each group at step
    ``t`` (1-based), by its units' mean share; empty when no run names its units."""
    lines = []
    for label, run in runs:
        if not run.groups:
            continue
        step = min(t, run.trace.steps)
        ledger = memory_ledger(run.trace, step - 1)
        shares, _ = ledger.shares()
        empty = empty_units(ledger)
        parts = []
        for name, units in run.groups:
            if empty[list(units)].all():
                parts.append(f"{html.escape(name)}: nothing stored")
                continue
            mean = shares[:, list(units)].mean(axis=1)
            s = int(np.argmax(mean))
            parts.append(f"{html.escape(name)}: “{html.escape(run.tokens[s])}” ({100 * mean[s]:.0f} %)")
        lines.append(f"<li><strong>{html.escape(label)}</strong>, step {step}: " + "; ".join(parts) + "</li>")
    if not lines:
        return ""
    return "<p>Who wrote each group of units (its units' mean share):</p><ul>" + "".join(lines) + "</ul>"
