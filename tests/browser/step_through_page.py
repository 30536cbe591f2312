"""The "Step through a sentence" page in a real Chromium, as its browser tests read it: its address, the
selected step and unit wherever the page shows them, and the core's numbers it should show."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np

from lstm_core import init_lstm, run_lstm
from lstm_ui.sentence import embed
from tests.browser.heatmap_helpers import HEAT_SVG

# The selected (step t, unit j), both 1-based, read from the step strip, from the two sliders and from the
# heatmap drawing's selection: every one of its six panels outlines row t and square (t, j), nothing else.
SELECTED_IS_JS = (
    """([t, j]) => {
  const strip = document.querySelector('table.gbg-strip');
  const s = Array.from(document.querySelectorAll('.gbg-stepper input[type="range"]'));
  const svg = document.querySelector("""
    + repr(HEAT_SVG)
    + """);
  const rows = svg ? Array.from(svg.querySelectorAll('[data-role="row-outline"]')) : [];
  const cells = svg ? Array.from(svg.querySelectorAll('[data-role="cell-outline"]')) : [];
  return !!strip && strip.dataset.step === String(t) && strip.dataset.unit === String(j)
    && !!strip.querySelector('td.sel') && s.length === 2
    && s[0].value === String(t) && s[1].value === String(j)
    && rows.length === 6 && rows.every(r => r.dataset.t === String(t))
    && cells.length === 6 && cells.every(c => c.dataset.t === String(t) && c.dataset.j === String(j));
}"""
)


def reference(tokens: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The six (T, H) arrays of the page's default model (seeded LSTM, H = 8), from the core."""
    return run_lstm(init_lstm(16, 8, seed=0), embed(tokens, 16)).per_step()


def step_url(**query: object) -> str:
    return "/step?" + urlencode({k: str(v) for k, v in query.items()})
