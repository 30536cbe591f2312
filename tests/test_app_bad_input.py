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
        ("word " * 2000, "warning", "first 60"),
        ("我喜欢猫 🐈 and dogs", "warning", "emoji"),
    ],
)
def test_bad_input_gets_a_message(page, text, level, phrase):
    at = open_app(page)
    at.text_input(key=vkey(at, "sentence")).set_value(text).run()
    assert not at.exception
    assert phrase in " ".join(m.value for m in getattr(at, level))
