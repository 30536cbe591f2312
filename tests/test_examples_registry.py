"""The examples registry (files → validated entries), the numeric lecture examples, the model registry."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lstm_core import init_lstm
from lstm_core.examples import EXAMPLES_DIR, Example, load_examples, run_example
from lstm_core.story import MODEL_SPECS, list_models, load_model, run_text
from lstm_core.train import Model, save_model

MODELS_DIR = Path(__file__).resolve().parents[1] / "assets" / "models"


def test_every_file_is_an_example_with_a_caption() -> None:
    examples = load_examples()
    ids = {p.stem for p in EXAMPLES_DIR.glob("*.json")}
    assert set(examples) == ids
    assert {"forget_bob_dan", "input_swimming_navy", "output_brave", "clouds_sky", "france_french",
            "forget_product", "softmax_dog_wolf", "events_wolf_dog", "reviews_rating"} <= ids  # fmt: skip
    for e in examples.values():
        assert isinstance(e, Example) and e.caption.strip() and e.claim.strip()
        hash(e)  # frozen and hashable: usable as a cache key
    orders = [e.order for e in examples.values()]
    assert orders == sorted(orders)
    assert examples["events_wolf_dog"].model == "events_lstm"
    assert examples["reviews_rating"].model == "reviews_lstm"


def test_forget_product_lecture_numbers() -> None:
    example = load_examples()["forget_product"]
    nums = {k: np.asarray(v, dtype=float) for k, v in example.numbers.items()}
    assert list(nums["c_prev"]) == [1, 2, 4] and list(nums["forget"]) == [1, 0, 1]  # the lecture's
    res = run_example(example)
    np.testing.assert_array_equal(res.numbers["forget_part"], [1.0, 0.0, 4.0])  # [1, 2, 4] * [1, 0, 1]
    input_part = nums["input"] * nums["candidate"]  # C^i = i * C̃, recomputed here
    np.testing.assert_allclose(res.numbers["input_part"], input_part)
    np.testing.assert_allclose(res.numbers["input_part"], [0.0, 0.8, -0.25])  # [0, 1, .5] * [.9, .8, -.5]
    np.testing.assert_allclose(res.numbers["cell"], [1.0, 0.8, 3.75])  # C = C^f + C^i
    np.testing.assert_allclose(res.numbers["hidden"], nums["output"] * np.tanh([1.0, 0.8, 3.75]))  # o tanh C
    edited = run_example(example, numbers={"forget": [0, 0, 0]})
    np.testing.assert_array_equal(edited.numbers["forget_part"], 0.0)  # f = 0 forgets everything
    with pytest.raises(ValueError, match="same length"):
        run_example(example, numbers={"forget": [1, 0]})


def test_softmax_reproduces_dog_wolf_fish() -> None:
    (pred,) = run_example(load_examples()["softmax_dog_wolf"]).predictions
    assert pred.labels == ("dog", "wolf", "fish")
    np.testing.assert_allclose(pred.probabilities, [0.8, 0.15, 0.05], rtol=1e-12)
    shifted = run_example(load_examples()["softmax_dog_wolf"], numbers={"logits": [100.0, 98.3, 97.2]})
    np.testing.assert_allclose(shifted.predictions[0].probabilities.sum(), 1.0)
    with pytest.raises(ValueError, match="one logit per label"):
        run_example(load_examples()["softmax_dog_wolf"], numbers={"logits": [1.0]})


def _copy_examples(tmp_path: Path) -> Path:
    d = tmp_path / "examples"
    shutil.copytree(EXAMPLES_DIR, d)
    return d


CHECK = {"says": "the place units open", "at": "answer", "units": "place", "value": "output"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "other"}, "must equal the file name"),
        ({"kind": "poem"}, "kind 'poem'"),
        ({"model": "gpt"}, "model 'gpt'"),
        ({"highlight_units": ["soul"]}, "unknown unit"),
        ({"caption": "missing.md"}, "caption file"),
        ({"title": ""}, "missing or empty: title"),
        ({"sentence": ""}, "needs a 'sentence'"),
        ({"open_at": "___"}, "'open_at' '___' must be a role"),
        ({"checks": []}, "'checks' must be a non-empty list"),
        ({"roles": {"clue": {"kind": "noun"}}}, "kind must be among"),
        ({"roles": {"clue": {"kind": "name", "nth": 0}}}, "'nth' must be a non-zero"),
        ({"roles": {"a": {"after": "b"}, "b": {"after": "a"}}}, "in a circle"),
        ({"roles": {"a": {"after": "nowhere"}}}, "unknown role"),
        ({"checks": [CHECK | {"at": "nowhere"}]}, "'at' 'nowhere' is not a role"),
        ({"checks": [CHECK | {"value": "mood"}]}, "'value' 'mood' must be one of"),
        ({"checks": [CHECK | {"test": {"op": "≠", "than": 1}}]}, "'test' must be"),
        ({"checks": [CHECK | {"units": "soul", "test": {"op": ">", "than": 0.9}}]}, "not groups or units"),
        ({"checks": [{"says": "sky", "at": "answer", "value": "top word"}]}, "needs 'expect'"),
        ({"checks": [CHECK | {"value": "top word", "expect": {"meaning of": "x"}}]}, "unknown role 'x'"),
        (
            {"checks": [CHECK | {"value": "top word", "expect": {"if": "answer", "then": "a"}}]},
            "'then' and 'else'",
        ),
        ({"checks": [CHECK | {"value": "top word", "expect": {"word": "a", "text of": "answer"}}]}, "one of"),
        (
            {"checks": [CHECK | {"test": {"op": "<", "than": "forget"}}]},
            "'test' must be",
        ),  # not a vector here
    ],
)
def test_bad_example_files_name_the_problem(tmp_path: Path, change: dict, message: str) -> None:
    d = _copy_examples(tmp_path)
    path = d / "clouds_sky.json"
    raw = json.loads(path.read_text()) | change
    path.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match=message) as info:
        load_examples(d)
    assert "clouds_sky.json" in str(info.value)


@pytest.mark.parametrize(
    ("caption", "message"),
    [
        ("<!-- for: gpt -->\nhi\n<!-- end -->\n", "unknown model"),
        ("<!-- for: designed_story -->\nhi\n", "without"),
    ],
)
def test_bad_caption_blocks_name_the_problem(tmp_path: Path, caption: str, message: str) -> None:
    d = _copy_examples(tmp_path)
    (d / "clouds_sky.md").write_text(caption)
    with pytest.raises(ValueError, match=message):
        load_examples(d)


def test_captions_show_only_the_blocks_of_the_model_shown() -> None:
    example = load_examples()["forget_bob_dan"]
    designed = run_example(example).caption
    trained = run_example(replace(example, model="trained_story")).caption
    assert "σ(12 − 24·x_name)" in designed and "none of its units is called" not in designed
    assert "σ(12 − 24·x_name)" not in trained and "none of its units is called" in trained
    assert "<!--" not in designed + trained
    for e in load_examples().values():  # no caption quotes a gate value measured on one model
        assert not re.search(r"0\.99999|0\.00000|0\.0025|0\.9975", e.caption), e.id


def test_adding_an_example_is_adding_a_file(tmp_path: Path) -> None:
    d = _copy_examples(tmp_path)
    raw = {"id": "bees", "title": "Bees", "kind": "story", "model": "designed_story", "claim": "Where?"}
    raw |= {"caption": "bees.md", "sentence": "The ducks are in the ___", "highlight_units": ["place"]}
    raw |= {"roles": {"clue": {"kind": "place_thing", "nth": -1}}}
    raw |= {
        "checks": [{"says": "ducks live on ponds", "value": "top word", "expect": {"meaning of": "clue"}}]
    }
    (d / "bees.json").write_text(json.dumps(raw))
    (d / "bees.md").write_text("Ducks live on ponds.")
    example = load_examples(d)["bees"]
    res = run_example(example)
    assert res.predictions[0].best == "pond"
    assert [res.unit_names[k] for k in res.highlight] == [f"place {k}" for k in range(1, 9)]
    assert res.open_step == res.tokens.index("___")  # the answer
    assert res.checks.holds and res.expected == "pond"
    assert res.key_steps == (res.tokens.index("ducks"), res.tokens.index("___"))


def test_model_registry_lists_designed_and_trained() -> None:
    infos = {m.name: m for m in list_models()}
    assert set(infos) >= {"designed_story", "trained_story", "events_lstm", "reviews_lstm"}
    assert infos["designed_story"].available and infos["designed_story"].unit_names[0] == "subject 1"
    for name in ("trained_story", "events_lstm", "reviews_lstm"):
        info = infos[name]
        assert info.available == (MODELS_DIR / MODEL_SPECS[name].file).is_file()
        if not info.available:
            assert "not available" in info.reason and info.unit_names == ()
            with pytest.raises(ValueError, match="not available"):
                load_model(name)


def _fake_trained(tmp_path: Path) -> Path:
    vocab = ("<unk>", "bob", "is", "brave", ".", "dan")
    classes = vocab[1:]
    head_w = np.random.default_rng(0).normal(size=(len(classes), 4))
    model = Model(init_lstm(len(vocab), 4, seed=3), head_w, np.zeros(len(classes)))
    save_model(tmp_path / "story_lstm.npz", model, vocab, classes, task="story")
    return tmp_path


def test_a_trained_model_file_is_loaded_and_run(tmp_path: Path) -> None:
    d = _fake_trained(tmp_path)
    model = load_model("trained_story", d)
    assert model.unit_names == ("unit 0", "unit 1", "unit 2", "unit 3")
    run = run_text(model, "Bob is brave ___", candidates=["bob", "dan"])
    assert run.kinds == ("known", "known", "known", "blank")
    np.testing.assert_array_equal(run.xs[:3].argmax(axis=1), [1, 2, 3])  # one-hot, case folded
    np.testing.assert_array_equal(run.xs[3], 0.0)  # the blank is not a word
    (pred,) = run.predictions
    assert pred.step == 2 and set(pred.labels) == {"bob", "dan"}  # read after "brave"
    h = run.trace.hidden[2]
    arrays = np.load(d / "story_lstm.npz")
    z = arrays["W_y"][[0, 4]] @ h  # bob, dan
    np.testing.assert_allclose(pred.probability("bob"), np.exp(z[0]) / np.exp(z).sum())
    unknown = run_text(model, "Zork 🙂")
    assert unknown.kinds == ("unknown", "unknown")
    np.testing.assert_array_equal(unknown.xs[:, 0], 1.0)  # both map to <unk>
    infos = {m.name: m for m in list_models(d)}
    assert infos["trained_story"].available and len(infos["trained_story"].unit_names) == 4


def test_a_broken_model_file_says_why(tmp_path: Path) -> None:
    params = init_lstm(3, 2, seed=0)
    np.savez(tmp_path / "story_lstm.npz", **params.to_arrays())
    with pytest.raises(ValueError, match=r"story_lstm.npz is missing the array\(s\) W_y, b_y"):
        load_model("trained_story", tmp_path)
    (tmp_path / "story_lstm.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match=r"not a readable \.npz file"):
        load_model("trained_story", tmp_path)


@pytest.mark.parametrize("example_id", ["events_wolf_dog", "reviews_rating"])
def test_trained_examples_run_or_say_the_model_is_missing(example_id: str) -> None:
    example = load_examples()[example_id]
    if not (MODELS_DIR / MODEL_SPECS[example.model].file).is_file():
        with pytest.raises(ValueError, match="not available yet"):
            run_example(example)
        return
    res = run_example(example)
    (pred,) = res.predictions
    assert res.unit_names[0] == "unit 0" and pred.step == len(res.tokens) - 1
    np.testing.assert_allclose(pred.probabilities.sum(), 1.0)
    if example.expected:
        assert pred.best == example.expected
