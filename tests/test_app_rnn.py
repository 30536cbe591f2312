"""The "plain RNN and its memory problem" page, headless (AppTest).

References are computed here straight from lstm_core (init_rnn/init_gru/init_lstm, run_*, *_backward on
the sentence's token vectors), not from the page's cached calls.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from apptest_helpers import ROOT, decode, figures, open_app, set_in_view, svg_payloads, vkey

from lstm_core import (
    gru_backward,
    init_gru,
    init_lstm,
    init_rnn,
    lstm_backward,
    rnn_backward,
    run_gru,
    run_lstm,
    run_rnn,
)
from lstm_ui.drawings.colours import cell_style, scale_for
from lstm_ui.drawings.heatmap import OVERLAY
from lstm_ui.drawings.pixels import scale_colours
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence
from lstm_ui.viewmodels import measured

PAGE = "views/rnn.py"
STEP_VIEW = "rnn_step"  # the step view's component key
D, H = 16, 8
SHOWN = 5.001e-5  # the squares' values carry 4 decimals
SVG = "{http://www.w3.org/2000/svg}"


def rnn_reference(sentence: str = DEFAULT_SENTENCE):
    tokens = parse_sentence(sentence).tokens
    params = init_rnn(D, H, seed=0)
    return tokens, params, run_rnn(params, embed(tokens, D))


def fig_with(at, name_part: str) -> dict:
    for fig in figures(at):
        if any(name_part in str(t.get("name", "")) for t in fig["data"]):
            return fig
    raise AssertionError(f"no figure with a trace named like {name_part!r}")


def line(fig: dict, name_part: str) -> np.ndarray:
    trace = next(t for t in fig["data"] if name_part in str(t.get("name", "")))
    return decode(trace["y"]).astype(float)


def step_view(at) -> dict:
    """What the step-view component receives: the unrolled drawing, the step controls, the html above it."""
    (payload,) = [p for p in svg_payloads(at) if p["key"] == STEP_VIEW]
    return payload


def equations(at) -> list[str]:
    """The LaTeX of the equations in the step view (its ``data-tex`` attributes, unescaped)."""
    return [html.unescape(tex) for tex in re.findall(r'data-tex="([^"]*)"', step_view(at)["html"])]


def unrolled(at) -> dict:
    """The unrolled drawing as data: ``values`` (T, H) from data-values; per square (t, j) its fill and
    hover text; the copies and token labels; the selection (step outline, selected copy, unit outline)."""
    root = ET.fromstring(step_view(at)["svg"])
    assert root.get("data-role") == "unrolled"
    T, H = int(root.get("data-steps")), int(root.get("data-units"))
    (heat,) = [g for g in root.iter() if g.get("data-role") == "hidden"]
    values = np.array([float(v) for v in heat.get("data-values").split(" ")]).reshape(T, H)
    columns = [g for g in heat if g.get("data-t")]
    assert [int(g.get("data-t")) for g in columns] == list(range(1, T + 1))
    fills = np.array([[r.get("fill") for r in g.findall(f"{SVG}rect")] for g in columns])
    titles = [[r.get("aria-label") for r in g.findall(f"{SVG}rect")] for g in columns]
    units = [[int(r.get("data-j")) for r in g.findall(f"{SVG}rect")] for g in columns]
    assert units == [list(range(1, H + 1))] * T  # each square names its unit (its column names the step)
    overlay = list(root)[-1]
    assert overlay.get("data-role") == "overlay"  # the selection is the drawing's last group
    picked = {el.get("data-role"): el for el in overlay}
    return {
        "T": T,
        "H": H,
        "values": values,
        "fills": fills,
        "titles": titles,
        "copies": [int(el.get("data-t")) for el in root.iter() if el.get("data-role") == "copy"],
        "tokens": {
            int(el.get("data-step")): el.get("data-token") for el in root.iter() if el.get("data-step")
        },
        "step_outline": int(picked["step-outline"].get("data-t")),
        "selected_copy": int(picked["selected-copy"].get("data-t")),
        "unit_outline": (
            int(picked["unit-outline"].get("data-t")),
            int(picked["unit-outline"].get("data-j")),
        ),
    }


def selected(at) -> tuple[int, int]:
    """The (step, unit) the step view shows, checked to agree everywhere it is shown."""
    c, drawing = step_view(at)["controls"], unrolled(at)
    t, j = c["step"], c["unit"]
    assert drawing["step_outline"] == drawing["selected_copy"] == t and drawing["unit_outline"] == (t, j)
    url = (at.query_params.get("step", "1"), at.query_params.get("unit", "1"))  # 1 is the default: left out
    assert url == (str(t), str(j))
    return t, j


def unit_numbers(params, trace, t: int, j: int) -> dict[str, float]:
    """Step t, unit j (0-based) straight from the weights: the three terms, their sum and the new state."""
    prev = trace.h0 if t == 0 else trace.hidden[t - 1]
    rec, inp = params.weight_hh[j] @ prev, params.weight_ih[j] @ trace.xs[t]
    z = rec + inp + params.bias_ih[j] + params.bias_hh[j]
    return {"recurrent": rec, "input": inp, "z": z, "h": np.tanh(z)}


@pytest.fixture(scope="module")
def page():
    at = open_app(PAGE)
    assert not at.exception
    return at


def test_equation_holds_the_traces_numbers(page):
    _tokens, params, trace = rnn_reference()
    state_tex, output_tex = equations(page)
    v = unit_numbers(params, trace, 0, 0)
    assert np.isclose(v["h"], trace.hidden[0, 0])
    assert rf"\tanh({v['z']:.3f}) = {trace.hidden[0, 0]:.3f}" in state_tex
    assert "W_{hh}" in state_tex and "W_{xh}" in state_tex
    y = np.random.default_rng(7).standard_normal((4, H)) / np.sqrt(H) @ trace.hidden[0]
    assert f"y_{{1}} = [{', '.join(f'{val:.3f}' for val in y)}]" in output_tex
    assert "Step 1: “I”, unit 1 of 8" in step_view(page)["html"]


def test_step_view_is_one_component_with_its_controls(page):
    payload = step_view(page)
    tokens, _params, _trace = rnn_reference()
    c = payload["controls"]
    assert (c["steps"], c["units"], c["step"], c["unit"]) == (len(tokens), H, 1, 1)
    assert c["tokens"] == list(tokens) and c["play"] is False
    assert (c["stepLabel"], c["unitLabel"]) == ("Step t (word)", "Unit j")
    assert payload["clickable"] is True  # the controls report through on_click
    assert "Unrolled: one cell, copied along the sentence" in payload["html"]
    assert not page.get("slider") and not page.latex  # no Streamlit sliders or st.latex left for a step


def test_unrolled_view_matches_the_core(page):
    tokens, _params, trace = rnn_reference()
    drawing = unrolled(page)
    assert (drawing["T"], drawing["H"]) == trace.hidden.shape == (len(tokens), H)
    np.testing.assert_allclose(drawing["values"], trace.hidden, rtol=0, atol=SHOWN)
    assert drawing["copies"] == list(range(1, len(tokens) + 1))  # one copy of the cell per word
    assert drawing["tokens"] == dict(enumerate(tokens, start=1))  # each copy's word under it
    # every square: coloured on the fixed −1 … 1 scale of tanh, its hover text naming word, unit, value
    np.testing.assert_array_equal(drawing["fills"], scale_colours(scale_for("hidden"), trace.hidden, -1, 1))
    for t, j in ((0, 0), (4, 2), (len(tokens) - 1, H - 1)):
        v = f"{trace.hidden[t, j]:.4f}".replace("-", "−")
        assert drawing["titles"][t][j] == f"hₜ after “{tokens[t]}” (step {t + 1}), unit {j + 1}: {v}"


def test_moving_step_and_unit_changes_the_numbers():
    """Previous / Next / the sliders / ← → are drawn by the component (the browser tests press them);
    what they report lands in session state, and the page draws that step and unit everywhere."""
    _tokens, params, trace = rnn_reference()
    at = open_app(PAGE)
    set_in_view(at, step=5)
    set_in_view(at, unit=3)
    at.run()
    assert not at.exception
    assert selected(at) == (5, 3)
    v = unit_numbers(params, trace, 4, 2)
    tex = equations(at)[0]
    assert f"= {trace.hidden[4, 2]:.3f}" in tex and rf"\tanh({v['z']:.3f})" in tex
    assert f"{abs(v['recurrent']):.3f}" in tex and f"{abs(v['input']):.3f}" in tex
    assert "Step 5: “France”, unit 3 of 8" in step_view(at)["html"]
    np.testing.assert_allclose(unrolled(at)["values"], trace.hidden, rtol=0, atol=SHOWN)


def test_a_step_changes_only_the_drawings_overlay():
    """The browser swaps just the overlay group when nothing else of the drawing changed."""
    at = open_app(PAGE)
    before = step_view(at)["svg"]
    set_in_view(at, step=7)
    set_in_view(at, unit=6)
    at.run()
    after = step_view(at)["svg"]
    assert before != after
    assert before[: before.rindex(OVERLAY)] == after[: after.rindex(OVERLAY)]
    assert selected(at) == (7, 6)  # and the overlay (the drawing's last group) holds the new selection


def test_deep_link_opens_at_the_step_and_unit():
    sentence = "The clouds are in the sky"
    _tokens, _params, trace = rnn_reference(sentence)
    at = open_app(PAGE, query={"sentence": sentence, "step": "4", "unit": "6"})
    assert not at.exception
    assert selected(at) == (4, 6)
    assert f"= {trace.hidden[3, 5]:.3f}" in equations(at)[0]
    assert "Step 4: “in”, unit 6 of 8" in step_view(at)["html"]
    np.testing.assert_allclose(unrolled(at)["values"], trace.hidden, rtol=0, atol=SHOWN)


@pytest.mark.parametrize(
    ("step", "unit", "want"), [("99", "-4", (6, 1)), ("abc", "2.5", (1, 1)), ("0", "9", (1, 8))]
)
def test_bad_step_or_unit_in_the_url_opens_inside_the_sentence(step, unit, want):
    sentence = "The clouds are in the sky"
    _tokens, _params, trace = rnn_reference(sentence)
    at = open_app(PAGE, query={"sentence": sentence, "step": step, "unit": unit})
    assert not at.exception
    assert selected(at) == want
    assert f"= {trace.hidden[want[0] - 1, want[1] - 1]:.3f}" in equations(at)[0]


def test_a_shorter_sentence_clamps_the_step():
    at = open_app(PAGE)
    set_in_view(at, step=12)
    at.run()
    at.text_input(key=vkey(at, "sentence")).set_value("Hello there world").run()
    assert not at.exception
    _tokens, _params, trace = rnn_reference("Hello there world")
    assert selected(at) == (3, 1)
    assert unrolled(at)["T"] == 3
    assert f"= {trace.hidden[2, 0]:.3f}" in equations(at)[0]


def test_empty_sentence_draws_no_step_view():
    at = open_app(PAGE, query={"sentence": ""})
    assert not at.exception
    assert any("The sentence is empty" in e.value for e in at.error)
    assert not svg_payloads(at) and not figures(at)


def test_gradient_norms_match_bptt_and_the_rnn_vanishes_fastest(page):
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    xs = embed(tokens, D)
    T = len(tokens)
    dh = np.zeros((T, H))
    dh[-1] = 1 / np.sqrt(H)
    p_rnn, p_gru = init_rnn(D, H, seed=0), init_gru(D, H, seed=0)
    p_lstm, p_rem = init_lstm(D, H, seed=0), init_lstm(D, H, seed=0, forget_bias=2.0)
    ref = {
        "plain RNN": rnn_backward(p_rnn, run_rnn(p_rnn, xs), dh).d_hidden_total,
        "GRU": gru_backward(p_gru, run_gru(p_gru, xs), dh).d_hidden_total,
        "LSTM:": lstm_backward(p_lstm, run_lstm(p_lstm, xs), dh).d_hidden_total,
        "LSTM, forget bias +2:": lstm_backward(p_rem, run_lstm(p_rem, xs), dh).d_hidden_total,
    }
    fig = fig_with(page, "‖∂L/∂")
    assert fig["layout"]["yaxis"]["type"] == "log"
    shown = {}
    for name, grad in ref.items():
        shown[name] = line(fig, f"{name}" if name.endswith(":") else f"{name}:")
        np.testing.assert_allclose(shown[name], np.linalg.norm(grad, axis=1), rtol=1e-12)
        assert np.isclose(shown[name][-1], 1.0)  # ‖∂L/∂h_T‖ = ‖v‖ = 1
    assert shown["plain RNN"][0] < shown["LSTM, forget bias +2:"][0] / 100  # vanishes far faster
    cell = line(fig, "‖∂L/∂C")
    assert cell.shape == (T,)


def _runs_by_cell_and_gap() -> dict[tuple[str, int], list[float]]:
    """Every training run's accuracy, from the per-run file (not the summary the page reads)."""
    runs = [
        json.loads(line) for line in (ROOT / "assets/results/memory_span_runs.jsonl").read_text().splitlines()
    ]
    out: dict[tuple[str, int], list[float]] = {}
    for run in runs:
        out.setdefault((run["cell"], run["gap"]), []).append(run["accuracy"])
    return out


def test_the_memory_span_chart_draws_every_run_and_their_median(page):
    """The chart's medians, bands and dots against the runs themselves: the median and the middle half
    recomputed here from every run's accuracy."""
    runs = _runs_by_cell_and_gap()
    doc = json.loads((ROOT / "assets" / "results" / "memory_span.json").read_text())
    span = next(f for f in figures(page) if f["layout"]["xaxis"].get("type") == "log")
    cells = {r["cell"]: r["label"] for r in doc["summary"]}
    assert len(cells) >= 3
    for cell, label in cells.items():
        gaps = sorted(g for c, g in runs if c == cell)
        median = next(t for t in span["data"] if t.get("name") == cell_style(cell, label)[0])
        np.testing.assert_allclose(decode(median["x"]), gaps)
        np.testing.assert_allclose(decode(median["y"]), [np.median(runs[cell, g]) for g in gaps], atol=1e-12)
        dots = [t for t in span["data"] if t.get("legendgroup") == cell and t.get("mode") == "markers"]
        (dots,) = dots
        np.testing.assert_allclose(decode(dots["y"]), [a for g in gaps for a in runs[cell, g]])
        band = [t for t in span["data"] if t.get("legendgroup") == cell and t.get("fill") == "tonexty"]
        np.testing.assert_allclose(decode(band[0]["y"]), [np.percentile(runs[cell, g], 25) for g in gaps])
    levels = sorted(s_["y0"] for s_ in span["layout"]["shapes"])
    assert levels == [doc["chance"], doc["target_accuracy"]]
    assert any(doc["reading"] == m.value for m in page.markdown)  # the reading written for these runs


def test_the_shipped_gradient_flow_is_drawn_and_explained(page):
    flow = json.loads((ROOT / "assets" / "results" / "gradient_flow.json").read_text())
    shipped = next(f for f in figures(page) if any("(trained)" in str(t.get("name")) for t in f["data"]))
    trace = next(t for t in shipped["data"] if t["name"].startswith("plain RNN (trained): ‖∂L/∂h"))
    np.testing.assert_allclose(
        decode(trace["y"]), np.maximum(flow["cells"]["rnn"]["trained"]["dh_norm"], 1e-300)
    )
    table = next(d.value for d in page.dataframe if "what that means" in d.value.columns)
    for cell, entry in flow["cells"].items():
        row = table[table["cell"] == cell_style(cell)[0]].iloc[0]
        assert row["accuracy after training"] == entry["trained_accuracy"]
        guessing = entry["trained_accuracy"] < flow["chance"] + 0.1
        assert ("guessing" in row["what that means"]) == guessing, cell


def test_no_developer_text_on_the_page(page):
    """No commands, file names, "budget-limited" or "None" on screen (issue 16)."""
    shown = " ".join(
        [m.value for m in page.markdown] + [c.value for c in page.caption] + [i.value for i in page.info]
    )
    for leak in ("python", "scripts/", ".json", "assets/", "budget-limited", "None", "Command"):
        assert leak not in shown, leak


def test_missing_results_give_a_note_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(measured, "RESULTS_DIR", tmp_path)
    at = open_app(PAGE)
    assert not at.exception
    notes = [i.value for i in at.info]
    assert notes.count("This measurement is not part of this copy of the app.") == 2
    assert len(figures(at)) == 1 and unrolled(at)["T"] > 1  # the live figures still draw


def test_notation_switch_renames_the_state():
    at = open_app(PAGE, query={"notation": "ltm"})
    assert not at.exception
    tex = equations(at)[0]
    assert "STM_t" in tex and "E_t" in tex
    assert unrolled(at)["titles"][0][0].startswith("STMₜ after “I”")  # the drawing's hover texts too
    _tokens, _params, trace = rnn_reference()
    np.testing.assert_allclose(unrolled(at)["values"], trace.hidden, rtol=0, atol=SHOWN)  # same numbers


def test_presenter_mode_tucks_the_sentence_away():
    at = open_app(PAGE, query={"presenter": "true"})
    assert not at.exception
    assert not any(m.value.startswith("A plain recurrent network") for m in at.markdown)  # intro hidden
    assert at.expander[0].label == "Controls" and at.expander[0].text_input(key=vkey(at, "sentence"))
    assert step_view(at)["controls"]["fontPx"] == 22  # larger controls and drawing for the room
    assert 'font-size="18"' in step_view(at)["svg"][:600]


def test_a_long_sentence_draws_every_copy():
    sentence = " ".join(f"w{k}" for k in range(60))  # MAX_TOKENS words
    tokens, _params, trace = rnn_reference(sentence)
    at = open_app(PAGE, query={"sentence": sentence, "step": "60"})
    assert not at.exception
    drawing = unrolled(at)
    assert drawing["copies"] == list(range(1, 61)) and selected(at) == (60, 1)
    np.testing.assert_allclose(drawing["values"], trace.hidden, rtol=0, atol=SHOWN)
    assert drawing["titles"][59][7].startswith("hₜ after “w59” (step 60), unit 8: ")
    shown = drawing["tokens"]  # the word labels are thinned out where they would overlap
    assert 1 in shown and len(shown) >= 20 and all(shown[t] == tokens[t - 1] for t in shown)
