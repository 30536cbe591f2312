"""Templates on memory over many words: what is left of a word, who wrote a unit's cell state, which
gate is shut, and which cell learned a long gap (the measured study). The right answers come from the
core: a run with gates set by hand (``intervene``), the memory ledger (``ledger``), the trace's gates
and ``assets/results/memory_span.json``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lstm_core.exercises.live import drawn_run, pick_step, run_story, span_rows
from lstm_core.exercises.question import Drawn, Focus, Redraw, fmt
from lstm_core.exercises.templates_step import unit_label
from lstm_core.intervene import Clamp
from lstm_core.ledger import memory_ledger

GATES = ("forget", "input", "output")  # the σ gates, 0 = shut … 1 = open
CLEAR = 0.1  # two gates, shares or accuracies closer than this would make the question a coin toss


def _pick(rng: np.random.Generator, items: tuple) -> object:
    return items[int(rng.integers(len(items)))]


def forget_decay(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """If f stayed at one value for n words after the name, how much of what the name wrote is left?
    A run with the forget gate of that unit set by hand at every later word; the ledger gives the part."""
    f = float(_pick(rng, tuple(params["forget"])))
    n = int(rng.integers(params["words_after"][0], params["words_after"][1] + 1))
    first = drawn_run(params, rng, "designed_story")
    fillers = tuple(params["filler"])
    text = f"{first.text} " + " ".join(str(_pick(rng, fillers)) for _ in range(n))
    t0 = first.step_of("name")
    j = _pick(rng, first.units(params.get("units", ())))
    end = t0 + n
    clamps = tuple(Clamp("forget", j, s, f) for s in range(t0 + 1, end + 1))
    run = run_story(first.model, text, clamps, first.words)
    if len(run.tokens) <= end:
        raise Redraw("the filler words ran together")
    wrote = float(run.trace.input_part[t0, j])
    if abs(wrote) < 0.1:
        raise Redraw("the name wrote about nothing into this unit")
    left = float(memory_ledger(run.trace, end).parts[t0, j])
    if abs(left) < 0.02:
        raise Redraw("nothing readable is left")
    values = {
        "name": run.words["name"],
        "unit": unit_label(run, j),
        "f": f"{f:g}",
        "n": str(n),
        "sentence": first.text,
        "wrote": fmt(wrote),
        "left": fmt(left),
        "word": run.tokens[end],
        "fraction": fmt(f**n),
    }
    focus = Focus("ledger", run.model, run.text, end, j, clamps=clamps)
    reveal = (
        ("what the name wrote, [[input_part]]", values["wrote"]),
        ("[[forget]] at every later word", values["f"]),
        ("what is left, [[input_part]] · f to the power n", values["left"]),
    )
    return Drawn("number", left, values, focus, reveal)


def main_writer(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Which word wrote most of a unit's cell state at the end (the memory ledger)?"""
    run = drawn_run(params, rng, "designed_story")
    t = len(run.tokens) - 1
    j = _pick(rng, run.units(params.get("units", ())))
    ledger = memory_ledger(run.trace, t)
    shares = ledger.shares()[0][:, j]
    ranked = np.argsort(-shares)
    best = int(ranked[0])
    if abs(ledger.cell[j]) < 0.1 or shares[best] - shares[ranked[1]] < CLEAR:
        raise Redraw("no clear main writer")
    answer_word = run.tokens[best]
    others = [w for w in dict.fromkeys(run.tokens[s] for s in run.word_steps()) if w != answer_word]
    if len(others) < 3:
        raise Redraw("too few words to choose from")
    picked = [others[k] for k in rng.choice(len(others), 3, replace=False)]
    choices = [answer_word, *picked]
    order = rng.permutation(4)
    choices = tuple(choices[k] for k in order)
    values = {
        "unit": unit_label(run, j),
        "sentence": run.text,
        "word": run.tokens[t],
        "writer": answer_word,
        "share": f"{shares[best]:.0%}",
        "cell": fmt(float(ledger.cell[j])),
    }
    focus = Focus("ledger", run.model, run.text, t, j)
    reveal = tuple((f"share of '{run.tokens[s]}' (word {s + 1})", f"{shares[s]:.0%}") for s in ranked[:3])
    return Drawn(
        "choice", choices.index(answer_word), values, focus, (*reveal, ("[[cell]]", values["cell"])), choices
    )


def still_remembers(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Yes or no, with the reason: is the first name still most of the subject's cell state at the end?"""
    run = drawn_run(params, rng, "designed_story")
    t = len(run.tokens) - 1
    j = _pick(rng, run.units(params.get("units", ())))
    share = float(memory_ledger(run.trace, t).shares()[0][run.step_of("name"), j])
    if abs(share - 0.5) < CLEAR:
        raise Redraw("half remembered")
    yes = share > 0.5
    reasons = tuple(words["reasons"].values())
    reason = list(words["reasons"]).index("kept" if yes else "replaced")
    f_min = float(run.trace.forget[run.step_of("name") + 1 :, j].min())
    values = {
        "name": run.words["name"],
        "unit": unit_label(run, j),
        "sentence": run.text,
        "share": f"{share:.0%}",
        "f_min": fmt(f_min),
    }
    focus = Focus("ledger", run.model, run.text, t, j)
    reveal = (
        ("share of the first name in [[cell]]", values["share"]),
        ("smallest [[forget]] after it", values["f_min"]),
    )
    return Drawn("yes_no", (yes, reason), values, focus, reveal, reasons)


def _gates_at(params: Mapping, rng: np.random.Generator) -> tuple:
    run = drawn_run(params, rng, "trained_story")
    t = pick_step(run, params.get("at", "any"), rng)
    j = _pick(rng, run.units(params.get("units", ())))
    gates = np.array([run.trace.forget[t, j], run.trace.input[t, j], run.trace.output[t, j]])
    values = {"word": run.tokens[t], "step": str(t + 1), "unit": unit_label(run, j), "sentence": run.text}
    values |= {g: fmt(float(v)) for g, v in zip(GATES, gates, strict=True)}
    focus = Focus("heatmap", run.model, run.text, t, j, arrays=GATES, before=("cell",))
    reveal = tuple((f"[[{g}]]", values[g]) for g in GATES)
    return gates, values, focus, reveal


def nearest_zero_gate(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Which gate is nearest 0 (most shut) at a word?"""
    gates, values, focus, reveal = _gates_at(params, rng)
    low, second = np.sort(gates)[:2]
    if second - low < CLEAR:
        raise Redraw("two gates are about as shut")
    labels = tuple(words["gates"][g] for g in GATES)
    return Drawn(
        "choice",
        int(np.argmin(gates)),
        values | {"shut": labels[int(np.argmin(gates))]},
        focus,
        reveal,
        labels,
    )


def order_gates(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Put the three gates at a word in order, from most shut to most open."""
    gates, values, focus, reveal = _gates_at(params, rng)
    if np.min(np.diff(np.sort(gates))) < CLEAR:
        raise Redraw("two gates are about as open")
    labels = tuple(words["gates"][g] for g in GATES)
    return Drawn("order", tuple(int(k) for k in np.argsort(gates)), values, focus, reveal, labels)


def span_best(params: Mapping, rng: np.random.Generator, words: Mapping) -> Drawn:
    """Which cell learned a gap of this length best (mean held-out accuracy over the study's seeds)?"""
    gap = int(_pick(rng, tuple(params["gaps"])))
    rows = [r for r in span_rows() if int(r["gap"]) == gap]
    if len(rows) < 2:
        raise Redraw("the study has no such gap")
    means = np.array([float(r["mean"]) for r in rows])
    ranked = np.argsort(-means)
    if means[ranked[0]] - means[ranked[1]] < CLEAR / 2:
        raise Redraw("no clear winner at this gap")
    order = rng.permutation(len(rows))
    rows = [rows[k] for k in order]
    best = int(np.argmax([float(r["mean"]) for r in rows]))
    choices = tuple(str(r["label"]) for r in rows)
    values = {
        "gap": str(gap),
        "best": choices[best],
        "mean": f"{float(rows[best]['mean']):.0%}",
        "seeds": str(rows[best]["n_seeds"]),
    }
    reveal = tuple(
        (str(r["label"]), f"{float(r['mean']):.0%}") for r in sorted(rows, key=lambda r: -r["mean"])
    )
    return Drawn("choice", best, values, Focus("span", gap=gap), reveal, choices)
