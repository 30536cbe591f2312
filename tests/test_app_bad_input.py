"""Bad sentences on every page that takes one: a clear message in the page, never a traceback."""

from __future__ import annotations

import pytest
from apptest_helpers import open_app, vkey

SENTENCE_PAGES = ("views/rnn.py", "views/gru.py", "views/cell.py", "views/step_through.py")


@pytest.mark.parametrize("page", SENTENCE_PAGES)
@pytest.mark.parametrize(
    ("text", "level", "phrase"),
    [
        ("", "error", "empty"),
        ("我喜欢猫 🐈 and dogs", "warning", "emoji"),
    ],
)
def test_bad_input_gets_a_message(page, text, level, phrase):
    at = open_app(page)
    at.text_input(key=vkey(at, "sentence")).set_value(text).run()
    assert not at.exception
    assert phrase in " ".join(m.value for m in getattr(at, level))


@pytest.mark.parametrize("page", SENTENCE_PAGES)
def test_a_long_text_is_read_whole_or_the_cut_is_said(page):
    """2,000 words: the pages with a row per word run them all (and fold the drawing); the unrolled RNN,
    which draws every word on its own, shows the first 60 and says so."""
    at = open_app(page)
    at.text_input(key=vkey(at, "sentence")).set_value("word " * 2000).run()
    assert not at.exception
    if page == "views/rnn.py":
        assert "first 60" in " ".join(m.value for m in at.warning)
    else:
        assert not at.warning
        assert "2,000 words, all of them run" in " ".join(m.value for m in at.info)
