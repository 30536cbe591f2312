"""The Train page headless (AppTest): its controls and the view in the URL, bad links, and short real runs
through the server's job runner (tiny memory-span runs of a few dozen steps: well under a second each),
including opening the trained model in step-through and the cell page, and what other sessions see."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from lstm_core import run_lstm
from lstm_core.train import RunSpec
from tests.apptest_helpers import chart_payloads, decode, heat_drawings, open_app, svg_payloads, view_of

PAGE = "views/train.py"
TINY = {"gap": "4", "hidden": "6", "steps": "40"}  # a memory-span run of 40 steps on sequences of 6
SLOW = {"gap": "30", "hidden": "32", "steps": "5000", "lr": "0.0003"}  # seconds: time to press Stop


def messages(at) -> list[str]:
    return [e.value for e in (*at.info, *at.success, *at.warning, *at.error)]


def run_until(at, states: tuple[str, ...], timeout: float = 30.0, trained: bool = False):
    """Rerun the page (as its polling fragment does) until the job is in one of ``states`` (and, with
    ``trained``, has trained some steps)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        at.run()
        assert not at.exception, at.exception
        job = at.session_state["_train_job"]
        if job is not None and job.state in states and (not trained or job.status.lanes[0].step > 0):
            return job
        time.sleep(0.1)
    raise AssertionError(f"the job did not reach {states}: {messages(at)}")


def press(at, label: str):
    (button,) = [b for b in at.button if b.label.startswith(label)]
    return button.click().run()


def test_the_page_starts_with_the_live_labs_run_and_says_what_to_do():
    at = open_app(PAGE)
    assert not at.exception
    assert at.selectbox(key="train.task").value == "memory_span"
    assert at.slider(key="train.gap").value == 50
    assert at.number_input(key="train.hidden").value == 16
    assert at.number_input(key="train.forget_bias").value == 3.0
    assert any("Press **Train**" in m for m in messages(at))
    from lstm_ui.viewmodels.train import resolve, run_spec

    view = view_of(at)
    assert run_spec(resolve(view.get)) == RunSpec()  # the benchmarked live-lab run (bench_live_lab.py)
    assert not at.query_params  # every default is left out of the URL


def test_controls_write_the_view_and_the_url_and_a_new_task_brings_its_own_settings():
    at = open_app(PAGE)
    at.number_input(key="train.hidden").set_value(32).run()
    assert view_of(at)["hidden"] == 32 and at.query_params["hidden"] == "32"
    at.number_input(key="train.hidden").set_value(16).run()  # the task's own value: out of the URL
    assert view_of(at)["hidden"] is None and "hidden" not in at.query_params
    at.selectbox(key="train.task").set_value("long_lag").run()
    assert at.query_params["task"] == "long_lag"
    assert at.slider(key="train.gap").value == 30  # long-lag's own gap and size (the measured study's)
    assert at.number_input(key="train.hidden").value == 32
    at.button_group(key="train.cell").set_value("gru").run()
    assert view_of(at)["cell"] == "gru" and at.query_params["cell"] == "gru"
    assert not at.exception


def test_a_link_reopens_the_same_settings():
    at = open_app(PAGE, {"task": "long-lag recall through noise", "gap": "12", "seed": "3", "lr": "0.003"})
    assert not at.exception
    assert view_of(at)["task"] == "long_lag"
    assert at.slider(key="train.gap").value == 12
    assert at.number_input(key="train.seed").value == 3
    assert at.select_slider(key="train.lr").value == 0.003


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"hidden": "9999"}, "hidden size '9999' cannot be used: it must be from 1 to 128"),
        ({"lr": "fast"}, "learning rate 'fast' cannot be used: it is not a number"),
        ({"task": "chess"}, "training task 'chess' cannot be used: choose one of Memory span, Long-lag"),
        ({"steps": "-3"}, "number of training steps '-3' cannot be used: it must be from 1 to 5,000"),
        ({"forget_bias": "x"}, "forget-gate bias 'x' cannot be used: it is not a number"),
        ({"model": "trained-7"}, "model 'trained-7' cannot be used: it was trained in another session"),
    ],
)
def test_a_bad_link_gets_a_clear_message_and_the_page_its_default(query, says):
    at = open_app(query=query)  # the link's first page says so (AppTest's first run: home)
    assert any(says in m for m in messages(at)), messages(at)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert not set(query) & set(at.query_params)  # dropped: the URL shows what the page shows
    assert any("Press **Train**" in m for m in messages(at))


def test_a_gap_the_task_does_not_train_is_fitted_and_said():
    at = open_app(PAGE, {"gap": "500"})
    assert not at.exception
    assert "A gap of 500 is outside what this lab trains for memory span (1 to 200); using 200." in messages(
        at
    )
    assert at.slider(key="train.gap").value == 200


def test_a_short_run_trains_draws_its_curves_snapshots_and_gradient_and_keeps_its_model():
    at = open_app(PAGE, TINY)
    press(at, "Train")
    job = run_until(at, ("done",))
    lane = job.status.lanes[0]
    assert lane.step == 40 and lane.losses.size == 40
    assert any(m.startswith("Done in") for m in messages(at))
    figures = {p["config"]["toImageButtonOptions"]["filename"]: p["figure"] for p in chart_payloads(at)}
    loss = next(t for t in figures["gate-by-gate-train_curves"]["data"] if t["name"] == "training loss")
    assert decode(loss["x"]).tolist() == list(range(1, 41))
    np.testing.assert_array_equal(decode(loss["y"]), lane.losses)
    names = [t["name"] for t in figures["gate-by-gate-training-gradient"]["data"]]
    assert any("∂L/∂C" in n for n in names) and any("∂L/∂h" in n for n in names)
    heat = heat_drawings(at)["train_gates"]
    assert set(heat["panels"]) == {"forget", "input", "candidate", "output", "cell", "hidden"}
    assert len(heat["rows"]) == 6  # the probe: clue, 4 symbols, "?"
    (path,) = [p for p in svg_payloads(at) if 'data-role="gradient-path"' in p["svg"]]
    assert 'data-lane="lstm-cell"' in path["svg"] and 'data-lane="lstm-hidden"' in path["svg"]
    (cell,) = [p for p in svg_payloads(at) if p["name"] == "gradient-cell"]  # the cell diagram's C line
    carried = dict(re.findall(r'data-wire-path="(c_prev|c_out)"[^>]*data-gradient="([^"]+)"', cell["svg"]))
    norms = lane.snapshots[-1].d_cell_norm  # ‖∂L/∂C_1‖, ‖∂L/∂C_2‖ of the newest snapshot
    assert [float(carried["c_prev"]), float(carried["c_out"])] == pytest.approx(norms[:2].tolist(), rel=1e-3)
    slider = at.select_slider(key="train.scrub")
    assert slider.options[0] == "0" and slider.value == 40  # from the untrained model to the newest
    first, newest = lane.snapshots[0], lane.snapshots[-1]
    np.testing.assert_allclose(heat["panels"]["forget"]["values"], newest.arrays["forget"], atol=6e-5)
    slider.set_value(0).run()
    before = heat_drawings(at)["train_gates"]["panels"]["forget"]["values"]
    np.testing.assert_allclose(before, first.arrays["forget"], atol=6e-5)  # the gates before training
    assert np.abs(before - heat["panels"]["forget"]["values"]).max() > 0.01
    assert job.kept and job.kept[0][2] == "trained-1"


def test_the_trained_model_opens_in_step_through_and_the_cell_page_with_its_own_inputs():
    at = open_app(PAGE, TINY)
    press(at, "Train")
    job = run_until(at, ("done",))
    key = job.kept[-1][2]
    at.button(key="train.open").click().run()
    assert view_of(at)["model"] == key
    at.switch_page("views/step_through.py").run()
    assert not at.exception
    assert at.selectbox(key="w.model@step").value == key
    from lstm_ui.trained_models import KEPT

    model = at.session_state[KEPT][key]
    tokens = tuple(view_of(at)["sentence"].split())
    assert tokens == job.status.lanes[0].snapshots[-1].tokens  # opened on the run's probe sequence
    drawn = heat_drawings(at)["heat"]["panels"]["cell"]["values"]
    want = run_lstm(model.params, model.inputs(tokens).xs).cell
    np.testing.assert_allclose(drawn, want, atol=5e-5)  # the page runs the trained weights, one-hot inputs
    at.text_input(key="w.sentence@step").set_value(f"{tokens[0]} banana ?").run()
    assert any("“banana” is new to it" in m for m in messages(at))
    at.switch_page("views/cell.py").run()
    assert not at.exception and view_of(at)["model"] == key
    at.query_params["story_model"] = key
    at.switch_page("views/stories.py").run()
    assert any("no words to tell a story with" in m for m in messages(at))


def test_another_session_cannot_open_this_sessions_model():
    mine = open_app(PAGE, TINY)
    press(mine, "Train")
    key = run_until(mine, ("done",)).kept[-1][2]
    theirs = open_app(query={"model": key})  # the same link, in a new session
    assert any("it was trained in another session" in m for m in messages(theirs))
    theirs.switch_page("views/step_through.py").run()
    assert not theirs.exception and view_of(theirs)["model"] == "lstm8"
    assert not any(title.startswith("trained here") for title in theirs.selectbox(key="w.model@step").options)


def test_stop_resume_and_reset():
    at = open_app(PAGE, SLOW)
    press(at, "Train")
    run_until(at, ("running",), trained=True)
    press(at, "Stop")
    stopped = run_until(at, ("stopped",))
    step = stopped.status.lanes[0].step
    time.sleep(0.3)
    assert run_until(at, ("stopped",)).status.lanes[0].step == step  # nothing trains while stopped
    press(at, "Resume")
    resumed = run_until(at, ("running", "done"))
    assert resumed.status.lanes[0].losses[:step].tobytes() == stopped.status.lanes[0].losses.tobytes()
    press(at, "Reset")  # the same run from the start: the same first steps, bit for bit
    again = run_until(at, ("running", "done"))
    assert again.job_id != stopped.job_id and again.specs == stopped.specs
    n = min(again.status.lanes[0].losses.size, step)
    assert again.status.lanes[0].losses[:n].tobytes() == stopped.status.lanes[0].losses[:n].tobytes()
    press(at, "Stop")


def test_a_stopped_job_left_alone_is_dropped_and_the_page_says_so():
    at = open_app(PAGE, SLOW)
    press(at, "Train")
    run_until(at, ("running",), trained=True)
    press(at, "Stop")
    job = run_until(at, ("stopped",))
    from lstm_ui.training import lab_runner

    assert lab_runner().cancel(at.session_state["_train_owner"], job.job_id)  # as when its lease ran out
    run_until(at, ("dropped",))
    assert any("was dropped" in m for m in messages(at))
    assert at.get("bidi_component")  # what it drew last is still there


def test_an_ended_job_is_not_polled_again():
    at = open_app(PAGE, TINY)
    press(at, "Train")
    job = run_until(at, ("done",))
    from lstm_ui.training import lab_runner

    lab_runner().cancel(at.session_state["_train_owner"], job.job_id)
    at.run()
    assert at.session_state["_train_job"].state == "done"  # its result stays; nothing was lost


def test_the_same_seed_gives_the_same_curves_to_the_last_digit_in_another_session():
    curves = {}
    for name, seed in (("first", "5"), ("again", "5"), ("other", "6")):
        at = open_app(PAGE, {**TINY, "seed": seed})
        press(at, "Train")
        lane = run_until(at, ("done",)).status.lanes[0]
        curves[name] = (lane.losses.tobytes(), lane.eval_accuracies.tobytes(), lane.snapshots[-1].loss)
    assert curves["first"] == curves["again"]  # a new session, a new job: bit for bit the same run
    assert curves["first"][0] != curves["other"][0]  # another seed: other data, weights and batches
