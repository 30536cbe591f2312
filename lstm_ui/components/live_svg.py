"""A page's live view as one Streamlit component, kept mounted and updated in place.

Each page's step view is one ``show_svg`` call: its step controls (``StepControls``: buttons, sliders,
keys, a ``Choice``), its drawings (SVG strings built in Python: heatmaps, the cell diagram, the unrolled
RNN, the filters, the bars), and html blocks above, beside and below them with the step's text and
equations (``tex_html``, typeset by KaTeX like ``st.latex``). A step then re-renders one Streamlit
element in the browser instead of a dozen (bench/README.md). Python stays the source of every number: a
control, a click on a heatmap square, a probe slider or an export button only reports back (triggers
read with ``clicked_square``, ``chosen``, ``reported``, ``requested_export``), and the page's rerun sends
the new view.

The JavaScript beside this file (``step_controls.js``, ``html_blocks.js``, ``drawing_frame.js``,
``svg_patch.js``, ``live_svg.js``) changes only what changed: a drawing whose only change is its last group
(``heatmap.OVERLAY``, a selection) gets only that group replaced; a drawing with the same elements as the
one shown gets only its changed labels and attributes (a notation switch); an html block is patched part
by part; a drawing in a ``slot`` of a block keeps its place. Each drawing has two small buttons saving it
as ``gate-by-gate-<name>.svg`` / ``.png``.

Drawings and html are put into the page as they are: they must be built by trusted code with every text
escaped (``html.escape``; the drawings' builders escape all of their text).
"""

from __future__ import annotations

import html as html_lib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import streamlit as st

from lstm_ui.components import component_js, static_url

_JS = component_js("step_controls", "html_blocks", "drawing_frame", "svg_patch", "live_svg")  # components/
_SVG = st.components.v2.component("gbg.live_svg", js=_JS, isolate_styles=False)
KATEX_JS = "katex.min.js"  # static/, by scripts/vendor_katex.sh: the KaTeX whose CSS Streamlit ships


def tex_html(tex: str) -> str:
    """An equation for a drawing's html blocks: the component typesets it with KaTeX in display mode,
    as ``st.latex`` does (same KaTeX version, same stylesheet), so it looks the same."""
    return f'<div class="gbg-tex" data-tex="{html_lib.escape(tex, quote=True)}"></div>'


@dataclass(frozen=True)
class Choice:
    """One of a few options, as a row of buttons in the step controls (the cell page's four stages).

    A press reports the option's key as the trigger "choice" (``on_choice``, read with ``chosen``)."""

    label: str
    options: tuple[tuple[str, str], ...]  # (key, button text)
    value: str
    param: str = ""  # the URL parameter that holds it (``StepControls.address``)

    def as_json(self) -> dict[str, object]:
        return {"label": self.label, "options": [list(o) for o in self.options], "value": self.value}


@dataclass(frozen=True)
class StepControls:
    """Stepping controls drawn by the component above its drawing: Previous / Play / Next, a step slider
    (1 … steps, showing the token) and a unit slider (1 … units), and the ←, → and P keys.

    They live in the component, not as Streamlit widgets, so that a step re-renders one element in the
    browser instead of a dozen (bench/component_floor_app.py). A move reports the new
    (step, unit) like a click on a square (``on_click``, read with ``clicked_square``); Play reports
    through ``on_play``. ``address`` maps "step", "unit" and "choice" to their URL parameter and the
    default the URL leaves out (None: none): a move goes into the address bar at once (``moved_in_address``
    tells the callback so).
    """

    steps: int
    units: int
    step: int  # 1-based
    unit: int  # 1-based
    tokens: Sequence[str]
    playing: bool = False
    step_label: str = "Step t"
    unit_label: str = "Unit j"
    font_px: int = 16
    play: bool = True  # the Play / Pause button and the P key
    unit_slider: bool = True
    choice: Choice | None = None
    address: Mapping[str, tuple[str, object]] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "address": {k: list(v) for k, v in self.address.items()},
            "play": self.play,
            "unitSlider": self.unit_slider,
            "choice": self.choice.as_json() if self.choice is not None else None,
            "steps": self.steps,
            "units": self.units,
            "step": self.step,
            "unit": self.unit,
            "tokens": list(self.tokens),
            "playing": self.playing,
            "stepLabel": self.step_label,
            "unitLabel": self.unit_label,
            "fontPx": self.font_px,
        }


@dataclass(frozen=True)
class Drawing:
    """One SVG of a component: ``name`` names its downloads, ``title`` (plain text) heads it, and a
    drawing that is not ``wide`` takes half the width (two sit side by side). A drawing with a ``slot``
    is drawn inside the html blocks' ``<div data-slot="slot">`` instead (kept, not re-parsed, when the
    block around it is replaced)."""

    svg: str
    name: str
    title: str = ""
    wide: bool = True
    slot: str = ""

    def as_json(self) -> dict[str, object]:
        return {"svg": self.svg, "name": self.name, "title": self.title, "wide": self.wide, "slot": self.slot}


@dataclass(frozen=True)
class DownloadFile:
    """A file the component saves in the browser once (the answer to one of its export buttons): a new
    ``id`` for every request, so the same file asked for twice is saved twice."""

    id: int
    name: str
    mime: str
    text: str

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "mime": self.mime, "text": self.text}


def export_buttons_html(label: str, formats: Mapping[str, str]) -> str:
    """A line of buttons for a drawing's html blocks, ``formats`` = {format: button text}; a press reports
    its format (``on_export``, read with ``requested_export``) and the page answers with a DownloadFile."""
    buttons = "".join(
        f'<button type="button" data-export="{html_lib.escape(fmt)}">{html_lib.escape(text)}</button>'
        for fmt, text in formats.items()
    )
    return f'<p class="gbg-exports"><span>{html_lib.escape(label)}</span>{buttons}</p>'


def svg_payload(
    drawings: Sequence[Drawing],
    clickable: bool = False,
    controls: StepControls | None = None,
    html: str = "",
    side: str = "",
    below: str = "",
    file: DownloadFile | None = None,
) -> str:
    """What the component receives: the JSON string ``{"drawings", "clickable", "controls", "html",
    "side", "below", "katex", "file"}``."""
    payload = {
        "drawings": [d.as_json() for d in drawings],
        "clickable": clickable,
        "controls": controls.as_json() if controls is not None else None,
        "html": html,
        "side": side,
        "below": below,
        "katex": static_url(KATEX_JS),
        "file": file.as_json() if file is not None else None,
    }
    return json.dumps(payload, ensure_ascii=False)


def show_svg(
    svg: str,
    key: str,
    name: str,
    on_click: Callable[[], None] | None = None,
    controls: StepControls | None = None,
    html: str = "",
    on_play: Callable[[], None] | None = None,
    side: str = "",
    below: str = "",
    on_choice: Callable[[], None] | None = None,
    title: str = "",
    wide: bool = True,
    more: Sequence[Drawing] = (),
    on_input: Callable[[], None] | None = None,
    on_export: Callable[[], None] | None = None,
    file: DownloadFile | None = None,
) -> None:
    """Show ``svg`` in the drawing ``key`` (kept mounted across reruns; updated in place).

    ``name`` names the downloads (``gate-by-gate-<name>.svg`` / ``.png``). ``on_click`` runs when a
    heatmap square is clicked, or a control moves the step or unit; it reads the new (step, unit) as
    ``clicked_square(key)``. ``controls`` draws stepping controls above the drawing, ``html`` (trusted,
    escaped) a block between them and the drawing, ``side`` one beside the drawing (on its right) and
    ``below`` one under it; equations in them are ``tex_html``. ``on_play`` runs when Play / Pause is
    pressed, ``on_choice`` when an option of ``controls.choice`` is (read it as ``chosen(key)``), and
    ``on_input`` when a slider of the html blocks (``probe_html``) is let go (read it as ``reported``).
    ``title`` heads the drawing, ``wide=False`` makes it half as wide, and ``more`` adds drawings after it
    (each updated in place, each with its downloads). ``on_export`` runs when a button of
    ``export_buttons_html`` is pressed (read it as ``requested_export``); ``file`` is saved in the browser
    once.
    """
    callbacks: dict[str, Callable[[], None]] = {}
    if on_click is not None:
        callbacks["on_click_change"] = on_click
    if on_play is not None:
        callbacks["on_play_change"] = on_play
    if on_choice is not None:
        callbacks["on_choice_change"] = on_choice
    if on_input is not None:
        callbacks["on_input_change"] = on_input
    if on_export is not None:
        callbacks["on_export_change"] = on_export
    drawings = (Drawing(svg, name, title, wide), *more)
    data = svg_payload(drawings, on_click is not None, controls, html=html, side=side, below=below, file=file)
    _SVG(data=data.encode(), key=key, **callbacks)  # bytes: see lstm_ui/components/shared.js


def _trigger(key: str, name: str) -> object:
    """The value of trigger ``name`` last sent by drawing ``key`` (None before any)."""
    value = st.session_state.get(key)
    return value.get(name) if hasattr(value, "get") else getattr(value, name, None)


def slot_html(name: str) -> str:
    """Where the drawing with ``slot=name`` goes inside an html block."""
    return f'<div data-slot="{html_lib.escape(name)}"></div>'


def probe_html(name: str, label: str, value: float, lo: float, hi: float, step: float) -> str:
    """A slider for a drawing's html blocks: letting it go reports ``(name, value)`` (``reported``)."""
    shown = f"{value:.2f}".replace("-", "−")
    return (
        f'<label class="gbg-probe"><span>{html_lib.escape(label)}</span><output>{shown}</output>'
        f'<input type="range" data-report="{html_lib.escape(name)}" min="{lo}" max="{hi}" step="{step}" '
        f'value="{value}" aria-label="{html_lib.escape(label)}"></label>'
    )


def reported(key: str) -> tuple[str, float] | None:
    """The (name, value) of the html-block slider of drawing ``key`` last let go, or None."""
    point = _trigger(key, "input")
    try:
        return str(point["name"]), float(point["value"])
    except (KeyError, TypeError, ValueError):
        return None


def _text(key: str, trigger: str, field: str) -> str | None:
    """Field ``field`` of the value of trigger ``trigger`` last sent by drawing ``key``, as text, or None."""
    point = _trigger(key, trigger)
    return str(point[field]) if isinstance(point, dict) and field in point else None


def requested_export(key: str) -> str | None:
    """The format of the export button last pressed in drawing ``key``, or None."""
    return _text(key, "export", "format")


def moved_in_address(key: str, trigger: str = "click") -> bool:
    """Did drawing ``key``'s last ``trigger`` ("click" or "choice") put its move in the address bar?"""
    point = _trigger(key, trigger)
    return isinstance(point, dict) and point.get("inAddress") is True


def chosen(key: str) -> str | None:
    """The option last pressed in the choice of drawing ``key``'s controls, or None."""
    return _text(key, "choice", "value")


def clicked_square(key: str) -> tuple[int, int] | None:
    """The 1-based (step, unit) of the heatmap square last clicked in drawing ``key``, or None."""
    point = _trigger(key, "click")
    try:
        return int(point["step"]), int(point["unit"])
    except (KeyError, TypeError, ValueError):
        return None
