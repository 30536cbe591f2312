"""The claims' data format, parsed and validated. An example's claim is a list of parts in its file in
assets/examples/, evaluated live (``evaluate.py``) on whatever sentence (or numbers) and model are
shown. A part::

    {"says": "…",                            what it claims, in words
     "at": "<role>",                         where: a role of the example (steps of a story, see
                                             ``story/roles.py``; entries of a vector, see below);
                                             absent: "answer" for the answer's values, else everywhere
     "units": "subject" | {"moved most": 8}, whose gates (stories): a designed group or unit, or the k
                                             units whose state changed most at each step; absent: all
     "value": "forget",                      what: a gate or state (forget, input, output, candidate,
                                             cell, hidden, update, reset: its mean over the units); a
                                             vector (numeric examples); the answer ("top word",
                                             "probability" of the expected word, its "rank", the
                                             "margin" of the winner); or "known share" of the words
     "expect": {"word": "sky"} | {"text of": "<role>"} | {"meaning of": "<role>"}
               | {"if": "<role>", "then": "wolf", "else": "dog"},     the expected answer
     "test": {"op": "<", "than": 0.1}}       < <= > >= == (within "tol", default 1e-9) or "in" [lo, hi];
                                             "than" is a number or, in a numeric example, a vector

"top word" takes no test: it holds when the answer is clear (``Prediction.clear``) and is the expected
word. Every step of the role must pass; the deciding number is the worst one. A part whose role finds
nothing, whose units or gate the model lacks, or whose expected word is not there is *not applicable
here*, and says why. The claim holds when every part that applies holds and at least one applies.

Numeric examples name entries with ``{"where": "<vector>", "is": <number>}`` roles; ``every entry`` and
(softmax) ``answer`` are built in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GATES_AND_STATES = ("forget", "input", "output", "candidate", "cell", "hidden", "update", "reset")
ANSWER_VALUES = ("top word", "probability", "rank", "margin")
OPS = ("<", "<=", ">", ">=", "==", "in")
_EXPECT = ("word", "text of", "meaning of", "if")


@dataclass(frozen=True)
class Part:
    says: str
    at: str
    value: str
    units: str | None = None  # a designed group or unit
    moved_most: int | None = None  # or: the k units that moved most
    expect: tuple[tuple[str, str], ...] = ()  # the expect object, as items
    op: str = ""
    than: float | str | tuple[float, float] = 0.0  # a number, a vector's name, or [lo, hi] for "in"
    tol: float = 1e-9


def _fail(where: str, msg: str) -> ValueError:
    return ValueError(f"{where}: {msg}")


def parse_part(
    raw: object, roles: set[str], values: set[str], where: str, vectors: frozenset[str] = frozenset()
) -> Part:
    """Validate one part against the example's ``roles``, the allowed ``values`` and the ``vectors`` a
    test may compare with entry by entry (numeric examples)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("says"), str) or not raw["says"].strip():
        raise _fail(where, "each check needs a 'says' text")
    value, units = raw.get("value"), raw.get("units")
    every = "every word" if "every word" in roles else "every entry"
    at = raw.get("at", "answer" if value in ANSWER_VALUES else every)  # where, by default
    where = f"{where}: check {raw['says']!r}"
    if at not in roles:
        raise _fail(where, f"'at' {at!r} is not a role ({', '.join(sorted(roles))})")
    if value not in values:
        raise _fail(where, f"'value' {value!r} must be one of {', '.join(sorted(values))}")
    moved = units.get("moved most") if isinstance(units, dict) else None
    if units is not None and not isinstance(units, str) and not (isinstance(moved, int) and moved > 0):
        raise _fail(where, "'units' must be a unit group or {\"moved most\": k}")
    items = _expect(raw.get("expect"), roles, where)
    if value in ("top word", "probability", "rank") and not items:
        raise _fail(where, f"a {value!r} check needs 'expect'")
    if value == "top word":
        return Part(raw["says"], at, value, expect=items)
    test = raw.get("test")
    op, than = (test.get("op"), test.get("than")) if isinstance(test, dict) else (None, None)
    if op == "in" and isinstance(than, list) and len(than) == 2 and all(_is_number(v) for v in than):
        than = (float(than[0]), float(than[1]))
    elif op not in OPS or op == "in" or not (_is_number(than) or (isinstance(than, str) and than in vectors)):
        raise _fail(
            where, '\'test\' must be {"op": < <= > >= == or in, "than": a number, a vector or [lo, hi]}'
        )
    tol = test.get("tol", 1e-9)
    if not _is_number(tol) or tol < 0:
        raise _fail(where, "'tol' must be a number ≥ 0")
    unit = units if isinstance(units, str) else None
    return Part(raw["says"], at, value, unit, moved, items, op, than, float(tol))


def _expect(expect: object, roles: set[str], where: str) -> tuple[tuple[str, str], ...]:
    """The "expect" object as items: exactly one of word / text of / meaning of / if (+ then, else)."""
    if expect is None:
        return ()
    keys = set(expect) & set(_EXPECT) if isinstance(expect, dict) else set()
    extra = set(expect) - keys - ({"then", "else"} if keys == {"if"} else set()) if keys else set()
    if len(keys) != 1 or extra or not all(isinstance(v, str) and v for v in expect.values()):
        raise _fail(where, f"'expect' must hold one of {', '.join(_EXPECT)} (a word or a role)")
    if keys == {"if"} and not {"then", "else"} <= set(expect):
        raise _fail(where, "an 'if' expectation needs 'then' and 'else' words")
    (key,) = keys
    if key != "word" and expect[key] not in roles:
        raise _fail(where, f"'expect' refers to an unknown role {expect[key]!r}")
    return tuple(expect.items())


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and bool(np.isfinite(v))


def parse_entry_roles(raw: object, vectors: tuple[str, ...], where: str) -> dict[str, tuple[str, float]]:
    """A numeric example's roles: name -> (vector, value): the entries where that vector has that value."""
    if raw is not None and not isinstance(raw, dict):
        raise _fail(where, '\'roles\' must be an object of role name → {"where": …, "is": …}')
    out = {}
    for name, sel in (raw or {}).items():
        if (not isinstance(sel, dict) or sel.get("where") not in vectors
                or not isinstance(sel.get("is"), int | float)):  # fmt: skip
            raise _fail(where, f'role {name!r} must be {{"where": one of {", ".join(vectors)}, "is": n}}')
        out[name] = (sel["where"], float(sel["is"]))
    return out
