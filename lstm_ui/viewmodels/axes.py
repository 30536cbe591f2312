"""A log axis whose ticks are powers of ten written with Unicode superscripts ("10⁻⁴"): plotly's own
"power" format draws the exponent at 70 % of the type, too small to read on a phone."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MOST_TICKS = 8


def decade_axis(values: Sequence[object], title: str) -> dict:
    """A plotly log axis over the positive finite numbers in ``values`` (a sequence of arrays): a tick at
    every power of ten (every second, third … when there are more than ``MOST_TICKS``)."""
    parts = [np.ravel(np.asarray(part, dtype=float)) for part in values]
    v = np.concatenate(parts) if parts else np.zeros(0)
    v = v[np.isfinite(v) & (v > 0)]
    axis = {"type": "log", "title": {"text": title}}
    if v.size == 0:
        return axis
    lo, hi = math.floor(math.log10(v.min())), math.ceil(math.log10(v.max()))
    every = max(1, math.ceil((hi - lo + 1) / MOST_TICKS))
    powers = range(lo, hi + 1, every)
    return axis | {
        "tickvals": [10.0**k for k in powers],
        "ticktext": [f"10{str(k).translate(_SUPERSCRIPT)}" for k in powers],
    }
