"""The "Step through a sentence" page, headless (AppTest): the text it runs. A typed sentence, bad input,
a 2,000-word text run whole and folded, CJK and emoji tokens, token vectors stable across processes.

The reference numbers come from lstm_core directly (tests/apptest_step_through_page.py), compared with the
values the heatmap drawing the browser receives shows (its squares' hover values, 4 decimals).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from apptest_helpers import ROOT, heat_drawings, open_app, set_in_view, vkey
from apptest_step_through_page import PAGE, PANELS, SHOWN, controls, heat, reference

from lstm_ui.sentence import parse_sentence, token_labels, token_vector


def test_typing_a_sentence_changes_rows_and_values():
    at = open_app(PAGE)
    sentence = "Bob is a nice person. Dan on the other hand is evil."
    at.text_input(key=vkey(at, "sentence")).set_value(sentence).run()
    assert not at.exception
    drawing = heat(at)
    tokens = parse_sentence(sentence).tokens
    assert tokens[:5] == ("Bob", "is", "a", "nice", "person")
    assert drawing["rows"] == token_labels(tokens)
    forget = drawing["panels"]["forget"]["values"]
    np.testing.assert_allclose(forget, reference(tokens)["forget"], rtol=0, atol=SHOWN)


@pytest.mark.parametrize(
    ("text", "level", "needle"),
    [
        ("", "error", "empty"),
        ("   ", "error", "empty"),
        ("... !!! ,,,", None, None),  # sentence enders are tokens: this is a (short) sentence
        ("— ; : ( )", "error", "punctuation"),
        ("我爱你 🙂 👩‍👩‍👧 ok", "warning", "emoji"),
    ],
)
def test_bad_input_shows_a_message_not_a_traceback(text, level, needle):
    at = open_app(PAGE)
    at.text_input(key=vkey(at, "sentence")).set_value(text).run()
    assert not at.exception
    if level is None:
        assert list(heat_drawings(at)) == ["heat"]
        return
    messages = [m.value for m in getattr(at, level)]
    assert any(needle in m for m in messages), messages
    parsed = parse_sentence(text)
    if parsed.ok:
        assert heat(at)["rows"] == token_labels(parsed.tokens)
    else:
        assert not heat_drawings(at)


def test_a_long_text_runs_whole_and_its_heatmap_folds_around_the_step():
    """2,000 words are not cut: every step runs, the page says so, the heatmap keeps the step selected
    (and its neighbours, the first and the last word) and folds each stretch between into one row, the
    stretch's average; stepping to word 1,000 shows word 1,000's own numbers."""
    words = tuple(f"word{k}" for k in range(2000))
    at = open_app(PAGE)
    set_in_view(at, sentence=" ".join(words), step=1000).run()
    assert not at.exception and not at.warning
    assert any("2,000 words" in m.value for m in at.info)
    assert controls(at)["steps"] == 2000 and controls(at)["step"] == 1000
    drawing = heat(at)
    labels = token_labels(words)
    rows = drawing["rows"]
    assert rows[0] == labels[0] and rows[-1] == labels[-1] and labels[999] in rows
    assert len(rows) < 30
    gaps = [r for r in rows if r.startswith("…")]
    folded = sum(int(re.sub(r"\D", "", g)) for g in gaps)
    assert folded + len(rows) - len(gaps) == 2000  # every word is a row or in a gap
    ref = reference(words)
    k = rows.index(labels[999])
    for name in PANELS:
        values = drawing["panels"][name]["values"]
        np.testing.assert_allclose(values[k], ref[name][999], rtol=0, atol=SHOWN)
        first_gap = rows.index(gaps[0])  # after word 1 (and its neighbours): the words up to the window
        n_before = int(re.match(r"(\d+)", rows[first_gap - 1]).group(1))
        n_gap = int(re.sub(r"\D", "", gaps[0]))
        mean = ref[name][n_before : n_before + n_gap].mean(axis=0)
        np.testing.assert_allclose(values[first_gap], mean, rtol=0, atol=SHOWN)
    assert drawing["cell_outline"] == (1000, 1)


def test_cjk_and_emoji_tokens():
    tokens = parse_sentence("我爱你 🙂 👩‍👩‍👧 ok").tokens
    assert tokens == ("我", "爱", "你", "🙂", "👩‍👩‍👧", "ok")


def test_token_vectors_are_stable_across_processes():
    code = "from lstm_ui.sentence import token_vector; print(repr(token_vector('France', 4).tolist()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().replace("'", '"')) == token_vector("France", 4).tolist()
    assert token_vector("france", 4).tolist() == token_vector("France", 4).tolist()
    assert token_vector("Paris", 4).tolist() != token_vector("France", 4).tolist()
