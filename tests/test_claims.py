"""Claims that check themselves: every example's claim on the lecture's own input (holds), on one where
it must not hold (does not hold, the deciding number recomputed here from the trace or the numbers), and
on one where it does not apply (and says why). The predicate language's operators on a hand-made context.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from lstm_core.claims import FAILS, HOLDS, NOT_APPLICABLE, Context, PartCheck, check_part, parse_part
from lstm_core.examples import ExampleResult, load_examples, run_example
from lstm_core.story.roles import Found

EXAMPLES = load_examples()


def _run(example_id: str, sentence: str | None = None, model: str | None = None, **numbers) -> ExampleResult:
    example = EXAMPLES[example_id] if model is None else replace(EXAMPLES[example_id], model=model)
    return run_example(example, sentence, numbers or None)


def _part(res: ExampleResult, says: str) -> PartCheck:
    (part,) = [p for p in res.checks.parts if p.says.startswith(says)]
    return part


def _units(res: ExampleResult, group: str) -> list[int]:
    """ "place" → place 1 … place 8 (not "place cue")."""
    return [k for k, n in enumerate(res.unit_names) if n == group or n.removeprefix(group + " ").isdigit()]


def _mean(res: ExampleResult, gate: str, t: int, group: str) -> pytest.approx:
    """The gate's mean over the group's units at step t, by hand (to the last few bits)."""
    return pytest.approx(
        float(np.mean(getattr(res.trace, gate)[t, _units(res, group)])), rel=1e-12, abs=1e-15
    )


@pytest.mark.parametrize("example_id", list(EXAMPLES))
def test_every_lecture_claim_holds_on_its_own_input(example_id: str) -> None:
    res = run_example(EXAMPLES[example_id])
    assert res.checks.status == HOLDS, [p.detail for p in res.checks.parts]
    assert all(p.status in (HOLDS, NOT_APPLICABLE) for p in res.checks.parts)
    for p in res.checks.parts:
        assert p.detail.endswith("✓") or p.detail.startswith("not applicable here: ")


def test_forget_claim_numbers_are_the_traces() -> None:
    res = _run("forget_bob_dan")
    dan = res.tokens.index("Dan")
    f_dan = _mean(res, "forget", dan, "subject")
    part = _part(res, "At the second name")
    assert part.steps == (dan,) and part.values[0] == f_dan
    assert part.detail == f"f at “Dan” = {part.values[0]:.6f} < 0.1 ✓" == "f at “Dan” = 0.000006 < 0.1 ✓"
    others = [t for t in range(1, len(res.tokens)) if t != dan]  # after "Bob", except "Dan"
    means = [np.mean(res.trace.forget[t, _units(res, "subject")]) for t in others]
    part = _part(res, "Every other word")
    assert sorted(part.steps) == others and part.values[0] == pytest.approx(min(means), rel=1e-12)
    assert f"smallest at “is” = {min(means):.6f} > 0.9 ✓" in part.detail
    assert res.steps["second name"] == (dan,) and res.open_step == dan and res.key_steps == (0, dan)


def test_forget_claim_fails_when_a_third_name_comes() -> None:
    res = _run("forget_bob_dan", "Bob is nice. Dan is evil. Sam is evil.")
    sam = res.tokens.index("Sam")
    part = _part(res, "Every other word")
    assert res.checks.status == FAILS and part.status == FAILS
    assert part.steps[0] == sam and part.values[0] == _mean(res, "forget", sam, "subject")
    assert part.values[0] < 0.1
    assert part.detail.endswith(f"at “Sam” = {part.values[0]:.6f}, not > 0.9 (1 of 10 fail) ✗")


def test_forget_claim_does_not_apply_without_two_names() -> None:
    res = _run("forget_bob_dan", "bob is a nice person. dan on the other hand is evil.")
    assert res.checks.status == NOT_APPLICABLE
    assert _part(res, "At the second name").detail == "not applicable here: the sentence has no name"
    one = _run("forget_bob_dan", "Bob is a nice person. He on the other hand is evil.")
    assert _part(one, "At the second name").detail == "not applicable here: the sentence has one name"


def test_forget_claim_asks_who_at_a_later_blank() -> None:
    res = _run("forget_bob_dan", "Bob is nice. Dan is evil. For his contributions, brave ___.")
    assert _part(res, "Asked who").status == HOLDS and res.expected == "Dan"
    assert res.checks.status == HOLDS


def test_forget_claim_on_the_trained_cells() -> None:
    res = _run("forget_bob_dan", model="trained_story")
    assert _part(res, "At the second name").detail.startswith("not applicable here: this model's units")
    dan = res.tokens.index("Dan")
    cell = res.trace.cell
    moved = np.argsort(-np.abs(cell[dan] - cell[dan - 1]), kind="stable")[:8]  # recomputed by hand
    part = _part(res, "The 8 units")
    assert part.values == (float(res.trace.forget[dan, moved].mean()),)
    assert part.status == (HOLDS if part.values[0] < 0.5 else FAILS)
    assert not res.predictions  # a next-word model is asked nothing: no blank, no answer
    gru = _part(_run("forget_bob_dan", model="trained_story_gru"), "The 8 units")
    assert (
        gru.detail
        == "not applicable here: this model has no forget gate (its gates are reset, update, candidate)"
    )
    rnn = _run("forget_bob_dan", model="trained_story_rnn")
    assert (
        rnn.checks.status == NOT_APPLICABLE and "it has no gates: a plain RNN" in rnn.checks.parts[0].detail
    )


def test_input_claim() -> None:
    res = _run("input_swimming_navy")
    phone = res.tokens.index("phone")
    assert _part(res, "At the phone").values[0] == _mean(res, "input", phone, "fact")
    assert res.tokens[res.open_step] == "navy" and res.steps["facts"] == (2, 15)
    trained = _run("input_swimming_navy", model="trained_story")  # it lets the phone in
    part = _part(trained, "The 8 units")
    cell = trained.trace.cell
    moved = np.argsort(-np.abs(cell[phone] - cell[phone - 1]), kind="stable")[:8]
    assert part.values == (float(trained.trace.input[phone, moved].mean()),) and part.values[0] > 0.5
    assert trained.checks.status == FAILS and part.detail.endswith("not < 0.5 ✗")
    none = _run("input_swimming_navy", "Bob is nice.")
    assert _part(none, "At every fact").detail == "not applicable here: the sentence has no fact"
    assert _part(none, "At the phone").detail == "not applicable here: the sentence has no “phone”"


def test_output_claim() -> None:
    lecture = _run("output_brave")
    blank = lecture.tokens.index("___")
    assert _part(lecture, "At the blank").values[0] == _mean(lecture, "output", blank, "subject")
    res = _run("output_brave", "Bob fought the enemy. He speaks of the brave ___.")  # asks for a language
    part = _part(res, "At the blank")
    assert part.status == FAILS and part.values[0] == _mean(res, "output", blank := 10, "subject")
    assert res.tokens[blank] == "___" and part.values[0] < 0.01
    assert "no clear winner" in _part(res, "The answer").detail
    assert _run("output_brave", "Bob fought the enemy.").checks.status == NOT_APPLICABLE
    kwame = (
        "Kwame single handedly fought the enemy and died for his country. For his contributions, brave ___."
    )
    trained = _part(_run("output_brave", kwame, "trained_story"), "The answer")
    assert (
        trained.status == FAILS
        and "“Kwame” is not a candidate here (the model's 142 words)" in trained.detail
    )


def test_clouds_claim() -> None:
    res = _run("clouds_sky", "The clouds are up. In the ___")  # the place is forgotten at the full stop
    part = _part(res, "At the blank after the clue")
    assert part.status == FAILS and part.values[0] == _mean(res, "output", len(res.tokens) - 1, "place")
    assert "not the expected “sky”" in _part(res, "The answer").detail
    none = _run("clouds_sky", "The clouds are grey.")
    assert none.checks.status == NOT_APPLICABLE and none.expected is None


def test_france_claim_over_a_long_gap_and_off_the_script() -> None:
    res = _run("france_french", "I grew up in Japan. " + "Blah " * 2000 + ". I speak ___")
    gap = list(range(5, len(res.tokens) - 1))
    part = _part(res, "Across the gap")
    means = [np.mean(res.trace.forget[t, _units(res, "country")]) for t in gap]
    assert sorted(part.steps) == gap and part.values[0] == pytest.approx(min(means), rel=1e-12)
    assert res.checks.status == HOLDS and res.expected == "Japanese"
    lost = _run("france_french", "I grew up in France. I speak. ___")  # the cue ends with its sentence
    assert lost.checks.status == FAILS and _part(lost, "At the blank").values[0] < 0.01
    narnia = _run("france_french", "I grew up in Narnia. Blah blah blah. I speak ___")
    assert narnia.checks.status == NOT_APPLICABLE and narnia.expected is None
    assert (
        narnia.checks.parts[0].detail == "not applicable here: the sentence has no country before the blank"
    )
    rnn = _run("france_french", model="trained_story_rnn")
    answer = _part(rnn, "The answer")
    (pred,) = rnn.predictions
    assert answer.status == (HOLDS if pred.clear and pred.best == "french" else FAILS)


def test_events_claim() -> None:
    no_bear = _run("events_wolf_dog", EXAMPLES["events_wolf_dog"].variants[0])
    assert no_bear.checks.status == HOLDS and no_bear.expected == "dog"
    close = (
        "frog frog grass squirrel lake eagle owl grass eagle deer owl frog bear canine"  # bear just before
    )
    res = _run("events_wolf_dog", close)
    (pred,) = res.predictions
    assert res.checks.status == FAILS and pred.best == "dog" and res.expected == "wolf"
    assert res.checks.parts[0].values == (pred.margin,)
    late = _run("events_wolf_dog", "canine bear")  # the answer comes after the bear, not at the canine
    assert late.checks.parts[0].detail == "not applicable here: the model gives no answer at “canine”"


def test_reviews_claim() -> None:
    res = _run("reviews_rating", "The plot was sublime.")
    (pred,) = res.predictions
    margin = _part(res, "After the last word")
    p = np.sort(pred.probabilities)[::-1]
    assert margin.status == FAILS and margin.values == (p[0] - p[1],) and not pred.clear
    known = _part(res, "The model knows")
    assert known.status == HOLDS and known.values == (0.8,) and "not known: sublime" in known.detail
    assert res.open_step == len(res.tokens) - 1 == pred.step  # the rating is read at the final "."


def test_forget_product_claim() -> None:
    res = _run("forget_product", forget=[1.5, 0.5, 0.2])
    part = _part(res, "The forget gate is a filter")
    assert part.status == FAILS and part.steps[0] == 0 and part.values[0] == 1.5
    assert part.detail.endswith("at “entry 1” = 1.5, not in [0, 1] (1 of 3 fail) ✗")
    assert _part(res, "Where f = 0").detail == "not applicable here: no entry has f = 0"
    lecture = _part(_run("forget_product"), "Where f = 1")
    assert lecture.steps == (0, 2) and lecture.status == HOLDS  # C^f = C_{t-1} = 1 and 4 there


def test_softmax_claim() -> None:
    res = _run("softmax_dog_wolf", logits=[1.0, 1.0, 0.0])
    part = _part(res, "P(dog)")
    assert part.status == FAILS and part.values[0] == pytest.approx(np.e / (2 * np.e + 1), rel=1e-12)
    assert "no clear winner" in _part(res, "dog is the clear winner").detail


def _ctx() -> Context:
    found = {"all": Found((0, 1, 2)), "none": Found((), "nothing here")}
    return Context(found, ("a", "b", "c"), {"v": np.array([0.1, 0.5, 0.9])}, noun="entries")


@pytest.mark.parametrize(
    ("test", "status", "worst"),
    [
        ({"op": "<", "than": 0.9}, FAILS, 2),  # strict: 0.9 is not < 0.9
        ({"op": "<=", "than": 0.9}, HOLDS, 2),
        ({"op": ">", "than": 0.1}, FAILS, 0),
        ({"op": ">=", "than": 0.1}, HOLDS, 0),
        ({"op": "in", "than": [0.1, 0.9]}, HOLDS, 0),
        ({"op": "in", "than": [0.2, 0.8]}, FAILS, 0),
        ({"op": "==", "than": 0.5, "tol": 0.4}, HOLDS, 0),
        ({"op": "==", "than": 0.5}, FAILS, 0),
    ],
)
def test_operators_and_the_deciding_number(test: dict, status: str, worst: int) -> None:
    part = parse_part({"says": "v", "at": "all", "value": "v", "test": test}, {"all", "none"}, {"v"}, "t")
    got = check_part(part, _ctx())
    assert got.status == status and got.steps[0] == worst and got == check_part(part, _ctx())  # pure
    missing = check_part(replace(part, at="none"), _ctx())
    assert missing.status == NOT_APPLICABLE and missing.detail == "not applicable here: nothing here"


@pytest.mark.parametrize(
    ("test", "detail"),
    [  # the page writes the operators as the lecture does, and a failed "=" names the number it wanted
        ({"op": "<=", "than": 0.9}, "v over “all” (3 entries), largest at “c” = 0.9 ≤ 0.9 ✓"),
        (
            {"op": ">=", "than": 0.5},
            "v over “all” (3 entries), smallest at “a” = 0.1, not ≥ 0.5 (1 of 3 fail) ✗",
        ),
        (
            {"op": "==", "than": 0.5, "tol": 0.4},
            "v over “all” (3 entries), farthest at “a” = 0.1 = 0.5 ± 0.4 ✓",
        ),
        (
            {"op": "==", "than": 0.5},
            "v over “all” (3 entries), farthest at “a” = 0.1, not 0.5 (2 of 3 fail) ✗",
        ),
    ],
)
def test_a_test_is_written_with_the_lectures_signs(test: dict, detail: str) -> None:
    part = parse_part({"says": "v", "at": "all", "value": "v", "test": test}, {"all", "none"}, {"v"}, "t")
    assert check_part(part, _ctx()).detail == detail
    lecture = _part(_run("forget_product"), "Where f = 0")
    assert lecture.detail == "C^f at “entry 2” = 0 = 0 ✓"  # the lecture's [1, 2, 4] * [1, 0, 1]: entry 2
