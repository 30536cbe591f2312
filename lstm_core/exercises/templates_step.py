"""Templates of one step of a cell: give the numbers going in, ask the number coming out.

The lectures' four steps of the LSTM (forget: C^f = f·C_{t-1}; store: C^i = i·C̃; update: C = C^f + C^i;
output: h = o·tanh(C)), then the plain RNN (h = tanh(W_hh h_{t-1} + W_xh x_t + b)) and the GRU
(h = (1 − z)·n + z·h_{t-1}). Every number comes from a live run of a story model on a drawn sentence;
the right answer is the trace's own value.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lstm_core.exercises.live import LiveRun, drawn_run, pick_step
from lstm_core.exercises.question import Drawn, Focus, Redraw, fmt

SMALLEST = 0.05  # a question whose inputs are all about 0 teaches nothing: draw again


def unit_label(run: LiveRun, j: int) -> str:
    """A unit as the question names it: a designed unit's name, else "unit j" counted from 1 as on the
    pages' axes."""
    name = run.unit_names[j]
    return f"unit {j + 1}" if name.startswith("unit ") else name


def _where(run: LiveRun, params: Mapping, rng: np.random.Generator) -> tuple[int, int]:
    """(step, unit) to ask about: the set's ``at`` (a slot or any word after the first) and ``units``."""
    t = pick_step(run, params.get("at", "any"), rng, first=1)
    units = run.units(params.get("units", ()))
    return t, units[int(rng.integers(len(units)))]


def _context(run: LiveRun, t: int, j: int) -> dict[str, str]:
    return {"word": run.tokens[t], "step": str(t + 1), "unit": unit_label(run, j), "sentence": run.text}


def _step_question(
    params: Mapping,
    rng: np.random.Generator,
    stage: str,
    given: tuple[str, ...],
    asked: str,
    before: tuple[str, ...],
) -> Drawn:
    """A number question on one LSTM step: ``given`` values of the trace at (t, j), ``asked`` the answer."""
    run = drawn_run(params, rng, "trained_story")
    t, j = _where(run, params, rng)
    tr = run.trace
    numbers = {
        "cell_prev": tr.cell_prev[t, j],
        "forget": tr.forget[t, j],
        "input": tr.input[t, j],
        "candidate": tr.candidate[t, j],
        "forget_part": tr.forget_part[t, j],
        "input_part": tr.input_part[t, j],
        "cell": tr.cell[t, j],
        "cell_tanh": tr.cell_tanh[t, j],
        "output": tr.output[t, j],
        "hidden": tr.hidden[t, j],
    }
    if max(abs(numbers[name]) for name in given) < SMALLEST or abs(numbers[asked]) < 0.01:
        raise Redraw("the numbers are all about 0")
    values = _context(run, t, j) | {name: fmt(float(numbers[name])) for name in numbers}
    focus = Focus("cell", run.model, run.text, t, j, stage=stage, before=before)
    reveal = tuple((f"[[{name}]]", values[name]) for name in (*given, asked))
    return Drawn("number", float(numbers[asked]), values, focus, reveal)


def forget_product(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Step 1, forget: C^f_t = f_t · C_{t-1}."""
    return _step_question(params, rng, "forget", ("cell_prev", "forget"), "forget_part", ("forget",))


def store_product(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Step 2, store: C^i_t = i_t · C̃_t."""
    return _step_question(params, rng, "store", ("input", "candidate"), "input_part", ("input", "candidate"))


def update_sum(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Step 3, update: C_t = C^f_t + C^i_t."""
    return _step_question(params, rng, "update", ("forget_part", "input_part"), "cell", ())


def output_hidden(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Step 4, output: h_t = o_t · tanh(C_t)."""
    return _step_question(params, rng, "output", ("output", "cell", "cell_tanh"), "hidden", ("output",))


def rnn_hidden(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """The plain RNN: h_t = tanh(W_hh h_{t-1} + (W_xh x_t + b)); its one squashing step."""
    run = drawn_run(params, rng, "trained_story_rnn")
    t, j = _where(run, params, rng)
    tr = run.trace
    from_h, from_x = float(tr.from_h[t, j]), float(tr.from_x[t, j] + tr.bias[t, j])
    if abs(from_h) < SMALLEST:
        raise Redraw("h_{t-1} adds about nothing")
    values = _context(run, t, j) | {
        "from_h": fmt(from_h),
        "from_x": fmt(from_x),
        "pre": fmt(float(tr.pre_hidden[t, j])),
        "hidden": fmt(float(tr.hidden[t, j])),
    }
    focus = Focus("heatmap", run.model, run.text, t, j, arrays=("hidden",), cell="rnn")
    reveal = (
        ("W·h (from the last step)", values["from_h"]),
        ("W·x + b (from the word)", values["from_x"]),
        ("z, their sum", values["pre"]),
        ("[[hidden]] = tanh(z)", values["hidden"]),
    )
    return Drawn("number", float(tr.hidden[t, j]), values, focus, reveal)


def gru_hidden(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """The GRU: h_t = (1 − z_t) · n_t + z_t · h_{t-1}, the update gate mixing old and new."""
    run = drawn_run(params, rng, "trained_story_gru")
    t, j = _where(run, params, rng)
    tr = run.trace
    z, n, h_prev, h = (float(a[t, j]) for a in (tr.update, tr.candidate, tr.hidden_prev, tr.hidden))
    if abs(n - h_prev) < 2 * SMALLEST or not SMALLEST < z < 1 - SMALLEST:
        raise Redraw("old and new are about the same, or the update gate is shut or open")
    values = _context(run, t, j) | {
        "update": fmt(z),
        "candidate": fmt(n),
        "hidden_prev": fmt(h_prev),
        "hidden": fmt(h),
    }
    focus = Focus(
        "heatmap",
        run.model,
        run.text,
        t,
        j,
        arrays=("reset", "update", "candidate", "hidden"),
        before=("update", "candidate"),
        cell="gru",
    )
    reveal = tuple((f"[[{name}]]", values[name]) for name in ("update", "candidate", "hidden_prev", "hidden"))
    return Drawn("number", h, values, focus, reveal)
