"""The home page, headless (AppTest): it loads, and its forget-gate heatmap is the core's real trace."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from apptest_helpers import ROOT, heat_drawings, open_app, svg_payloads, vkey

from lstm_core import init_lstm, run_lstm
from lstm_ui.layout import PAGES
from lstm_ui.sentence import DEFAULT_SENTENCE, embed, parse_sentence, token_labels


def test_home_loads_with_the_live_forget_gate():
    at = open_app()
    assert not at.exception
    assert "long-term dependency" in " ".join(h.value for h in at.subheader)
    drawings = heat_drawings(at)
    assert list(drawings) == ["home_forget"]
    drawing = drawings["home_forget"]
    assert list(drawing["panels"]) == ["forget"]
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    # independent reference: the default model is init_lstm(D=16, H=8, seed=0) on the hashed word vectors
    expected = run_lstm(init_lstm(16, 8, seed=0), embed(tokens, 16)).forget
    np.testing.assert_allclose(drawing["panels"]["forget"]["values"], expected, rtol=0, atol=5.001e-5)
    assert drawing["rows"] == token_labels(tokens)
    assert drawing["bars"] == {"gate": (0.0, 1.0)}  # fixed range, whatever the data


def test_home_links_the_path_through_the_app():
    at = open_app()
    links = at.get("page_link")
    targets = [link.proto.page for link in links]
    for entry in PAGES:
        if not entry.default:
            assert any(t.endswith(entry.url_path) or entry.file in t for t in targets), (entry, targets)
    labels = [link.proto.label for link in links]
    assert any("Step through this sentence" in label for label in labels)


def test_home_relabels_with_the_notation():
    at = open_app()
    before = heat_drawings(at)["home_forget"]["panels"]["forget"]
    at.sidebar.radio(key=vkey(at, "notation")).set_value("pytorch").run()
    after = heat_drawings(at)["home_forget"]["panels"]["forget"]
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
    data sent as a str went through Streamlit's dataframe detection, which imports it) and the story models
    with the training code (``lstm_core.examples``, ~60 ms) are loaded by the pages that use them only;
    Streamlit's emoji catalogue (``streamlit.emojis``, 50–80 ms with its regex) is never loaded, since the
    tab's icon is an SVG file, not an emoji. A new interpreter, since this one has loaded them all."""
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=30).run()\n"
        "assert not at.exception, at.exception\n"
        "assert at.get('bidi_component'), 'the home drawing is missing'\n"
        "modules = ('pandas', 'lstm_core.examples', 'lstm_core.story', 'streamlit.emojis')\n"
        "print(sorted(m for m in modules if m in sys.modules))\n"
    )
    run = [sys.executable, "-c", script]
    done = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
