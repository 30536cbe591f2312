"""App structure shared by every page: the page registry, presenter (lecture) mode and page chrome.

Adding a page is one line in ``PAGES``. Presenter mode (``?presenter=true``) enlarges the type for a
projector and tucks the secondary controls into a closed expander.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lstm_ui.state import view

ROOT = Path(__file__).resolve().parent.parent
# The tab's icon: an SVG file, which Streamlit sends as a data URL. A ":material/…" icon would be fetched
# from Google's font CDN on every page load, and an emoji makes Streamlit import its emoji catalogue on
# the server's first run (bench/README.md).
FAVICON = ROOT / "assets" / "favicon.svg"


@dataclass(frozen=True)
class PageEntry:
    file: str  # relative to the repository root (where app.py lives)
    title: str
    icon: str
    url_path: str
    blurb: str  # one line for the home page's path through the app
    default: bool = False


PAGES: tuple[PageEntry, ...] = (
    PageEntry("views/home.py", "Why LSTMs", ":material/home:", "why-lstms", "The problem LSTMs solve.", True),
    PageEntry(
        "views/rnn.py",
        "The plain RNN and its memory problem",
        ":material/repeat:",
        "plain-rnn",
        "One cell in a loop, unrolled, and the gradient that vanishes along it.",
    ),
    PageEntry(
        "views/step_through.py",
        "Step through a sentence",
        ":material/play_circle:",
        "step",
        "Type any sentence and watch every gate, word by word.",
    ),
    PageEntry(
        "views/cell.py",
        "Inside the LSTM cell",
        ":material/memory:",
        "inside-cell",
        "One step of the cell, wire by wire, with the live numbers.",
    ),
    PageEntry(
        "views/gate_lab.py",
        "Gate lab",
        ":material/tune:",
        "gates",
        "Set the gates by hand and see what the cell keeps.",
    ),
    PageEntry(
        "views/stories.py",
        "Stories",
        ":material/menu_book:",
        "lecture-stories",
        "The lectures' examples, computed: what they claim and what the model did.",
    ),
    PageEntry(
        "views/compare.py",
        "Compare",
        ":material/compare:",
        "compare",
        "What if? Side by side, and where the memory came from.",
    ),
    PageEntry(
        "views/gru.py",
        "GRU",
        ":material/call_split:",
        "gru-variant",
        "The best-known variant: two gates instead of three, no separate cell state.",
    ),
    PageEntry(
        "views/exercises.py",
        "Exercises",
        ":material/quiz:",
        "exercises",
        "Predict, then reveal: questions drawn from live runs, with fresh numbers each time.",
    ),
    PageEntry(
        "views/train.py",
        "Train it yourself",
        ":material/model_training:",
        "train",
        "Train a cell on a task and watch its gates learn, live.",
    ),
)

# A page link's label wraps instead of being cut off: Streamlit keeps it on one line and hides the rest
# (home's path through the app, on a phone or a projector).
_WRAP_LINKS_CSS = """
[data-testid="stPageLink-NavLink"] { height: auto; }
[data-testid="stPageLink-NavLink"] > span { overflow: visible; white-space: normal; }
[data-testid="stPageLink-NavLink"] p { line-height: 1.4; }
"""
_PRESENTER_CSS = (
    """
<style>
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 2.6rem 2.5rem 4rem 2.5rem; }
header[data-testid="stHeader"] { height: 2.5rem; min-height: 2.5rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
.gbg-live-svg p { font-size: 1.3rem; }
h1 { font-size: 2.2rem !important; padding: 0 0 0.5rem 0 !important; }
h2 { font-size: 2.0rem !important; }
.katex { font-size: 1.5em !important; }
.gbg-live-svg:has([data-name="gate-lab"]) .gbg-live-svg-drawings { flex: 1 1 20rem; }
.gbg-live-svg:has([data-name="gate-lab"]) .gbg-live-svg-side { flex: 1 1 20rem; }
.gbg-live-svg:has([data-name="gate-lab"]) .gbg-live-svg-side .katex { font-size: 0.95em !important; }
"""
    + _WRAP_LINKS_CSS  # on every page: large type makes even short labels long
    + "</style>"
)


def wrap_page_links() -> None:
    """Let the page links of this page wrap their labels (a page with long ones; presenter mode does it on
    every page)."""
    if not is_presenter():
        st.html(f"<style>{_WRAP_LINKS_CSS}</style>")


def is_presenter() -> bool:
    """Is lecture mode on (the sidebar toggle, or ``?presenter=true``)."""
    return bool(view.get("presenter"))


def apply_presenter_style() -> None:
    """Inject the large-type CSS when presenter mode is on."""
    if is_presenter():
        st.html(_PRESENTER_CSS)


def intro(markdown: str, **kwargs: object) -> None:
    """A page's introduction: shown, but not in presenter mode, where the lecturer says it and the page's
    figure must fit the first screen of a projector."""
    if not is_presenter():
        st.markdown(markdown, **kwargs)


def chart_font_size() -> int:
    """Font size for plotly figures: larger in presenter mode."""
    return 18 if is_presenter() else 12


def controls_area(label: str = "Controls") -> AbstractContextManager[object]:
    """Where a page puts its secondary controls: a closed expander in presenter mode, else nothing around
    them. Every block Streamlit draws is re-rendered by each run that holds it (a few ms apiece in the
    browser), so a page adds none it does not need."""
    if is_presenter():
        return st.expander(label, expanded=False, icon=":material/tune:")
    return nullcontext()


def controls_row() -> DeltaGenerator:
    """Controls side by side, wrapping on a narrow screen: one block, where ``st.columns`` makes one per
    column and one around them."""
    return st.container(horizontal=True, gap="medium", vertical_alignment="bottom")


_NOTE_LEVELS = {"error": st.error, "warning": st.warning, "info": st.info}


def show_notes(notes: tuple[tuple[str, str], ...]) -> None:
    """Show ``parse_sentence``'s (level, message) notes as error / warning / info boxes."""
    for level, message in notes:
        _NOTE_LEVELS.get(level, st.info)(message)
