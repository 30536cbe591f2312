"""The gate lab's update bars (lstm_ui.drawings.update_bars): every bar's height is its value on one
scale from the zero line, each series is named by the notation, and bad numbers draw no bar instead of
breaking."""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from lstm_ui.drawings.update_bars import SERIES, nice_ticks, update_bars_svg
from lstm_ui.notation import get_notation, load_notations

SVG = "{http://www.w3.org/2000/svg}"


def drawn(svg: str) -> tuple[dict[str, list[tuple[int, float, float, float]]], float]:
    """{series: [(unit j, value, top y, height)]} and the zero line's y."""
    root = ET.fromstring(svg)
    (zero,) = [float(line.get("y1")) for line in root.iter(f"{SVG}line") if line.get("data-tick") == "0.0"]
    out = {}
    for g in (el for el in root.iter() if el.get("data-role") == "series"):
        out[g.get("data-series")] = [
            (int(r.get("data-j")), float(r.get("data-value")), float(r.get("y")), float(r.get("height")))
            for r in g.iter(f"{SVG}rect")
        ]
    return out, zero


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_bar_is_its_value_from_the_zero_line_on_one_scale(seed):
    rng = np.random.default_rng(seed)
    values = rng.normal(0, 2, size=(4, 5))
    values[1, 2] = 0.0
    bars, zero = drawn(update_bars_svg(*values, get_notation("colah")))
    assert list(bars) == list(SERIES)
    scales = []
    for k, name in enumerate(SERIES):
        assert [(j, v) for j, v, _, _ in bars[name]] == [(j + 1, v) for j, v in enumerate(values[k])]
        for _j, v, top, height in bars[name]:
            if v >= 0:  # up from the zero line (a zero is a 0.5-high sliver on it)
                assert top + height == pytest.approx(zero + (0.5 if v == 0 else 0), abs=0.11)
            else:
                assert top == pytest.approx(zero, abs=0.11)  # down from it
            if abs(v) > 0.5:  # coordinates have one decimal: smaller bars say little about the scale
                scales.append(height / abs(v))
    assert max(scales) == pytest.approx(min(scales), rel=0.02)  # one scale for every bar


def test_the_lectures_forget_product_draws_its_numbers():
    c_prev, f = np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0])
    svg = update_bars_svg(c_prev, c_prev * f, np.zeros(3), c_prev * f, get_notation("colah"))
    bars, _zero = drawn(svg)
    assert [v for _, v, _, _ in bars["forget_part"]] == [1.0, 0.0, 4.0]
    root = ET.fromstring(svg)
    labels = ["".join(t.itertext()) for g in root.iter() if g.get("data-series") == "forget_part"
              for t in g.iter(f"{SVG}text")]  # fmt: skip
    assert labels == ["1.000", "0.000", "4.000"]


@pytest.mark.parametrize("key", list(load_notations()))
def test_the_series_carry_the_notations_symbols(key):
    notation = get_notation(key)
    root = ET.fromstring(update_bars_svg(*np.ones((4, 3)), notation))
    names = {g.get("data-series"): g.get("data-name") for g in root.iter() if g.get("data-role") == "series"}
    assert names == {name: notation.symbol_html(name) for name in SERIES}
    (legend,) = [g for g in root.iter() if g.get("data-role") == "legend"]
    shown = ["".join(t.itertext()) for t in legend.iter(f"{SVG}text")]
    assert shown == [re.sub(r"<[^>]+>", "", html.unescape(notation.symbol_html(name))) for name in SERIES]


def test_bad_numbers_draw_no_bar_and_huge_ones_stay_on_the_axis():
    values = np.array([[1e30, np.nan, 4.0], [1.0, np.inf, -1e30], [0.0, 0.5, 1.0], [1.0, 1.0, 1.0]])
    bars, _zero = drawn(update_bars_svg(*values, get_notation("ltm"), large=True))
    assert [j for j, *_ in bars["cell_prev"]] == [1, 3] and [j for j, *_ in bars["forget_part"]] == [1, 3]
    assert all(math.isfinite(top) and height >= 0 for series in bars.values() for _, _, top, height in series)
    zeros, _ = drawn(update_bars_svg(*np.zeros((4, 2)), get_notation("colah")))
    assert all(height <= 0.5 for series in zeros.values() for *_, height in series)


@pytest.mark.parametrize(("lo", "hi"), [(0.0, 4.0), (-0.2, 4.0), (-1e30, 0.0), (0.0, 0.0), (-3.7, 2.2e-3)])
def test_nice_ticks_cover_the_range_in_round_steps(lo, hi):
    ticks = nice_ticks(lo, hi)
    assert ticks[0] <= lo and ticks[-1] >= hi and 2 <= len(ticks) <= 8
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-9
    assert np.allclose(np.diff(ticks), step, rtol=1e-9)
