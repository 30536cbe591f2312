"""The Stories page's word view as HTML for one live component (``lstm_ui.components.live_svg.show_svg``): the
lecture's claim next to what the model did at the chosen word (the gate means as metrics, the prediction
line and its bars as a small SVG, the table of all numbers), so that a new word redraws one element.

Every text is escaped here; the numbers carry their full value in ``data-value`` attributes (for tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from lstm_core.examples import Example, ExampleResult, caption_for
from lstm_core.story import Prediction
from lstm_ui.drawings.colours import palette
from lstm_ui.drawings.heatmap import label_px
from lstm_ui.drawings.svg import FONT_FAMILY, esc
from lstm_ui.drawings.svg import coord as _n  # an SVG coordinate
from lstm_ui.notation import Notation
from lstm_ui.prose import markdown_html
from lstm_ui.viewmodels.stories import BAR, HIGHLIGHT, gate_mean, gate_names, step_rows, unit_label
from lstm_ui.viewmodels.story_checks import check_html, verdict_html

METRIC_HELP = "Mean over the units above; the change is from the word before."
GREY = "rgba(49, 51, 63, 0.6)"
LINE = "rgba(49, 51, 63, 0.12)"
_QUOTE = f"margin: 0 0 1rem 0; padding: 0 0 0 1rem; border-left: 3px solid {LINE}; color: {GREY}"
_METRICS = "display: flex; flex-wrap: wrap; gap: 0.5rem 1.75rem; margin: 0 0 1rem 0"
_DELTA = f"font-size: 0.8em; color: {GREY}; background: rgba(49, 51, 63, 0.06); border-radius: 1rem; "
_DELTA += "padding: 0 0.5rem; align-self: flex-start; font-variant-numeric: tabular-nums"
_CELL = f"padding: 0.3rem 0.5rem; border-bottom: 1px solid {LINE}"
_NUM = _CELL + "; text-align: right; font-variant-numeric: tabular-nums"


def _short(word: str, n: int = 18) -> str:
    return word if len(word) <= n else word[: n - 1] + "…"


def bars_svg(pred: Prediction, expected: str | None, font_size: int = 12, top: int = 10) -> str:
    """Horizontal bars P(word) for the ``top`` candidates, best at the top, the lecture's expected word
    in the highlight colour (an SVG; the plotly chart it replaces drew the same)."""
    labels = [str(w) for w in pred.labels[:top]]
    probs = [float(p) for p in pred.probabilities[:top]]
    pal, f = palette(), font_size
    row = round(26 * max(1.0, f / 12))
    width = 440.0
    left = label_px([_short(w) for w in labels], f) + 10
    plot = width - left - 12
    scale = plot / 1.15  # the axis runs to 1.15, as the plotly chart's did: room for the numbers
    top_px = 22  # free band on top: the drawing's SVG / PNG buttons sit there
    axis_y = top_px + row * len(labels) + 4
    height = axis_y + 2 * f + 16
    aria = esc("Prediction: " + ", ".join(f"P({w}) = {p:.3f}" for w, p in zip(labels, probs, strict=True)))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" width="100%" '
        f'style="height: auto; display: block; max-width: {_n(width * 1.25)}px" role="img" '
        f'font-family="{FONT_FAMILY}" font-size="{f}" fill="{pal["ink"]}" data-role="bars" '
        f'data-download="bars" aria-label="{aria}">',
        f'<g data-role="axis" font-size="{f - 1}" fill="{GREY}" text-anchor="middle">',
        f'<line x1="{left}" x2="{_n(left + plot)}" y1="{axis_y}" y2="{axis_y}" stroke="{LINE}"/>',
    ]
    for tick in (0.0, 0.5, 1.0):
        x = _n(left + tick * scale)
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{top_px}" y2="{axis_y + 4}" stroke="{LINE}"/>'
            f'<text x="{x}" y="{axis_y + f + 4}">{tick:g}</text>'
        )
    out.append(
        f'<text x="{_n(left + plot / 2)}" y="{axis_y + 2 * f + 10}" fill="{pal["ink"]}">'
        "probability (softmax)</text></g>"
    )
    for k, (word, p) in enumerate(zip(labels, probs, strict=True)):
        hit = bool(expected) and word.casefold() == str(expected).casefold()
        y = top_px + k * row
        w = max(p, 0.0) * scale
        text_y = _n(y + row / 2 + 0.35 * f)
        out.append(
            f'<g data-role="bar" data-label="{esc(word)}" data-value="{p!r}" data-expected="{int(hit)}">'
            f"<title>P({esc(word)}) = {p:.4f}</title>"
            f'<text x="{left - 6}" y="{text_y}" text-anchor="end">{esc(_short(word))}</text>'
            f'<rect x="{left}" y="{_n(y + 3)}" width="{_n(w)}" height="{row - 6}" '
            f'fill="{HIGHLIGHT if hit else BAR}"/>'
            f'<text x="{_n(left + w + 4)}" y="{text_y}" font-size="{f - 1}">{p:.3f}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def metrics_html(result: ExampleResult, units: Sequence[int], step: int, notation: Notation) -> str:
    """Each gate's mean over ``units`` at ``step`` (0-based), 6 decimals, and its change from the word
    before (as the st.metric it replaces showed them)."""
    out = [f'<div data-role="metrics" style="{_METRICS}">']
    for gate in gate_names(result):
        now, before = gate_mean(result, gate, units, step)
        label = f"{escape(notation.name(gate))} {notation.symbol_html(gate)}"
        delta = ""
        if before is not None:
            change = f"{now - before:+.6f}"
            arrow = "" if float(change) == 0 else "↓ " if change.startswith("-") else "↑ "  # none: no change
            delta = f'<span data-role="delta" style="{_DELTA}">{arrow}{change.replace("-", "−")}</span>'
        out.append(
            f'<div data-role="metric" data-gate="{escape(gate)}" data-value="{now!r}" '
            f'data-before="{"" if before is None else repr(before)}" title="{escape(METRIC_HELP)}" '
            'style="display: flex; flex-direction: column; gap: 0.1rem">'
            f'<span style="font-size: 0.875em">{label}</span>'
            f'<span data-role="value" style="font-size: 2rem; line-height: 1.2; '
            f'font-variant-numeric: tabular-nums">{now:.6f}</span>{delta}</div>'
        )
    out.append("</div>")
    return "".join(out)


def table_html(
    result: ExampleResult, step: int, units: Sequence[int], notation: Notation, open_: bool = True
) -> str:
    """``step_rows`` as an HTML table (6 decimals, "–" where there is no word before) inside a
    ``<details data-keep="numbers">`` (kept open across words once open)."""
    rows = step_rows(result, step, units, notation)
    heads = list(rows[0]) if rows else []
    head = "".join(
        f'<th style="{_CELL if k == 0 else _NUM}; font-weight: 600">{escape(h)}</th>'
        for k, h in enumerate(heads)
    )
    body = []
    for r in rows:
        cells = [f'<th scope="row" style="{_CELL}; font-weight: 400; text-align: left">{r[""]}</th>']
        for h in heads[1:]:
            v = r[h]
            shown = "–" if v is None else f"{v:.6f}".replace("-", "−")
            cells.append(f'<td data-col="{escape(h)}" data-value="{"" if v is None else repr(v)}" '
                         f'style="{_NUM}">{shown}</td>')  # fmt: skip
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<details data-keep="numbers"{" open" if open_ else ""}>'
        "<summary>All the numbers at this word</summary>"
        '<div style="overflow-x: auto"><table data-role="numbers" '
        'style="border-collapse: collapse; width: 100%; font-size: 0.875em">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div></details>"
    )


def prediction_at(result: ExampleResult, step: int) -> Prediction | None:
    """The answer read at ``step`` (0-based), else the first one the model gives (None: it gives none)."""
    preds = [p for p in result.predictions if p.step == step] or list(result.predictions)
    return preds[0] if preds else None


def claim_html(example: Example, result: ExampleResult | None, caption: bool = True) -> str:
    """The lecture's claim, whether it holds on ``result`` (checked live, with the deciding numbers; left
    out without a result) and the caption for its model."""
    text = caption_for(example.caption, example.model) if result is None else result.caption
    return (
        "<div><h3>What the lecture claims</h3>"
        f'<blockquote style="{_QUOTE}">{markdown_html(example.claim)}</blockquote>'
        f"{'' if result is None else check_html(result)}{markdown_html(text) if caption else ''}</div>"
    )


def word_html(
    example: Example,
    result: ExampleResult,
    step: int,
    units: Sequence[int],
    notation: Notation,
    font_size: int = 12,
    numbers_open: bool = True,
    large: bool = False,
) -> str:
    """The two columns at word ``step`` (0-based): the lecture's claim, whether it holds on this sentence
    and model (checked live, with the deciding numbers) and the caption for this model; what the model
    did (the gate means, its answer and the bars, all the numbers). ``large``: presenter mode, whose
    paragraphs are 1.3rem: the labels and the table grow with them, and the caption is left to the
    lecturer."""
    tokens, T = result.tokens, len(result.tokens)
    claim = claim_html(example, result, caption=not large)
    did = [
        "<h3>What the model actually did</h3>",
        f'<p data-role="at">At <strong>“{escape(tokens[step])}”</strong> (word {step + 1} of {T}), over the '
        f"units <strong>{escape(unit_label(result, units))}</strong>:</p>",
        metrics_html(result, units, step, notation),
    ]
    pred = prediction_at(result, step)
    if pred is not None:
        where = tokens[pred.step] if 0 <= pred.step < T else tokens[-1]
        did.append(verdict_html(pred, where, result.expected))
        did.append(bars_svg(pred, result.expected, font_size))
    else:
        did.append('<p data-role="prediction">This model gives no answer in this sentence.</p>')
    did.append(table_html(result, step, units, notation, numbers_open))
    size = ' style="font-size: 1.3rem"' if large else ""
    return (
        f'<div class="gbg-columns" data-step="{step + 1}" style="margin-bottom: 1.5rem">{claim}'
        f"<div{size}>{''.join(did)}</div></div>"
    )
