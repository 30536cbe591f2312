"""What the measured memory-span study found at the gap a student trains (``assets/results/
memory_span.json``, read with ``lstm_ui.viewmodels.measured``), so a race on the same task can be read
against five measured tries per cell. Every number shown comes from the file."""

from __future__ import annotations

from collections.abc import Mapping

from lstm_ui.viewmodels.measured import load_result, span_rows


def study() -> Mapping | None:
    """The study's document, or None when it is missing."""
    return load_result("memory_span")


def study_task(doc: Mapping) -> str | None:
    """The registry name of the task the study trained on."""
    task = doc.get("protocol", {}).get("task", {})
    return str(task.get("name")) if isinstance(task, Mapping) and task.get("name") else None


def study_at_gap(doc: Mapping, gap: int) -> tuple[int, list[str]] | None:
    """(the measured gap nearest to ``gap``, one line per cell: how many tries learned it and their
    median held-out accuracy); None when the study has no rows."""
    rows = span_rows(doc)
    gaps = sorted({row["gap"] for cells in rows.values() for row in cells})
    if not gaps:
        return None
    near = min(gaps, key=lambda g: (abs(g - gap), g))
    lines = []
    for cells in rows.values():
        row = next((r for r in cells if r["gap"] == near), None)
        if row is None:
            continue
        n = int(row["n_seeds"])
        learned = round(float(row["fraction_reached"]) * n)
        lines.append(
            f"**{row['label']}**: learned it in {learned} of {n} tries "
            f"(median held-out accuracy {float(row['median']):.0%})"
        )
    return near, lines
