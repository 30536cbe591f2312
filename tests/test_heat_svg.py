"""The heatmap drawing (lstm_ui.drawings.heatmap.trace_svg), checked against independent references: every
square's colour against plotly's own colour-scale sampling, its hover value against the array, the rows
against the tokens."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import plotly.colors as pc
import pytest
from apptest_helpers import read_heat_svg

from lstm_core import init_lstm, run_lstm
from lstm_ui.drawings.colours import scale_for
from lstm_ui.drawings.heatmap import HALF_WIDTH_PX, OVERLAY, trace_svg
from lstm_ui.notation import get_notation
from lstm_ui.sentence import embed, token_labels
from lstm_ui.viewmodels.step import step_strip_html

NAMES = ("forget", "input", "candidate", "output", "cell", "hidden")


@pytest.fixture(scope="module")
def arrays():
    tokens = ("Bob", "is", "a", "nice", "person", ".", "Dan", "is", "evil")
    trace = run_lstm(init_lstm(16, 8, seed=3), embed(tokens, 16) * 3.0)  # large inputs: |C| > 1 somewhere
    return tokens, {name: np.asarray(getattr(trace, name)) for name in NAMES}


def plotly_rgb(name: str, values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """The colours plotly.js would give ``values`` on the scale of array ``name``: (…, 3) in 0 … 255."""
    scale = scale_for(name).colorscale
    stops = pc.get_colorscale(scale) if isinstance(scale, str) else [list(s) for s in scale]
    where = np.clip((values - lo) / (hi - lo), 0, 1)
    sampled = pc.sample_colorscale(stops, where.ravel().tolist(), colortype="tuple")
    return (np.array(sampled) * 255).reshape(*values.shape, 3)


def hex_rgb(fills: np.ndarray) -> np.ndarray:
    return np.array([[[int(f[k : k + 2], 16) for k in (1, 3, 5)] for f in row] for row in fills], dtype=float)


def test_every_square_has_its_value_and_plotlys_colour(arrays):
    tokens, arr = arrays
    drawing = read_heat_svg(trace_svg(arr, tokens, get_notation("colah")))
    assert list(drawing["panels"]) == list(NAMES)
    assert drawing["rows"] == token_labels(tokens)
    c_max = float(np.abs(arr["cell"]).max())
    assert c_max > 1.0 and drawing["bars"]["cell"] == pytest.approx((-c_max, c_max), abs=1e-3)
    for name in NAMES:
        panel, values = drawing["panels"][name], arr[name]
        np.testing.assert_allclose(panel["values"], values, rtol=0, atol=5.001e-5)
        lo, hi = (0.0, 1.0) if name in ("forget", "input", "output") else (-1.0, 1.0)
        if name == "cell":
            lo, hi = -c_max, c_max
        np.testing.assert_allclose(hex_rgb(panel["fills"]), plotly_rgb(name, values, lo, hi), atol=1.0)


def test_hover_values_are_the_arrays_to_four_decimals(arrays):
    tokens, arr = arrays
    svg = trace_svg(arr, tokens, get_notation("colah"), names=["candidate"])
    (shown,) = re.findall(r'data-panel="candidate"[^>]* data-values="([^"]+)"', svg)
    T, H = arr["candidate"].shape
    assert shown.split(" ") == [f"{arr['candidate'][t, j]:.4f}" for t in range(T) for j in range(H)]


def test_selection_is_outlined_in_every_panel(arrays):
    tokens, arr = arrays
    drawing = read_heat_svg(trace_svg(arr, tokens, get_notation("colah"), selected=(6, 2)))
    assert drawing["row_outlines"] == [7] * len(NAMES) and drawing["cell_outline"] == (7, 3)
    assert read_heat_svg(trace_svg(arr, tokens, get_notation("colah")))["row_outlines"] == []


@pytest.mark.parametrize("key", ["colah", "split", "ltm", "pytorch"])
def test_notation_relabels_but_keeps_values_and_colours(arrays, key):
    tokens, arr = arrays
    base = read_heat_svg(trace_svg(arr, tokens, get_notation("colah")))
    other = read_heat_svg(trace_svg(arr, tokens, get_notation(key), font_size=18))  # presenter type too
    note = get_notation(key)
    for name in NAMES:
        assert other["panels"][name]["title"] == note.name(name)
        np.testing.assert_array_equal(other["panels"][name]["values"], base["panels"][name]["values"])
        np.testing.assert_array_equal(other["panels"][name]["fills"], base["panels"][name]["fills"])


def test_odd_tokens_are_escaped_and_wide_units_thinned(arrays):
    tokens = ("<b>", "a&b", '"q"', "我", "👩\u200d👩\u200d👧", "x\x00y")
    values = np.linspace(0, 1, 6 * 64).reshape(6, 64)
    svg = trace_svg({"forget": values}, tokens, get_notation("colah"))
    root = ET.fromstring(svg)  # well-formed XML, the NUL dropped
    drawing = read_heat_svg(svg)
    assert drawing["rows"] == [label.replace("\x00", "") for label in token_labels(tokens)]
    axis = next(g for g in root.iter() if g.get("data-role") == "x-axis")
    numbers = ["".join(t.itertext()) for t in axis if "".join(t.itertext()).isdigit()]
    assert numbers == [str(j) for j in range(1, 65, 4)]  # every 4th of 64 units is labelled
    assert np.count_nonzero(~np.isnan(drawing["panels"]["forget"]["values"])) == 6 * 64


def test_unit_names_replace_the_numbers(arrays):
    tokens, arr = arrays
    names = [f"subject {k}" for k in range(1, 9)]
    svg = trace_svg(arr, tokens, get_notation("colah"), names=["forget"], unit_labels=names)
    root = ET.fromstring(svg)
    axis = next(g for g in root.iter() if g.get("data-role") == "x-axis")
    assert ["".join(t.itertext()) for t in axis] == names


def test_nan_squares_are_grey_and_bad_shapes_are_errors(arrays):
    tokens, arr = arrays
    values = arr["forget"].copy()
    values[1, 2] = np.nan
    drawing = read_heat_svg(trace_svg({"forget": values}, tokens, get_notation("colah")))
    assert drawing["panels"]["forget"]["fills"][1, 2] == "#bbbbbb"
    with pytest.raises(ValueError, match="no arrays"):
        trace_svg({}, tokens, get_notation("colah"))
    with pytest.raises(ValueError, match="tokens"):
        trace_svg(arr, tokens[:-1], get_notation("colah"))


def test_the_step_strip_uses_the_heatmaps_colours(arrays):
    tokens, arr = arrays
    drawing = read_heat_svg(trace_svg(arr, tokens, get_notation("colah")))
    strip = step_strip_html(arr, 4, 0, tokens[4], get_notation("colah"))
    colours = re.findall(r"background:(#[0-9a-f]{6})", strip)
    want = [f for name in NAMES for f in drawing["panels"][name]["fills"][4]]
    assert colours == want


def test_a_new_step_changes_only_the_overlay_at_the_end(arrays):
    """live_svg.js replaces only the last group when the rest of the drawing is unchanged."""
    tokens, arr = arrays
    a = trace_svg(arr, tokens, get_notation("colah"), selected=(1, 1))
    b = trace_svg(arr, tokens, get_notation("colah"), selected=(5, 4))
    cut_a, cut_b = a.rindex(OVERLAY), b.rindex(OVERLAY)
    assert a[:cut_a] == b[:cut_b] and a[cut_a:] != b[cut_b:]
    root = ET.fromstring(b)
    assert root[-1].get("data-role") == "overlay" and root[-1].get("pointer-events") == "none"
    assert {el.get("data-role") for el in root[-1]} == {"row-outline", "cell-outline"}


def test_long_tokens_keep_their_whole_text_for_the_tooltip(arrays):
    """Row labels are shortened; the hover text (live_svg.js) reads the whole token from data-token."""
    tokens = ("supercalifragilisticexpialidocious", "<&>", "ok")
    svg = trace_svg({"forget": np.full((3, 4), 0.5)}, tokens, get_notation("colah"))
    rows = [el for el in ET.fromstring(svg).iter() if el.get("data-row")]
    assert [el.get("data-token") for el in rows] == list(tokens)
    assert "".join(rows[0].itertext()) == token_labels(tokens)[0] != f"1 {tokens[0]}"


@pytest.mark.parametrize(("units", "parted"), [(8, True), (64, False)])
def test_white_lines_part_the_columns_only_where_they_are_wide(arrays, units, parted):
    """64 units in a half-width panel are ~3 px wide: a white line between them would stripe the panel.
    Rows are always parted."""
    tokens, _ = arrays
    values = np.full((len(tokens), units), 0.5)
    pair = {"update": values, "reset": values}
    svg = trace_svg(pair, tokens, get_notation("colah"), width_px=HALF_WIDTH_PX)
    grids = [el for el in ET.fromstring(svg).iter() if el.get("data-role") == "grid"]
    assert len(grids) == 2 and all(g.get("pointer-events") == "none" for g in grids)
    d = grids[0].get("d")
    assert d.count("h") == len(tokens)  # under every row
    assert d.count("v") == (units if parted else 0)
    image = next(el for el in ET.fromstring(svg).iter() if el.get("data-role") == "squares")
    assert "pixelated" in image.get("style") and image.get("preserveAspectRatio") == "none"


def test_the_drawn_part_is_cached_by_everything_it_shows(arrays):
    """Everything but the selection is cached (st.cache_data): a notation extended under the same key
    (the GRU page's gate names), other values or another selection each give their own drawing."""
    import dataclasses
    from types import MappingProxyType

    tokens, arrays = arrays
    colah = get_notation("colah")
    renamed = dataclasses.replace(colah, names=MappingProxyType({**colah.names, "forget": "keep gate"}))
    plain = read_heat_svg(trace_svg(arrays, tokens, colah, selected=(1, 2)))
    other = read_heat_svg(trace_svg(arrays, tokens, renamed, selected=(1, 2)))
    assert plain["panels"]["forget"]["title"] != other["panels"]["forget"]["title"] == "keep gate"
    halved = {name: a / 2 for name, a in arrays.items()}
    np.testing.assert_array_equal(
        read_heat_svg(trace_svg(halved, tokens, colah))["panels"]["cell"]["values"],
        np.round(arrays["cell"] / 2, 4),
    )
    moved = read_heat_svg(trace_svg(arrays, tokens, colah, selected=(3, 0)))
    assert moved["row_outlines"] == [4] * 6 and plain["row_outlines"] == [2] * 6


def test_the_drawings_cache_tells_notations_apart_by_everything_they_draw():
    """``notation_hash`` (the drawings' cache key for a notation) is the same for equal notations and
    differs when anything a drawing reads differs: another notation, or one a page extended under the
    same key (the GRU variant adds its gates' names)."""
    from lstm_ui.notation import get_notation, load_notations, notation_hash

    keys = {notation_hash(n) for n in load_notations().values()}
    assert len(keys) == len(load_notations())
    colah = get_notation("colah")
    assert notation_hash(colah) == notation_hash(get_notation("colah"))
    assert notation_hash(colah.for_gru()) not in keys
