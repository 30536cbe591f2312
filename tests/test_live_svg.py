"""lstm_ui.components.live_svg's HTML helpers and payload: what its component (live_svg.js) receives.

The component puts the html blocks into the page as they are, so every text in them must be escaped."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import streamlit

from lstm_ui.components.live_svg import (
    KATEX_JS,
    Choice,
    Drawing,
    StepControls,
    probe_html,
    svg_payload,
    tex_html,
)
from lstm_ui.layout import ROOT
from lstm_ui.prose import inline_html, markdown_html


def test_markdown_html_keeps_bold_and_italics_and_escapes_everything_else():
    out = markdown_html("**Gates are filters.** A <script>alert(1)</script> & *some*\ntext.\n\nNext one.")
    assert out == (
        "<p><strong>Gates are filters.</strong> A &lt;script&gt;alert(1)&lt;/script&gt; &amp; <em>some</em> "
        "text.</p><p>Next one.</p>"
    )


def test_inline_html_writes_the_lectures_plain_symbols_as_sub_and_superscripts():
    claim = "C^f = C_{t-1} * f_t = [1, 2, 4] * [1, 0, 1]; C_t^f and C̃_t, <b> & x_name, brave ___ w_2x"
    assert inline_html(claim) == (
        "C<sup>f</sup> = C<sub>t−1</sub> * f<sub>t</sub> = [1, 2, 4] * [1, 0, 1]; "
        "C<sub>t</sub><sup>f</sup> and C̃<sub>t</sub>, &lt;b&gt; &amp; x_name, brave ___ w_2x"
    )
    # "*" between spaces is a product, not italics (as in Markdown)
    assert (
        markdown_html("[1, 2, 4] * [1, 0, 1] and *kept*") == "<p>[1, 2, 4] * [1, 0, 1] and <em>kept</em></p>"
    )


def test_tex_html_carries_the_latex_escaped_and_unchanged():
    tex = r"\left[f_t\right]_{2} = \sigma(0.197) = 0.549 \quad \text{<b>\"x\" & y</b>}"
    out = tex_html(tex)
    assert "<b>" not in out and '\\"' not in out
    assert html.unescape(re.fullmatch(r'<div class="gbg-tex" data-tex="([^"]*)"></div>', out).group(1)) == tex


def test_probe_html_is_a_range_slider_with_its_value_shown():
    out = probe_html("probe_sigmoid", "Probe σ at z", -1.5, -8.0, 8.0, 0.1)
    assert 'data-report="probe_sigmoid" min="-8.0" max="8.0" step="0.1" value="-1.5"' in out
    assert "<output>−1.50</output>" in out and 'aria-label="Probe σ at z"' in out


def test_the_payload_holds_every_drawing_the_controls_and_the_blocks():
    controls = StepControls(
        steps=5, units=3, step=2, unit=1, tokens=("a", "b", "c", "d", "e"), play=False,
        choice=Choice("Stage", (("forget", "1 Forget"), ("output", "4 Output")), "output"),
    )  # fmt: skip
    drawings = (Drawing("<svg/>", "one"), Drawing("<svg></svg>", "two", "Two", wide=False))
    data = json.loads(svg_payload(drawings, True, controls, html="<p>a</p>", side="s", below="b"))
    assert data["drawings"] == [
        {"svg": "<svg/>", "name": "one", "title": "", "wide": True, "slot": ""},
        {"svg": "<svg></svg>", "name": "two", "title": "Two", "wide": False, "slot": ""},
    ]
    c = data["controls"]
    assert (c["steps"], c["units"], c["step"], c["unit"], c["play"], c["unitSlider"]) == (
        5,
        3,
        2,
        1,
        False,
        True,
    )
    assert c["choice"] == {"label": "Stage", "options": [["forget", "1 Forget"], ["output", "4 Output"]],
                           "value": "output"}  # fmt: skip
    assert (data["html"], data["side"], data["below"], data["clickable"]) == ("<p>a</p>", "s", "b", True)
    assert data["katex"] == "/app/static/" + KATEX_JS


def test_the_vendored_katex_is_the_one_whose_css_streamlit_ships():
    """static/katex.min.js (scripts/vendor_katex.sh) is the KaTeX version of Streamlit's own stylesheet,
    which styles every `.katex` on the page (fonts included), so typeset equations look like st.latex."""
    css_dir = Path(streamlit.__file__).parent / "static" / "static" / "css"
    css = "".join(p.read_text() for p in css_dir.glob("index.*.css"))
    shipped = re.search(r'katex-version:after\{content:"(\d+\.\d+\.\d+)"', css).group(1)
    bundle = (ROOT / "static" / KATEX_JS).read_text()
    assert f'version:"{shipped}"' in bundle
