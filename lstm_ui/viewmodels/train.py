"""The Train page's choices and words: each task's setup (``assets/train_lab.json``), the settings the view
asks for with the task's own in place of those it leaves out, the ``RunSpec`` they make, and what the
page says about a job (its state, its progress, a snapshot, the measured study at the race's gap)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from lstm_core.tasks import task_registry
from lstm_core.train import LaneProgress, RunSpec, Snapshot, TrainConfig
from lstm_ui.drawings.colours import cell_style
from lstm_ui.training import SessionJob

LAB_PATH = Path(__file__).resolve().parents[2] / "assets" / "train_lab.json"
CELL_KEYS = ("rnn", "gru", "lstm")
TUNED = ("hidden", "lr", "steps", "forget_bias", "gap", "distractors")  # None in the view: the task's own


@dataclass(frozen=True)
class TaskSetup:
    """One task of the lab: the registry's title and description, its fixed ``make`` options, the gap
    range ``(default, min, max)`` and whether training gaps start at 1 (None: no gap), the distractor
    choices ({key: label}, None: none), the starting ``settings``, the checks, and the levels drawn."""

    key: str
    title: str
    description: str
    loss: str
    options: Mapping[str, object]
    gap: tuple[int, int, int] | None
    curriculum: bool
    distractors: Mapping[str, str] | None
    default_distractors: str | None
    settings: Mapping[str, float]
    eval_every: int
    eval_size: int
    snapshot_every: int
    target: float | None
    chance: float | None


@cache
def lab_tasks() -> Mapping[str, TaskSetup]:
    """Every task of the lab by key, in the page's order (read once per process)."""
    raw = json.loads(LAB_PATH.read_text(encoding="utf-8"))
    registry = task_registry()
    out = {}
    for key in raw["order"]:
        entry, spec = raw["tasks"][key], registry[key]
        gap, dis = entry["gap"], entry["distractors"]
        out[key] = TaskSetup(
            key, spec.title, spec.description, spec.loss, MappingProxyType(dict(entry["options"])),
            (gap["default"], gap["min"], gap["max"]) if gap else None, bool(gap and gap["curriculum"]),
            MappingProxyType(dict(dis["choices"])) if dis else None, dis["default"] if dis else None,
            MappingProxyType(dict(entry["settings"])), int(entry["eval_every"]), int(entry["eval_size"]),
            int(entry["snapshot_every"]), entry["target"], entry["chance"],
        )  # fmt: skip
    return MappingProxyType(out)


@dataclass(frozen=True)
class Settings:
    """What a run trains, every choice resolved; ``notes``: what the page must say about the view's values
    (a gap outside the task's range, …)."""

    task: str
    cell: str
    hidden: int
    lr: float
    steps: int
    forget_bias: float
    seed: int
    gap: int | None
    distractors: str | None
    notes: tuple[str, ...] = ()


def own_setting(task: str, name: str) -> object:
    """The task's own value of a tuned setting (what None in the view stands for)."""
    setup = lab_tasks()[task]
    if name == "gap":
        return setup.gap[0] if setup.gap else None
    if name == "distractors":
        return setup.default_distractors
    return setup.settings[name]


def resolve(get: Callable[[str], object]) -> Settings:
    """The settings the view (``get(name)``) asks for, the task's own where it says None."""
    task = str(get("task"))
    setup = lab_tasks()[task]
    value = {name: get(name) if get(name) is not None else own_setting(task, name) for name in TUNED}
    notes = []
    if setup.gap is None:
        value["gap"] = None
    elif not setup.gap[1] <= int(value["gap"]) <= setup.gap[2]:
        fitted = min(max(int(value["gap"]), setup.gap[1]), setup.gap[2])
        notes.append(
            f"A gap of {value['gap']} is outside what this lab trains for {setup.title.lower()} "
            f"({setup.gap[1]} to {setup.gap[2]}); using {fitted}."
        )
        value["gap"] = fitted
    if setup.distractors is None:
        value["distractors"] = None
    return Settings(
        task, str(get("cell")), int(value["hidden"]), float(value["lr"]), int(value["steps"]),
        float(value["forget_bias"]), int(get("seed")), value["gap"], value["distractors"], tuple(notes),
    )  # fmt: skip


def run_spec(s: Settings) -> RunSpec:
    """The run the settings describe (batch 32, float32, clipped Adam; checked, snapshotted and stopped as
    the task's setup says)."""
    setup = lab_tasks()[s.task]
    options = dict(setup.options)
    if s.gap is not None:
        options["gap"] = s.gap
        if setup.curriculum:
            options["min_gap"] = 1  # training gaps from 1 to the gap; held-out ones are the gap
    if s.distractors is not None:
        options["distractors"] = s.distractors
    config = TrainConfig(
        cell=s.cell, hidden_size=s.hidden, lr=s.lr, batch_size=32, steps=s.steps, clip=1.0,
        dtype="float32", seed=s.seed, forget_bias=s.forget_bias, loss=setup.loss,
        eval_every=setup.eval_every, eval_size=setup.eval_size, target_accuracy=setup.target,
    )  # fmt: skip
    return RunSpec(task=s.task, options=options, config=config, snapshot_every=setup.snapshot_every)


def race_of(spec: RunSpec) -> tuple[RunSpec, ...]:
    """The race: ``spec`` for a plain RNN, a GRU and an LSTM (same data, seed and settings)."""
    return tuple(replace(spec, config=replace(spec.config, cell=cell)) for cell in CELL_KEYS)


def cell_title(cell: str) -> str:
    return cell_style(cell)[0]


def describe(spec: RunSpec) -> str:
    """One line: cell, size, task and its gap, learning rate, seed (the forget bias for an LSTM)."""
    c, options = spec.config, dict(spec.options)
    setup = lab_tasks()[spec.task]
    gap = f" (gap {options['gap']})" if "gap" in options else ""
    bias = f", forget bias {c.forget_bias:g}" if c.cell == "lstm" else ""
    return (
        f"{cell_title(c.cell)}, {c.hidden_size} units, {setup.title.lower()}{gap}, learning rate {c.lr:g}"
        f"{bias}, seed {c.seed}"
    )


def job_caption(job: SessionJob) -> str:
    """What the job trains, in one line."""
    spec = job.specs[0]
    if not job.race:
        return f"This run: {describe(spec)}."
    cells = ", ".join(cell_title(s.config.cell) for s in job.specs)
    return f"This race: {cells}, each with {describe(spec).split(', ', 1)[1]}."


def target_words(spec: RunSpec) -> str:
    target = spec.config.target_accuracy
    return f"stops at {target:.0%} held out" if target else "trains all its steps"


def state_line(job: SessionJob, lease_seconds: float) -> tuple[str, str]:
    """(level "info" | "success" | "warning" | "error", Markdown) for the job's state."""
    status, state = job.status, job.state
    what = "The race" if job.race else "The run"
    if state == "dropped":
        return "warning", (
            f"{what} was dropped: training stops about {lease_seconds:g} s after its page is closed or "
            "left, so that the server is free for others. What it drew last is below; press **Train** "
            "or **Race** to start again."
        )
    if status is None or state == "queued":
        ahead = (status.position - 1) if status is not None and status.position else 0
        where = f"position **{status.position}**" if status is not None and status.position else "queued"
        return "info", (
            f"Waiting for a free trainer: {where} in the queue "
            f"({ahead} run{'s' if ahead != 1 else ''} ahead). It starts by itself."
        )
    step = min(lane.step for lane in status.lanes)
    if state == "running":
        return "info", f"Training: step {step:,}, {status.seconds:.1f} s of training so far."
    if state == "stopped":
        return "info", f"Stopped at step {step:,}. **Resume** continues exactly where it stopped."
    if state == "failed":
        reason = re.sub(r"^\w+(Error|Exception): ", "", status.message)  # the words, not the class name
        return "error", f"{what} could not train: {reason}"
    reasons = {"target": "reached its target at step {:,}", "steps": "trained all its {:,} steps"}
    ends = "; ".join(f"{cell_title(lane.cell)} {reasons.get(lane.finished, 'ended at step {:,}')}"
                     .format(lane.step) for lane in status.lanes)  # fmt: skip
    extra = f" ({status.message})" if status.message else ""
    return "success", f"Done in {status.seconds:.1f} s of training{extra}: {ends}."


def progress(job: SessionJob) -> tuple[float, str]:
    """(fraction of the run's steps done, the bar's text)."""
    total = job.specs[0].config.steps
    if job.status is None or not job.status.lanes:
        return 0.0, f"step 0 of {total:,}"
    lanes = job.status.lanes
    step = min(lane.step for lane in lanes)
    if all(lane.finished for lane in lanes):
        return 1.0, f"finished at step {max(lane.step for lane in lanes):,} of at most {total:,}"
    return min(step / total, 1.0), f"step {step:,} of at most {total:,} ({target_words(job.specs[0])})"


def snapshot_index(snapshots: Sequence[Snapshot], wanted: int | None) -> int:
    """The index of the snapshot to show: the newest (``wanted`` None), else the last at or before the
    training step ``wanted`` (thinning may have removed it)."""
    if wanted is None:
        return len(snapshots) - 1
    before = [k for k, s in enumerate(snapshots) if s.step <= wanted]
    return before[-1] if before else 0


def lane_at(lane: LaneProgress, step: int) -> Snapshot:
    """A lane's snapshot at training step ``step`` or the last before it (a race's lanes thin apart)."""
    return lane.snapshots[snapshot_index(lane.snapshots, step)]


def snapshot_html(snap: Snapshot, chance: float | None) -> str:
    """What the model makes of the probe at this snapshot (escaped HTML): its loss, and its answer(s)."""
    n = len(snap.targets)
    right = sum(p == t for p, t in zip(snap.predictions, snap.targets, strict=True))
    head = f"<strong>After {snap.step:,} training steps</strong> · loss on this sequence {snap.loss:.3f} · "
    if n == 1:
        p = float(np.max(snap.probabilities[0]))
        verdict = "right" if right else "wrong"
        guess = f" (guessing: {chance:.0%})" if chance else ""
        body = (
            f"the answer at “{html.escape(snap.tokens[-1])}” is <strong>{html.escape(snap.targets[0])}"
            f"</strong>; the model says <strong>{html.escape(snap.predictions[0])}</strong> with "
            f"probability {p:.2f}{guess}: {verdict}."
        )
    else:
        body = f"{right} of its {n} scored words predicted right."
    return f"<p>{head}{body}</p>"
