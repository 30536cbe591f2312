"""Roles: the steps of a story a claim talks about ("the second name", "the clue", "every other word after
the first name"), written as data in ``assets/examples/<id>.json`` and found again in any sentence.

A role is a selector object (every key optional)::

    {"kind": "name" | ["fact", ...],   tokens of these kinds (``features.KIND_NAMES``, the story reading)
     "words": ["bear", ...],           tokens with these texts (any case)
                                       (neither: every token)
     "after": "<role>",                only tokens after that role's first step
     "before": "<role>",               only tokens before that role's first step
     "except": ["<role>", ...],        without those roles' steps
     "nth": 2}                         the 2nd match only (-1: the last); absent: every match

Built-in roles: ``answer`` (the steps at which the model gives its answers; they depend on the model:
the blank for the designed model, the word before it for a next-word model, the last word for a
classifier), ``final step`` and ``every word``. When a role finds nothing, ``Found.missing`` says why
("the sentence has one name"), so a claim can say it does not apply instead of failing silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lstm_core.story.features import KIND_NAMES, KIND_NOUNS

BUILTIN_ROLES = ("answer", "final step", "every word")
_KEYS = frozenset({"kind", "words", "after", "before", "except", "nth"})
_COUNT = ("no", "one", "two", "three")


@dataclass(frozen=True)
class Selector:
    kinds: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # case-folded
    after: str | None = None
    before: str | None = None
    without: tuple[str, ...] = ()  # the "except" roles
    nth: int | None = None

    @property
    def pointed(self) -> bool:
        """Whether it picks particular tokens (by kind or word), not a stretch of every word."""
        return bool(self.kinds or self.words)

    def references(self) -> tuple[str, ...]:
        return tuple(r for r in (self.after, self.before, *self.without) if r is not None)


@dataclass(frozen=True)
class Found:
    """A role's steps in one sentence (0-based, ascending), or why there are none."""

    steps: tuple[int, ...]
    missing: str = ""


def _strings(raw: Mapping, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: {key!r} must be a word or a list of words")
    return tuple(value)


def parse_roles(raw: object, where: str) -> dict[str, Selector]:
    """The roles object of an example; ``ValueError`` naming ``where`` and the bad role."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: 'roles' must be an object of role name → selector")
    out = {}
    for name, sel in raw.items():
        at = f"{where}: role {name!r}"
        if name in BUILTIN_ROLES or not isinstance(sel, dict) or set(sel) - _KEYS:
            raise ValueError(f"{at} must be a selector with keys among {', '.join(sorted(_KEYS))}")
        kinds = _strings(sel, "kind", at)
        if set(kinds) - set(KIND_NAMES):
            raise ValueError(f"{at}: kind must be among {', '.join(KIND_NAMES)}")
        nth = sel.get("nth")
        if nth is not None and (isinstance(nth, bool) or not isinstance(nth, int) or nth == 0):
            raise ValueError(f"{at}: 'nth' must be a non-zero whole number")
        words = tuple(w.casefold() for w in _strings(sel, "words", at))
        after, before = sel.get("after"), sel.get("before")
        out[name] = Selector(kinds, words, after, before, _strings(sel, "except", at), nth)
    for name, sel in out.items():
        bad = [r for r in sel.references() if r not in out and r not in BUILTIN_ROLES]
        if bad:
            raise ValueError(f"{where}: role {name!r} refers to unknown role(s) {bad}")
        _check_no_cycle(name, out, (), where)
    return out


def _check_no_cycle(name: str, roles: Mapping[str, Selector], path: tuple[str, ...], where: str) -> None:
    if name in path:
        raise ValueError(f"{where}: roles refer to each other in a circle: {' → '.join((*path, name))}")
    if name in roles:
        for ref in roles[name].references():
            _check_no_cycle(ref, roles, (*path, name), where)


def _what(sel: Selector, n: int) -> str:
    """ "one name", "no “bear”", "two facts or countries" for a message."""
    count = _COUNT[n] if n < len(_COUNT) else str(n)
    if sel.words:
        return f"{count} {' or '.join(f'“{w}”' for w in sel.words)}"
    nouns = [KIND_NOUNS[k][n > 1] for k in sel.kinds]  # "no name", "one name", "two names"
    return f"{count} {' or '.join(nouns) if nouns else ('words' if n > 1 else 'word')}"


def find_roles(
    roles: Mapping[str, Selector], kinds: tuple[str, ...], texts: tuple[str, ...], answer: Found
) -> dict[str, Found]:
    """Every role's steps in a sentence read as ``kinds`` (the story reading) with token ``texts``;
    ``answer`` is where the model answers (or why it does not)."""
    T = len(kinds)
    found: dict[str, Found] = {
        "answer": answer,
        "final step": Found((T - 1,) if T else (), "" if T else "the text is empty"),
        "every word": Found(tuple(range(T)), "" if T else "the text is empty"),
    }

    def resolve(name: str) -> Found:
        if name not in found:
            found[name] = _select(roles[name], kinds, texts, resolve)
        return found[name]

    for name in roles:
        resolve(name)
    return found


def _select(sel: Selector, kinds: tuple[str, ...], texts: tuple[str, ...], resolve) -> Found:
    steps = [
        t
        for t in range(len(kinds))
        if (not sel.kinds or kinds[t] in sel.kinds) and (not sel.words or texts[t].casefold() in sel.words)
    ]
    where = ""
    for ref, keep_after in ((sel.after, True), (sel.before, False)):
        if ref is None:
            continue
        other = resolve(ref)
        if not other.steps:
            return Found((), other.missing)
        edge = other.steps[0]
        steps = [t for t in steps if (t > edge if keep_after else t < edge)]
        where += f" {'after' if keep_after else 'before'} the {ref}"
    for ref in sel.without:
        steps = [t for t in steps if t not in resolve(ref).steps]
    if sel.nth is not None:
        if len(steps) < abs(sel.nth):
            return Found((), f"the sentence has {_what(sel, len(steps))}{where}")
        return Found((steps[sel.nth - 1 if sel.nth > 0 else sel.nth],))
    if not steps:
        return Found((), f"the sentence has {_what(sel, 0)}{where}")
    return Found(tuple(steps))
