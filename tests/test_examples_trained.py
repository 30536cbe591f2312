"""The trained examples (wolf/dog event streams, movie reviews) as the lectures tell them, through the
shipped models and the real core."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from lstm_core.examples import load_examples, run_example
from lstm_core.story import load_model, run_text
from lstm_core.story.models import MODELS_DIR
from lstm_core.train import load_model as load_checkpoint
from lstm_core.train import run_model

FILLER = ["tree", "squirrel", "river", "rock", "grass"]


@pytest.mark.parametrize("model", ["events_lstm", "events_rnn"])
@pytest.mark.parametrize(
    ("stream", "answer"),
    [
        ("bear tree squirrel river tree squirrel rock grass tree owl lake canine", "wolf"),  # the lecture's
        ("tree squirrel river tree squirrel rock grass tree owl lake canine", "dog"),  # no bear
        ("squirrel bear tree river rock grass flower lake deer fox duck eagle frog canine", "wolf"),
        (" ".join(["bear", *FILLER * 12, "canine"]), "wolf"),  # 60 scenes later
        (" ".join([*FILLER * 12, "canine"]), "dog"),
        (" ".join(["owl", "bear", *FILLER * 8, "deer", "canine"]), "wolf"),
    ],
)
def test_a_bear_long_ago_makes_the_canine_a_wolf(model: str, stream: str, answer: str) -> None:
    (pred,) = run_text(load_model(model), stream).predictions
    assert pred.labels[0] == answer and pred.probabilities[0] > 0.9
    assert pred.step == len(stream.split()) - 1  # read after the last scene


def test_the_events_example_opens_on_the_canine_and_answers_wolf() -> None:
    example = load_examples()["events_wolf_dog"]
    res = run_example(example)
    assert res.predictions[0].best == example.expected == "wolf"
    assert res.tokens[res.open_step] == "canine"
    without_bear = run_example(example, sentence=example.variants[0])
    assert without_bear.predictions[0].best == "dog"


@pytest.mark.parametrize(
    ("review", "stars"),
    [
        ("A terrible movie. The acting was awful and the plot was boring.", "1"),
        ("An absolutely wonderful film, I loved every minute.", "5"),
        ("It was fine. Nothing special, nothing bad.", "3"),
        ("The plot was not good, but the acting was brilliant.", "4"),
    ],
)
def test_a_typed_review_gets_a_rating_with_probabilities(review: str, stars: str) -> None:
    run = run_text(load_model("reviews_lstm"), review)
    (pred,) = run.predictions
    assert set(pred.labels) == {"1", "2", "3", "4", "5"}
    np.testing.assert_allclose(np.sum(pred.probabilities), 1.0, rtol=0, atol=1e-12)
    assert pred.best == stars
    # the probabilities are the checkpoint's readout on the core's last hidden state, recomputed here
    model, meta = load_checkpoint(MODELS_DIR / "reviews_lstm.npz")
    _, logits = run_model(model.astype(np.float64), run.xs)
    z = logits[-1]
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    order = [meta["classes"].index(label) for label in pred.labels]
    np.testing.assert_allclose(pred.probabilities, p[order], rtol=1e-10)


def test_words_move_the_rating() -> None:
    model = load_model("reviews_lstm")
    good = run_text(model, "the acting was good").predictions[0]
    not_good = run_text(model, "the acting was not good").predictions[0]
    assert float(good.probability("1")) + float(good.probability("2")) < float(
        not_good.probability("1")
    ) + float(not_good.probability("2"))


FILLER_SENTENCES = ["I liked the old market .", "The winters were cold .", "I read many books .",
                    "It rained a lot .", "The town was quiet ."]  # fmt: skip
COUNTRIES = [("France", "french"), ("Spain", "spanish"), ("Germany", "german"), ("Italy", "italian"),
             ("Japan", "japanese"), ("Poland", "polish")]  # fmt: skip


def _speaks(model: str, gap: int) -> list[bool]:
    m = load_model(model)
    out = []
    for country, language in COUNTRIES:
        text = f"I grew up in {country} . {' '.join(FILLER_SENTENCES[:gap])} I speak ___"
        out.append(run_text(m, text).predictions[0].best == language)
    return out


def test_clouds_sky_for_every_trained_cell() -> None:
    for model in ("trained_story", "trained_story_rnn", "trained_story_gru"):
        (pred,) = run_text(load_model(model), "The clouds are in the ___").predictions
        assert pred.best == "sky", model


def test_france_french_the_lstm_keeps_the_country_the_plain_rnn_loses_it() -> None:
    """Same task, same size, same budget: with no gap both answer; with 2-4 filler sentences in between
    the LSTM still names every language and the plain RNN gets at most half right."""
    assert all(_speaks("trained_story", 0)) and all(_speaks("trained_story_rnn", 0))
    for gap in (2, 4):
        assert all(_speaks("trained_story", gap))
        assert sum(_speaks("trained_story_rnn", gap)) <= len(COUNTRIES) // 2


def test_a_next_word_model_answers_each_blank_only() -> None:
    """Asked nothing (no blank), it says nothing: no prediction at the final "."; at "brave ___" its
    softmax over its whole vocabulary, read after "brave"."""
    lecture = load_examples()["forget_bob_dan"]
    res = run_example(replace(lecture, model="trained_story"))
    assert res.predictions == () and res.tokens[res.open_step] == "Dan"
    brave = run_example(replace(load_examples()["output_brave"], model="trained_story"))
    (pred,) = brave.predictions
    assert brave.tokens[pred.step] == "brave" == brave.tokens[brave.open_step]
    assert len(pred.labels) == 142 and pred.among == "the model's 142 words" and pred.answer == "bob"


@pytest.mark.parametrize(("example_id", "word"), [("reviews_rating", "."), ("events_wolf_dog", "canine")])
def test_a_classifier_example_opens_where_its_answer_is_read(example_id: str, word: str) -> None:
    res = run_example(load_examples()[example_id])
    (pred,) = res.predictions
    assert res.open_step == pred.step == len(res.tokens) - 1 and res.tokens[res.open_step] == word


FILLER_WORDS = ("we lived near the old river . my father worked at the mill . " * 6).split()[:72]


@pytest.mark.parametrize("model", ["designed_story", "trained_story"])
def test_a_long_gap_is_read_whole_and_its_key_steps_named(model: str) -> None:
    """ "I grew up in France." + 72 filler words + "I speak ___": nothing is cut off; the clue, the cue
    and the answer are the steps a page must show when it folds the rest."""
    text = "I grew up in France . " + " ".join(FILLER_WORDS) + " I speak ___"
    res = run_example(replace(load_examples()["france_french"], model=model), text)
    assert len(res.tokens) == 5 + 1 + 72 + 3 and res.tokens[-1] == "___"
    (pred,) = res.predictions
    says_french = pred.answer is not None and pred.answer.casefold() == "french"
    assert says_french == (model == "designed_story")  # 72 words is three times the trained LSTM's gaps
    assert res.checks.parts[-1].status == ("holds" if says_french else "does not hold here")
    france, speak = res.tokens.index("France"), len(res.tokens) - 2
    assert res.steps["clue"] == (france,) and res.steps["cue"] == (speak,)
    assert set(res.key_steps) == {france, speak, len(res.tokens) - 1, pred.step}  # the blank too


def test_two_hundred_events_are_read_whole() -> None:
    stream = " ".join(["bear", *["tree", "squirrel", "rock", "grass"] * 50, "canine"])
    res = run_example(load_examples()["events_wolf_dog"], stream)
    assert len(res.tokens) == 202 and res.predictions[0].answer == "wolf"
    assert res.key_steps == (0, 201) and res.checks.status == "holds"
