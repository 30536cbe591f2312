"""The Stories page in a real Chromium: a deep link opens its example (and its word), the bars and heatmap
are drawn, typing another name changes the answer, and the word view's own controls (Next, the word
slider, ← / →) move the heatmap outline and the metrics."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import load_examples, run_example
from lstm_ui.sentence import token_labels
from tests.browser.heatmap_helpers import HEAT_SVG, assert_shown, heat_drawings, heat_rows_js
from tests.browser.page_helpers import no_exception, open_page, tall_screenshot, wait_for, wait_for_url

pytestmark = pytest.mark.browser
EXAMPLES = load_examples()
BARS = '.gbg-live-svg svg[data-role="bars"] g[data-role="bar"]'
# The best (first) bar is the one of ``want``.
BEST_BAR_JS = (
    f"(want) => {{ const b = document.querySelector({BARS!r}); return !!b && b.dataset.label === want; }}"
)
# The word view at word t: the step slider, the prose and every panel's row outline.
WORD_IS_JS = (
    """(t) => { const s = document.querySelector('.gbg-stepper label[data-range="step"] input');
  const at = document.querySelector('.gbg-live-svg [data-role="at"]');
  const outlines = Array.from(document.querySelectorAll('"""
    + HEAT_SVG
    + """ [data-role="row-outline"]'));
  return !!s && s.value === String(t) && !!at && at.textContent.includes(`(word ${t} of`)
    && outlines.length > 0 && outlines.every(o => o.dataset.t === String(t)); }"""
)
STEP_INPUT = '.gbg-stepper label[data-range="step"] input'


def bar_values(page) -> dict[str, float]:
    """The drawn bars, best first: P(word) from each bar's data-value."""
    return page.evaluate(
        f"() => Object.fromEntries(Array.from(document.querySelectorAll({BARS!r}),"
        " b => [b.dataset.label, Number(b.dataset.value)]))"
    )


def drawn_metrics(page) -> dict[str, str]:
    """The metrics as drawn: {gate: the value's text}."""
    return page.evaluate(
        "() => Object.fromEntries(Array.from(document.querySelectorAll('.gbg-live-svg [data-role=metric]'),"
        " m => [m.dataset.gate, m.querySelector('[data-role=value]').textContent]))"
    )


def test_deep_link_opens_the_output_story(server, page):
    open_page(page, server, "/lecture-stories?example=output_brave", svgs=1)
    wait_for(page, BEST_BAR_JS, "Bob")
    ref_result = run_example(EXAMPLES["output_brave"])
    wait_for(page, heat_rows_js(), token_labels(ref_result.tokens))
    (heat,) = heat_drawings(page)
    assert_shown(heat["panels"]["hidden"]["shown"], ref_result.trace.hidden[:, list(ref_result.highlight)])
    picker = page.locator('[data-testid="stSelectbox"]').first.locator("input").first
    assert picker.input_value() == EXAMPLES["output_brave"].title
    ref = ref_result.predictions[0]
    bars = bar_values(page)
    np.testing.assert_allclose(list(bars.values()), ref.probabilities[: len(bars)], atol=1e-12)
    assert list(bars) == list(ref.labels[: len(bars)]) and bars["Bob"] > 0.5
    box = page.locator('.gbg-live-svg svg[data-role="bars"]').bounding_box()
    assert box["width"] > 200 and box["height"] > 40 + 20 * len(bars)  # drawn, at a readable size
    decisive = ref_result.tokens.index("___") + 1
    wait_for(page, WORD_IS_JS, decisive)
    assert "word=" not in page.url  # the decisive word is the default: the URL leaves it out
    assert no_exception(page) == []
    tall_screenshot(page, "stories_output_brave")


def test_typing_another_name_changes_the_answer(server, page):
    open_page(page, server, "/lecture-stories?example=output_brave", svgs=1)
    wait_for(page, BEST_BAR_JS, "Bob")
    box = page.get_by_role("textbox", name="Sentence (edit it: another name, more words in between)")
    box.fill(EXAMPLES["output_brave"].sentence.replace("Bob", "Maria"))
    box.press("Enter")
    wait_for(page, BEST_BAR_JS, "Maria")
    wait_for(page, f"() => document.querySelector({HEAT_SVG!r}).querySelector('[data-row]').textContent"
             " === '1 Maria'")  # fmt: skip
    assert "text=" in page.url
    assert no_exception(page) == []
    # another example brings its own sentence back, although the edited one is still in the URL
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=EXAMPLES["forget_bob_dan"].title).click()
    wait_for(
        page,
        "(want) => Array.from(document.querySelectorAll('input')).some(i => i.value === want)",
        EXAMPLES["forget_bob_dan"].sentence,
    )
    ref = run_example(EXAMPLES["forget_bob_dan"])
    wait_for(page, WORD_IS_JS, ref.tokens.index("Dan") + 1)
    assert drawn_metrics(page)["forget"] == "0.000006"
    assert "example=forget_bob_dan" in page.url and "Maria" not in page.url
    tall_screenshot(page, "stories_output_maria")


def test_forget_story_shows_the_gate_at_dan(server, page):
    open_page(page, server, "/lecture-stories?example=forget_bob_dan", svgs=1)
    ref = run_example(EXAMPLES["forget_bob_dan"])
    wait_for(page, heat_rows_js(), token_labels(ref.tokens))
    wait_for(page, WORD_IS_JS, ref.tokens.index("Dan") + 1)
    assert drawn_metrics(page)["forget"] == "0.000006"
    (heat,) = heat_drawings(page)
    units = list(ref.highlight)
    assert heat["units"] == len(units)
    assert heat["panels"]["forget"]["title"] == "forget gate"
    assert_shown(heat["panels"]["forget"]["shown"], ref.trace.forget[:, units])
    assert_shown(heat["panels"]["cell"]["shown"], ref.trace.cell[:, units])
    (outlined,) = set(heat["rowOutlines"])  # the decisive word, in every panel
    assert outlined == ref.tokens.index("Dan") + 1
    assert page.locator(STEP_INPUT).input_value() == str(outlined)
    x_axis = f'{HEAT_SVG} g[data-panel="forget"] [data-role="x-axis"] text'
    x_labels = page.locator(x_axis).all_text_contents()
    assert len(x_labels) == len(units) and all(x_labels)  # one (slanted) name per unit
    assert page.locator('.gbg-live-svg details[data-keep="numbers"]').get_attribute("open") is not None
    assert no_exception(page) == []
    tall_screenshot(page, "stories_forget_dan")


def test_next_button_slider_and_arrow_keys_move_the_word(server, page):
    """The word view's own controls: each move redraws the outline and the metrics at the new word (the
    core's gate means over the subject units), and the word goes to the URL."""
    ref = run_example(EXAMPLES["forget_bob_dan"])
    units = list(ref.highlight)
    dan = ref.tokens.index("Dan") + 1

    def expect(t: int) -> None:
        wait_for(page, WORD_IS_JS, t)
        want = {g: f"{getattr(ref.trace, g)[t - 1, units].mean():.6f}" for g in ("forget", "input", "output")}
        assert drawn_metrics(page) == want
        # the URL holds the word, or nothing while it is the decisive word the story opened at
        page.wait_for_function(
            "([t, dan]) => { const w = new URLSearchParams(location.search).get('word');"
            " return w === String(t) || (w === null && t === dan); }",
            arg=[t, dan],
        )
        assert page.locator('.gbg-stepper label[data-range="step"] output').inner_text() == (
            f"{t} “{ref.tokens[t - 1]}”"
        )

    open_page(page, server, "/lecture-stories?example=forget_bob_dan", svgs=1)
    expect(dan)
    page.locator('.gbg-stepper button[data-act="next"]').click()
    expect(dan + 1)  # "on": the forget gate is open again
    assert float(drawn_metrics(page)["forget"]) > 0.9
    page.get_by_role("heading", name="Stories").click()  # focus on no widget: the keys go to the view
    page.keyboard.press("ArrowLeft")
    expect(dan)
    page.keyboard.press("ArrowLeft")
    expect(dan - 1)
    page.locator(STEP_INPUT).focus()
    page.keyboard.press("End")  # the slider's own keys: the last word
    expect(len(ref.tokens))
    page.locator('.gbg-stepper button[data-act="prev"]').click()
    expect(len(ref.tokens) - 1)
    # the numbers stay open across words once open, and show the new word
    numbers = page.locator('.gbg-live-svg details[data-keep="numbers"]')
    assert numbers.get_attribute("open") is not None
    assert f"at “{ref.tokens[-2]}”" in numbers.locator("thead").inner_text()
    assert no_exception(page) == []


def test_deep_link_opens_at_the_word_and_clamps_it(server, page):
    ref = run_example(EXAMPLES["forget_bob_dan"])
    open_page(page, server, "/lecture-stories?example=forget_bob_dan&word=3", svgs=1)
    wait_for(page, WORD_IS_JS, 3)
    want = f"{ref.trace.forget[2, list(ref.highlight)].mean():.6f}"
    assert drawn_metrics(page)["forget"] == want
    open_page(page, server, "/lecture-stories?example=forget_bob_dan&word=99", svgs=1)
    wait_for(page, WORD_IS_JS, len(ref.tokens))
    wait_for_url(page, f"word={len(ref.tokens)}")
    assert no_exception(page) == []


def test_an_unknown_example_in_the_link_gets_a_warning(server, page):
    open_page(page, server, "/lecture-stories?example=no_such_story", plots=1)
    page.get_by_text("The link's example 'no_such_story' cannot be used").wait_for()
    assert no_exception(page) == []
