"""Home: the lecture's France sentence through the designed LSTM, its country units shown word by word,
and what the core says about that run (the claim checked, the answer at the blank). Which example,
sentence and panels: ``assets/home.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np

from lstm_core.examples import ExampleResult
from lstm_ui.drawings.folding import fold_steps
from lstm_ui.drawings.heatmap import HALF_WIDTH_PX, trace_svg
from lstm_ui.notation import Notation
from lstm_ui.viewmodels.stories import story_result
from lstm_ui.viewmodels.story_checks import check_html, verdict_html

HOME_PATH = Path(__file__).resolve().parents[2] / "assets" / "home.json"


@dataclass(frozen=True)
class HomeFigure:
    example: str  # the Stories example it comes from
    sentence: str
    panels: tuple[str, ...]  # the trace's arrays drawn, left to right
    title: str


def home_figure() -> HomeFigure:
    raw = json.loads(HOME_PATH.read_text(encoding="utf-8"))
    return HomeFigure(raw["example"], raw["sentence"], tuple(raw["panels"]), raw["title"])


def home_result(figure: HomeFigure) -> ExampleResult:
    """The example run live on the home sentence (cached by ``story_result``)."""
    return story_result(figure.example, figure.sentence)


def home_svg(
    figure: HomeFigure, result: ExampleResult, notation: Notation, font_size: int, folded: bool = False
) -> str:
    """Words × the example's highlighted units, one panel per array in ``figure.panels``, the word where
    the answer is read outlined; ``folded``: only the words that matter (the clue, the cue, the blank and
    their neighbours) and the gap between them as one row, its average (for a projector's first screen)."""
    units = list(result.highlight)
    per_step = result.trace.per_step()
    arrays = {name: np.asarray(per_step[name])[:, units] for name in figure.panels}  # each (T, units)
    ticks = [
        result.unit_names[u].rsplit(" ", 1)[-1] for u in units
    ]  # "country 3" → "3", "language cue" → "cue"
    return trace_svg(
        arrays,
        result.tokens,
        notation,
        selected=(result.open_step, 0),
        font_size=font_size,
        unit_labels=ticks,
        width_px=HALF_WIDTH_PX,
        fold=fold_steps(len(result.tokens), result.key_steps, around=1, most=12) if folded else None,
    )


def home_caption_html(result: ExampleResult) -> str:
    """The answer at the blank and the lecture's claim checked on this very run, with its numbers."""
    answers = [p for p in result.predictions if p.step == result.open_step] or list(result.predictions)
    verdict = ""
    if answers:
        pred = answers[0]
        verdict = verdict_html(pred, result.tokens[pred.step], result.expected)
    claim = f'<p data-role="claim">The lecture: <em>{escape(result.example.claim)}</em></p>'
    return claim + verdict + check_html(result)
