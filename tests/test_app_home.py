"""The home page, headless (AppTest): it loads, and its figure is the designed LSTM's real trace on the France
sentence, with the claim checked on it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from apptest_helpers import ROOT, heat_drawings, open_app, svg_payloads, vkey

from lstm_core.story import load_model, run_text
from lstm_ui.layout import PAGES
from lstm_ui.sentence import token_labels

SENTENCE = "I grew up in France. Then we moved to the city, and I read many books there. I speak ___"


def home_drawing(at) -> dict:
    drawings = heat_drawings(at)
    assert list(drawings) == ["home_clue"]
    return drawings["home_clue"]


def test_home_opens_on_the_clue_carried_across_the_gap():
    """Issue 16: home opens on a figure that means something at a glance: the designed LSTM on the France
    sentence, its country units written at "France", kept across every word of the gap (f ≈ 1, C
    unchanged) and shown at the blank (o opens), with the answer and the lecture's claim checked live.
    The reference is the story model itself (``run_text``), the lecture's words the expectation."""
    at = open_app()
    assert not at.exception
    drawing = home_drawing(at)
    assert list(drawing["panels"]) == ["forget", "cell", "output"]
    run = run_text(load_model("designed_story"), SENTENCE)
    tokens = tuple(tok.text for tok in run.tokens)
    assert drawing["rows"] == token_labels(tokens)
    names = list(run.unit_names)
    units = [names.index(f"country {k}") for k in range(1, 9)] + [names.index("language cue")]
    for name in ("forget", "cell", "output"):
        expected = np.asarray(getattr(run.trace, name))[:, units]
        np.testing.assert_allclose(drawing["panels"][name]["values"], expected, rtol=0, atol=5.001e-5)
    country = drawing["panels"]
    france, speak, blank = tokens.index("France"), tokens.index("speak"), tokens.index("___")
    assert (country["forget"]["values"][france + 1 : blank, :8] > 0.99).all()  # kept across the gap
    cell = country["cell"]["values"][:, :8]
    assert np.abs(cell[france]).min() > 0.5 and np.abs(cell[:france]).max() < 0.05  # written at France
    np.testing.assert_allclose(
        cell[france + 1 : blank + 1], np.repeat(cell[france : france + 1], blank - france, 0), atol=1e-3
    )
    assert (country["output"]["values"][blank, :8] > 0.9).all()  # shown at the blank
    assert (country["output"]["values"][:speak, :8] < 0.1).all()  # and not before
    assert drawing["cell_outline"] == (blank + 1, 1)
    (payload,) = [p for p in svg_payloads(at) if p["key"] == "home_clue"]
    below = payload["below"]
    assert "“French”" in below and 'data-status="holds"' in below and "The lecture" in below
    assert below.count('data-role="part" data-status="holds"') == 3


def test_presenter_mode_folds_the_gap_so_the_figure_fits_a_projector():
    at = open_app(query={"presenter": "true"})
    rows = home_drawing(at)["rows"]
    assert rows[:1] == ["1 I"] and rows[-2:] == ["22 speak", "23 ___"] and "5 France" in rows
    assert "… 14 words …" in rows and len(rows) <= 10


def test_home_links_the_path_through_the_app():
    at = open_app()
    links = at.get("page_link")
    targets = [link.proto.page for link in links]
    for entry in PAGES:
        if not entry.default:
            assert any(t.endswith(entry.url_path) or entry.file in t for t in targets), (entry, targets)
    labels = [link.proto.label for link in links]
    assert any("Change the sentence" in label for label in labels)


def test_home_relabels_with_the_notation():
    at = open_app()
    before = home_drawing(at)["panels"]["forget"]
    at.sidebar.radio(key=vkey(at, "notation")).set_value("pytorch").run()
    after = home_drawing(at)["panels"]["forget"]
    assert not at.exception
    assert before["name"] != after["name"] and after["name"].startswith("forget gate f")
    np.testing.assert_array_equal(before["values"], after["values"])


def test_a_notation_switch_is_in_the_url_at_once():
    """The view is in the URL after every change: the switch's own run writes ``?notation=`` (its key),
    and the default is left out."""
    at = open_app()
    assert "notation" not in at.query_params  # the default is left out
    at.sidebar.radio(key=vkey(at, "notation")).set_value("ltm").run()
    (payload,) = svg_payloads(at)
    assert at.query_params["notation"] == "ltm" and "forget factor" in payload["svg"]
    at.sidebar.radio(key=vkey(at, "notation")).set_value("colah").run()
    assert "notation" not in at.query_params


def test_a_link_names_the_notation_by_its_label_or_its_key():
    for raw, key in (("LTM-STM", "ltm"), ("ltm-stm", "ltm"), ("ltm", "ltm"), ("PyTorch", "pytorch"),
                     ("split", "split"), ("nonsense", "colah"), ("", "colah")):  # fmt: skip
        at = open_app(query={"notation": raw})
        assert not at.exception and at.sidebar.radio(key=vkey(at, "notation")).value == key, raw
        warned = [w.value for w in at.warning]
        expected = (
            "The link's notation 'nonsense' cannot be used: choose one of colah, split, LTM-STM, PyTorch"
        )
        bad = raw in ("nonsense", "")
        assert warned == ([expected.replace("'nonsense'", repr(raw))] if bad else []), raw
        # The URL then holds the notation's key (none for the default): a bad value is dropped.
        assert at.query_params.get("notation") == (None if key == "colah" else key), raw


def test_presenter_mode_from_the_url_enlarges_the_type():
    at = open_app(query={"presenter": "true", "notation": "split"})
    assert not at.exception
    assert at.sidebar.toggle(key=vkey(at, "presenter")).value is True
    assert at.sidebar.radio(key=vkey(at, "notation")).value == "split"
    css = " ".join(el.proto.body for el in at.get("html"))
    assert "font-size: 20px" in css
    at.sidebar.toggle(key=vkey(at, "presenter")).set_value(False).run()
    assert "font-size: 20px" not in " ".join(el.proto.body for el in at.get("html"))


def test_no_legacy_pages_directory_next_to_app_py():
    """The page scripts live in views/, not pages/: with a pages/ directory next to app.py, Streamlit 1.67
    runs the first session after every server start in its legacy mode, which shows "Page not found" for
    a deep link (``/step?...``) and can run a page without app.py (no sidebar, no notation switch)."""
    from pathlib import Path

    from lstm_ui.layout import PAGES, ROOT

    assert not (ROOT / "pages").exists()
    assert all(Path(entry.file).parts[0] == "views" and (ROOT / entry.file).is_file() for entry in PAGES)
    assert len({e.url_path for e in PAGES}) == len(PAGES)


def test_the_first_page_of_a_fresh_server_loads_no_module_it_does_not_use():
    """What a fresh server's first run imports is part of its start-up time: pandas (~0.4 s; a component's
    data sent as a str went through Streamlit's dataframe detection, which imports it) and the training
    lab's job runner (``lstm_core.train.jobs``, with multiprocessing) are loaded by the pages that use
    them only (home runs the France story: the story models, ~60 ms once per server, are its figure);
    Streamlit's emoji catalogue (``streamlit.emojis``, 50–80 ms with its regex) is never loaded, since the
    tab's icon is an SVG file, not an emoji. A new interpreter, since this one has loaded them all."""
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=30).run()\n"
        "assert not at.exception, at.exception\n"
        "assert at.get('bidi_component'), 'the home drawing is missing'\n"
        "modules = ('pandas', 'lstm_core.train.jobs', 'streamlit.emojis')\n"
        "print(sorted(m for m in modules if m in sys.modules))\n"
    )
    run = [sys.executable, "-c", script]
    done = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
