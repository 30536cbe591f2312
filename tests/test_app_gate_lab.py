"""The gate lab, headless (AppTest): the lecture's forget product, live edits, demos and bad input.

Expected results are computed here with the lecture's numbers and with lstm_core (cell_update, lstm_step).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import numpy as np
from apptest_helpers import open_app, set_in_view, svg_payloads, vkey

from lstm_core import LSTMParams, cell_update, lstm_step

PAGE = "views/gate_lab.py"


def tex(at) -> str:
    """Every equation on the page: st.latex ones (the weights mode's gates) and the results' (typeset in
    the "lab_result" component, above its bars)."""
    results = [p["html"] for p in svg_payloads(at) if p["key"] == "lab_result"]
    typeset = [html.unescape(t) for block in results for t in re.findall(r'data-tex="([^"]*)"', block)]
    return "\n".join([el.value for el in at.latex] + typeset)


def edit(at, changes: dict[int, dict[str, object]], index: int = 0):
    """Type into the index-th data editor (AppTest applies edits through the widget's edit state)."""
    key = at.data_editor[index].key
    at.session_state[key] = {"edited_rows": changes, "added_rows": [], "deleted_rows": []}
    return at.run()


def bars(at) -> dict[str, np.ndarray]:
    """The results' bars by series (the notation's symbol as HTML): the values each series holds, checked
    against the height of every bar drawn (lstm_ui.drawings.update_bars)."""
    (drawing,) = [p for p in svg_payloads(at) if p["key"] == "lab_result"]
    root = ET.fromstring(drawing["svg"])
    out = {}
    for g in (el for el in root.iter() if el.get("data-role") == "series"):
        values = np.array([float(v) for v in g.get("data-values").split(" ")])
        drawn = {int(r.get("data-j")): float(r.get("data-value")) for r in g.iter() if r.get("data-j")}
        assert drawn == {j + 1: v for j, v in enumerate(values) if np.isfinite(v)}
        out[g.get("data-name")] = values
    return out


def test_default_is_the_lectures_forget_product():
    at = open_app(PAGE)
    assert not at.exception and not at.error
    assert "C_t^f = C_{t-1} * f_t = [1, 2, 4] * [1, 0, 1] = [1, 0, 4]" in tex(at)
    c_prev, f, i, g = (np.array(v) for v in ([1, 2, 4], [1, 0, 1], [0, 1, 0.5], [0.9, 0.8, -0.5]))
    c_new = f * c_prev + i * g  # by hand, with the page's default i, C̃
    assert "= [" + ", ".join(f"{v:g}" for v in c_new) + "]" in tex(at)
    assert np.allclose(bars(at)["C<sub>t</sub><sup>f</sup>"], [1, 0, 4])


def test_editing_a_vector_recomputes():
    at = open_app(PAGE)
    edit(at, {0: {"cell_prev": 3.0}, 2: {"forget": 0.5}})
    assert not at.exception and not at.error
    assert "[3, 2, 4] * [1, 0, 0.5] = [3, 0, 2]" in tex(at)
    assert np.allclose(
        bars(at)["C<sub>t</sub>"],
        cell_update([3, 2, 4], [1, 0, 0.5], [0, 1, 0.5], [0.9, 0.8, -0.5], [1, 1, 0]).cell,
    )


def test_forget_demos():
    at = open_app(PAGE)
    at.button(key="demo_f = 0: forget everything").click().run()
    assert "[1, 2, 4] * [0, 0, 0] = [0, 0, 0]" in tex(at)
    at.button(key="demo_f = 1: forget nothing").click().run()
    assert "[1, 2, 4] * [1, 1, 1] = [1, 2, 4]" in tex(at)
    at.button(key="demo_Lecture example").click().run()
    assert "[1, 2, 4] * [1, 0, 1] = [1, 0, 4]" in tex(at)
    assert not at.exception


def test_demo_keeps_the_edited_memory():
    at = open_app(PAGE)
    edit(at, {1: {"cell_prev": -7.0}})
    at.button(key="demo_f = 1: forget nothing").click().run()
    assert "[1, -7, 4] * [1, 1, 1] = [1, -7, 4]" in tex(at)


def test_bad_input_is_an_error_not_a_traceback():
    at = open_app(PAGE)
    edit(at, {0: {"cell_prev": None}, 1: {"forget": "abc"}})
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 2 and "row unit 1" in errors[0] and "empty" in errors[0]
    assert not tex(at)  # nothing computed from half a table
    edit(at, {0: {"cell_prev": 1.0}, 1: {"forget": 0.0}})
    assert not at.error and "= [1, 0, 4]" in tex(at)


def test_huge_values_are_explained_and_still_compute():
    """Issue 16: a cell state above 1000 got "the gates are stuck". What is true, and said: tanh of such
    a C_t is ±1, so h_t = ±o_t; no gate is stuck (the gates are the table's own numbers)."""
    at = open_app(PAGE)
    edit(at, {2: {"cell_prev": 1e6}})
    assert not at.exception and not at.error
    said = " ".join(i.value for i in at.info)
    assert "stuck" not in said and "beyond ±8 at unit(s) 3" in said and "hₜ = ±oₜ" in said
    assert r"1.000 \times 10^{6}" in tex(at)
    assert np.isfinite(bars(at)["C<sub>t</sub>"]).all()


def test_gate_outside_its_range_warns():
    at = open_app(PAGE)
    edit(at, {0: {"forget": 1.5}})
    assert any("outside 0 … 1" in w.value for w in at.warning)
    assert "[1, 2, 4] * [1.5, 0, 1] = [1.5, 0, 4]" in tex(at)


def reference_step(at) -> object:
    arrays = {k: np.asarray(v) for k, v in at.session_state["lab_params"].items()}
    vec = at.session_state["lab_vectors"]
    return lstm_step(LSTMParams(**arrays), vec["x"], vec["hidden_prev"], vec["cell_prev"])


def test_from_weights_mode_runs_the_core():
    at = open_app(PAGE)
    at.segmented_control(key=vkey(at, "lab")).set_value("weights").run()
    assert not at.exception and not at.error
    ref = reference_step(at)
    assert np.allclose(ref.forget[0], [1, 0, 1], atol=0.01)  # the default biases mimic the lecture
    text = tex(at)
    for name in ("forget", "input", "candidate", "output"):
        assert ", ".join(f"{v:.3f}" for v in getattr(ref, name)[0]) in text, name
    assert np.allclose(bars(at)["C<sub>t</sub>"], ref.cell[0])
    # edit the forget gate's bias (last column of W_f | b_f in colah's layout): f changes, so does C_t
    weights = next(i for i, d in enumerate(at.data_editor) if "_forget_all_" in d.key)
    edit(at, {1: {"b": 6.0}}, weights)
    assert not at.exception and not at.error
    after = reference_step(at)
    assert after.forget[0, 1] > 0.99 and not np.allclose(after.cell, ref.cell)
    assert np.allclose(bars(at)["C<sub>t</sub>"], after.cell[0])


def test_from_weights_in_every_notation_gives_the_same_numbers():
    at = open_app(PAGE)
    at.segmented_control(key=vkey(at, "lab")).set_value("weights").run()
    c_colah = bars(at)["C<sub>t</sub>"]
    counts = {}
    for key in ("split", "pytorch", "ltm"):
        set_in_view(at, notation=key)
        at.run()
        assert not at.exception and not at.error, key
        counts[key] = len(at.data_editor)
        assert np.allclose(list(bars(at).values())[-1], c_colah, atol=1e-12), key
    assert counts == {"split": 14, "pytorch": 6, "ltm": 6}  # x, [h, C] and the weight tables
