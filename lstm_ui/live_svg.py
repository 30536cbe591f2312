"""SVG drawings that stay mounted: one Streamlit component swaps a new SVG into the page in place.

The cell diagram (``lstm_ui.diagram.cell_svg``) changes every label on every step. Drawn by plotly.js,
that meant redrawing ~40 annotations (~80 ms per step); as one SVG string, the browser replaces it in a
few milliseconds. ``show_svg`` sends the SVG to a component with a fixed key; its JavaScript
(``assets/js/live_svg.js``) keeps one container per mount, replaces its contents only when the SVG
changed, and offers two small download buttons (SVG, PNG at 2×) saving ``gate-by-gate-<name>.svg/.png``.
The heatmaps (``lstm_ui.heat_svg.trace_svg``) use it too: a new step replaces only their selection
outlines (the drawing's last group); hovering a square shows its value, and where ``on_click`` is given a
click on a square reports its (step, unit).

The SVG is put into the page as it is: it must be built by trusted code with every text escaped
(``cell_svg`` and ``trace_svg`` escape all of their text).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from lstm_ui.layout import ROOT

_JS = (ROOT / "assets" / "js" / "live_svg.js").read_text(encoding="utf-8")
_SVG = st.components.v2.component("gbg.live_svg", js=_JS, isolate_styles=False)


@dataclass(frozen=True)
class StepControls:
    """Stepping controls drawn by the component above its drawing: Previous / Play / Next, a step slider
    (1 … steps, showing the token) and a unit slider (1 … units), and the ←, → and P keys.

    They live in the component, not as Streamlit widgets, so that a step re-renders one element in the
    browser (bench/component_floor_app.py: ~60 ms) instead of a dozen. A move reports the new
    (step, unit) like a click on a square (``on_click``, read with ``clicked_square``); Play reports
    through ``on_play``.
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

    def as_json(self) -> dict[str, object]:
        return {
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


def svg_payload(
    svg: str, name: str, clickable: bool = False, controls: StepControls | None = None, html: str = ""
) -> str:
    """What the component receives: the JSON string ``{"svg", "name", "clickable", "controls", "html"}``."""
    payload = {
        "svg": svg,
        "name": name,
        "clickable": clickable,
        "controls": controls.as_json() if controls is not None else None,
        "html": html,
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
) -> None:
    """Show ``svg`` in the drawing ``key`` (kept mounted across reruns; updated in place).

    ``name`` names the downloads (``gate-by-gate-<name>.svg`` / ``.png``). ``on_click`` runs when a
    heatmap square is clicked, or a control moves the step or unit; it reads the new (step, unit) as
    ``clicked_square(key)``. ``controls`` draws stepping controls above the drawing, ``html`` (trusted,
    escaped) a block between them and the drawing; ``on_play`` runs when Play / Pause is pressed.
    """
    callbacks: dict[str, Callable[[], None]] = {}
    if on_click is not None:
        callbacks["on_click_change"] = on_click
    if on_play is not None:
        callbacks["on_play_change"] = on_play
    data = svg_payload(svg, name, clickable=on_click is not None, controls=controls, html=html)
    _SVG(data=data, key=key, **callbacks)


def clicked_square(key: str) -> tuple[int, int] | None:
    """The 1-based (step, unit) of the heatmap square last clicked in drawing ``key``, or None."""
    value = st.session_state.get(key)
    point = value.get("click") if hasattr(value, "get") else getattr(value, "click", None)
    try:
        return int(point["step"]), int(point["unit"])
    except (KeyError, TypeError, ValueError):
        return None
