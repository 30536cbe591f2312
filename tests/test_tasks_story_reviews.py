"""The story and review tasks: deterministic generators that keep their promises, the hand-written
review file, and the shipped models (their stored metrics re-computed from the regenerated data)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lstm_core.tasks import TASK_MODULES
from lstm_core.tasks import reviews as rv
from lstm_core.tasks import story as st
from lstm_core.tasks.text import detokenize, tokenize
from lstm_core.train import Model, load_model, run_model


def test_tokenizer_splits_words_and_punctuation() -> None:
    assert tokenize("Bob isn't here, is he?") == ("bob", "isn't", "here", ",", "is", "he", "?")
    assert tokenize("It’s GREAT!!") == ("it's", "great", "!", "!")
    assert detokenize(("i", "speak", "french", ".")) == "i speak french."
    with pytest.raises(ValueError, match="string"):
        tokenize(3)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def story() -> st.TaskData:
    return st.make(seed=3, n_train=400, n_test=120, max_gap=20)


def test_story_is_registered_and_deterministic(story: st.TaskData) -> None:
    assert "story" in TASK_MODULES and st.SPEC.name == "story"
    assert st.SPEC.loss == "per_step" and st.SPEC.make is st.make
    again = st.make(seed=3, n_train=400, n_test=120, max_gap=20)
    assert again.train == story.train and again.test == story.test
    assert st.make(seed=4, n_train=400, n_test=120, max_gap=20).train != story.train
    # the held-out set does not depend on how much training data is asked for
    assert st.make(seed=3, n_train=50, n_test=120, max_gap=20).test == story.test
    assert len(story.vocab) <= 150 and story.classes == story.vocab


def test_story_targets_are_the_next_token(story: st.TaskData) -> None:
    for ex in story.train + story.test:
        assert ex.targets[:-1] == ex.tokens[1:] and ex.targets[-1] is None
        assert set(ex.tokens) <= set(story.vocab)


def _told_country(tokens: tuple[str, ...], upto: int) -> str:
    told = [t for t in tokens[:upto] if t in st.LANGUAGE_OF]
    assert len(told) == 1
    return told[0]


def test_story_language_matches_the_country_told_earlier(story: st.TaskData) -> None:
    seen = 0
    for ex in story.train + story.test:
        for k, tok in enumerate(ex.tokens):
            if tok == "speak":  # independent check: read the words, not the probes
                assert ex.tokens[k - 1] == "i"
                assert ex.tokens[k + 1] == st.LANGUAGE_OF[_told_country(ex.tokens, k)]
                seen += 1
    assert seen > 300


def test_story_blank_after_brave_is_the_current_subject(story: st.TaskData) -> None:
    for ex in story.train + story.test:
        if "brave" in ex.tokens:
            k = ex.tokens.index("brave")
            names = [t for t in ex.tokens[:k] if t in st.NAMES]
            assert ex.tokens[k + 1] == names[-1]  # Dan replaces Bob as the subject
            he = st.PRONOUNS[st.NAMES[names[-1]]][0]
            assert ex.tokens[k - 16] == he  # "he single handedly fought …"


def test_story_test_set_holds_out_pairs_and_longer_gaps(story: st.TaskData) -> None:
    def pair(ex: st.Example) -> tuple[str, str] | None:
        names = [t for t in ex.tokens if t in st.NAMES]
        countries = [t for t in ex.tokens if t in st.LANGUAGE_OF]
        return (names[-1], countries[0]) if names and countries else None

    train_pairs = {pair(ex) for ex in story.train} - {None}
    test_pairs = {pair(ex) for ex in story.test}
    assert None not in test_pairs and not train_pairs & test_pairs
    assert all(st.held_out_pair(*p) for p in test_pairs)
    train_gaps = [p.gap for ex in story.train for p in st.probes(ex.tokens) if p.kind == "language"]
    test_gaps = [p.gap for ex in story.test for p in st.probes(ex.tokens) if p.kind == "language"]
    assert max(train_gaps) <= 20 and max(test_gaps) > 20 and min(test_gaps) <= 2
    kinds = {p.kind for ex in story.test for p in st.probes(ex.tokens)}
    assert kinds == {"language", "subject", "sky"}


def test_story_probes_read_a_users_sentence() -> None:
    tokens = tokenize("I grew up in France. It rained a lot. I speak")
    assert st.probes(tokens) == (st.Probe("language", 12, "french", 5),)
    assert st.probes(tokenize("the clouds are in the"))[0].answer == "sky"
    assert (
        st.probes(tokenize("bob is a nice person. dan on the other hand is evil. brave"))[-1].answer == "dan"
    )
    with pytest.raises(ValueError, match="max_gap"):
        st.make(max_gap=-1)


def test_review_generator_is_deterministic_and_balanced() -> None:
    data = rv.make(seed=1, n_train=250, n_test=50)
    assert "reviews" in TASK_MODULES and rv.SPEC.name == "reviews" and rv.SPEC.loss == "last"
    assert rv.make(seed=1, n_train=250, n_test=50).train == data.train
    labels = [ex.targets[-1] for ex in data.train]
    assert all(labels.count(c) == 50 for c in rv.CLASSES)
    for ex in data.train:
        assert all(t is None for t in ex.targets[:-1])
        assert set(ex.tokens) <= set(data.vocab)
    assert data.vocab[0] == "<unk>" and sum(ex.tokens.count("<unk>") for ex in data.train) > 50


@pytest.mark.parametrize("adjective", sorted(rv.ADJECTIVES))
def test_negation_flips_the_polarity(adjective: str) -> None:
    _, plain = rv.opinion("the plot", adjective)
    words, negated = rv.opinion("the plot", adjective, negated=True)
    assert words.startswith("the plot was not ")
    assert np.sign(negated) == -np.sign(plain)
    if plain:  # a clear opinion lands on the other side of "3"
        assert (rv.rating_of(plain) > "3") == (rv.rating_of(negated) < "3")


def test_intensifiers_and_but() -> None:
    _, good = rv.opinion("the plot", "good")
    _, very_good = rv.opinion("the plot", "good", intensifier="very")
    assert very_good > good and rv.rating_of(good) == "4" and rv.rating_of(very_good) == "5"
    assert rv.rating_of(rv.negate(-1.0)) == "4"  # "never boring" is praise
    # "great but boring": the clause after "but" dominates
    assert rv.score_of([(2.0, 0.3), (-1.0, 1.0)]) < 0 < rv.score_of([(-1.0, 0.3), (2.0, 1.0)])


def test_handwritten_reviews_parse_and_are_balanced() -> None:
    rows = [json.loads(line) for line in rv.HANDWRITTEN.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200 and len({r["text"] for r in rows}) == len(rows)
    counts = {c: sum(str(r["rating"]) == c for r in rows) for c in rv.CLASSES}
    assert min(counts.values()) >= 40
    examples = rv.load_handwritten()
    assert len(examples) == len(rows) and rv.make(n_train=5, n_test=5).test == examples
    vocab = set(rv.VOCAB)
    generated = {" ".join(ex.tokens) for ex in rv.make(n_train=2000, n_test=5).train}
    assert not {" ".join(ex.tokens) for ex in examples} & generated  # written, not generated
    unknown = sum(t not in vocab for ex in examples for t in ex.tokens)
    assert 0 < unknown < 0.4 * sum(len(ex.tokens) for ex in examples)


# ----------------------------------------------------------------------------------- the shipped models

MODELS = Path(__file__).resolve().parents[1] / "assets" / "models"


def _next_word_ids(model: Model, data: st.TaskData, tokens: tuple[str, ...]) -> np.ndarray:
    """Argmax next word at each step, one sequence at a time (not the batched path of the script)."""
    xs = np.eye(len(data.vocab))[data.token_ids(tokens)]  # (T, D) one-hot
    _, logits = run_model(model, xs)  # (T, K)
    return logits.argmax(axis=1)


@pytest.fixture(scope="module")
def story_models() -> dict[str, tuple[Model, dict]]:
    return {cell: load_model(MODELS / f"story_{cell}.npz") for cell in ("lstm", "rnn", "gru")}


@pytest.mark.parametrize("cell", ["lstm", "rnn", "gru"])
def test_story_model_metrics_are_reproduced(cell: str, story_models: dict) -> None:
    model, meta = story_models[cell]
    assert (MODELS / f"story_{cell}.npz").stat().st_size < 1_000_000
    assert model.kind == cell and model.dtype == np.float64 and meta["task"] == "story"
    data = st.make(**meta["info"]["data_options"])
    assert tuple(meta["vocab"]) == data.vocab and tuple(meta["classes"]) == data.classes
    stored = meta["metrics"]
    hits: dict[str, list[bool]] = {"all": [], "language": [], "subject": [], "sky": []}
    predictions = []
    for ex in data.test:
        pred = _next_word_ids(model, data, ex.tokens)
        predictions.append(pred)
        words = [data.classes[i] for i in pred]
        hits["all"] += [w == y for w, y in zip(words, ex.targets, strict=True) if y is not None]
        for t in range(len(ex.tokens) - 1):
            kind = {"speak": "language", "brave": "subject"}.get(ex.tokens[t])
            if ex.tokens[max(0, t - 3) : t + 1] == ("clouds", "are", "in", "the"):
                kind = "sky"
            if kind:
                hits[kind].append(words[t] == ex.tokens[t + 1])
    assert abs(stored["test_accuracy"] - np.mean(hits["all"])) < 1e-12
    for kind in ("language", "subject", "sky"):
        assert abs(stored["accuracy"][kind] - np.mean(hits[kind])) < 1e-12, kind
        assert stored["count"][kind] == len(hits[kind]) > 50
    again = st.probe_metrics(data.test, predictions, data.classes)["accuracy"]
    for key, value in again.items():
        assert abs(stored["accuracy"][key] - value) < 1e-12, key


def test_story_lstm_says_french_after_a_held_out_gap(story_models: dict) -> None:
    model, meta = story_models["lstm"]
    data = st.make(**meta["info"]["data_options"])
    assert st.held_out_pair("bob", "france")  # never together in training
    text = "bob is a nice person . i grew up in france . it rained a lot . the town was quiet . i speak"
    tokens = tuple(text.split())
    assert data.classes[_next_word_ids(model, data, tokens)[-1]] == "french"
    # and on the regenerated test story with the longest gap, beyond every training gap
    longest = max(
        ((p, ex) for ex in data.test for p in st.probes(ex.tokens) if p.kind == "language"),
        key=lambda pe: pe[0].gap,
    )
    probe, ex = longest
    assert probe.gap > meta["info"]["data_options"]["max_gap"]
    assert data.classes[_next_word_ids(model, data, ex.tokens)[probe.position]] == probe.answer


def test_review_model_metrics_are_reproduced() -> None:
    model, meta = load_model(MODELS / "reviews_lstm.npz")
    assert (MODELS / "reviews_lstm.npz").stat().st_size < 1_000_000
    assert model.kind == "lstm" and meta["task"] == "reviews" and meta["classes"] == list(rv.CLASSES)
    data = rv.make(**meta["info"]["data_options"])
    assert tuple(meta["vocab"]) == data.vocab
    for name, examples in (("handwritten", data.test), ("generated", data.info["generated_test"])):
        stored = meta["metrics"][name]
        confusion = np.zeros((5, 5), dtype=np.int64)
        for ex in examples:
            xs = np.eye(len(data.vocab))[data.token_ids(ex.tokens)]  # unknown words → <unk>
            _, logits = run_model(model, xs)
            confusion[rv.CLASSES.index(ex.targets[-1]), int(logits[-1].argmax())] += 1
        assert confusion.tolist() == stored["confusion"]
        assert abs(stored["accuracy"] - np.trace(confusion) / confusion.sum()) < 1e-12
    assert meta["metrics"]["handwritten"]["count"] == len(rv.load_handwritten()) >= 200
