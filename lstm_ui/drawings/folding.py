"""Long texts, folded: which steps a drawing shows, and the stretches in between as one labelled row.

A text of 2,000 words runs whole through the core; a heatmap of 2,000 rows could not be read. ``fold_steps``
keeps the steps that matter (the clue, the question, the word shown, the first and last words, each with a
few neighbours) and folds every long stretch between them into one gap row, "… 1,940 words …", whose
squares are the stretch's average per unit: a strip of what the cell held across it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Row = int | tuple[int, int]  # a step (0-based), or a gap: the first and last step it folds
MOST_ROWS = 40  # a text with more words than this is folded


@dataclass(frozen=True)
class Fold:
    """The rows a drawing shows, in order: steps, and gaps of at least two folded steps."""

    rows: tuple[Row, ...]

    @property
    def folds_anything(self) -> bool:
        return any(isinstance(r, tuple) for r in self.rows)

    def row_of(self, step: int) -> int | None:
        """The drawn row of ``step`` (0-based), or None when it is folded into a gap."""
        for k, row in enumerate(self.rows):
            if row == step:
                return k
        return None


def fold_steps(steps: int, keep: Iterable[int], around: int = 2, most: int = MOST_ROWS) -> Fold:
    """Every step when there are at most ``most``; else the steps in ``keep`` (0-based), the first and
    last word, each with ``around`` neighbours, and every other stretch folded into one gap."""
    if steps <= most:
        return Fold(tuple(range(steps)))
    shown = {0, steps - 1}
    for s in keep:
        if 0 <= s < steps:
            shown.update(range(max(0, s - around), min(steps, s + around + 1)))
    rows: list[Row] = []
    previous = -1
    for s in sorted(shown):
        if s - previous == 2:  # a gap of one step: show it rather than fold it
            rows.append(s - 1)
        elif s - previous > 2:
            rows.append((previous + 1, s - 1))
        rows.append(s)
        previous = s
    return Fold(tuple(rows))


def fold_arrays(arrays: Mapping[str, np.ndarray], fold: Fold) -> dict[str, np.ndarray]:
    """Each (T, H) array with one row per ``fold`` row: a step's own values, a gap's average per unit."""
    out = {}
    for name, values in arrays.items():
        values = np.asarray(values, dtype=float)
        out[name] = np.stack(
            [values[r[0] : r[1] + 1].mean(axis=0) if isinstance(r, tuple) else values[r] for r in fold.rows]
        )
    return out


def gap_label(row: tuple[int, int]) -> str:
    """ "… 1,940 words …" for a gap row."""
    n = row[1] - row[0] + 1
    return f"… {n:,} words …"


def row_steps(fold: Fold) -> Sequence[int]:
    """Each drawn row's step, 1-based, and 0 for a gap (the drawing's ``data-row-steps``)."""
    return [0 if isinstance(r, tuple) else r + 1 for r in fold.rows]
