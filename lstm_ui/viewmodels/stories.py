"""The lectures' stories, computed: cached runs of the examples registry, the units to look at, what the
model did at the decisive step, and the figures (focus heatmap; the softmax example's plotly bars). The
word view's HTML (claim, metrics, prediction bars as SVG, the table) is ``lstm_ui.viewmodels.story_text``.

The examples are data (``assets/examples/<id>.json`` + ``.md``, ``lstm_core.examples``); which trained
models can stand in for an example's model is the registry ``ALTERNATIVES`` below, and a model this
session trained on a task with words stands in for the model ``trained_models.STORY_TASKS`` names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from lstm_core import GRUTrace, load_examples, run_example
from lstm_core.examples import Example, ExampleResult
from lstm_core.story import Prediction, StoryModel, list_models
from lstm_core.story.designed import WEIGHTS_PATH
from lstm_ui.drawings.colours import SCALES
from lstm_ui.drawings.folding import Fold
from lstm_ui.drawings.heatmap import trace_svg
from lstm_ui.notation import Notation
from lstm_ui.prose import section
from lstm_ui.trained_models import STORY_TASKS, find_trained, session_models

# The models an example may switch to, by the model it was written for (first = its own).
ALTERNATIVES = MappingProxyType(
    {
        "designed_story": ("designed_story", "trained_story", "trained_story_rnn", "trained_story_gru"),
        "events_lstm": ("events_lstm", "events_rnn"),
    }
)
FOCUS_UNITS = 8  # units shown when the model names none (trained models): the ones that moved most
GATE_ORDER = ("forget", "input", "output", "reset", "update")  # sigmoid gates, in reading order
HIGHLIGHT = SCALES["cell"].colorscale[-1][1]  # the expected word's bar: the scales' orange end
BAR = SCALES["cell"].colorscale[1][1]


@st.cache_resource(show_spinner=False)
def examples() -> Mapping[str, Example]:
    """Every example by id, in page order (read once per process)."""
    return MappingProxyType(load_examples())


DESIGNED = "designed_story"


@st.cache_data(max_entries=1, show_spinner=False)
def designed_weights_markdown() -> str:
    """``assets/story/weights.md`` for a place inside the page: every unit's job and every weight of the
    designed model, explained. Its title and the notes for the repository's readers (file and function
    names) give way to the page's own lines; headings drop three levels (the page has its own title) and
    pointers to the repository's other files are left out (they do not resolve in the app)."""
    text = WEIGHTS_PATH.with_suffix(".md").read_text(encoding="utf-8")
    body = text[text.index("\n## ") :]  # from the first section on
    body = re.sub(r"^(#+) ", lambda m: "#" * min(len(m.group(1)) + 3, 6) + " ", body, flags=re.M)
    body = re.sub(r" \(see \[[^\]]+\]\([\w.-]+\.md\)\)", "", body)
    return section("stories", "designed_weights") + "\n" + body


@st.cache_resource(show_spinner=False)
def model_status() -> Mapping[str, tuple[bool, str, str]]:
    """``{model name: (available, title, reason it is not)}`` from ``lstm_core.story.list_models``."""
    return MappingProxyType({m.name: (m.available, m.title, m.reason) for m in list_models()})


def model_choices(example: Example) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(available models for ``example``, missing ones); the example's own model first, the models this
    session trained that can tell it last."""
    family = ALTERNATIVES.get(example.model, (example.model,))
    status = model_status()
    ok = tuple(m for m in family if status.get(m, (False,))[0])
    mine = tuple(
        key
        for key, m in session_models().items()
        if m.story is not None and STORY_TASKS[m.task][0] == example.model
    )
    return ok + mine, tuple(m for m in family if m not in ok)


def model_title(model: str) -> str:
    """What the model choice calls ``model``: a registry model's title, or this session's model's."""
    trained = find_trained(model)
    return trained.title if trained is not None else model_status()[model][1]


def story_result(example_id: str, sentence: str | None, model: str | None = None) -> ExampleResult:
    """``run_example`` of example ``example_id`` on ``sentence`` (None: its own), with ``model`` instead of
    its own model when given: a registry model, or one this session trained (``trained-1``). Raises
    ``ValueError`` on text without words or a missing model file."""
    trained = find_trained(model)
    if trained is not None and trained.story is not None:
        return _session_result(example_id, sentence, trained.key, trained.digest, trained.story)
    return _shipped_result(example_id, sentence, model)


@st.cache_data(max_entries=128, show_spinner=False)
def _shipped_result(example_id: str, sentence: str | None, model: str | None) -> ExampleResult:
    example = examples()[example_id]
    if model is not None and model != example.model:
        example = replace(example, model=model)
    return run_example(example, sentence)


@st.cache_data(max_entries=32, show_spinner=False)
def _session_result(
    example_id: str, sentence: str | None, key: str, digest: str, _story: StoryModel
) -> ExampleResult:
    """A session's model's run, cached by its weights' ``digest`` (with its ``key``, the name the run
    carries): another session, even with a model of the same key, never reaches it."""
    return run_example(examples()[example_id], sentence, story=_story)


@st.cache_data(max_entries=64, show_spinner=False)
def numbers_result(example_id: str, items: tuple[tuple[str, tuple], ...]) -> ExampleResult:
    """``run_example`` of a numeric example with the user's numbers (``ValueError`` on bad ones)."""
    return run_example(examples()[example_id], numbers=dict(items))


def focus_units(result: ExampleResult, step: int, k: int = FOCUS_UNITS) -> tuple[int, ...]:
    """The example's highlighted units; without any, the ``k`` units whose hidden state changed most at
    ``step`` (0-based), in unit order."""
    if result.highlight:
        return tuple(result.highlight)
    hidden = np.asarray(result.trace.hidden)  # (T, H)
    prev = hidden[step - 1] if step > 0 else np.zeros(hidden.shape[1])
    moved = np.argsort(-np.abs(hidden[step] - prev), kind="stable")[:k]
    return tuple(sorted(int(u) for u in moved))


def gate_names(result: ExampleResult) -> tuple[str, ...]:
    return tuple(g for g in GATE_ORDER if g in result.trace.GATE_NAMES)


def story_notation(result: ExampleResult, notation: Notation) -> Notation:
    """``notation``, with the GRU's gate names added when the story ran through a GRU."""
    return notation.for_gru() if isinstance(result.trace, GRUTrace) else notation


def gate_mean(
    result: ExampleResult, gate: str, units: Sequence[int], step: int
) -> tuple[float, float | None]:
    """The mean of ``gate`` over ``units`` at ``step`` (0-based) and at the step before (None at 0)."""
    values = np.asarray(result.trace.per_step()[gate])[:, list(units)]  # (T, k)
    return float(values[step].mean()), float(values[step - 1].mean()) if step > 0 else None


def step_rows(result: ExampleResult, step: int, units: Sequence[int], notation: Notation) -> list[dict]:
    """One row per gate and state: its label (HTML: "forget gate (f<sub>t</sub>)"), its mean over
    ``units`` at ``step`` (0-based), the step before, and the range over the units at ``step``."""
    rows = []
    for name, values in result.trace.per_step().items():
        sel = np.asarray(values)[:, list(units)]  # (T, k)
        rows.append(
            {
                "": f"{html.escape(notation.name(name))} ({notation.symbol_html(name)})"
                if name in notation.names
                else html.escape(name),
                f"at “{result.tokens[step]}”": float(sel[step].mean()),
                "one word before": float(sel[step - 1].mean()) if step > 0 else None,
                "lowest unit": float(sel[step].min()),
                "highest unit": float(sel[step].max()),
            }
        )
    return rows


def unit_label(result: ExampleResult, units: Sequence[int]) -> str:
    """ "subject 1 … subject 8" or "unit 3, unit 17, …" for a caption."""
    names = [result.unit_names[u] for u in units]
    return f"{names[0]} … {names[-1]}" if len(names) > 3 else ", ".join(names)


def focus_svg(
    result: ExampleResult,
    units: Sequence[int],
    step: int,
    notation: Notation,
    font_size: int = 12,
    fold: Fold | None = None,
) -> str:
    """Tokens × focus units heatmaps of every gate and state (an SVG), the shown step outlined; a long
    text folded (``fold``: the steps that matter, and each long stretch as one averaged row)."""
    arrays = {name: np.asarray(values)[:, list(units)] for name, values in result.trace.per_step().items()}
    ticks = [result.unit_names[u].replace("subject", "subj").replace("language", "lang") for u in units]
    return trace_svg(
        arrays, result.tokens, notation, selected=(step, 0), font_size=font_size, unit_labels=ticks, fold=fold
    )


def prediction_figure(
    pred: Prediction, expected: str | None, font_size: int = 12, top: int = 10
) -> go.Figure:
    """Horizontal bars P(word) for the ``top`` candidates, best at the top, the expected word coloured."""
    labels, probs = list(pred.labels[:top]), np.asarray(pred.probabilities[:top], dtype=float)
    colours = [HIGHLIGHT if expected and w.casefold() == expected.casefold() else BAR for w in labels]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": probs,
            "y": labels,
            "marker": {"color": colours},
            "text": [f"{p:.3f}" for p in probs],
            "textposition": "outside",
            "name": "P(word)",
            "hovertemplate": "P(%{y}) = %{x:.4f}<extra></extra>",
        }
    ]
    layout = {
        "xaxis": {"range": [0, 1.15], "title": {"text": "probability (softmax)"}, "fixedrange": True},
        "yaxis": {"autorange": "reversed", "type": "category", "fixedrange": True},
        "height": 90 + 28 * len(labels),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 50},
        "font": {"size": font_size},
        "showlegend": False,
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)
