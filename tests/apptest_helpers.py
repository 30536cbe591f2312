"""Helpers for the AppTest page tests: open a page, read the plotly figures it sent."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import PIL.Image
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_app(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """Run app.py (optionally with URL parameters), then switch to ``page`` (e.g. "views/step_through.py")."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page is not None:
        at.run()  # AppTest draws no sidebar when the very first run is a page switch: start at home
    if page is not None:
        at.switch_page(page)
    return at.run()


def vkey(at: AppTest, name: str) -> str:
    """The key of the control of view parameter ``name`` on the page ``at`` shows
    (``lstm_ui.state.widgets``: ``"w.<name>@<page>"``)."""
    return f"w.{name}@{at.session_state['_view_page']}"


def view_of(at: AppTest) -> dict:
    """The view the session holds (``lstm_ui.state.view``)."""
    return dict(at.session_state["_view"])


def chart_payloads(at: AppTest) -> list[dict]:
    """What every chart on the page sends the browser (``lstm_ui.components.live_chart``): figure,
    config, src."""
    elements = [el for el in at.get("bidi_component") if el.proto.component_name == "gbg.live_chart"]
    return [json.loads(el.proto.bytes) for el in elements]  # the data: UTF-8 JSON bytes per chart


def svg_payloads(at: AppTest) -> list[dict]:
    """What every SVG drawing on the page sends the browser (``lstm_ui.components.live_svg``), one entry
    per drawing: the component's payload with the drawing's ``"svg"``, ``"name"`` and ``"title"``, and as
    ``"key"`` the component's key (its first drawing) or ``"<key>/<name>"`` (the drawings after it)."""
    elements = [el for el in at.get("bidi_component") if el.proto.component_name == "gbg.live_svg"]
    out = []
    for el in elements:
        payload = json.loads(el.proto.bytes)  # the data: UTF-8 JSON bytes
        for k, drawing in enumerate(payload["drawings"]):
            key = el.key if k == 0 else f"{el.key}/{drawing['name']}"
            out.append({**payload, **drawing, "key": key})
    return out


def figures(at: AppTest) -> list[dict]:
    """Every plotly figure on the page, as the JSON spec the browser receives."""
    return [payload["figure"] for payload in chart_payloads(at)]


def decode(value: object) -> np.ndarray:
    """A plotly array: plain list, or plotly.py's base64 form ``{"dtype", "bdata", "shape"}``."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            arr = arr.reshape([int(s) for s in str(shape).split(",")])
        return arr
    return np.asarray(value)


def read_heat_svg(svg: str) -> dict:
    """A heatmap drawing (``lstm_ui.drawings.heatmap.trace_svg``) as data: ``rows`` (the row labels, a
    folded stretch's too), ``panels`` ({array name: {"name", "title", "values" (T, H) from the panel's
    data-values, "fills" (T, H) "#rrggbb" decoded by Pillow from its PNG picture, one pixel per
    square}}), ``bars`` ({scale: (lo, hi)}), ``row_outlines`` (the outlined step per panel) and
    ``cell_outline`` ((t, j) or None)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    T, H = int(root.get("data-steps")), int(root.get("data-units"))
    rows = [  # top to bottom: a step's label, or a folded stretch's ("… 1,940 words …")
        "".join(el.itertext()) for el in root.iter() if el.get("data-row") or el.get("data-gap")
    ]
    panels: dict[str, dict] = {}
    row_outlines, cell_outline = [], None
    for g in root.iter():
        if g.get("data-panel") is None:
            continue
        values = np.array([float(v) for v in g.get("data-values").split(" ")]).reshape(T, H)
        (image,) = [el for el in g.iter() if el.get("data-role") == "squares"]
        href = image.get("href")
        assert href.startswith("data:image/png;base64,")
        png = base64.b64decode(href.split(",", 1)[1])
        picture = np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))
        assert picture.shape == (T, H, 3)  # one pixel per square
        rgb = picture.astype(np.int64)
        fills = np.char.mod("#%06x", (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2])
        title = next("".join(el.itertext()) for el in g.iter() if el.get("data-role") == "panel-title")
        panels[g.get("data-panel")] = {
            "name": g.get("data-name"),
            "title": title,
            "values": values,
            "fills": fills,
        }
    for el in root.iter():
        if el.get("data-role") == "row-outline":
            row_outlines.append(int(el.get("data-t")))
        elif el.get("data-role") == "cell-outline":
            cell_outline = (int(el.get("data-t")), int(el.get("data-j")))
    bars = {
        el.get("data-scale"): tuple(float(v) for v in el.get("data-range").split())
        for el in root.iter()
        if el.get("data-role") == "colour-bar"
    }
    return {
        "rows": rows,
        "panels": panels,
        "bars": bars,
        "row_outlines": row_outlines,
        "cell_outline": cell_outline,
    }


def heat_drawings(at: AppTest) -> dict[str, dict]:
    """Every heatmap drawing on the page by its key, read with ``read_heat_svg``."""
    return {p["key"]: read_heat_svg(p["svg"]) for p in svg_payloads(at) if 'data-role="heatmap"' in p["svg"]}


def set_in_view(at: AppTest, **changes: object) -> AppTest:
    """Change the view as a control's callback does (``view.set_view``: the drawings' step controls, a
    click on a square, a choice); the next ``at.run()`` shows it. AppTest cannot press a component's
    controls."""
    current = view_of(at)
    current.update(changes)
    at.session_state["_view"] = current
    return at


def filter_dots(svg: str) -> dict[str, tuple[float, float, str]]:
    """The dots of a filter drawing (``lstm_ui.drawings.filters``): ``{name: (z, value, label)}`` ("probe",
    "mark f", …)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return {
        g.get("data-dot"): (float(g.get("data-z")), float(g.get("data-value")), "".join(g.itertext()).strip())
        for g in root.iter()
        if g.get("data-dot")
    }
