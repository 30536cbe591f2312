"""The Train page headless (AppTest), with others: a race of three cells on shared axes (and the gates
of the cell chosen), a long-lag race read against the measured study, and a student who must wait for a
free trainer (the helpers and the tiny run: ``test_app_train.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from lstm_core.train import RunSpec
from tests.apptest_helpers import chart_payloads, heat_drawings, open_app, svg_payloads
from tests.test_app_train import PAGE, TINY, messages, press, run_until

ROOT = Path(__file__).resolve().parents[1]


def test_a_race_trains_three_cells_on_shared_axes():
    at = open_app(PAGE, {**TINY, "steps": "30"})
    press(at, "Race")
    job = run_until(at, ("done",))
    assert [lane.cell for lane in job.status.lanes] == ["rnn", "gru", "lstm"]
    figures = {p["config"]["toImageButtonOptions"]["filename"]: p["figure"] for p in chart_payloads(at)}
    curves = figures["gate-by-gate-train_curves"]["data"]
    assert [t["name"] for t in curves if t.get("yaxis") == "y2"] == ["plain RNN", "GRU", "LSTM"]
    gradient = [t["name"] for t in figures["gate-by-gate-training-gradient"]["data"]]
    assert len(gradient) == 4  # each cell's ‖∂L/∂h_t‖ and the LSTM's ‖∂L/∂C_t‖, on one chart
    shown = next(lane for lane in job.status.lanes if lane.cell == "lstm").snapshots[-1]
    (cell,) = [p for p in svg_payloads(at) if p["name"] == "gradient-cell"]  # the race's LSTM, on the cell
    assert f'data-gradient="{shown.d_cell_norm[1]:.3e}"' in cell["svg"]
    assert json.loads(json.dumps(job.kept))[0][0] == 2  # the LSTM lane's model is kept
    assert set(heat_drawings(at)["train_gates"]["panels"]) >= {"forget", "cell"}  # the LSTM's gates first
    at.button_group(key="train.lane").set_value(1).run()  # the GRU's gates
    gru = job.status.lanes[1].snapshots[-1]
    panels = heat_drawings(at)["train_gates"]["panels"]
    assert set(panels) == set(gru.arrays) == {"reset", "update", "candidate", "hidden"}
    np.testing.assert_allclose(panels["update"]["values"], gru.arrays["update"], atol=6e-5)
    assert [p["name"] for p in svg_payloads(at)].count("gradient-cell") == 1  # the race's LSTM still


def test_a_student_who_must_wait_sees_their_place_in_the_queue_and_then_trains():
    from dataclasses import replace

    from lstm_ui.training import lab_runner

    runner = lab_runner()
    slow = RunSpec(config=replace(RunSpec().config, lr=0.0003, steps=5000))  # seconds: keeps a worker busy
    fillers = [
        (f"another student {k}", runner.submit(f"another student {k}", slow)) for k in range(runner.size)
    ]
    try:
        at = open_app(PAGE, TINY)
        press(at, "Train")
        waiting = run_until(at, ("queued",))
        assert waiting.status.position == 1
        assert any("position **1** in the queue (0 runs ahead)" in m for m in messages(at)), messages(at)
        assert not at.get("bidi_component")  # nothing trained, nothing drawn yet
    finally:
        for owner, job in fillers:
            assert runner.cancel(owner, job)
    assert run_until(at, ("done",)).status.lanes[0].step == 40  # the freed worker took it


def test_a_long_lag_race_is_read_against_the_measured_study_at_its_gap():
    at = open_app(PAGE, {"task": "long_lag", "gap": "28", "hidden": "4", "steps": "20"})
    press(at, "Race")
    run_until(at, ("done",))
    doc = json.loads((ROOT / "assets" / "results" / "memory_span.json").read_text())
    rows = [r for r in doc["summary"] if r["gap"] == 30]  # the measured gap nearest to 28
    assert rows and doc["protocol"]["task"]["name"] == "long_lag"
    (note,) = [m.value for m in at.markdown if m.value.startswith("At a gap of **30**")]
    for row in rows:  # every cell's tries and median, as the file has them
        learned = round(row["fraction_reached"] * row["n_seeds"])
        assert f"**{row['label']}**: learned it in {learned} of {row['n_seeds']} tries" in note
        assert f"(median held-out accuracy {row['median']:.0%})" in note
