"""App structure shared by every page: the page registry, presenter (lecture) mode and page chrome.

Adding a page is one line in ``PAGES``. Presenter mode (``?presenter=true``) enlarges the type for a
projector and tucks the secondary controls into a closed expander.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lstm_ui.state import PRESENTER, url_after_full_run

ROOT = Path(__file__).resolve().parent.parent
TEXT_DIR = ROOT / "assets" / "text"
# The tab's icon: an SVG file, which Streamlit sends as a data URL. A ":material/…" icon would be fetched
# from Google's font CDN on every page load, and an emoji makes Streamlit import its emoji catalogue
# (streamlit/emojis.py: 50–80 ms of the server's first run here, ~0.8 s where bytecode is not cached).
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
        "views/gru.py",
        "GRU",
        ":material/call_split:",
        "gru-variant",
        "The best-known variant: two gates instead of three, no separate cell state.",
    ),
)

_PRESENTER_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2.5rem; padding-right: 2.5rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
.gbg-live-svg p { font-size: 1.3rem; }
h1 { font-size: 2.8rem !important; }
h2 { font-size: 2.0rem !important; }
.katex { font-size: 1.5em !important; }
</style>
"""


def is_presenter() -> bool:
    """Is lecture mode on (the sidebar toggle, or ``?presenter=true`` before the toggle is drawn)."""
    if PRESENTER in st.session_state:
        return bool(st.session_state[PRESENTER])
    return str(st.query_params.get(PRESENTER, "")).lower() == "true"


def presenter_toggle() -> bool:
    """The lecture-mode toggle, bound to ``?presenter=``. app.py draws it in the sidebar."""
    return st.toggle(
        "Presenter mode",
        key=PRESENTER,
        bind="query-params",
        help="Large type for a projector; the controls move into a closed 'Controls' panel.",
    )


def apply_presenter_style() -> None:
    """Inject the large-type CSS when presenter mode is on."""
    if is_presenter():
        st.html(_PRESENTER_CSS)


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
    column and one around them (the step page's notation switch: 13 ms quicker, bench/ab_browser.py)."""
    return st.container(horizontal=True, gap="medium", vertical_alignment="bottom")


def stop_page() -> NoReturn:
    """``st.stop()`` for a page whose input leaves nothing to draw (after its message). The URL is written
    first (``state.url_after_full_run``: app.py's own call after the page does not run after a stop, and
    nor does any Streamlit call once the stop is asked for)."""
    url_after_full_run()
    st.stop()


def read_text(name: str) -> str:
    """The Markdown file ``assets/text/<name>.md`` (explanatory text lives there, not in code)."""
    path = TEXT_DIR / f"{name}.md"
    if not path.exists():
        raise ValueError(f"no text file {path.name} in {TEXT_DIR}")
    return path.read_text(encoding="utf-8")


def component_js(*names: str) -> str:
    """One component's JavaScript: ``assets/js/shared.js`` (payload decoding, the script loader), then
    ``assets/js/<name>.js`` for each name (one module: the files' functions see each other; the last one
    holds the ``export default``)."""
    js_dir = ROOT / "assets" / "js"
    return "\n".join((js_dir / f"{name}.js").read_text(encoding="utf-8") for name in ("shared", *names))


def static_url(filename: str) -> str:
    """The URL path of ``static/<filename>`` in the browser (under ``server.baseUrlPath`` if one is set)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return ("/" + base if base else "") + "/app/static/" + filename


def page_for(file: str) -> PageEntry:
    """The registry entry for ``file`` (``"views/step_through.py"``)."""
    for entry in PAGES:
        if entry.file == file:
            return entry
    raise ValueError(f"{file} is not in PAGES")


# The modebar's selection clutter, and plotly.js 3's "Share chart..." (it uploads the chart to Plotly
# Cloud: no place for a class's data, and these machines are offline).
_MODEBAR_CLUTTER = (
    "select2d",
    "lasso2d",
    "autoScale2d",
    "toggleSpikelines",
    "hoverCompareCartesian",
    "sendChartToCloud",
)


def chart_config(name: str) -> dict[str, object]:
    """plotly's config for every chart: the modebar with its download buttons (plotly's camera saves a PNG;
    assets/js/live_chart.js adds one that saves an SVG, like every drawing's two buttons; file name
    ``gate-by-gate-<name>``), zoom and pan, and none of the selection clutter."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": list(_MODEBAR_CLUTTER),
        "toImageButtonOptions": {
            "format": "png",
            "filename": f"gate-by-gate-{name}",
            "scale": 2,
        },
    }


_NOTE_LEVELS = {"error": st.error, "warning": st.warning, "info": st.info}


def show_notes(notes: tuple[tuple[str, str], ...]) -> None:
    """Show ``parse_sentence``'s (level, message) notes as error / warning / info boxes."""
    for level, message in notes:
        _NOTE_LEVELS.get(level, st.info)(message)
