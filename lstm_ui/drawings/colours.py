"""Colour scales, defined once in ``assets/colour_scales.json``: every heatmap and diagram takes its
colours from here. A scale maps a value to a colour; ``palette`` names the few fixed colours the drawings
use for lines and text, all taken from the scales."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
from plotly.colors import get_colorscale, hex_to_rgb, unlabel_rgb

SCALES_PATH = Path(__file__).resolve().parents[2] / "assets" / "colour_scales.json"


@dataclass(frozen=True)
class Scale:
    name: str
    colorscale: str | tuple[tuple[float, str], ...]  # a plotly scale name, or (position, colour) stops
    zmin: float | None  # None: symmetric, from the data (at least ±1)
    zmax: float | None
    label: str


def _load() -> tuple[MappingProxyType, MappingProxyType, str, MappingProxyType]:
    raw = json.loads(SCALES_PATH.read_text(encoding="utf-8"))
    cells = {name: (entry["title"], entry["colour"]) for name, entry in raw["cells"].items()}
    scales = {
        name: Scale(
            name,
            entry["colours"] if isinstance(entry["colours"], str) else tuple(map(tuple, entry["colours"])),
            entry["zmin"],
            entry["zmax"],
            entry["label"],
        )
        for name, entry in raw["scales"].items()
    }
    return (
        MappingProxyType(scales),
        MappingProxyType(dict(raw["scale_of"])),
        raw["default"],
        MappingProxyType(cells),
    )


SCALES, SCALE_OF, _DEFAULT, CELL_STYLES = _load()  # read-only
GREY = "#777777"


def cell_style(cell: str, label: object = None) -> tuple[str, str]:
    """(title, line colour) of a kind of cell in the charts; an unknown one keeps ``label``, in grey."""
    return CELL_STYLES.get(cell, (str(label or cell), GREY))


def scale_for(name: str) -> Scale:
    """The scale for a trace array called ``name`` (gate names, states, parts)."""
    return SCALES[SCALE_OF.get(name, _DEFAULT)]


def z_range(scale: Scale, values: np.ndarray) -> tuple[float, float]:
    """The fixed (zmin, zmax) for ``scale``; for data-driven scales, symmetric and at least ±1."""
    if scale.zmin is not None and scale.zmax is not None:
        return scale.zmin, scale.zmax
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite)]
    m = max(1.0, float(np.max(finite)) if finite.size else 1.0)
    return -m, m


@functools.cache
def scale_stops(
    colorscale: str | tuple[tuple[float, str], ...],
) -> tuple[tuple[float, tuple[float, ...]], ...]:
    """A colour scale as (position, (r, g, b) in 0 … 255) stops, built once per scale and process
    (plotly's ``get_colorscale`` rebuilds its table of named scales on every call)."""
    stops = get_colorscale(colorscale) if isinstance(colorscale, str) else colorscale
    out = []
    for pos, color in stops:
        rgb = hex_to_rgb(color) if color.startswith("#") else unlabel_rgb(color)
        out.append((float(pos), tuple(float(c) for c in rgb)))
    return tuple(out)


def color_at(colorscale: str | tuple[tuple[float, str], ...], pos: float) -> tuple[float, float, float]:
    """The (r, g, b) colour (0 … 255) at ``pos`` in 0 … 1, interpolated linearly between stops."""
    stops = scale_stops(colorscale)
    pos = float(np.clip(pos, 0.0, 1.0))
    positions = [p for p, _ in stops]
    return tuple(float(np.interp(pos, positions, [c[k] for _, c in stops])) for k in range(3))


def rgb(c: tuple[float, float, float]) -> str:
    """``rgb(r, g, b)`` for SVG and CSS."""
    return f"rgb({round(c[0])}, {round(c[1])}, {round(c[2])})"


@functools.cache
def palette() -> MappingProxyType:
    """The drawings' fixed colours, all taken from the scales: ``active`` and ``cell_line`` (the ends of
    the diverging scale), ``muted`` (cividis grey), ``paper`` (the near-white centre), ``soft``, ``ink``
    (cividis' dark navy)."""
    signed = SCALES["signed"].colorscale
    return MappingProxyType(
        {
            "active": signed[-1][1],
            "cell_line": signed[0][1],
            "muted": rgb(color_at(SCALES["gate"].colorscale, 0.5)),
            "paper": signed[2][1],
            "soft": signed[1][1],
            "ink": rgb(color_at(SCALES["gate"].colorscale, 0.0)),
        }
    )


def fill_for(scale: Scale, value: float) -> tuple[str, str]:
    """(fill colour, readable text colour) for ``value`` on a fixed-range ``scale``."""
    lo, hi = (scale.zmin, scale.zmax) if scale.zmin is not None else (-1.0, 1.0)
    r, g, b = color_at(scale.colorscale, (value - lo) / (hi - lo))
    dark = (0.299 * r + 0.587 * g + 0.114 * b) / 255.0 < 0.45
    return rgb((r, g, b)), (palette()["paper"] if dark else palette()["ink"])
