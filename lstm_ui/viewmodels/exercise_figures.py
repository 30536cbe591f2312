"""The figure of an exercise: what the question lets the student look at while answering (``before``),
and the reveal, with the asked numbers highlighted: the cell diagram at the asked step with its stage
lit, the heatmaps with the asked square outlined, the memory ledger of the asked unit (its main writer
outlined), or the measured memory-span curves with the asked gap marked.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lstm_core.exercises import Focus, Question, run_story
from lstm_core.ledger import memory_ledger
from lstm_ui.drawings.cell_diagram import cell_svg, load_steps
from lstm_ui.drawings.heatmap import SELECT_LINE, trace_svg
from lstm_ui.drawings.ledger import ledger_svg
from lstm_ui.equations import cell_values
from lstm_ui.notation import Notation


def _run(focus: Focus):
    return run_story(focus.model, focus.text, focus.clamps)


def _unit_names(run, focus: Focus) -> list[str]:
    name = run.unit_names[focus.unit]
    return [name if not name.startswith("unit ") else f"unit {focus.unit + 1}"]


def before_svg(question: Question, notation: Notation, font: int) -> str:
    """The heatmaps the question may be answered from (the asked square outlined), or "" for none."""
    focus = question.focus
    if not focus.before:
        return ""
    run = _run(focus)
    arrays = {name: getattr(run.trace, name) for name in focus.before}
    return trace_svg(arrays, run.tokens, notation, selected=(focus.step, focus.unit), font_size=font)


def reveal_svg(question: Question, notation: Notation, font: int, large: bool) -> str:
    """The reveal's drawing (SVG), or "" when the reveal is a chart (``reveal_chart``)."""
    focus = question.focus
    if focus.drawing == "span":
        return ""
    run = _run(focus)
    if focus.drawing == "cell":
        info = load_steps()["steps"][focus.stage]
        title = f"“{run.tokens[focus.step]}” (t = {focus.step + 1}), the unit asked about"
        return cell_svg(
            cell_values(run.trace, focus.step), focus.unit, info, notation, large=large, title=title
        )
    if focus.drawing == "heatmap":
        arrays = {name: getattr(run.trace, name) for name in focus.arrays}
        return trace_svg(arrays, run.tokens, notation, selected=(focus.step, focus.unit), font_size=font)
    ledger = memory_ledger(run.trace, focus.step)
    shares, initial = ledger.shares()
    j = [focus.unit]
    return ledger_svg(
        ledger.parts[:, j],
        ledger.initial[j],
        ledger.cell[j],
        shares[:, j],
        initial[j],
        run.tokens[: focus.step + 1],
        notation.symbol_html("cell"),
        font_size=font,
        width_px=360,
        unit_labels=_unit_names(run, focus),
        title=f"Who wrote {_unit_names(run, focus)[0]}'s cell state",
    )


def reveal_chart(question: Question, font: int) -> go.Figure | None:
    """The measured memory-span curves with the asked gap marked (a "span" question), else None."""
    from lstm_ui.viewmodels.measured import load_result, memory_span_figure  # pandas: only when drawn

    doc = load_result("memory_span")
    if question.focus.drawing != "span" or doc is None:
        return None
    fig = memory_span_figure(doc, font_size=font)
    fig.add_vline(x=question.focus.gap, line_dash="dot", line_color=SELECT_LINE, line_width=2)  # data units
    return fig
