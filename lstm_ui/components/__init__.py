"""Streamlit components, each Python module beside its JavaScript: ``live_svg`` (a page's step view: its
drawings, step controls and html blocks, updated in place; ``live_svg.js``, ``step_controls.js``,
``html_blocks.js``) and ``live_chart`` (plotly charts kept mounted; ``live_chart.js``). ``shared.js`` is
put in front of each. Python stays the source of every number: the JavaScript only draws what it is sent
and reports clicks and key presses back."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


def component_js(*names: str) -> str:
    """One component's JavaScript: ``shared.js`` (payload decoding, the script loader), then ``<name>.js``
    for each name, all from this folder (one module: the files' functions see each other; the last one
    holds the ``export default``)."""
    return "\n".join((HERE / f"{name}.js").read_text(encoding="utf-8") for name in ("shared", *names))


def static_url(filename: str) -> str:
    """The URL path of ``static/<filename>`` in the browser (under ``server.baseUrlPath`` if one is set)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return ("/" + base if base else "") + "/app/static/" + filename
