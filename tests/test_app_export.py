"""Every figure on every page can be saved as PNG or SVG from plotly's modebar, in the format chosen in
the sidebar."""

from __future__ import annotations

import pytest

from lstm_ui.layout import PAGES
from tests.apptest_helpers import chart_payloads, open_app


def _configs(at) -> list[dict]:
    return [payload["config"] for payload in chart_payloads(at)]


@pytest.mark.parametrize("page", [entry.file for entry in PAGES])
def test_every_figure_has_a_download_button_in_the_chosen_format(page: str) -> None:
    at = open_app(page)
    assert not at.exception
    configs = _configs(at)
    assert configs, f"{page} shows no figure"
    for cfg in configs:
        assert cfg.get("displayModeBar", True) is not False
        assert "toImage" not in cfg.get("modeBarButtonsToRemove", [])
        assert cfg["toImageButtonOptions"]["format"] == "png"
        assert cfg["toImageButtonOptions"]["filename"].startswith("gate-by-gate-")
    at.sidebar.radio(key="figure_format").set_value("svg").run()
    assert not at.exception
    assert {c["toImageButtonOptions"]["format"] for c in _configs(at)} == {"svg"}
