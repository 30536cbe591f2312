"""The "Step through a sentence" page, headless (AppTest).

The reference numbers come from lstm_core directly (init_lstm + run_lstm on the token vectors), not from
the page's cached calls, and are compared with the values the heatmap drawing the browser receives
shows (its squares' hover values, 4 decimals).

The text it runs (typed, bad, long): test_app_step_through_text.py.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import open_app, set_in_view, vkey
from apptest_step_through_page import (
    PAGE,
    PANELS,
    SHOWN,
    controls,
    detail_latex,
    heat,
    heat_payload,
    reference,
    strip,
)

from lstm_ui.export import trace_csv, trace_json
from lstm_ui.sentence import DEFAULT_SENTENCE, parse_sentence, token_labels

NAMES = {"forget": "forget gate", "input": "input gate", "candidate": "candidate C̃", "output": "output gate",
         "cell": "cell state C", "hidden": "hidden state h"}  # fmt: skip


def test_page_loads_with_six_panels_matching_the_core():
    at = open_app(PAGE)
    assert not at.exception
    drawing = heat(at)
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    ref = reference(tokens)
    assert list(drawing["panels"]) == list(PANELS)
    for name in PANELS:
        panel = drawing["panels"][name]
        assert panel["title"] == NAMES[name]
        np.testing.assert_allclose(panel["values"], ref[name], rtol=0, atol=SHOWN)
    assert drawing["rows"] == token_labels(tokens)
    # fixed colour ranges: gates 0 … 1, tanh values −1 … +1; the cell state's symmetric, at least ±1
    assert drawing["bars"]["gate"] == (0.0, 1.0) and drawing["bars"]["signed"] == (-1.0, 1.0)
    lo, hi = drawing["bars"]["cell"]
    assert lo == -hi and hi == pytest.approx(max(1.0, np.abs(ref["cell"]).max()), abs=1e-5)
    assert drawing["row_outlines"] == [1] * 6 and drawing["cell_outline"] == (1, 1)


def test_other_model_uses_its_own_weights():
    at = open_app(PAGE)
    at.selectbox(key=vkey(at, "model")).set_value("lstm16").run()
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    z = heat(at)["panels"]["hidden"]["values"]
    assert z.shape == (len(tokens), 16)
    np.testing.assert_allclose(z, reference(tokens, hidden=16, seed=1)["hidden"], rtol=0, atol=SHOWN)


def test_the_selected_step_moves_the_controls_strip_outline_and_url():
    """Previous / Next / the sliders / ← → are drawn by the heatmap component (the browser tests press
    them); what they report lands in session state, and the page draws that step everywhere."""
    at = open_app(PAGE)
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    c = controls(at)
    assert (c["steps"], c["units"], c["step"], c["unit"]) == (len(tokens), 8, 1, 1)
    assert c["tokens"] == list(tokens) and c["playing"] is False
    assert (c["stepLabel"], c["unitLabel"]) == ("Step t (word)", "Unit j")
    assert heat_payload(at)["clickable"] is True
    set_in_view(at, step=3)
    set_in_view(at, unit=5)
    at.run()
    assert (controls(at)["step"], controls(at)["unit"]) == (3, 5)
    assert 'data-step="3" data-unit="5"' in strip(at)  # the step strip moved with the step
    assert heat(at)["row_outlines"] == [3] * 6 and heat(at)["cell_outline"] == (3, 5)  # and the outlines
    assert (at.query_params["step"], at.query_params["unit"]) == ("3", "5")
    set_in_view(at, step=40)  # past the sentence: the last step
    at.run()
    assert controls(at)["step"] == len(tokens) and heat(at)["row_outlines"] == [len(tokens)] * 6


def test_detail_equations_use_the_selected_numbers():
    at = open_app(PAGE, query={"step": "3", "unit": "2"})
    ref = reference(parse_sentence(DEFAULT_SENTENCE).tokens)
    cell_tex, hidden_tex = detail_latex(at)
    assert f"{ref['forget'][2, 1]:.3f}" in cell_tex and f"= {ref['cell'][2, 1]:.3f}" in cell_tex
    assert f"{ref['cell'][1, 1]:.3f}" in cell_tex.replace("(", "").replace(")", "")  # C_{t-1}
    assert f"= {ref['hidden'][2, 1]:.3f}" in hidden_tex
    assert "Step 3: “up”, unit 2" in heat_payload(at)["below"]
    assert not at.latex  # the equations are typeset inside the component


def test_url_opens_at_the_given_step_and_unit():
    at = open_app(PAGE, query={"sentence": "The clouds are in the sky", "step": "4", "unit": "6"})
    assert not at.exception
    assert (controls(at)["step"], controls(at)["unit"]) == (4, 6)
    assert at.text_input(key=vkey(at, "sentence")).value == "The clouds are in the sky"
    html = strip(at)
    assert 'data-step="4" data-unit="6"' in html and "step 4: “in”" in html
    ref = reference(("The", "clouds", "are", "in", "the", "sky"))
    assert f'title="{ref["forget"][3, 5]:.6f}">{ref["forget"][3, 5]:.2f}</td>' in html
    assert "Open step 4, unit 6" in at.get("page_link")[0].proto.label


def test_url_step_beyond_the_sentence_opens_at_the_last_step():
    at = open_app(PAGE, query={"sentence": "The clouds are in the sky", "step": "99", "unit": "-4"})
    assert not at.exception
    assert (controls(at)["step"], controls(at)["unit"]) == (6, 1)


def test_notation_switch_relabels_but_keeps_numbers():
    at = open_app(PAGE)
    before = heat(at)
    at.sidebar.radio(key=vkey(at, "notation")).set_value("ltm").run()
    after = heat(at)
    assert not at.exception
    assert [p["title"] for p in after["panels"].values()][-2:] == ["long-term memory", "short-term memory"]
    assert "STM" in after["panels"]["hidden"]["name"]
    assert [p["name"] for p in before["panels"].values()] != [p["name"] for p in after["panels"].values()]
    for name in PANELS:
        np.testing.assert_array_equal(before["panels"][name]["values"], after["panels"][name]["values"])
        np.testing.assert_array_equal(before["panels"][name]["fills"], after["panels"][name]["fills"])
    assert r"LTM_t" in detail_latex(at)[0]


def test_every_square_sits_at_its_step_and_unit_with_its_value():
    """Each square carries its step, unit and value (its hover text; a click selects that step and unit:
    tests/browser/test_step_through_moves_browser.py clicks one)."""
    at = open_app(PAGE, query={"step": "5", "unit": "3"})
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    ref = reference(tokens)
    drawing = heat(at)
    cell = drawing["panels"]["cell"]["values"]
    assert cell.shape == (len(tokens), 8) and not np.isnan(cell).any()  # every (t, j) has its square
    np.testing.assert_allclose(cell, ref["cell"], rtol=0, atol=SHOWN)
    assert drawing["cell_outline"] == (5, 3) and drawing["row_outlines"] == [5] * 6


def test_export_round_trips_the_trace():
    tokens = ("Bob", "is", "evil")
    ref = reference(tokens)
    frame = pd.read_csv(io.StringIO(trace_csv(ref, tokens)))
    assert list(frame.columns) == ["step", "token", "unit", *PANELS]
    assert frame["step"].tolist()[:9] == [1] * 8 + [2]
    for name in PANELS:
        np.testing.assert_array_equal(frame[name].to_numpy().reshape(3, 8), ref[name])
    doc = json.loads(trace_json(ref, tokens, {"model": "lstm8"}))
    assert doc["tokens"] == list(tokens) and doc["shape"] == {"steps": 3, "units": 8}
    np.testing.assert_array_equal(np.array(doc["arrays"]["cell"]), ref["cell"])


def test_export_buttons_send_the_trace_once():
    """The CSV and JSON buttons under the heatmaps ask the page for the file (AppTest cannot press a
    component's button: the test sets what its callback sets); the next run sends it once."""
    tokens = ("Bob", "is", "evil")
    at = open_app(PAGE, query={"sentence": " ".join(tokens)})
    assert 'data-export="csv"' in heat_payload(at)["below"] and heat_payload(at)["file"] is None
    at.session_state["trace_export"] = ("csv", 1)
    at.run()
    file = heat_payload(at)["file"]
    assert (file["id"], file["name"], file["mime"]) == (1, "trace_lstm8.csv", "text/csv")
    frame = pd.read_csv(io.StringIO(file["text"]))
    for name in PANELS:
        np.testing.assert_array_equal(frame[name].to_numpy().reshape(3, 8), reference(tokens)[name])
    at.session_state["trace_export"] = ("json", 2)
    at.run()
    doc = json.loads(heat_payload(at)["file"]["text"])
    assert doc["tokens"] == list(tokens) and doc["meta"]["model"] == "lstm8"
    np.testing.assert_array_equal(np.array(doc["arrays"]["hidden"]), reference(tokens)["hidden"])
    set_in_view(at, step=2)
    at.run()
    assert heat_payload(at)["file"] is None  # sent once, not with every step after it


def test_numbers_table_and_presenter_mode():
    at = open_app(PAGE, query={"presenter": "true"})
    assert not at.exception
    assert at.sidebar.toggle(key=vkey(at, "presenter")).value is True
    assert [e.label for e in at.expander] == ["Controls", "Numbers"]  # controls tucked away
    at.toggle(key="show_numbers").set_value(True).run()
    table = at.dataframe[0].value
    ref = reference(parse_sentence(DEFAULT_SENTENCE).tokens)
    np.testing.assert_allclose(table.to_numpy(), ref["forget"], rtol=0, atol=1e-12)


@pytest.mark.parametrize(("given", "expected"), [("lstm16", "lstm16"), ("seeded LSTM (H=16)", "lstm16")])
def test_model_in_the_url_by_key_or_title(given, expected):
    at = open_app(PAGE, query={"model": given, "notation": "ltm"})
    assert not at.exception
    assert at.selectbox(key=vkey(at, "model")).value == expected
    assert at.sidebar.radio(key=vkey(at, "notation")).value == "ltm"
    assert heat(at)["panels"]["hidden"]["title"] == "short-term memory"
    assert heat(at)["panels"]["hidden"]["values"].shape[1] == 16


def test_unknown_model_in_the_url_warns_and_falls_back():
    at = open_app(query={"model": "gpt-5"})  # the link's first page says so (here: AppTest's first run)
    assert any("The link's model 'gpt-5' cannot be used: choose one of" in w.value for w in at.warning)
    at.switch_page(PAGE).run()
    assert not at.exception and not at.warning  # said once
    assert "model" not in at.query_params  # dropped: the URL shows what the page shows
    assert at.selectbox(key=vkey(at, "model")).value == "lstm8"


def test_playing_moves_one_step_per_tick_however_often_the_stepper_runs():
    """While the animation plays, runs of the stepper that are not its timer's (a notation switch's full
    run) leave the step where it is: the next tick moves it, by one."""
    at = open_app(PAGE, query={"step": "2"})
    at.session_state["playing"] = True
    at.run()  # the first run that plays: one step on
    assert controls(at)["step"] == 3 and controls(at)["playing"] is True
    at.sidebar.radio(key=vkey(at, "notation")).set_value("ltm").run()  # at once after it: no tick due
    at.run()
    assert controls(at)["step"] == 3
    at.session_state["_last_tick"] -= 0.8  # the timer's next tick, 0.8 s on
    at.run()
    assert controls(at)["step"] == 4
