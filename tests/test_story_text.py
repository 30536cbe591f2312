"""The story tokenizer and the readable word features: lecture sentences, odd text, the codes."""

from __future__ import annotations

import hashlib
import itertools
import string

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


def test_capital_letters_matter_for_names_and_a_few_common_words_only() -> None:
    kinds = dict(_kinds("Zork met bob in Turkey and ate turkey in france, speaking french and polish."))
    assert kinds["Zork"] == "name"  # unseen, capitalised: a name
    assert kinds["bob"] == "other"  # lower case: not a name
    assert kinds["Turkey"] == "country" and kinds["turkey"] == "other"  # lowercase_common: food
    assert (kinds["france"], kinds["french"], kinds["polish"]) == ("country", "language", "other")
    xs = encode(tokenize("france France"))[0]
    np.testing.assert_array_equal(xs[0], xs[1])  # the same country, the same vector


def _readings(text: str, model: str = "designed_story") -> dict[str, tuple[bool, str]]:
    run = run_text(load_model(model), text)
    return {r.text: (r.known, r.reading) for r in run.readings}


def test_each_token_says_whether_the_model_knows_it_and_what_it_does() -> None:
    r = _readings("Kwame met bob in france and ate turkey 🙂 4 ___")
    assert r["Kwame"] == (False, "“Kwame” is in no word list and starts with a capital letter: read as a "
                          "name, with a new code made from its spelling")  # fmt: skip
    assert (
        r["bob"][0] is False and "Names need a capital letter: “Bob” would be read as a name" in r["bob"][1]
    )
    assert r["france"] == (True, "the country France: it carries the code of French (written in lower "
                           "case: read as the country all the same)")  # fmt: skip
    assert r["turkey"][0] and "write “Turkey” to mean the country" in r["turkey"][1]
    assert r["🙂"] == (
        False,
        "“🙂” is not an English word the model knows: read as ‘other’ (it changes nothing)",
    )
    assert r["4"] == (True, "a number: read as a filler word") and r["in"][0]
    reviews = _readings("The plot was sublime", "reviews_lstm")
    assert reviews["sublime"] == (False, "“sublime” is not in the model's vocabulary: read as <unk>, like "
                                  "every unknown word")  # fmt: skip
    assert reviews["The"] == (True, "in the model's vocabulary as “the” (this model reads lower case)")
    events = _readings("bear dragon canine", "events_lstm")
    assert events["dragon"] == (False, "“dragon” is not in the model's vocabulary: read as all zeros (it has "
                                "no <unk>)")  # fmt: skip
    assert events["bear"] == (True, "in the model's vocabulary")


@pytest.mark.parametrize(
    ("text", "words", "among"),
    [
        ("Kwame fought. For his contributions, brave ___.", ("Kwame",), "the names in the text"),
        ("Bob is nice. Dan is evil. Brave ___", ("Bob", "Dan"), "the names in the text"),
        ("The dog is in the ___", (), "no name (the text has none)"),
        ("I grew up in Narnia. I speak ___", "languages", "the 16 languages of the word lists"),
        ("Bob saw the clouds in the ___", "places", "the 16 places of the word lists"),
    ],
)
def test_candidates_come_from_the_sentence_and_the_word_lists(text: str, words: object, among: str) -> None:
    (pred,) = run_text(load_model("designed_story"), text).predictions
    lex = load_lexicon()
    wanted = {"languages": [w.capitalize() for w in lex.languages], "places": list(lex.places)}.get(
        words, words
    )
    assert set(pred.labels) == {*wanted, "(nothing)"} and len(pred.labels) == len(wanted) + 1
    assert pred.among.startswith(among) and pred.among.endswith("(nothing): a word no unit holds, scored 0")


def _same_code_names() -> tuple[str, str]:
    """Two capitalised made-up names whose SHA-256 first bytes agree (found here, by brute force)."""
    seen: dict[int, str] = {}
    for a, b in itertools.product(string.ascii_lowercase, repeat=2):  # 676 names, 256 codes
        name = f"Zq{a}{b}"
        byte = hashlib.sha256(name.casefold().encode()).digest()[0]
        if byte in seen:
            return seen[byte], name
        seen[byte] = name
    raise AssertionError("no two names share a code")


def test_a_tie_is_no_answer() -> None:
    a, b = _same_code_names()
    (pred,) = run_text(load_model("designed_story"), f"{a} and {b} are here. Brave ___").predictions
    p = dict(zip(pred.labels, pred.probabilities, strict=True))
    assert p[a] == p[b] and not pred.clear and pred.answer is None and pred.margin == 0.0
    assert pred.verdict.startswith("no clear winner: ") and set(pred.contenders) == {a, b}
    (narnia,) = run_text(load_model("designed_story"), "I grew up in Narnia. I speak ___").predictions
    assert not narnia.clear and len(narnia.contenders) == 17  # 16 languages and (nothing), all near 1/17
    assert narnia.verdict.endswith("and 13 more are within 0.1 of the top")
    (bob,) = run_text(load_model("designed_story"), "Bob is brave. Brave ___").predictions
    assert bob.clear and bob.answer == "Bob" and bob.margin == bob.probabilities[0] - bob.probabilities[1]


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
