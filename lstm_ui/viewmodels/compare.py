"""The Compare page's view-model: the two runs the view asks for, their heatmaps side by side with their
difference (aligned by step, on shared colour scales), their answers at a blank, and their memory ledgers.

The view's ``compare`` picks what differs between side A and side B: ``sentences`` (``sentence`` and
``sentence2``), ``models`` (``model1`` and ``model2``) or ``clamp`` (the view's ``clamps``, on B only).
Side A's model is ``model1``, or the step page's ``model`` when that is None.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lstm_ui.components.live_svg import Drawing, slot_html, tex_html
from lstm_ui.drawings.colours import SCALES, scale_for, z_range
from lstm_ui.drawings.compare import Panel, number, panels_svg, signed
from lstm_ui.notation import Notation
from lstm_ui.prose import markdown_html
from lstm_ui.runs import Run, compare_settings, run_models
from lstm_ui.sentence import LABEL_CHARS
from lstm_ui.state import view
from lstm_ui.viewmodels.intervene import TABLE_STYLE, answer_text, diff_range
from lstm_ui.viewmodels.ledger import LEDGER_TEX, group_labels, ledger_drawing, writers_html


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a sentence through a model, with clamps ("" for none)."""

    name: str  # "A" or "B"
    model: str
    sentence: str
    clamps: str = ""


def first_model() -> str:
    return str(view.get("model1") or view.get("model"))


def second_model(first: str) -> str:
    """``model2``, or the model after ``first`` in the list (the seeded H = 8 → its forget-bias twin)."""
    if view.get("model2"):
        return str(view.get("model2"))
    keys = list(run_models(first))
    return keys[(keys.index(first) + 1) % len(keys)] if first in keys else keys[0]


def second_sentence() -> str:
    asked = view.get("sentence2")
    return str(compare_settings()["second_sentence"] if asked is None else asked)


def sides() -> tuple[Side, Side]:
    """Sides A and B of the view's comparison."""
    mode, model, sentence = view.get("compare"), first_model(), str(view.get("sentence"))
    a = Side("A", model, sentence)
    if mode == "models":
        return a, Side("B", second_model(model), sentence)
    if mode == "clamp":
        return a, Side("B", model, sentence, str(view.get("clamps")))
    return a, Side("B", model, second_sentence())


def _short(token: str) -> str:
    return token if len(token) <= LABEL_CHARS else token[: LABEL_CHARS - 1] + "…"


def row_labels(a: Sequence[str], b: Sequence[str]) -> tuple[list[str], list[str]]:
    """(labels, hover words) of the aligned rows: ``7 Dan`` where both have the same word, else
    ``7 Dan | Bob`` (``—`` for a side that has no step t)."""
    labels, words = [], []
    for t in range(max(len(a), len(b))):
        x, y = (a[t] if t < len(a) else "—"), (b[t] if t < len(b) else "—")
        labels.append(f"{t + 1} {_short(x)}" if x == y else f"{t + 1} {_short(x)} | {_short(y)}")
        words.append(x if x == y else f"{x} | {y}")
    return labels, words


def _padded(values: np.ndarray, T: int, H: int) -> np.ndarray:
    out = np.full((T, H), np.nan)
    out[: values.shape[0], : values.shape[1]] = values
    return out


def alignment_notes(a: Run, b: Run) -> list[str]:
    """What the page must say about aligning the two runs (lengths, units)."""
    notes = []
    ta, tb = len(a.tokens), len(b.tokens)
    if ta != tb:
        longer, extra = ("A", ta - tb) if ta > tb else ("B", tb - ta)
        notes.append(
            f"A has {ta} steps and B has {tb}: the rows are aligned by step (step t of A next to step t "
            f"of B), so {longer}'s last {extra} row{'s' if extra > 1 else ''} have nothing to compare "
            "with (grey)."
        )
    ha, hb = a.trace.hidden_size, b.trace.hidden_size
    if ha != hb:
        notes.append(
            f"A's model has {ha} units and B's has {hb}: their units do not correspond, so there is no "
            "difference to draw; the extra columns are grey."
        )
    return notes


def compare_svg(a: Run, b: Run, name: str, notation: Notation, selected: int | None, font_size: int) -> str:
    """A | B | B − A for the array ``name``, aligned by step; A and B on one shared scale."""
    T, H = max(a.trace.steps, b.trace.steps), max(a.trace.hidden_size, b.trace.hidden_size)
    va, vb = (_padded(np.asarray(getattr(r.trace, name)), T, H) for r in (a, b))
    scale = scale_for(name)
    lo, hi = z_range(scale, np.concatenate([va.ravel(), vb.ravel()]))
    symbol, title = notation.symbol_html(name), notation.name(name)
    bar = symbol
    panels = [
        Panel("A", f"A: {title}", symbol, va, scale, lo, hi, bar),
        Panel("B", f"B: {title}", symbol, vb, scale, lo, hi, bar),
    ]
    if a.trace.hidden_size == b.trace.hidden_size:
        d = vb - va
        dlo, dhi = diff_range(d)
        hover = np.vectorize(
            lambda d, x, y: "—" if np.isnan(d) else f"B − A {signed(d)} ({number(x)} → {number(y)})"
        )(d, va, vb)
        panels.append(
            Panel("diff", "B − A", symbol, d, SCALES["cell"], dlo, dhi, f"B − A of {symbol}", hover)
        )
    labels, words = row_labels(a.tokens, b.tokens)
    return panels_svg(
        panels, labels, words, selected, font_size, unit_labels=_units(a, b), aria=f"{title}: A, B and B − A"
    )


def _units(a: Run, b: Run) -> Sequence[str] | None:
    """The axis labels of named units, when both sides have the same (the designed model)."""
    return group_labels(a.unit_names) if a.unit_names is not None and a.unit_names == b.unit_names else None


def sides_html(a_side: Side, b_side: Side, a: Run, b: Run, mode: str) -> str:
    """What the two sides share in one line, then a table: what differs (the sentence, the model, the
    clamps) and, for a story model, each side's answer at each blank."""
    shared = {
        "sentences": f"Both through {_model_title(a_side.model)}.",
        "models": f"Both read “{_short_text(a_side.sentence)}”.",
        "clamp": f"“{_short_text(a_side.sentence)}” through {_model_title(a_side.model)}.",
    }[mode]
    what = {
        "sentences": (f"“{_short_text(a_side.sentence)}”", f"“{_short_text(b_side.sentence)}”"),
        "models": (_model_title(a_side.model), _model_title(b_side.model)),
        "clamp": ("the model's own run", "with the clamps"),
    }[mode]
    rows = [f"<tr><th></th><td>{html.escape(what[0])}</td><td>{html.escape(what[1])}</td></tr>"]
    for k in range(max(len(a.predictions), len(b.predictions))):
        cells = "".join(
            f"<td>{answer_text(run.predictions[k], run.tokens) if k < len(run.predictions) else '—'}</td>"
            for run in (a, b)
        )
        rows.append(f"<tr><th>answer at blank {k + 1}</th>{cells}</tr>")
    return (
        f"{TABLE_STYLE}<p>{html.escape(shared)}</p>"
        '<table class="gbg-ba gbg-sides" data-role="answers"><tr><th></th><th>A</th><th>B</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _short_text(sentence: str, most: int = 60) -> str:
    return sentence if len(sentence) <= most else sentence[: most - 1] + "…"


def _model_title(model: str) -> str:
    return run_models(model).get(model, model)


def step_words(a: Run, b: Run) -> list[str]:
    """Each aligned step's word for the step slider: ``Dan``, or ``Dan | Bob`` where the sides differ."""
    return row_labels(a.tokens, b.tokens)[1]


def ledger_drawings(a: Run, b: Run, t: int, notation: Notation, font_size: int) -> tuple[Drawing, ...]:
    """Each side's memory ledger at step ``t`` (1-based), side by side in the slots of ``ledger_html``."""
    return tuple(
        ledger_drawing(run, t, side, notation, font_size, slot=f"ledger-{side.lower()}")
        for side, run in (("A", a), ("B", b))
    )


def ledger_html(a: Run, b: Run, t: int, text: str) -> str:
    """The ledger's heading, text and equation, who wrote each named group, and the two ledgers' slots."""
    slots = slot_html("ledger-a") + slot_html("ledger-b")
    return (
        "<h3>The memory ledger: where the cell state came from</h3>"
        + markdown_html(text)
        + tex_html(LEDGER_TEX)
        + writers_html((("A", a), ("B", b)), t)
        + f'<div class="gbg-columns">{slots}</div>'
    )
