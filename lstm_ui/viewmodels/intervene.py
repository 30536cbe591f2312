"""Gates set by hand, before and after: what the view's clamps changed in a run, for any page that runs a
sentence (the step page, the cell page, Stories, Compare).

``page_trace`` is the run a page shows (with the view's clamps that fit it); ``difference_svg`` draws
every array's change after − before on shared, signed scales (hover: before → after), the clamped squares
outlined; ``before_after_html`` lists the selected step and unit's values before, after and their
difference; ``clamp_notes`` says which clamps do not fit the sentence; ``answers_html`` puts a story
model's answers at its blanks before and after side by side.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from lstm_core import LSTMTrace
from lstm_ui.drawings.colours import SCALES, scale_for
from lstm_ui.drawings.compare import Panel, number, panels_svg, signed
from lstm_ui.drawings.folding import Fold, fold_arrays, fold_steps, gap_label, row_steps
from lstm_ui.notation import Notation
from lstm_ui.runs import clamped_trace, hidden_size
from lstm_ui.sentence import token_labels
from lstm_ui.state import view
from lstm_ui.state.clamp_controls import gate_letter
from lstm_ui.state.clamps import PageClamp, number_text, read, split_by_fit

ARRAYS = ("forget", "input", "candidate", "output", "cell", "hidden")
CHANGED = 1e-12  # a difference below this is rounding: "unchanged"
TABLE_STYLE = (
    "<style>.gbg-ba{border-collapse:collapse;margin:0.4rem 0}.gbg-ba td,.gbg-ba th{padding:2px 10px;"
    "text-align:right;font-variant-numeric:tabular-nums}.gbg-ba tr.moved td{font-weight:600}"
    ".gbg-ba .gbg-step{opacity:0.7}.gbg-sides td,.gbg-sides tr:first-child th{text-align:left}</style>"
)


def view_clamps() -> tuple[PageClamp, ...]:
    """The clamps the view holds."""
    return read(view.get("clamps"))


def fitting(steps: int, units: int) -> tuple[tuple[PageClamp, ...], tuple[PageClamp, ...]]:
    """(the view's clamps that fit a run of ``steps`` words and ``units`` units, the others)."""
    return split_by_fit(view_clamps(), steps, units)


def run_fitting(model: str, tokens: Sequence[str]) -> tuple[tuple[PageClamp, ...], tuple[PageClamp, ...]]:
    """``fitting`` for ``model`` run on ``tokens``; a view without clamps does not look the model up."""
    return fitting(len(tokens), hidden_size(model)) if view_clamps() else ((), ())


def page_trace(model: str, tokens: tuple[str, ...]) -> LSTMTrace:
    """The run a page shows: the picker's ``model`` on ``tokens`` with the view's clamps that fit."""
    return clamped_trace(model, tokens, run_fitting(model, tokens)[0])


def clamp_notes(outside: Sequence[PageClamp], steps: int, units: int, notation: Notation) -> list[str]:
    """One message per clamp that does not fit the run (it is kept in the view, not applied)."""
    return [
        f"The clamp {describe(c, notation)} is outside this run ({steps} steps, {units} units): not applied."
        for c in outside
    ]


def describe(clamp: PageClamp, notation: Notation, tokens: Sequence[str] = ()) -> str:
    """ "f = 1 at step 7 (“Dan”), unit 3" in the notation's symbols."""
    word = f" (“{tokens[clamp.step - 1]}”)" if 0 < clamp.step <= len(tokens) else ""
    value = number_text(clamp.value)
    return f"{gate_letter(notation, clamp.gate)} = {value} at step {clamp.step}{word}, unit {clamp.unit}"


def diff_range(values: np.ndarray) -> tuple[float, float]:
    """A symmetric range fitted to the differences ``values`` (NaN ignored), at least ±0.001, ±1 when
    nothing differs: a small change still shows, and the colour bar says how small."""
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 0.0
    top = 1.0 if top <= CHANGED else max(top, 1e-3)
    return -top, top


def set_here_text(here: Sequence[PageClamp], weights: LSTMTrace, t: int, j: int, notation: Notation) -> str:
    """ "At this step and unit f is set by hand to 1; the weights gave σ(−1.641) = 0.162." (0-based)."""
    parts = []
    for c in here:
        z = float(np.asarray(getattr(weights, f"pre_{c.gate}"))[t, j])
        act = "tanh" if c.gate == "candidate" else "σ"
        given = float(np.asarray(getattr(weights, c.gate))[t, j])
        parts.append(
            f"{gate_letter(notation, c.gate)} is set by hand to {number_text(c.value)} (the weights gave "
            f"{act}({number(z)}) = {number(given)})"
        )
    return "At this step and unit " + "; ".join(parts) + ". The diagram and its equations show the value set."


def difference_panels(
    before: LSTMTrace,
    after: LSTMTrace,
    notation: Notation,
    clamps: Sequence[PageClamp] = (),
    fold: Fold | None = None,
) -> list[Panel]:
    """Each array's after − before (T, H), in the heatmaps' order, on one signed range per kind of array
    (gates, tanh values, the cell state) fitted to the changes; hover: the change with before → after.
    ``fold``: the rows of a long text (``drawings.folding``): a folded stretch shows its average change."""
    fold = fold or Fold(tuple(range(before.steps)))
    deltas = {n: np.asarray(getattr(after, n)) - np.asarray(getattr(before, n)) for n in ARRAYS}
    kinds: dict[str, list[str]] = {}
    for name in ARRAYS:
        kinds.setdefault(scale_for(name).name, []).append(name)
    ranges, bars = {}, {}
    for names in kinds.values():
        span = diff_range(np.concatenate([deltas[n].ravel() for n in names]))
        bar = "Δ " + ", ".join(notation.symbol_html(n) for n in names)
        ranges.update(dict.fromkeys(names, span))
        bars.update(dict.fromkeys(names, bar))
    panels = []
    for name in ARRAYS:
        b, a = np.asarray(getattr(before, name)), np.asarray(getattr(after, name))
        d = fold_arrays({name: deltas[name]}, fold)[name]
        hover = np.array(
            [
                [f"Δ {signed(v)} on average" for v in d[k]]
                if isinstance(row, tuple)
                else [
                    f"Δ {signed(v)} ({number(x)} → {number(y)})"
                    for v, x, y in zip(d[k], b[row], a[row], strict=True)
                ]
                for k, row in enumerate(fold.rows)
            ],
            dtype=object,
        )
        marked = tuple(
            (fold.row_of(c.step - 1), c.unit - 1)
            for c in clamps
            if c.gate == name and fold.row_of(c.step - 1) is not None
        )
        title, symbol = f"Δ {notation.name(name)}", notation.symbol_html(name)
        panels.append(Panel(name, title, symbol, d, SCALES["cell"], *ranges[name], bars[name], hover, marked))
    return panels


def difference_svg(
    before: LSTMTrace,
    after: LSTMTrace,
    tokens: Sequence[str],
    notation: Notation,
    clamps: Sequence[PageClamp],
    selected: int | None = None,
    font_size: int = 12,
) -> str:
    """Every array's change, after − before, side by side: rows before the first clamp are all 0. A long
    text is folded around the clamped steps and ``selected`` (0-based), as the page's heatmaps are."""
    keep = [c.step - 1 for c in clamps] + ([] if selected is None else [selected])
    fold = fold_steps(before.steps, keep)
    panels = difference_panels(before, after, notation, clamps, fold)
    labels = token_labels(tuple(tokens))
    rows = [gap_label(r) if isinstance(r, tuple) else labels[r] for r in fold.rows]
    words = ["" if isinstance(r, tuple) else tokens[r] for r in fold.rows]
    steps = row_steps(fold)
    at = None if selected is None else fold.row_of(selected)
    aria = "What the clamps changed: after minus before"
    return panels_svg(panels, rows, words, at, font_size, aria=aria, row_steps=steps)


def first_change(before: LSTMTrace, after: LSTMTrace) -> int | None:
    """The first step (0-based) where any value differs, or None."""
    moved = [
        np.abs(np.asarray(getattr(after, n)) - np.asarray(getattr(before, n))).max(axis=-1) for n in ARRAYS
    ]
    steps = np.flatnonzero(np.max(moved, axis=0) > CHANGED)
    return int(steps[0]) if steps.size else None


def summary_html(before: LSTMTrace, after: LSTMTrace, tokens: Sequence[str], notation: Notation) -> str:
    """One sentence: where the change starts and how far the cell state moved by the last step."""
    first = first_change(before, after)
    if first is None:
        return "<p>The clamps change nothing here: every gate they set already had that value.</p>"
    end = np.abs(np.asarray(after.cell)[-1] - np.asarray(before.cell)[-1])
    j = int(np.argmax(end))
    c = html.escape(gate_letter(notation, "cell"))
    return (
        f"<p>Nothing changes before step {first + 1} (“{html.escape(tokens[first])}”). At the last step "
        f"{c} differs by up to {number(float(end[j]))} (unit {j + 1}); hover a square for before → after."
        "</p>"
    )


def before_after_html(
    before: LSTMTrace, after: LSTMTrace, t: int, j: int, notation: Notation, clamps: Sequence[PageClamp]
) -> str:
    """The selected step ``t`` and unit ``j`` (0-based): every array's value before, after and the
    difference, with the gates set by hand there named."""
    rows = []
    for name in ARRAYS:
        b, a = float(np.asarray(getattr(before, name))[t, j]), float(np.asarray(getattr(after, name))[t, j])
        set_here = any(c.gate == name and (c.step, c.unit) == (t + 1, j + 1) for c in clamps)
        mark = " <em>(set by hand)</em>" if set_here else ""
        cls = ' class="moved"' if abs(a - b) > CHANGED else ""
        rows.append(
            f"<tr{cls}><th>{html.escape(notation.name(name))} {notation.symbol_html(name)}{mark}</th>"
            f"<td>{number(b)}</td><td>{number(a)}</td><td>{signed(a - b)}</td></tr>"
        )
    return (
        TABLE_STYLE
        + f'<table class="gbg-ba" data-step="{t + 1}" data-unit="{j + 1}"><caption style="caption-side:top;'
        f'text-align:left">Step {t + 1}, unit {j + 1}: before and after the clamps</caption>'
        "<tr><th></th><th>before</th><th>after</th><th>difference</th></tr>" + "".join(rows) + "</table>"
    )


def answers_html(columns: Sequence[tuple[str, Sequence, Sequence[str]]]) -> str:
    """A story model's answers at each blank ``___``, one column per run: (title, its predictions, its
    tokens); empty when no run asks anything."""
    n = max((len(preds) for _, preds, _ in columns), default=0)
    if n == 0:
        return ""
    head = "".join(f"<th>{html.escape(title)}</th>" for title, _, _ in columns)
    rows = []
    for k in range(n):
        cells = "".join(
            f"<td>{answer_text(preds[k], tokens) if k < len(preds) else '—'}</td>"
            for _, preds, tokens in columns
        )
        rows.append(f"<tr><th>blank {k + 1}</th>{cells}</tr>")
    return (
        TABLE_STYLE
        + '<table class="gbg-ba" data-role="answers"><caption style="caption-side:top;text-align:left">'
        f"The model's answer at each blank</caption><tr><th></th>{head}</tr>{''.join(rows)}</table>"
    )


def answer_text(p: object, tokens: Sequence[str]) -> str:
    """ "<b>Bob</b> 99.7 %", or "no clear answer: Dan 48.6 %, Bob 48.6 %", and the step read."""
    where = f' <span class="gbg-step">(step {p.step + 1}, “{html.escape(tokens[p.step])}”)</span>'
    if p.answer is not None:
        return f"<b>{html.escape(p.answer)}</b> {100 * float(p.probabilities[0]):.1f} %{where}"
    pairs = zip(p.labels[:2], p.probabilities[:2], strict=True)
    return (
        "no clear answer: " + ", ".join(f"{html.escape(w)} {100 * float(q):.1f} %" for w, q in pairs) + where
    )
