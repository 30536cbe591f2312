"""The designed story LSTM: hand-set weights in which named units do named jobs.

The weights are data: ``assets/story/weights.json`` lists the unit groups (subject, fact, country,
place, cues) and every non-zero weight as a rule (units, gate, source, value, why). ``build_params``
turns the rules into an ``LSTMParams`` in PyTorch's layout, run by ``lstm_core.run_lstm`` like any
other model. A rule's source is

    "bias"         → bias_ih[gate block, unit]              (bias_hh stays 0)
    "x:<feature>"  → weight_ih[gate block, unit, feature]   (a column of the input weights)
    "x:code"       → weight_ih[…, unit k, code k]           (a diagonal: unit k copies code k)
    "h:<unit>"     → weight_hh[gate block, unit, that unit] (a recurrent weight)

so for the subject units, f_t = σ(12 - 24·x_name) and C_t = f_t C_{t-1} + i_t tanh(2·code), etc.
``assets/story/weights.md`` explains each rule; ``weights_table_markdown`` renders the table it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from lstm_core.params import LSTMParams
from lstm_core.story.features import CODE_NAMES, FEATURE_NAMES, INPUT_SIZE
from lstm_core.story.lexicon import read_json

WEIGHTS_PATH = Path(__file__).resolve().parents[2] / "assets" / "story" / "weights.json"
GATES = LSTMParams.GATES  # ("input", "forget", "candidate", "output"): PyTorch's block order


@dataclass(frozen=True)
class UnitGroup:
    name: str
    size: int
    job: str

    @property
    def unit_names(self) -> tuple[str, ...]:
        """ "subject 1" … "subject 8"; a one-unit group's unit is named like the group."""
        return (self.name,) if self.size == 1 else tuple(f"{self.name} {k + 1}" for k in range(self.size))


@dataclass(frozen=True)
class Rule:
    units: str  # a group name
    gate: str  # one of GATES
    source: str  # "bias", "x:<feature>", "x:code" or "h:<unit>"
    value: float
    why: str


@dataclass(frozen=True)
class DesignedModel:
    """The designed weights with the names of their units and the rules they came from."""

    params: LSTMParams
    groups: tuple[UnitGroup, ...]
    rules: tuple[Rule, ...]

    @property
    def unit_names(self) -> tuple[str, ...]:
        return tuple(n for g in self.groups for n in g.unit_names)

    def units_of(self, group: str) -> tuple[int, ...]:
        """Indices of the units of ``group`` (or of the single unit called ``group``)."""
        names = self.unit_names
        for g in self.groups:
            if g.name == group:
                return tuple(names.index(n) for n in g.unit_names)
        if group in names:
            return (names.index(group),)
        raise ValueError(
            f"no unit or group called {group!r}; groups: {', '.join(g.name for g in self.groups)}"
        )


def _parse_groups(raw: object) -> tuple[UnitGroup, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError("weights: 'groups' must be a non-empty list")
    groups = []
    for g in raw:
        if (
            not isinstance(g, dict)
            or not isinstance(g.get("name"), str)
            or not isinstance(g.get("size"), int)
        ):
            raise ValueError(f"weights: each group needs a 'name' and an integer 'size'; got {g!r}")
        if g["size"] < 1:
            raise ValueError(f"weights: group {g['name']!r} must have at least one unit")
        groups.append(UnitGroup(g["name"], g["size"], str(g.get("job", ""))))
    if len({g.name for g in groups}) != len(groups):
        raise ValueError("weights: group names must be distinct")
    return tuple(groups)


def _parse_rule(r: object, groups: dict[str, UnitGroup], unit_names: tuple[str, ...]) -> Rule:
    if not isinstance(r, dict):
        raise ValueError(f"weights: a rule must be an object; got {r!r}")
    units, gate, source, value = r.get("units"), r.get("gate"), r.get("from"), r.get("value")
    where = f"rule {units}/{gate}/{source}"
    if units not in groups:
        raise ValueError(f"weights: {where}: unknown group {units!r}")
    if gate not in GATES:
        raise ValueError(f"weights: {where}: gate must be one of {', '.join(GATES)}")
    if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
        raise ValueError(f"weights: {where}: value must be a finite number; got {value!r}")
    ok = (
        source == "bias"
        or (isinstance(source, str) and source.startswith("x:") and source[2:] in (*FEATURE_NAMES, "code"))
        or (isinstance(source, str) and source.startswith("h:") and source[2:] in unit_names)
    )
    if not ok:
        raise ValueError(f"weights: {where}: 'from' must be bias, x:<feature>, x:code or h:<unit>")
    if source == "x:code" and groups[units].size > len(CODE_NAMES):
        raise ValueError(f"weights: {where}: x:code needs a group of at most {len(CODE_NAMES)} units")
    return Rule(units, gate, source, float(value), str(r.get("why", "")))


def parse_designed(raw: object) -> DesignedModel:
    """Validate the decoded weights JSON and build the model; ``ValueError`` naming the bad rule."""
    if not isinstance(raw, dict):
        raise ValueError("weights: the file must hold a JSON object")
    groups = _parse_groups(raw.get("groups"))
    by_name = {g.name: g for g in groups}
    unit_names = tuple(n for g in groups for n in g.unit_names)
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, list):
        raise ValueError("weights: 'rules' must be a list")
    rules = tuple(_parse_rule(r, by_name, unit_names) for r in rules_raw)
    keys = [(r.units, r.gate, r.source) for r in rules]
    if len(set(keys)) != len(keys):
        raise ValueError("weights: two rules set the same weight")

    H, D = len(unit_names), INPUT_SIZE
    w_ih = np.zeros((4 * H, D))  # (4H, D)
    w_hh = np.zeros((4 * H, H))  # (4H, H)
    b_ih = np.zeros(4 * H)  # (4H,)
    start = {g.name: unit_names.index(g.unit_names[0]) for g in groups}
    for r in rules:
        size = by_name[r.units].size
        rows = GATES.index(r.gate) * H + start[r.units] + np.arange(size)  # this group's rows in the block
        if r.source == "bias":
            b_ih[rows] = r.value
        elif r.source == "x:code":
            w_ih[rows, FEATURE_NAMES.index(CODE_NAMES[0]) + np.arange(size)] = r.value
        elif r.source.startswith("x:"):
            w_ih[rows, FEATURE_NAMES.index(r.source[2:])] = r.value
        else:
            w_hh[rows, unit_names.index(r.source[2:])] = r.value
    params = LSTMParams(w_ih, w_hh, b_ih, np.zeros(4 * H))
    return DesignedModel(params, groups, rules)


@cache
def designed_model(path: Path = WEIGHTS_PATH) -> DesignedModel:
    """The designed model from ``path`` (read once per process; immutable)."""
    return parse_designed(read_json(path, "designed weights"))


def weights_table_markdown(model: DesignedModel | None = None) -> str:
    """The rule table as Markdown (units | gate | from | value | why), as kept in weights.md."""
    m = model or designed_model()
    lines = ["| units | gate | from | value | why |", "| --- | --- | --- | --- | --- |"]
    for r in m.rules:
        lines.append(f"| {r.units} | {r.gate} | `{r.source}` | {r.value:g} | {r.why} |")
    return "\n".join(lines)
