"""The story tokenizer and the readable word features: lecture sentences, odd text, the codes."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_core.story import FEATURE_NAMES, KIND_NAMES, encode, load_model, run_text, tokenize
from lstm_core.story.lexicon import load_lexicon, parse_lexicon


def _kinds(text: str) -> list[tuple[str, str]]:
    tokens = tokenize(text)
    return [(t.text, k) for t, k in zip(tokens, encode(tokens)[1], strict=True)]


def test_tokens_keep_case_and_split_punctuation() -> None:
    tokens = tokenize("Bob knows swimming. He told me… brave ___.")
    assert [t.text for t in tokens] == [
        "Bob",
        "knows",
        "swimming",
        ".",
        "He",
        "told",
        "me",
        "…",
        "brave",
        "___",
        ".",
    ]
    assert [t.kind for t in tokens][-3:] == ["word", "blank", "punct"]
    assert [t.sentence_start for t in tokens][:5] == [True, False, False, False, True]
    assert tokenize("Bob's 3.5 years")[0].base == "Bob"
    assert tokenize("Bob's 3.5 years")[1].text == "3.5"


def test_lecture_sentence_kinds() -> None:
    assert _kinds("Bob is a nice person. Dan on the other hand is evil.") == [
        ("Bob", "name"), ("is", "filler"), ("a", "filler"), ("nice", "filler"), ("person", "filler"),
        (".", "sentence_end"), ("Dan", "name"), ("on", "filler"), ("the", "filler"), ("other", "filler"),
        ("hand", "filler"), ("is", "filler"), ("evil", "filler"), (".", "sentence_end"),
    ]  # fmt: skip
    kinds = dict(
        _kinds("Bob knows swimming. He told me over the phone that he had served the navy for 4 years.")
    )
    assert (kinds["swimming"], kinds["navy"], kinds["phone"], kinds["He"], kinds["4"]) == (
        "fact", "fact", "filler", "pronoun", "filler"
    )  # fmt: skip
    kinds = dict(_kinds("I grew up in France. I speak ___ and The clouds are in the sky"))
    assert (kinds["I"], kinds["France"], kinds["speak"], kinds["___"], kinds["clouds"], kinds["The"]) == (
        "pronoun", "country", "language_cue", "blank", "place_thing", "filler"
    )  # fmt: skip


def test_capital_letters_matter() -> None:
    kinds = dict(_kinds("Zork met bob in Turkey and ate turkey."))
    assert kinds["Zork"] == "name"  # unseen, capitalised: a name
    assert kinds["bob"] == "other"  # lower case: not a name
    assert kinds["Turkey"] == "country" and kinds["turkey"] == "other"


def test_one_hot_kind_and_codes() -> None:
    xs, kinds = encode(tokenize("Bob grew up in Mexico. The fish, 🙂 你好 ___"))
    assert xs.shape == (len(kinds), len(FEATURE_NAMES)) == (len(kinds), 19)
    np.testing.assert_array_equal(xs[:, : len(KIND_NAMES)].sum(axis=1), 1.0)
    code = xs[:, len(KIND_NAMES) :]
    # a name's code: bits of the first SHA-256 byte of its lower-cased spelling, recomputed here
    byte = hashlib.sha256(b"bob").digest()[0]
    np.testing.assert_array_equal(code[0], [1.0 if byte >> k & 1 else -1.0 for k in range(8)])
    # Mexico carries the code of Spanish, the same as the word "Spanish"
    spanish = encode(tokenize("Spanish"))[0][0, len(KIND_NAMES) :]
    np.testing.assert_array_equal(code[4], spanish)
    assert set(np.abs(spanish)) == {1.0}
    assert kinds[-3:] == ("other", "other", "blank")  # emoji, CJK, blank
    np.testing.assert_array_equal(code[1:4], 0.0)  # grew, up, in: no code


def test_language_and_place_codes_never_alike() -> None:
    lex = load_lexicon()
    codes = np.stack([encode(tokenize(w.capitalize()))[0][0, 11:] for w in lex.languages])
    dots = codes @ codes.T
    off = dots[~np.eye(len(codes), dtype=bool)]
    assert np.all(off <= 0) and np.all(np.diag(dots) == 8)


def test_odd_text_never_crashes() -> None:
    model = load_model("designed_story")
    for text in ("🙂🙂🙂", "你好世界。我说___", "...", "___", "Ünïcödé Ñame ___"):
        run = run_text(model, text)
        assert run.trace.hidden.shape == (len(run.tokens), 31)
    long = " ".join(["word"] * 1999) + " ___"
    assert run_text(model, long).trace.steps == 2000
    with pytest.raises(ValueError, match="no words"):
        run_text(model, "   ")
    with pytest.raises(ValueError, match="must be a string"):
        tokenize(None)  # type: ignore[arg-type]
    assert tokenize("") == ()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_any_text_runs_or_says_why(text: str) -> None:
    model = load_model("designed_story")
    tokens = tokenize(text)
    if not tokens:
        with pytest.raises(ValueError):
            run_text(model, text)
        return
    run = run_text(model, text)
    assert np.all(np.isfinite(run.trace.cell))
    assert len(run.predictions) == sum(t.kind == "blank" for t in tokens)


def test_lexicon_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="missing"):
        parse_lexicon({"pronouns": []})
    raw = {k: [] for k in ("pronouns", "facts", "fillers", "language_cues", "languages", "places")}
    raw |= {"countries": {"France": "Klingon"}, "place_things": {}}
    with pytest.raises(ValueError, match="Klingon"):
        parse_lexicon(raw)
    raw |= {"countries": {}, "languages": [f"l{k}" for k in range(17)]}
    with pytest.raises(ValueError, match="at most 16"):
        parse_lexicon(raw)
