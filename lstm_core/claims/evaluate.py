"""Claims checked live: each part of an example's claim (``format.Part``) evaluated on a ``Context``, the
run of a story or the numbers of a numeric example, to "holds", "does not hold here" or "not applicable
here", with the numbers that decide it in words ("f at “Dan” = 0.000006 < 0.1 ✓"). Pure and
deterministic: the same context gives the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from lstm_core.claims.format import ANSWER_VALUES, Part
from lstm_core.story.readout import Prediction
from lstm_core.story.roles import Found

HOLDS, FAILS, NOT_APPLICABLE = "holds", "does not hold here", "not applicable here"
SYMBOLS = MappingProxyType(
    {
        **{"forget": "f", "input": "i", "output": "o", "candidate": "C̃", "cell": "C", "hidden": "h"},
        **{"update": "z", "reset": "r", "c_prev": "C_{t-1}", "forget_part": "C^f", "input_part": "C^i"},
        **{"margin": "P(best) − P(runner-up)", "probability": "P", "rank": "rank"},
    }
)
_WORST = MappingProxyType(
    {"<": "largest", "<=": "largest", ">": "smallest", ">=": "smallest", "==": "farthest"}
)


@dataclass(frozen=True)
class PartCheck:
    """One part, evaluated: its status, the deciding numbers in words, and the steps that decided it."""

    says: str
    status: str  # HOLDS, FAILS or NOT_APPLICABLE
    detail: str  # "f at “Dan” = 0.000006 < 0.1 ✓", or why it does not apply
    steps: tuple[int, ...] = ()  # positions tested (0-based), the deciding one first
    values: tuple[float, ...] = ()  # the value at each of ``steps``


@dataclass(frozen=True)
class ClaimCheck:
    status: str  # HOLDS, FAILS or NOT_APPLICABLE for the whole claim
    parts: tuple[PartCheck, ...]

    @property
    def holds(self) -> bool:
        return self.status == HOLDS


@dataclass(frozen=True, eq=False)
class Context:
    """What a claim is checked against: roles found, per-position values, answers, words."""

    found: Mapping[str, Found]  # role -> positions
    labels: tuple[str, ...]  # each position as shown: a token, "entry 2", "the output"
    arrays: Mapping[str, np.ndarray]  # value name -> (P,) or (P, H)
    gates: tuple[str, ...] = ()  # the model's gate names (for "this model has no … gate")
    units_of: Callable[[str], tuple[int, ...]] | None = None  # None: the units have no names
    predictions: Mapping[int, Prediction] | None = None  # position -> the answer read there
    known: tuple[bool, ...] = ()  # position -> the model knows the word
    words: tuple[str, ...] = ()  # position -> the word (without a possessive)
    meanings: tuple[str | None, ...] = ()  # position -> the word its code means (France -> French)
    noun: str = "words"  # what a position is called: "words", "entries"


def find_entries(roles: Mapping[str, tuple[str, float]], numbers: Mapping[str, np.ndarray]) -> dict:
    """The entries of each entry role, plus ``every entry`` (BUILTIN_ROLES apply to stories only)."""
    n = len(next(iter(numbers.values())))
    found = {"every entry": Found(tuple(range(n)))}
    for name, (vector, value) in roles.items():
        hit = tuple(int(k) for k in np.flatnonzero(np.isclose(numbers[vector], value, rtol=0, atol=1e-12)))
        found[name] = Found(hit, "" if hit else f"no entry has {SYMBOLS.get(vector, vector)} = {value:g}")
    return found


def _num(v: float) -> str:
    """A number as shown: 6 decimals, trailing zeros dropped when that loses nothing (4.4, 0, 0.000006)."""
    six = f"{v:.6f}"
    return six.rstrip("0").rstrip(".") if abs(v - round(v, 6)) < 1e-12 else six


def _expected(part: Part, ctx: Context) -> tuple[str | None, str]:
    """(the expected word, or None and why there is none here)."""
    spec = dict(part.expect)
    if "word" in spec:
        return spec["word"], ""
    if "if" in spec:
        return (spec.get("then", "") if ctx.found[spec["if"]].steps else spec.get("else", "")), ""
    role = spec.get("text of") or spec["meaning of"]
    found = ctx.found[role]
    if not found.steps:
        return None, found.missing
    t = found.steps[-1]
    word = ctx.words[t] if "text of" in spec else ctx.meanings[t]
    return word, "" if word else f"“{ctx.labels[t]}” carries no meaning the model stores"


def _na(part: Part, why: str) -> PartCheck:
    return PartCheck(part.says, NOT_APPLICABLE, f"not applicable here: {why}")


def _top_word(part: Part, ctx: Context, steps: tuple[int, ...], preds: Mapping, expected: str) -> PartCheck:
    """Holds when every answer is clear and is ``expected``; else the first that is not, and why."""
    for t in steps:
        p, at = preds[t], f"at “{ctx.labels[t]}”"
        if not p.clear:
            return PartCheck(part.says, FAILS, f"{at}: {p.verdict} ✗", (t,), (p.margin,))
        if p.best.casefold() != expected.casefold():
            known = any(w.casefold() == expected.casefold() for w in p.labels)
            note = "" if known else f"; “{expected}” is not a candidate here ({p.among})"
            detail = f"{at}: {p.verdict}, not the expected “{expected}”{note} ✗"
            return PartCheck(part.says, FAILS, detail, (t,), (p.margin,))
    first = preds[steps[0]]
    detail = f"at “{ctx.labels[steps[0]]}”: {first.verdict}, as expected ✓"
    return PartCheck(part.says, HOLDS, detail, steps, tuple(preds[t].margin for t in steps))


def _answer_values(
    part: Part, ctx: Context, steps: tuple[int, ...]
) -> tuple[np.ndarray, str, str] | PartCheck:
    """The answers' values at ``steps`` (a margin, or the expected word's probability or rank), with a
    note; the whole check for "top word"; or why it does not apply."""
    preds = ctx.predictions or {}
    silent = [t for t in steps if t not in preds]
    if silent:
        return _na(part, f"the model gives no answer at “{ctx.labels[silent[0]]}”")
    if part.value == "margin":
        return np.array([preds[t].margin for t in steps]), "", ""
    expected, why = _expected(part, ctx)
    if expected is None:
        return _na(part, why)
    if part.value == "top word":
        return _top_word(part, ctx, steps, preds, expected)
    values, note = [], ""
    for t in steps:
        labels = [w.casefold() for w in preds[t].labels]
        if expected.casefold() not in labels:
            note = f"; “{expected}” is not a candidate here ({preds[t].among})"
            values.append(0.0 if part.value == "probability" else len(labels) + 1)
            continue
        k = labels.index(expected.casefold())
        values.append(float(preds[t].probabilities[k]) if part.value == "probability" else k + 1)
    return np.array(values, dtype=np.float64), f" of “{expected}”", note


def _unit_means(part: Part, ctx: Context, values: np.ndarray, steps: tuple[int, ...]) -> np.ndarray | str:
    """The per-step mean over the part's units of a (P, H) array, or why it cannot be taken."""
    rows = values[list(steps)]  # (S, H)
    if part.units is not None:
        if ctx.units_of is None:
            return f"this model's units have no names: “{part.units}” is a group of the designed model"
        return rows[:, list(ctx.units_of(part.units))].mean(axis=1)
    if part.moved_most is None:
        return rows.mean(axis=1)
    state = ctx.arrays["cell"] if "cell" in ctx.arrays else ctx.arrays["hidden"]  # (P, H)
    change = np.abs(np.diff(state, axis=0, prepend=np.zeros((1, state.shape[1]))))[list(steps)]
    top = np.argsort(-change, axis=1, kind="stable")[:, : part.moved_most]  # (S, k)
    return np.take_along_axis(rows, top, axis=1).mean(axis=1)


def _values(part: Part, ctx: Context, steps: tuple[int, ...]) -> tuple[np.ndarray, str, str] | PartCheck:
    """The part's value at each of ``steps`` (one value for "known share"), what it is of (" of “dog”")
    and a note on the value, for the detail; or the whole check, or why it does not apply."""
    if part.value in ANSWER_VALUES:
        return _answer_values(part, ctx, steps)
    if part.value == "known share":
        unknown = [ctx.labels[t] for t in steps if not ctx.known[t]]
        known = f"{len(steps) - len(unknown)} of {len(steps)} known"
        note = f" ({known}; not known: {', '.join(unknown[:5])})" if unknown else f" ({known})"
        return np.array([1.0 - len(unknown) / len(steps)]), "", note
    if part.value not in ctx.arrays:
        has = f"its gates are {', '.join(ctx.gates)}" if ctx.gates else "it has no gates: a plain RNN"
        return _na(part, f"this model has no {part.value} gate ({has})")
    values = np.asarray(ctx.arrays[part.value], dtype=np.float64)
    if values.ndim == 1:
        return values[list(steps)], "", ""
    means = _unit_means(part, ctx, values, steps)
    return _na(part, means) if isinstance(means, str) else (means, "", "")


def _badness(part: Part, values: np.ndarray, target: np.ndarray) -> np.ndarray:
    """How far each value is from passing: > 0 fails (= 0 fails for the strict < and >)."""
    if part.op == "in":
        lo, hi = part.than
        return np.maximum(lo - values, values - hi)
    if part.op == "==":
        return np.abs(values - target) - part.tol
    return values - target if "<" in part.op else target - values


_SIGNS = {"==": "=", "<=": "≤", ">=": "≥"}  # a test's operator as the page writes it ("<", ">", "in" as is)


def _target(part: Part, target: float) -> str:
    """The test's right-hand side as shown: "0.1", "C_{t-1} = 2", "[0, 1]", "0.8 ± 0.0005"."""
    if part.op == "in":
        return f"[{_num(part.than[0])}, {_num(part.than[1])}]"
    if isinstance(part.than, str):
        return f"{SYMBOLS.get(part.than, part.than)} = {_num(target)}"
    return f"{_num(target)} ± {part.tol:g}" if part.op == "==" and part.tol >= 1e-6 else _num(target)


def check_part(part: Part, ctx: Context) -> PartCheck:
    """Evaluate one part on ``ctx`` (pure: the same context gives the same result)."""
    found = ctx.found[part.at]
    if not found.steps:
        return _na(part, found.missing)
    got = _values(part, ctx, found.steps)
    if isinstance(got, PartCheck):
        return got
    values, about, note = got
    steps = found.steps if len(values) == len(found.steps) else found.steps[:1]
    if isinstance(part.than, str):  # another vector, entry by entry
        target = np.asarray(ctx.arrays[part.than], dtype=np.float64)[list(steps)]
    else:
        target = np.full(len(values), part.than[0] if part.op == "in" else part.than, dtype=np.float64)
    bad = _badness(part, values, target)
    failed = bad > 0 if part.op in ("<=", ">=", "==", "in") else bad >= 0
    worst = int(np.argmax(bad))
    fails = int(failed.sum())
    wanted = _target(part, float(target[worst]))
    test = f"{_SIGNS.get(part.op, part.op)} {wanted}"
    sym = SYMBOLS.get(part.value, part.value) + about
    where = f"at “{ctx.labels[steps[worst]]}”"
    if len(values) < len(found.steps):  # one value for the whole role
        where = f"over “{part.at}”"
    elif len(steps) > 1:
        extreme = _WORST.get(part.op) or ("farthest out" if fails else "nearest the edge")
        where = f"over “{part.at}” ({len(steps)} {ctx.noun}), {extreme} {where}"
    shown = f"{_num(float(values[worst]))}{note}"
    more = f" ({fails} of {len(steps)} fail)" if fails and len(steps) > 1 else ""
    refused = wanted if part.op == "==" else test  # "= 0.3, not 0", "= 0.3, not ≤ 0.1"
    verdict = f", not {refused}{more} ✗" if fails else f" {test} ✓"
    detail = f"{sym} {where} = {shown}{verdict}"
    order = (worst, *[k for k in range(len(steps)) if k != worst])
    return PartCheck(part.says, FAILS if fails else HOLDS, detail, tuple(steps[k] for k in order),
                     tuple(float(values[k]) for k in order))  # fmt: skip


def check_claim(parts: tuple[Part, ...], ctx: Context) -> ClaimCheck:
    """Every part on ``ctx``, and the claim's status."""
    checks = tuple(check_part(p, ctx) for p in parts)
    applied = [c for c in checks if c.status != NOT_APPLICABLE]
    status = NOT_APPLICABLE if not applied else FAILS if any(c.status == FAILS for c in applied) else HOLDS
    return ClaimCheck(status, checks)


def expected_word(parts: tuple[Part, ...], ctx: Context) -> str | None:
    """The expected answer of the first part that has one, on ``ctx`` (None if it does not apply)."""
    for part in parts:
        if part.expect:
            return _expected(part, ctx)[0]
