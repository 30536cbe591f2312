"""The shipped memory-span study: the protocol (assets/experiments/memory_span.json), every run
(assets/results/memory_span_runs.jsonl) and the summary the app reads (assets/results/memory_span.json).

The summary must be exactly what the runs say (medians and spreads recomputed here from the per-seed
numbers), every run must follow the protocol, one cheap run must come out the same when re-run, and the
script must resume instead of re-training what is stored. A run's fingerprint covers its own cell's row
only, so a new row keeps the stored runs of the others."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "measure_memory_span.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("measure_memory_span", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def protocol(script) -> dict:
    return json.loads(script.PROTOCOL.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(script) -> list[dict]:
    return [json.loads(line) for line in script.RUNS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def results(script) -> dict:
    return json.loads(script.SUMMARY.read_text(encoding="utf-8"))


def test_the_protocol_is_complete_and_the_same_for_every_cell(protocol: dict, results: dict, script) -> None:
    for key in (
        "what",
        "task",
        "gaps",
        "seeds",
        "cells",
        "training",
        "success",
        "note",
        "how_measured",
        "pilot",
    ):
        assert protocol[key], key
    assert protocol["task"]["name"] == "long_lag" and protocol["task"]["chance"] == 0.25
    for key in ("hidden_size", "batch_size", "max_steps_per_rate", "lr_grid", "clip", "dtype", "eval_every"):
        assert key in protocol["training"], key
    cells = protocol["cells"]
    assert set(cells) == {"rnn", "gru", "lstm", "lstm_open"}
    assert cells["lstm"] | {"forget_bias": 10.0, "label": ""} == cells["lstm_open"] | {"label": ""}
    assert cells["lstm"]["forget_bias"] == 1.0 and cells["lstm_open"]["forget_bias"] == 10.0
    assert len(protocol["seeds"]) >= 5 and min(protocol["gaps"]) == 1 and max(protocol["gaps"]) == 1000
    assert set(protocol["pilot"]["seconds_per_step"]) == {spec["cell"] for spec in cells.values()}
    # the summary was made from this very protocol
    assert results["protocol"] == protocol and results["fingerprint"] == script.fingerprint(protocol)
    assert results["cell_fingerprints"] == {c: script.cell_fingerprint(protocol, c) for c in cells}
    task = script.make_data(protocol, gap=1, seed=0)
    assert results["chance"] == task.info["chance"] == protocol["task"]["chance"]
    assert results["target_accuracy"] == protocol["success"]["target_accuracy"]


def test_every_planned_run_is_stored_once_and_followed_the_protocol(
    protocol: dict, runs: list, script
) -> None:
    keys = [(r["cell"], r["gap"], r["seed"]) for r in runs]
    assert len(keys) == len(set(keys)) and set(keys) == set(script.planned(protocol))
    t, target = protocol["training"], protocol["success"]["target_accuracy"]
    for run in runs:
        attempts = run["attempts"]
        assert run["fingerprint"] == script.cell_fingerprint(protocol, run["cell"])
        assert [a["lr"] for a in attempts] == t["lr_grid"][: len(attempts)]  # the grid, in order
        assert all(a["steps"] <= t["max_steps_per_rate"] for a in attempts)
        assert all(a["stopped"] == "steps" and a["accuracy"] < target for a in attempts[:-1])
        assert run["reached_target"] == (attempts[-1]["stopped"] == "target")
        assert run["reached_target"] == (run["accuracy"] >= target)
        assert run["accuracy"] == max(a["accuracy"] for a in attempts)
        assert run["steps_all_rates"] == sum(a["steps"] for a in attempts)
        assert 0.0 <= run["accuracy"] <= 1.0 and run["seconds"] > 0


def test_the_summary_is_recomputed_from_the_runs(protocol: dict, runs: list, results: dict) -> None:
    rows = results["summary"]
    assert [(r["cell"], r["gap"]) for r in rows] == [
        (c, g) for c in protocol["cells"] for g in protocol["gaps"]
    ]
    for row in rows:
        sel = sorted(
            (r for r in runs if (r["cell"], r["gap"]) == (row["cell"], row["gap"])), key=lambda r: r["seed"]
        )
        accs = [r["accuracy"] for r in sel]
        assert row["n_seeds"] == len(sel) >= 5 and row["seeds"] == protocol["seeds"]
        assert row["accuracies"] == accs and row["steps"] == [r["steps"] for r in sel]
        assert row["label"] == protocol["cells"][row["cell"]]["label"]
        assert row["median"] == pytest.approx(np.median(accs), abs=1e-12)
        assert (row["q1"], row["q3"]) == pytest.approx(tuple(np.percentile(accs, [25, 75])), abs=1e-12)
        assert (row["min"], row["max"]) == (min(accs), max(accs))
        assert row["mean"] == pytest.approx(np.mean(accs), abs=1e-12)
        assert row["min"] <= row["q1"] <= row["median"] <= row["q3"] <= row["max"]
        assert row["fraction_reached"] == sum(r["reached_target"] for r in sel) / len(sel)
        assert row["seconds_per_run"] == pytest.approx(np.median([r["seconds"] for r in sel]), abs=0.01)
    cost = results["cost"]
    assert cost["runs"] == len(runs) and cost["training_steps_total"] == sum(
        r["steps_all_rates"] for r in runs
    )
    assert cost["seconds_total"] == pytest.approx(sum(r["seconds"] for r in runs), abs=0.1)
    assert results["date"] == max(r["finished"] for r in runs)[:10]
    assert results["machine"]["cores"] >= 1 and "measure_memory_span.py" in results["command"]


def test_the_texts_for_students_are_there_and_plain(
    protocol: dict, runs: list, results: dict, script
) -> None:
    reading = json.loads(script.READING.read_text(encoding="utf-8"))
    assert results["reading"] == reading["reading"] and results["how_measured"] == protocol["how_measured"]
    # the reading was written for these runs, not for an older measurement
    assert reading["written_for"] == {"fingerprint": script.fingerprint(protocol), "runs": len(runs)}
    for text in (results["reading"], results["how_measured"]):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
        assert 3 <= len(sentences) <= 6, sentences
        assert not re.search(r"\.(json|jsonl|py|csv)\b|--|`|python|budget", text, re.IGNORECASE), text


def test_rerunning_one_cheap_run_reproduces_it(protocol: dict, runs: list, script) -> None:
    cheap = min(
        (r for r in runs if r["gap"] == 10), key=lambda r: (r["steps_all_rates"], r["cell"], r["seed"])
    )
    again = script.run_one(protocol, cheap["cell"], cheap["gap"], cheap["seed"])
    for key in ("accuracy", "reached_target", "lr", "steps", "steps_all_rates", "fingerprint"):
        assert again[key] == cheap[key], key
    for new, old in zip(again["attempts"], cheap["attempts"], strict=True):
        assert new["final_loss"] == pytest.approx(old["final_loss"], rel=1e-4)


def test_a_run_fingerprint_covers_its_own_cell_and_the_shared_parts_only(protocol: dict, script) -> None:
    other = json.loads(json.dumps(protocol))
    other["cells"]["lstm_open"]["forget_bias"] = 5.0
    other["cells"]["gru"]["label"] = "another GRU"
    other["cells"]["new"] = {"cell": "rnn", "label": "another row", "forget_bias": 0.0}
    other["gaps"], other["seeds"], other["how_measured"] = [7], [9], "other words"
    same = {
        c: script.cell_fingerprint(protocol, c) == script.cell_fingerprint(other, c)
        for c in protocol["cells"]
    }
    assert same == {"rnn": True, "lstm": True, "gru": False, "lstm_open": False}
    assert script.fingerprint(other) != script.fingerprint(protocol)  # the whole table: for the reading
    for part in ("task", "training", "success"):
        changed = json.loads(json.dumps(protocol))
        changed[part]["extra"] = 1
        assert all(
            script.cell_fingerprint(changed, c) != script.cell_fingerprint(protocol, c)
            for c in protocol["cells"]
        )


def test_the_script_resumes_and_refuses_runs_of_another_protocol(
    protocol: dict, script, tmp_path: Path, monkeypatch
) -> None:
    tiny = json.loads(json.dumps(protocol))
    new_row = tiny["cells"].pop("lstm_open")  # added below, as it was to the shipped protocol
    tiny["gaps"], tiny["seeds"] = [1, 2], [0]
    tiny["task"]["options"] |= {"n_train": 64, "n_test": 50}
    tiny["training"] |= {"max_steps_per_rate": 100, "eval_every": 50}
    proto, runs_file, out = tmp_path / "protocol.json", tmp_path / "runs.jsonl", tmp_path / "out.json"
    proto.write_text(json.dumps(tiny))
    argv = ["measure_memory_span.py", "--protocol", str(proto), "--runs", str(runs_file), "--out", str(out)]
    monkeypatch.setattr("sys.argv", [*argv, "--reading", str(tmp_path / "no_reading.json")])
    runs_file.write_text(json.dumps(script.run_one(tiny, "rnn", 1, 0)) + "\n")
    script.main()  # trains only the 5 runs that are missing
    lines = runs_file.read_text().splitlines()
    assert [tuple(json.loads(x)[k] for k in ("cell", "gap", "seed")) for x in lines] == script.planned(tiny)
    script.main()  # nothing left to train: the file stays as it is
    assert runs_file.read_text().splitlines() == lines
    summary = json.loads(out.read_text())
    assert [r["n_seeds"] for r in summary["summary"]] == [1] * 6 and summary["reading"] == ""
    tiny["cells"]["lstm_open"] = new_row  # a new row: the stored runs stay, only its own are trained
    proto.write_text(json.dumps(tiny))
    script.main()
    more = runs_file.read_text().splitlines()
    assert more[: len(lines)] == lines and len(more) == len(script.planned(tiny)) == 8
    assert {tuple(json.loads(x)[k] for k in ("cell", "gap", "seed")) for x in more} == set(
        script.planned(tiny)
    )
    summary = json.loads(out.read_text())
    assert [r["cell"] for r in summary["summary"]] == [c for c in tiny["cells"] for _ in tiny["gaps"]]
    tiny["cells"]["lstm"]["forget_bias"] = 2.0  # one row changed: its runs no longer belong to it
    proto.write_text(json.dumps(tiny))
    with pytest.raises(ValueError, match=r"another protocol \(\[\('lstm', "):
        script.main()
    tiny["cells"]["lstm"]["forget_bias"] = 1.0  # back as it was
    tiny["training"]["lr_grid"] = [0.1]  # a shared part changed: no stored run belongs to it any more
    proto.write_text(json.dumps(tiny))
    with pytest.raises(ValueError, match="another protocol") as caught:
        script.main()
    assert all(f"('{cell}', " in str(caught.value) for cell in tiny["cells"])


def test_live_lab_default_reaches_95_percent_at_gap_50() -> None:
    """The live lab's default run (lstm_core/train/live_lab.py, still on the ``memory_span`` task)
    learns gap 50; no timing here (bench/bench_train.py times it), only that the held-out check holds."""
    from lstm_core.train import evaluate, train
    from lstm_core.train.live_lab import LIVE_LAB_CONFIG, live_lab

    data, config = live_lab(seed=0)
    assert data.info["gap"] == 50 and {len(ex.tokens) for ex in data.test} == {52}
    assert config.target_accuracy == 0.95 and config.seed == 0 and LIVE_LAB_CONFIG.cell == "lstm"
    result = train(data, config)
    assert result.stopped == "target" and result.eval_accuracies[-1] >= 0.95
    full = evaluate(result.model, data.test, data.vocab, data.classes, loss="last")
    assert full.count == len(data.test) and full.accuracy >= 0.9
