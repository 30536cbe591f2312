"""Clamps in the URL (``lstm_ui.state.clamps``) and issue 18's view parameters (``lstm_ui.state.values``):
the canonical text reads back as the same clamps, a bad value is refused with a message that says what
is wrong, and the view's defaults stay out of a link."""

from __future__ import annotations

import pytest

from lstm_core.intervene import Clamp
from lstm_ui.state import values as v
from lstm_ui.state.clamps import PageClamp, added, normalized, read, removed, split_by_fit, write


def test_the_canonical_text_reads_back_as_the_same_clamps():
    clamps = (
        PageClamp("forget", 7, 1, 1.0),
        PageClamp("candidate", 7, 1, -0.25),
        PageClamp("input", 2, 3, 0.5),
    )
    text = write(clamps)
    assert text == "f_7_1_1~g_7_1_-0.25~i_2_3_0.5"
    assert read(text) == clamps
    assert normalized(text) == "i_2_3_0.5~f_7_1_1~g_7_1_-0.25"  # sorted by step, unit, gate
    assert read(normalized(text)) == tuple(sorted(clamps, key=lambda c: c.step))
    assert set(text) <= set("abcdefghijklmnopqrstuvwxyz0123456789_.-~")  # nothing a link must escape


def test_names_case_and_spaces_are_accepted_and_a_later_clamp_of_the_same_gate_wins():
    assert normalized(" Forget_3_2_0 ~ OUTPUT_1_1_1 ~ f_3_2_0.75 ") == "o_1_1_1~f_3_2_0.75"
    assert normalized("") == "" and read("") == ()


def test_a_page_clamp_is_the_cores_clamp_counted_from_zero():
    assert PageClamp("output", 4, 2, 0.5).core() == Clamp("output", 1, 3, 0.5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("f_3_2_abc", "'abc' is not a number"),
        ("f_3_2_1.5", "forget gate takes values from 0 to 1"),
        ("g_3_2_-2", "candidate C̃ takes values from −1 to 1"),
        ("f_0_2_1", "step '0': it must be 1 or more"),
        ("f_1000001_2_1", "step '1000001': it must be at most 1,000,000"),
        ("f_3_x_1", "unit 'x': it is not a whole number"),
        ("z_3_2_1", "'z' is not a gate"),
        ("f_3_2", "not gate_step_unit_value"),
        ("f_3_2_nan", "from 0 to 1"),
    ],
)
def test_a_bad_clamp_in_a_link_says_what_is_wrong(raw, message):
    with pytest.raises(ValueError, match=message):
        v.clamps(raw)


def test_added_replaces_the_same_target_and_removed_drops_it():
    one = added((), PageClamp("forget", 3, 2, 0.0))
    two = added(one, PageClamp("forget", 3, 2, 1.0))
    assert two == (PageClamp("forget", 3, 2, 1.0),)
    three = added(two, PageClamp("input", 1, 1, 0.0))
    assert [c.gate for c in three] == ["input", "forget"]
    assert removed(three, (3, 2, "forget")) == (PageClamp("input", 1, 1, 0.0),)


def test_clamps_outside_a_run_are_told_apart():
    clamps = read("f_3_2_0~o_9_1_1~i_2_12_1")
    fit, outside = split_by_fit(clamps, steps=5, units=8)
    assert fit == (PageClamp("forget", 3, 2, 0.0),)
    assert {c.target for c in outside} == {(9, 1, "output"), (2, 12, "input")}


def test_the_comparison_parameters():
    assert v.compare_mode("Two Models") == "models" and v.compare_mode("clamp") == "clamp"
    with pytest.raises(ValueError, match="choose one of"):
        v.compare_mode("three")
    with pytest.raises(ValueError, match="empty"):
        v.second_sentence("   ")
    assert v.second_sentence("Bob is here") == "Bob is here"
    assert v.run_model("designed_story") == "designed_story"
    assert v.run_model("seeded LSTM (H=16)") == "lstm16"
    with pytest.raises(ValueError, match="choose one of"):
        v.run_model("gpt")
    assert v.shown_array("hidden") == "hidden" and v.shown_array("Cell") == "cell"
    assert v.shown_array("f") == "forget"
    with pytest.raises(ValueError):
        v.shown_array("weights")
