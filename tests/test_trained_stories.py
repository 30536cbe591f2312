"""A model trained on the Train page, told as a story (issue 17): the story model built from arrays reads
and answers exactly as a shipped checkpoint does, and Stories runs this session's model, and no other's."""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest

from lstm_core.story import load_model, run_text, trained_story_model
from lstm_core.story.models import MODEL_SPECS, MODELS_DIR
from lstm_core.train import Model
from lstm_core.train import load_model as load_checkpoint
from tests.apptest_helpers import heat_drawings, open_app, view_of
from tests.apptest_stories_page import bars, word_view

SENTENCES = {
    "trained_story": "I grew up in France. Blah blah, zzyzx blah. I speak ___ and Bob is ___",
    "reviews_lstm": "The plot was not good, but the acting was brilliant and qwerty.",
    "events_lstm": "bear tree squirrel river tree squirrel rock grass tree owl lake canine",
}


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_a_story_model_built_from_arrays_answers_as_the_shipped_checkpoint(name: str) -> None:
    model, meta = load_checkpoint(MODELS_DIR / MODEL_SPECS[name].file)
    arrays = Model(model.cell, np.array(model.W_y), np.array(model.b_y))  # the arrays, nothing else
    built = trained_story_model("mine", "mine", arrays, meta["vocab"], meta["classes"], meta["task"])
    shipped, ours = run_text(load_model(name), SENTENCES[name]), run_text(built, SENTENCES[name])
    assert shipped.predictions and len(ours.predictions) == len(shipped.predictions)
    for a, b in zip(ours.predictions, shipped.predictions, strict=True):
        assert (a.step, a.labels, a.among) == (b.step, b.labels, b.among)
        np.testing.assert_array_equal(a.probabilities, b.probabilities)
    np.testing.assert_array_equal(ours.trace.hidden, shipped.trace.hidden)
    np.testing.assert_array_equal(ours.xs, shipped.xs)
    assert ours.kinds == shipped.kinds and ours.readings == shipped.readings  # unknown words marked alike


def test_arrays_that_do_not_fit_the_words_are_refused() -> None:
    model, meta = load_checkpoint(MODELS_DIR / MODEL_SPECS["trained_story"].file)
    with pytest.raises(ValueError, match="do not match the weights"):
        trained_story_model("mine", "mine", model, meta["vocab"][:-1], meta["classes"], "story")


# ---- The Train page → Stories, headless (AppTest) ---------------------------------------------------------

STORY_RUN = {"task": "story", "hidden": "8", "steps": "20"}  # a next-word LSTM of 20 steps: about a second


def _train(query: dict[str, str]):
    from tests.test_app_train import PAGE, press, run_until

    at = open_app(PAGE, query)
    press(at, "Train")
    return at, run_until(at, ("done",), timeout=60)


def _links(at) -> dict[str, dict[str, str]]:
    """The page's links to other pages: {label: their query parameters}."""
    return {link.proto.label: dict(parse_qsl(link.proto.query_string)) for link in at.get("page_link")}


def test_a_story_model_trained_here_tells_a_story_in_stories_with_its_own_numbers() -> None:
    from lstm_core import run_example
    from lstm_ui.trained_models import KEPT
    from lstm_ui.viewmodels.stories import examples, focus_units

    at, job = _train(STORY_RUN)
    key = job.kept[-1][2]
    link = _links(at)["Stories"]
    assert link["story_model"] == key and link["example"] == "france_french"
    at.button(key="train.stories").click().run()
    assert not at.exception and view_of(at)["story_model"] == key
    at.query_params.update(link)  # the link's parameters, as the browser opens them
    at.switch_page("views/stories.py").run()
    assert not at.exception and not at.warning
    model = at.session_state[KEPT][key]
    assert view_of(at)["story_model"] == key  # chosen, among the example's models
    assert model.title in at.radio(key="story_model_choice").options
    core = Model(model.params, *model.readout)  # the same weights, through the core directly
    built = trained_story_model("direct", "direct", core, model.vocab, model.classes, "story")
    ref = run_example(examples()["france_french"], story=built)
    shown = word_view(at)
    t = shown["controls"]["step"] - 1
    assert t == ref.open_step == ref.tokens.index("speak")  # it answers the blank after "speak"
    units = list(focus_units(ref, t))
    drawn = heat_drawings(at)["focus"]["panels"]["hidden"]["values"]
    np.testing.assert_allclose(drawn, ref.trace.hidden[:, units], atol=5.001e-5)
    (pred,) = ref.predictions
    want = dict(zip(pred.labels, pred.probabilities, strict=True))
    got = bars(at)
    assert got and all(got[w] == pytest.approx(want[w], abs=5e-4) for w in got)
    assert max(got, key=got.get) == pred.labels[0]  # its own answer, over its whole vocabulary


@pytest.mark.parametrize(("task", "example"), [("reviews", "reviews_rating"), ("events", "events_wolf_dog")])
def test_a_classifier_trained_here_answers_after_the_last_word_in_stories(task: str, example: str) -> None:
    from lstm_core import run_example
    from lstm_ui.trained_models import KEPT
    from lstm_ui.viewmodels.stories import examples

    at, job = _train({"task": task, "hidden": "8", "steps": "20"})
    link = _links(at)["Stories"]
    assert link["example"] == example
    at.query_params.update(link)
    at.switch_page("views/stories.py").run()
    assert not at.exception and not at.warning and view_of(at)["story_model"] == job.kept[-1][2]
    model = at.session_state[KEPT][job.kept[-1][2]]
    built = trained_story_model("direct", "direct", Model(model.params, *model.readout), model.vocab,
                                model.classes, task)  # fmt: skip
    ref = run_example(examples()[example], story=built)
    (pred,) = ref.predictions
    assert pred.step == len(ref.tokens) - 1  # one answer, after the last word
    assert bars(at) == pytest.approx(dict(zip(pred.labels, pred.probabilities, strict=True)), abs=5e-4)


def test_another_session_opening_the_same_link_gets_the_warning_not_the_model() -> None:
    at, _ = _train(STORY_RUN)
    link = _links(at)["Stories"]
    theirs = open_app(query=link)  # the same link, in a new session: said on the page it opens
    said = " ".join(w.value for w in theirs.warning)
    assert "The link's story model" in said and "it was trained in another session" in said
    theirs.switch_page("views/stories.py").run()
    assert not theirs.exception and view_of(theirs)["story_model"] is None
    assert view_of(theirs)["example"] == "france_french"  # the rest of the link holds
    assert not any(o.startswith("trained here") for o in theirs.radio(key="story_model_choice").options)


def test_a_memory_span_model_has_no_stories_link() -> None:
    from tests.test_app_train import TINY

    at, job = _train(TINY)
    assert job.kept  # kept for step-through and the cell page
    links = _links(at)
    assert "Step through" in links and "Stories" not in links
    assert not [b for b in at.button if b.key == "train.stories"]


def test_a_story_model_trained_here_runs_on_compare_as_a_story_model() -> None:
    """Compare reads a session's story model the way Stories does (the story tokenizer, answers at the
    blank): side A, the model's own run, is the core's run of those weights; side B holds a clamp."""
    from lstm_core import run_lstm
    from lstm_core.intervene import Clamp
    from lstm_ui.trained_models import KEPT
    from tests.test_app_compare import PAGE, as_float, drawings, hover

    at, job = _train(STORY_RUN)
    key = job.kept[-1][2]
    model = at.session_state[KEPT][key]
    sentence = "I grew up in France. Then we moved. I speak ___"
    at.query_params.update({"compare": "clamp", "sentence": sentence, "model1": key, "clamps": "f_5_1_0"})
    at.switch_page(PAGE).run()
    assert not at.exception
    core = Model(model.params, *model.readout)
    ref = run_text(
        trained_story_model("direct", "direct", core, model.vocab, model.classes, "story"), sentence
    )
    svg = drawings(at)["compare_view"]["svg"]
    np.testing.assert_allclose(as_float(hover(svg, "A")), ref.trace.cell, rtol=0, atol=5.001e-5)
    clamped = run_lstm(
        model.params, ref.xs, clamps=(Clamp("forget", 0, 4, 0.0),)
    ).cell  # f = 0 at word 5, unit 1
    np.testing.assert_allclose(as_float(hover(svg, "B")), clamped, rtol=0, atol=5.001e-5)
    assert np.abs(clamped - ref.trace.cell)[4:, 0].max() > 0  # the clamp changed what follows
    np.testing.assert_array_equal(clamped[:4], ref.trace.cell[:4])  # and nothing before it
