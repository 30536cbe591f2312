"""The trained examples (wolf/dog event streams, movie reviews) as the lectures tell them, through the
shipped models and the real core."""

from __future__ import annotations

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
