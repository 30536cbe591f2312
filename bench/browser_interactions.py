"""The browser interactions bench_browser.py times, one ``Interaction`` each: a page to open, an action
for repetition i (← and → alternate), and a JS predicate that holds once the action's result is drawn.

Add a page by adding an ``Interaction`` to ``INTERACTIONS``. ``FLOOR`` and ``COMPONENT_FLOOR`` time
Streamlit's own round trip and one live drawing alone (bench/floor_app.py, bench/component_floor_app.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lstm_core import init_rnn, load_examples, run_lstm, run_rnn
from lstm_ui.compute import DEFAULT_MODEL, MODELS
from lstm_ui.equations import fmt
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence, token_labels
from lstm_ui.viewmodels.gru import WEIGHT_SETS
from tests.browser.heatmap_helpers import HEAT_SVG, heat_rows_js, square_centre
from tests.browser.page_helpers import BARS_ARE_JS

# The heatmaps are SVG drawings (lstm_ui/heat_svg.py): ``HEAT`` finds them, ``OUTLINES_AT`` is true of one
# whose selection (a row outline per panel) is on step ``t`` (1-based).
HEAT = repr(HEAT_SVG)
OUTLINES_AT = """(svg, t) => { const r = svg.querySelectorAll('[data-role="row-outline"]');
  return r.length > 0 && Array.from(r).every(o => o.dataset.t === String(t)); }"""
# The step-through page at step t: slider, strip and the heatmaps' outline of row t.
STEP_IS_JS = (
    """(t) => { const s = document.querySelector('.gbg-stepper label[data-range="step"] input');
  const strip = document.querySelector('table.gbg-strip'); const svg = document.querySelector("""
    + HEAT
    + """);
  return !!s && s.value === String(t) && !!strip && strip.dataset.step === String(t) && !!svg && ("""
    + OUTLINES_AT
    + """)(svg, t); }"""
)
# A notation switch is drawn: some heatmap panel's title holds ``text``.
PANEL_TITLE_HAS_JS = (
    "(text) => Array.from(document.querySelectorAll("
    + repr(HEAT_SVG + " [data-role=panel-title]")
    + ")).some(a => a.textContent.includes(text))"
)
KATEX_HAS_JS = """(want) => Array.from(document.querySelectorAll('.katex-mathml annotation'))
  .some(e => e.textContent.includes(want))"""
# Plain RNN: the step slider shows ``t``, some KaTeX holds ``want`` (the page's equation) and the unrolled
# drawing's overlay outlines copy t.
RNN_STEP_JS = (
    """([t, want]) => { const s = document.querySelector('.gbg-stepper label[data-range="step"] input');
  const o = document.querySelector(
    '.gbg-live-svg svg[data-role="unrolled"] g[data-role="overlay"] [data-role="step-outline"]');
  return !!s && s.value === String(t) && !!o && o.dataset.t === String(t) && ("""
    + KATEX_HAS_JS
    + """)(want); }"""
)
# The step slider shows ``t`` and the cell diagram (an SVG, lstm_ui/live_svg.py) draws the label of ``wire``
# ending with ``want`` (tests/browser/test_cell_browser.py).
WIRE_DRAWN_JS = """([wire, want, t]) => document.querySelector(
  '.gbg-stepper label[data-range="step"] input').value === String(t) && (() => {
  const el = document.querySelector(`.gbg-live-svg svg [data-wire="${wire}"]`);
  return !!el && el.textContent.trim().endsWith(want); })()"""
TITLE_HAS_JS = """(want) => {
  const el = document.querySelector('.gbg-live-svg-drawings svg [data-role="title"]');
  return !!el && el.textContent.includes(want); }"""
# Gate lab: the forget product in KaTeX and the drawn bars of C^f show the new numbers.
LAB_JS = "([tex, bars]) => (" + KATEX_HAS_JS + ")(tex) && (" + BARS_ARE_JS + ')(["forget_part", bars])'
# GRU: the step slider shows t, the heading under the drawings names step t, and each of the three heatmap
# drawings outlines row t.
GRU_STEP_JS = (
    """(t) => { const s = document.querySelector('.gbg-stepper label[data-range="step"] input');
  const h = document.querySelector('.gbg-live-svg-below h3');
  const svgs = Array.from(document.querySelectorAll("""
    + HEAT
    + """));
  return !!s && s.value === String(t) && !!h && h.textContent.startsWith(`Step ${t}:`)
    && svgs.length === 3 && svgs.every(svg => ("""
    + OUTLINES_AT
    + """)(svg, t)); }"""
)
# GRU: the three drawings are h units wide (the trained models have 64, the seeded ones 8).
GRU_WIDTH_JS = (
    """(h) => { const svgs = Array.from(document.querySelectorAll("""
    + HEAT
    + """));
  return svgs.length === 3 && svgs.every(svg => svg.dataset.units === String(h)); }"""
)
# Stories: the word view (one component) names word t and its focus heatmap outlines row t.
STORY_WORD_JS = (
    """(t) => { const svg = document.querySelector("""
    + HEAT
    + """); const at = document.querySelector('.gbg-live-svg [data-role="at"]');
  return !!at && at.textContent.includes(`(word ${t} of`) && !!svg && ("""
    + OUTLINES_AT
    + """)(svg, t); }"""
)
# Stories: the first (best) bar of the word view's prediction bars is the word ``want``.
BEST_BAR_JS = """(want) => { const b = document.querySelector(
  '.gbg-live-svg svg[data-role="bars"] g[data-role="bar"]'); return !!b && b.dataset.label === want; }"""


@dataclass(frozen=True)
class Interaction:
    page: str  # label in the report
    name: str
    path: str  # URL path to open before the repetitions
    act: Callable[[object, int], object]  # act(page, i) -> the argument of `done`
    done: str  # JS predicate of that argument: the new content is drawn
    plots: int = 0  # plotly charts the page draws when opened
    svgs: int = 0  # heatmap drawings (SVG) the page draws when opened
    app: str = "app.py"  # the script the server runs


def _floor_pick(page, i: int) -> str:
    choice = ("right", "left")[i % 2]
    page.get_by_text(choice, exact=True).click()
    return f"Chosen: {choice}"


FLOOR_JS = """(want) => Array.from(document.querySelectorAll('[data-testid="stMarkdownContainer"]'))
  .some(m => m.textContent === want)"""
# Streamlit's own round trip on this machine (bench/floor_app.py), timed like the app's interactions.
FLOOR = Interaction("floor", "radio → text (Streamlit)", "/", _floor_pick, FLOOR_JS, app="bench/floor_app.py")


def _click_square(page, i: int) -> int:
    t = 2 + i % 5
    page.mouse.click(*square_centre(page, "forget", t, 2))
    return t


# A fragment holding one live drawing and nothing else (bench/component_floor_app.py): a step's cost when
# all it changes is one component.
COMPONENT_FLOOR = Interaction(
    "floor", "click → one component", "/", _click_square, "(t) => { const svg = document.querySelector("
    + HEAT + "); return !!svg && (" + OUTLINES_AT + ")(svg, t); }", svgs=1,
    app="bench/component_floor_app.py",
)  # fmt: skip


def _arrow(page, i: int) -> int:
    page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
    return 2 if i % 2 == 0 else 1


def _type_sentence(page, i: int) -> list[str]:
    sentence = ("The clouds are in the sky", "Bob is a nice person. Dan on the other hand is evil.")[i % 2]
    box = page.get_by_role("textbox", name="Sentence (one step per word)")
    box.fill(sentence)
    box.press("Enter")
    return token_labels(parse_sentence(sentence).tokens)


def _notation(page, i: int) -> str:
    label, text = (("split", "new information"), ("colah", "candidate"))[i % 2]
    page.get_by_text(label, exact=True).click()
    return text


def _notation_home(page, i: int) -> str:
    label, text = (("LTM-STM", "forget factor"), ("colah", "forget gate"))[i % 2]
    page.get_by_text(label, exact=True).click()
    return text


def _shown(v: float) -> str:
    return f"{v:.3f}".replace("-", "−")  # the cell diagram draws U+2212 minus signs


@lru_cache(maxsize=1)
def _reference() -> dict[str, np.ndarray]:
    """The numbers the pages should show for the default sentence (seeded models, as the app builds them)."""
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    xs = embed(tokens, 16)
    return {"rnn_hidden": run_rnn(init_rnn(16, 8, seed=0), xs).hidden,
            "lstm_cell": run_lstm(MODELS[DEFAULT_MODEL].build(), xs).cell}  # fmt: skip


def _rnn_step(page, i: int) -> list:
    t = _arrow(page, i) + 2  # the deep link opens at step 3
    return [t, f"= {fmt(_reference()['rnn_hidden'][t - 1, 0])}"]


def _cell_step(page, i: int) -> list:
    t = _arrow(page, i) + 2  # the deep link opens at step 3
    return ["c_out", _shown(_reference()["lstm_cell"][t - 1, 1]), t]


def _cell_stage(page, i: int) -> str:
    label, title = (("Output", "output"), ("Forget", "forget"))[i % 2]
    page.locator(".gbg-choice button", has_text=label).click()
    return title


def _lab_demo(page, i: int) -> list:
    if i % 2 == 0:
        page.get_by_role("button", name="f = 0: forget everything").click()
        return ["[1, 2, 4] * [0, 0, 0] = [0, 0, 0]", [0, 0, 0]]
    page.get_by_role("button", name="Lecture example").click()
    return ["[1, 2, 4] * [1, 0, 1] = [1, 0, 4]", [1, 0, 4]]


def _gru_weights(page, i: int) -> int:
    label, width = ((WEIGHT_SETS["trained"].title, 64), (WEIGHT_SETS["seeded"].title, 8))[i % 2]
    page.locator(".gbg-choice button", has_text=label).click()
    return width


def _story_name(page, i: int) -> str:
    name = ("Maria", "Bob")[i % 2]
    box = page.get_by_role("textbox", name="Sentence (edit it: another name, more words in between)")
    box.fill(STORY_SENTENCE.replace("Bob", name))
    box.press("Enter")
    return name


STORY_SENTENCE = load_examples()["output_brave"].sentence
# fmt: off
INTERACTIONS: tuple[Interaction, ...] = (
    Interaction("home", "notation switch", "/", _notation_home, PANEL_TITLE_HAS_JS, svgs=1),
    Interaction("rnn", "next/previous (← →)", "/plain-rnn?step=3", _rnn_step, RNN_STEP_JS, plots=3),
    Interaction("step", "next/previous (← →)", "/step", _arrow, STEP_IS_JS, svgs=1),
    Interaction("step", "type a sentence", "/step", _type_sentence, heat_rows_js(), svgs=1),
    Interaction("step", "notation switch", "/step", _notation, PANEL_TITLE_HAS_JS, svgs=1),
    Interaction("cell", "next/previous (← →)", "/inside-cell?step=3&unit=2", _cell_step, WIRE_DRAWN_JS),
    Interaction("cell", "stage switch", "/inside-cell?step=3&unit=2", _cell_stage, TITLE_HAS_JS),
    Interaction("lab", "demo button", "/gates", _lab_demo, LAB_JS),
    Interaction("stories", "next/previous word (← →)", "/lecture-stories?example=output_brave&word=3",
                lambda p, i: _arrow(p, i) + 2, STORY_WORD_JS, svgs=1),
    Interaction("stories", "type a name", "/lecture-stories?example=output_brave", _story_name, BEST_BAR_JS,
                svgs=1),
    Interaction("gru", "next/previous (← →)", "/gru-variant", _arrow, GRU_STEP_JS, svgs=3),
    Interaction("gru", "weights switch", "/gru-variant", _gru_weights, GRU_WIDTH_JS, svgs=3),
)
# fmt: on
