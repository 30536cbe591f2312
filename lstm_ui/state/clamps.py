"""Gates set by hand, as the view and the URL hold them: ``?clamps=f_7_1_1~i_7_1_0``.

One clamp is ``<gate>_<step>_<unit>_<value>``: the gate by its letter (``f`` forget, ``i`` input, ``g``
the candidate C̃, ``o`` output; its name works too), the step (word) and the unit counted from 1 as on
the pages' sliders, and the value: 0 … 1 for a gate, −1 … 1 for C̃. Clamps are joined by ``~``. Only
letters, digits and ``_ . - ~`` appear, so a link shows them as typed.

The view holds the text in its canonical form (``normalized``); ``read`` turns it into ``PageClamp``s,
and ``PageClamp.core`` into the core's ``lstm_core.intervene.Clamp`` (0-based). Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lstm_core.intervene import GATE_RANGES, Clamp
from lstm_ui.state.values import position

LETTERS = {"f": "forget", "i": "input", "g": "candidate", "o": "output"}  # the URL's gate letters
LETTER_OF = {name: letter for letter, name in LETTERS.items()}
SEP, FIELD = "~", "_"
MAX_CLAMPS = 200  # more than a link needs; a longer list is refused, not cut


@dataclass(frozen=True)
class PageClamp:
    """A clamp as a page shows it: ``gate`` (a name of ``GATE_RANGES``), ``step`` and ``unit`` from 1."""

    gate: str
    step: int
    unit: int
    value: float

    @property
    def target(self) -> tuple[int, int, str]:
        """(step, unit, gate): what the clamp sets; two clamps of one target cannot both hold."""
        return self.step, self.unit, self.gate

    def core(self) -> Clamp:
        return Clamp(self.gate, self.unit - 1, self.step - 1, self.value)

    def text(self) -> str:
        return FIELD.join((LETTER_OF[self.gate], str(self.step), str(self.unit), number_text(self.value)))


def number_text(value: float) -> str:
    """The shortest text that reads back as ``value`` (``1``, ``0.5``, ``-0.25``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def gate_name(raw: str) -> str:
    """``f``/``forget`` … → the gate's name; ``ValueError`` naming the choices otherwise."""
    word = raw.strip().casefold()
    name = LETTERS.get(word, word)
    if name not in GATE_RANGES:
        raise ValueError(f"{raw.strip()!r} is not a gate; use f, i, g (the candidate) or o")
    return name


def parse_value(raw: str, gate: str) -> float:
    """A typed value for ``gate``: a number in its range, else ``ValueError`` saying what is wrong."""
    text = raw.strip().replace("−", "-").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{raw.strip()!r} is not a number") from None
    lo, hi = GATE_RANGES[gate]
    if not lo <= value <= hi:  # NaN fails too
        what = "the candidate C̃" if gate == "candidate" else f"the {gate} gate"
        raise ValueError(f"{what} takes values from {lo:g} to {hi:g}; {text} is outside".replace("-", "−"))
    return value


def _position(raw: str, what: str) -> int:
    try:
        return position(raw)
    except ValueError as exc:
        raise ValueError(f"the {what} {raw.strip()!r}: {exc}") from None


def parse_one(item: str) -> PageClamp:
    """One clamp's text ``f_7_1_1`` → a ``PageClamp``; ``ValueError`` saying which part is wrong."""
    parts = item.strip().split(FIELD)
    if len(parts) != 4:
        raise ValueError(f"{item.strip()!r} is not gate_step_unit_value (like f_7_1_1)")
    gate = gate_name(parts[0])
    return PageClamp(
        gate, _position(parts[1], "step"), _position(parts[2], "unit"), parse_value(parts[3], gate)
    )


def normalized(raw: str) -> str:
    """The URL's text as the view holds it (canonical, one clamp per target: the last one given wins);
    ``ValueError`` with the reason when any clamp cannot be read."""
    items = [item for item in raw.split(SEP) if item.strip()]
    if len(items) > MAX_CLAMPS:
        raise ValueError(f"it holds {len(items)} clamps; at most {MAX_CLAMPS}")
    clamps: tuple[PageClamp, ...] = ()
    for item in items:
        clamps = added(clamps, parse_one(item))
    return write(clamps)


def read(text: object) -> tuple[PageClamp, ...]:
    """The clamps of the view's text (already normalized: a text that is not reads as no clamps)."""
    try:
        return tuple(parse_one(item) for item in str(text or "").split(SEP) if item.strip())
    except ValueError:
        return ()


def write(clamps: Sequence[PageClamp]) -> str:
    return SEP.join(c.text() for c in clamps)


def added(clamps: Sequence[PageClamp], new: PageClamp) -> tuple[PageClamp, ...]:
    """``clamps`` with ``new``, which replaces a clamp of the same target, sorted by step, unit, gate."""
    kept = [c for c in clamps if c.target != new.target]
    return tuple(sorted([*kept, new], key=lambda c: (c.step, c.unit, list(LETTERS.values()).index(c.gate))))


def removed(clamps: Sequence[PageClamp], target: tuple[int, int, str]) -> tuple[PageClamp, ...]:
    return tuple(c for c in clamps if c.target != target)


def split_by_fit(
    clamps: Sequence[PageClamp], steps: int, units: int
) -> tuple[tuple[PageClamp, ...], tuple[PageClamp, ...]]:
    """(the clamps that fit a run of ``steps`` words and ``units`` units, those outside it)."""
    fits = tuple(c for c in clamps if c.step <= steps and c.unit <= units)
    return fits, tuple(c for c in clamps if c not in fits)
