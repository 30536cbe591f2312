"""Charts that stay mounted: every figure of the app is drawn by one Streamlit component.

``st.plotly_chart`` in Streamlit 1.67 derives its element id from the figure, so any change to a figure
(the next step, a new sentence, another notation) unmounts the chart and draws it again from scratch.
``show_chart`` sends the figure to a component with a fixed key instead; its JavaScript
(``live_chart.js``, beside this file) keeps the drawn chart and hands each new figure to plotly.js's
``Plotly.react``, which updates in place and skips traces whose ``layout.datarevision`` did not change.

plotly.js is its "cartesian" bundle (every trace type the app draws, a third of the full bundle's size
and parse time), at the version the installed plotly package ships, vendored in ``static/`` by
``scripts/vendor_plotly.sh`` and served from there (``server.enableStaticServing``). The modebar
(download as PNG/SVG, zoom, pan) is plotly's own.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from lstm_ui.components import component_js, static_url

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
PLOTLY_JS = ROOT / "static" / "plotly-cartesian.min.js"
_JS = component_js("live_chart")
_THEME = json.loads((ASSETS / "plot_theme.json").read_text(encoding="utf-8"))["layout"]
_CHART = st.components.v2.component("gbg.live_chart", js=_JS, isolate_styles=False)


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
    lstm_ui/components/live_chart.js adds one that saves an SVG, like every drawing's two buttons; file name
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


def plotly_js_url() -> str:
    """The URL path the browser loads plotly.js from (under ``server.baseUrlPath`` if one is set)."""
    return static_url(PLOTLY_JS.name)


def figure_spec(fig: go.Figure | dict) -> dict:
    """The figure as plotly.js receives it, on the app's own template (fonts, transparent background)."""
    spec = fig.to_plotly_json() if isinstance(fig, go.Figure) else dict(fig)
    layout = dict(spec.get("layout") or {})
    layout["template"] = {"layout": _THEME}
    return {"data": spec.get("data", []), "layout": layout}


def show_chart(
    fig: go.Figure | dict,
    key: str,
    name: str | None = None,
    container: object = st,
) -> None:
    """Draw ``fig`` in the chart ``key`` (kept mounted across reruns; redrawn with ``Plotly.react``).

    ``name`` names downloaded images (``gate-by-gate-<name>``; default: the key).
    """
    payload = {"figure": figure_spec(fig), "config": chart_config(name or key), "src": plotly_js_url()}
    with nullcontext() if container is st else container:
        _CHART(
            data=pio.json.to_json_plotly(payload).encode(), key=key
        )  # bytes: see lstm_ui/components/shared.js
