"""Every figure on every page can be saved as PNG or SVG: plotly charts from their modebar (plotly's camera
for PNG, the SVG button lstm_ui/components/live_chart.js adds; pressed in
tests/browser/test_rnn_browser.py), SVG drawings from their own two buttons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lstm_ui.layout import PAGES
from tests.apptest_helpers import chart_payloads, open_app, svg_payloads


def _configs(at) -> list[dict]:
    return [payload["config"] for payload in chart_payloads(at)]


def _opened(page: str):
    """The page with its figures drawn: as it opens, or for the Train page (which draws nothing until a run
    has trained) after a short run."""
    if page != "views/train.py":
        return open_app(page)
    from tests.test_app_train import TINY, press, run_until

    at = open_app(page, TINY)
    press(at, "Train")
    run_until(at, ("done",))
    return at


@pytest.mark.parametrize("page", [entry.file for entry in PAGES])
def test_every_figure_has_its_download_buttons(page: str) -> None:
    """plotly charts keep their modebar's download (PNG, and the SVG button the component adds) with a file
    name; SVG drawings (the cell diagram, heatmaps) carry their own SVG and PNG buttons
    (lstm_ui/components/live_svg.js) and a file name."""
    at = _opened(page)
    assert not at.exception
    configs, drawings = _configs(at), [d for d in svg_payloads(at) if d["svg"]]
    assert configs or drawings, f"{page} shows no figure"
    assert all(d["name"] for d in drawings)
    # Drawings inside a component's html blocks (the cell page's filters, the stories' bars) name their
    # download too: the component gives every <svg data-download="name"> the two buttons.
    for block in (d[part] for d in svg_payloads(at) for part in ("html", "side", "below")):
        tags = re.findall(r"<svg\b[^>]*>", block)
        assert all(re.search(r'data-download="[\w-]+"', tag) for tag in tags), tags
    for cfg in configs:
        assert cfg.get("displayModeBar", True) is not False
        assert "toImage" not in cfg.get("modeBarButtonsToRemove", [])
        assert cfg["toImageButtonOptions"]["format"] == "png"
        assert cfg["toImageButtonOptions"]["filename"].startswith("gate-by-gate-")


def _bundle_version(path: Path) -> str:
    return re.search(
        r"plotly\.js(?: \(cartesian - minified\))? v(\d+\.\d+\.\d+)", path.read_text()[:300]
    ).group(1)


def test_the_vendored_plotly_bundle_is_the_installed_version_and_draws_every_trace_type():
    """static/plotly-cartesian.min.js (scripts/vendor_plotly.sh) matches the plotly.js inside the installed
    plotly package, and registers every trace type that any page sends."""
    import plotly

    from lstm_ui.components.live_chart import PLOTLY_JS

    installed = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert _bundle_version(PLOTLY_JS) == _bundle_version(installed)
    bundle = PLOTLY_JS.read_text()
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    used = set()
    for entry in PAGES:
        at = _opened(entry.file)
        assert not at.exception
        used |= {
            trace.get("type", "scatter")
            for payload in chart_payloads(at)
            for trace in payload["figure"]["data"]
        }
        assert all(payload["src"].endswith("/app/static/" + PLOTLY_JS.name) for payload in chart_payloads(at))
    assert used and used <= registered, used - registered
