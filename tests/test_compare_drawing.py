"""The comparison and ledger drawings (``lstm_ui.drawings.compare``, ``lstm_ui.drawings.ledger``) and their
view-models, read back from the SVG and checked against the core's numbers computed here.

Side by side, A and B share one colour range; the difference panel is B − A; a shorter run's missing
rows are grey (NaN) and say so in the hover text; the ledger's squares hold each word's share of C_t
(the core's ``memory_ledger``), the largest writer of each unit is outlined, an empty unit has no share.
"""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET

import numpy as np
import PIL.Image
import pytest

from lstm_core import init_lstm, run_lstm
from lstm_core.intervene import Clamp
from lstm_core.ledger import memory_ledger
from lstm_ui.drawings.colours import SCALES
from lstm_ui.drawings.compare import Panel, panels_svg
from lstm_ui.drawings.ledger import EMPTY_FILL, ledger_svg
from lstm_ui.drawings.pixels import NAN_RGB
from lstm_ui.notation import get_notation
from lstm_ui.runs import Run
from lstm_ui.state.clamps import PageClamp
from lstm_ui.viewmodels.compare import compare_svg, row_labels
from lstm_ui.viewmodels.intervene import difference_panels

NOTATION = get_notation("colah")


def run_of(tokens: tuple[str, ...], seed: int = 0, H: int = 5, clamps=()) -> Run:
    xs = np.random.default_rng(len(tokens)).normal(size=(len(tokens), 4))
    return Run("m", tokens, run_lstm(init_lstm(4, H, seed=seed), xs, clamps=clamps), None, (), (), ())


def panels_of(svg: str) -> dict[str, dict]:
    root = ET.fromstring(svg)
    T, H = int(root.get("data-steps")), int(root.get("data-units"))
    out = {}
    for g in root.iter():
        if g.get("data-panel") is None:
            continue
        (image,) = [el for el in g.iter() if el.get("data-role") == "squares"]
        png = base64.b64decode(image.get("href").split(",", 1)[1])
        pixels = np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))
        hover = np.array(g.get("data-values").split(" "), dtype=object).reshape(T, H)
        marked = [
            (int(r.get("data-t")), int(r.get("data-j"))) for r in g.iter() if r.get("data-role") == "marked"
        ]
        out[g.get("data-panel")] = {"hover": hover, "pixels": pixels, "marked": marked}
    bars = {b.get("data-bar"): b.get("data-range") for b in root.iter() if b.get("data-role") == "colour-bar"}
    rows = [t.text for t in root.iter() if t.get("data-row")]
    overlay = list(root)[-1]
    return {"panels": out, "bars": bars, "rows": rows, "overlay": overlay, "T": T, "H": H}


def test_a_and_b_side_by_side_share_a_range_and_their_difference_is_b_minus_a():
    a = run_of(("Bob", "is", "nice", "."), seed=1)
    b = run_of(("Bob", "is", "nice", "."), seed=1, clamps=[Clamp("forget", 2, 1, 0.0)])
    drawn = panels_of(compare_svg(a, b, "cell", NOTATION, selected=2, font_size=12))
    assert set(drawn["panels"]) == {"A", "B", "diff"}
    assert len(drawn["bars"]) == 2  # A and B on one bar, B − A on its own
    for key, run in (("A", a), ("B", b)):
        shown = np.char.replace(drawn["panels"][key]["hover"].astype(str), "−", "-").astype(float)
        np.testing.assert_allclose(shown, run.trace.cell, atol=5e-5)
    diff = np.asarray(b.trace.cell) - np.asarray(a.trace.cell)
    hover = drawn["panels"]["diff"]["hover"]
    assert hover[0, 0].startswith("B\u00a0−\u00a0A\u00a0+0.000")  # nothing before the clamped step
    t, j = np.unravel_index(np.argmax(np.abs(diff)), diff.shape)
    assert f"{diff[t, j]:+.3f}".replace("-", "−") in hover[t, j]
    assert (
        drawn["overlay"].get("data-role") == "overlay" and len(drawn["overlay"]) == 3
    )  # the step, per panel


def test_runs_of_different_lengths_align_by_step_and_grey_the_missing_rows():
    a, b = run_of(("Bob", "is", "here"), H=3), run_of(("Dan", "is", "here", "now", "!"), H=3)
    drawn = panels_of(compare_svg(a, b, "hidden", NOTATION, None, 12))
    assert drawn["T"] == 5
    assert drawn["rows"] == ["1 Bob | Dan", "2 is", "3 here", "4 — | now", "5 — | !"]
    a_pixels = drawn["panels"]["A"]["pixels"]
    assert (a_pixels[3:] == NAN_RGB).all() and not (a_pixels[:3] == NAN_RGB).all(axis=-1).any()
    assert (drawn["panels"]["diff"]["hover"][3:] == "—").all()
    assert row_labels(["a"], ["a", "b"]) == (["1 a", "2 — | b"], ["a", "— | b"])


def test_models_with_different_units_get_no_difference_panel():
    a, b = run_of(("x", "y"), H=3), run_of(("x", "y"), H=5)
    drawn = panels_of(compare_svg(a, b, "cell", NOTATION, None, 12))
    assert set(drawn["panels"]) == {"A", "B"} and drawn["H"] == 5
    assert (drawn["panels"]["A"]["pixels"][:, 3:] == NAN_RGB).all()


def test_the_clamps_difference_marks_the_clamped_squares_and_shows_before_and_after():
    before = run_of(("a", "b", "c", "d"), seed=2).trace
    clamps = (PageClamp("forget", 2, 3, 0.0), PageClamp("candidate", 3, 1, 0.5))
    after = run_lstm(init_lstm(4, 5, seed=2), before.xs, clamps=[c.core() for c in clamps])
    panels = {p.key: p for p in difference_panels(before, after, NOTATION, clamps)}
    assert list(panels) == ["forget", "input", "candidate", "output", "cell", "hidden"]
    np.testing.assert_array_equal(panels["cell"].values, np.asarray(after.cell) - np.asarray(before.cell))
    assert panels["forget"].marked == ((1, 2),) and panels["candidate"].marked == ((2, 0),)
    b, a = float(before.forget[1, 2]), float(after.forget[1, 2])
    assert panels["forget"].hover[1, 2] == f"Δ {a - b:+.3f} ({b:.3f} → {a:.3f})".replace("-", "−")
    assert panels["forget"].lo == -panels["forget"].hi and panels["forget"].bar == panels["input"].bar
    drawn = panels_of(panels_svg(list(panels.values()), ["1 a", "2 b", "3 c", "4 d"], list("abcd")))
    assert drawn["panels"]["forget"]["marked"] == [(2, 3)]


def test_panels_must_agree_in_shape():
    p = Panel("x", "x", "x", np.zeros((2, 3)), SCALES["gate"], 0, 1, "x")
    q = Panel("y", "y", "y", np.zeros((3, 3)), SCALES["gate"], 0, 1, "y")
    with pytest.raises(ValueError, match="same"):
        panels_svg([p, q], ["1", "2"], ["a", "b"])


def ledger_squares(svg: str) -> dict[tuple[int, int], ET.Element]:
    root = ET.fromstring(svg)
    return {
        (int(g.get("data-t")), int(r.get("data-j"))): r
        for g in root.iter()
        if g.get("data-t") is not None and g.tag.endswith("g")
        for r in g
        if r.get("data-share") is not None
    }


def test_the_ledger_squares_hold_each_words_share_and_outline_the_main_writer():
    params = init_lstm(3, 4, seed=5, forget_bias=1.0)
    xs = np.random.default_rng(5).normal(size=(6, 3))
    trace = run_lstm(params, xs, c0=np.array([0.5, -1.0, 0.2, 0.0]))
    ledger = memory_ledger(trace, 4)
    shares, initial = ledger.shares()
    tokens = ("a", "b", "c", "d", "e")
    svg = ledger_svg(ledger.parts, ledger.initial, ledger.cell, shares, initial, tokens, "C<sub>5</sub>")
    squares = ledger_squares(svg)
    assert len(squares) == 6 * 4  # the start and five words, four units
    for (t, j), rect in squares.items():
        want = initial[j - 1] if t == 0 else shares[t - 1, j - 1]
        assert float(rect.get("data-share")) == pytest.approx(want, abs=1e-6)
    sample = squares[(3, 2)].get("aria-label")
    assert sample.startswith("“c” (step 3) wrote") and f"share {100 * shares[2, 1]:.1f} %" in sample
    root = ET.fromstring(svg)
    writers = {
        int(r.get("data-j")): int(r.get("data-t")) for r in root.iter() if r.get("data-role") == "writer"
    }
    assert writers == {j + 1: int(np.argmax(np.abs(ledger.parts[:, j]))) + 1 for j in range(4)}


def test_an_empty_unit_has_no_shares_in_the_ledger():
    parts = np.array([[1e-5, 0.5], [2e-5, 0.25]])
    initial, cell = np.array([0.0, 0.0]), parts.sum(axis=0)
    shares = np.abs(parts) / np.abs(parts).sum(axis=0)
    svg = ledger_svg(
        parts, initial, cell, shares, np.zeros(2), ("x", "y"), "C", empty=np.array([True, False])
    )
    squares = ledger_squares(svg)
    assert (1, 1) not in squares and squares[(1, 2)].get("fill") != EMPTY_FILL  # unit 1: no shares
    (column,) = [r for r in ET.fromstring(svg).iter() if r.get("fill") == EMPTY_FILL]
    assert column.get("data-j") == "1" and "unit 1 holds almost nothing" in column.get("aria-label")
    writers = [r for r in ET.fromstring(svg).iter() if r.get("data-role") == "writer"]
    assert [int(r.get("data-j")) for r in writers] == [2]
