"""When the URL is written (lstm_ui/state.py): at once, or, after a move of the step controls or a sidebar
switch, in the "sync" run the page's drawing asks for once the reader pauses; nothing a waiting run
wanted in the URL is lost, and a full run drops what another page left.

A small app drives the state functions the way the pages do: a button per callback (a move, a sidebar
switch, the sync trigger), a text box whose value a writer keeps in ``?word=``, and the full-run hook at
the top as in app.py. (The browser tests time the real sync: tests/browser/test_step_through_browser.py,
test_home_browser.py.)"""

from __future__ import annotations

from apptest_helpers import open_app, svg_payloads
from streamlit.testing.v1 import AppTest

from lstm_ui.state import URL_LATER


def url_app() -> None:
    import streamlit as st

    from lstm_ui import state

    if st.session_state.get("full_run", True):  # app.py's hook (a fragment run would skip it)
        state.url_on_full_run()
    st.button("move", on_click=state.moved_by_controls)
    st.button("switch", on_click=state.switched_in_sidebar)
    st.button("sync", on_click=state.url_catches_up)
    if st.session_state.get("box_runs", True):  # False: the sync reruns another fragment than the box's
        word = st.text_input("word", "one", key="word")
        state.write_url("word", None if word == "one" else word)  # "one" is the default: left out


def start() -> AppTest:
    at = AppTest.from_function(url_app, default_timeout=30)
    return at.run()


def test_a_run_with_nothing_waiting_writes_the_url_at_once():
    at = start()
    assert "word" not in at.query_params
    at.text_input(key="word").set_value("two").run()
    assert at.query_params["word"] == "two"
    at.text_input(key="word").set_value("one").run()
    assert "word" not in at.query_params  # back to the default: dropped


def test_after_a_move_the_url_waits_for_the_sync_and_gets_the_last_value():
    at = start()
    at.session_state["full_run"] = False  # the move and what follows rerun a fragment, not app.py
    at.button[0].click().run()  # move
    at.text_input(key="word").set_value("two").run()
    at.text_input(key="word").set_value("three").run()
    assert "word" not in at.query_params  # still waiting: the reader has not paused
    at.session_state["box_runs"] = False
    at.button[2].click().run()  # sync, in the drawing's fragment: the box's writer does not run
    assert at.query_params["word"] == "three"
    at.session_state["box_runs"] = True
    at.run()  # the box is drawn again (Streamlit dropped its state while it was not: "one" again)
    at.text_input(key="word").set_value("four").run()
    assert at.query_params["word"] == "four"  # no longer waiting: written at once


def test_the_run_a_sidebar_switch_starts_waits_too():
    at = start()
    at.button[1].click().run()  # the notation radio's callback, then a full run
    at.text_input(key="word").set_value("two").run()  # a full run after the switch's own run …
    assert at.query_params["word"] == "two"  # … writes: only the switch's own run waits
    at.button[1].click()
    at.text_input(key="word").set_value("three").run()  # the switch and the edit in one run
    assert at.query_params["word"] == "two"
    at.session_state["full_run"] = at.session_state["box_runs"] = False
    at.button[2].click().run()  # sync
    assert at.query_params["word"] == "three"


def test_a_full_run_drops_what_the_waiting_runs_left():
    """A page switch right after a move: the new page's full run writes its own URL; the old page's
    noted step must not follow it there."""
    at = start()
    at.session_state["full_run"] = False
    at.button[0].click().run()  # move
    at.text_input(key="word").set_value("two").run()  # noted for the sync
    at.session_state["full_run"] = True
    at.text_input(key="word").set_value("one").run()  # a full run: writes at once, drops the note
    assert "word" not in at.query_params
    at.session_state["full_run"] = at.session_state["box_runs"] = False
    at.button[2].click().run()  # a late sync of the old page
    assert "word" not in at.query_params


def test_a_switch_on_a_page_without_a_live_drawing_reaches_the_url_at_the_end_of_its_run():
    """No drawing would ask for the sync (a story drawn by a plotly chart; a page stopped by bad input):
    app.py's ``url_after_full_run`` writes the URL at the end of the switch's own run."""
    at = open_app("views/stories.py", query={"example": "softmax_dog_wolf"})
    assert not at.exception and svg_payloads(at) == []  # the softmax story: a chart, no live drawing
    at.sidebar.radio(key="notation").set_value("ltm").run()
    assert at.query_params["notation"] == "LTM-STM" and URL_LATER not in at.session_state
    at = open_app("views/cell.py", query={"sentence": " "})  # nothing to run the cell on: st.stop()
    at.sidebar.radio(key="notation").set_value("pytorch").run()
    assert not at.exception and svg_payloads(at) == []
    assert at.query_params["notation"] == "PyTorch" and URL_LATER not in at.session_state


def test_a_switch_on_a_page_with_a_live_drawing_waits_for_its_sync():
    at = open_app("views/stories.py", query={"example": "output_brave"})
    at.sidebar.radio(key="notation").set_value("ltm").run()
    assert [p["sync"] for p in svg_payloads(at)] == [True]
    assert "notation" not in at.query_params and at.session_state[URL_LATER] is True
