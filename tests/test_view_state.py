"""The view state (lstm_ui/state/view.py), headless: the session holds the view and the URL always shows it.

A link's parameters set the view on a session's first run and on a move to another page; every move
between pages keeps the rest; a control writes its change to the URL in its own run; a value a link
cannot use is dropped with a message. Bugs 1, 2, 4 and 5 of issue 15 each have a test here (bug 3, the
arrow keys after a notation click, needs a browser: tests/browser/test_view_links_browser.py).
"""

from __future__ import annotations

import pytest
from apptest_helpers import open_app, svg_payloads, view_of, vkey
from streamlit.testing.v1 import AppTest

from lstm_ui.layout import PAGES
from lstm_ui.state import view

DEEP = {"sentence": "Bob is a nice person", "model": "lstm16", "step": "3", "unit": "5", "notation": "ltm"}


def page_at(at, file: str):
    return at.switch_page(file).run()


def test_every_move_between_pages_keeps_the_view():
    """Bug 1: a link's sentence and step were lost on the first click to another page."""
    files = [entry.file for entry in PAGES]
    at = open_app(query=DEEP)
    for file in files + files[::-1]:
        page_at(at, file)
        assert not at.exception, file
        assert dict(at.query_params) == DEEP, file
        if at.text_input:
            assert at.text_input(key=vkey(at, "sentence")).value == DEEP["sentence"], file


def test_the_sentence_box_shows_the_sentence_on_the_next_page():
    at = open_app("views/step_through.py", {"sentence": "Bob is a nice person", "step": "3"})
    page_at(at, "views/cell.py")
    assert at.text_input(key=vkey(at, "sentence")).value == "Bob is a nice person"
    (diagram,) = [p for p in svg_payloads(at) if p["key"] == "cell_diagram"]
    assert diagram["controls"]["step"] == 3 and diagram["controls"]["tokens"][2] == "a"


@pytest.mark.parametrize("file", ["views/step_through.py", "views/cell.py"])
def test_a_model_in_the_link_stays_in_the_url(file):
    """Bug 2: ``?model=lstm16`` was shown but dropped from the address, so a copied link reopened H=8."""
    at = open_app(file, {"model": "lstm16"})
    assert at.query_params["model"] == "lstm16"
    assert at.selectbox(key=vkey(at, "model")).value == "lstm16"
    at.selectbox(key=vkey(at, "model")).set_value("lstm8-remember").run()
    assert at.query_params["model"] == "lstm8-remember"
    at.selectbox(key=vkey(at, "model")).set_value("lstm8").run()
    assert "model" not in at.query_params  # the default is left out


def test_a_bad_value_in_a_link_is_dropped_with_a_message():
    """Bug 4: ``?example=zzz&word=-5`` left ``word=-5`` in the URL, and ``story_model=zzz`` was ignored
    without a word."""
    at = open_app(
        query={"example": "zzz", "word": "-5", "story_model": "zzz", "step": "abc", "unit": "10000000"}
    )
    said = " ".join(w.value for w in at.warning)
    assert "The link's example 'zzz' cannot be used" in said
    assert "The link's word '-5' cannot be used: it must be 1 or more" in said
    assert "The link's story model 'zzz' cannot be used" in said
    assert "The link's step 'abc' cannot be used: it is not a whole number" in said
    assert "The link's unit '10000000' cannot be used: it must be at most 1,000,000" in said
    assert dict(at.query_params) == {}
    page_at(at, "views/stories.py")
    assert not at.exception and not at.warning  # said once, on the link's page
    assert dict(at.query_params) == {}


def test_a_story_model_that_cannot_tell_the_story_is_said_and_dropped():
    at = open_app("views/stories.py", {"example": "forget_bob_dan", "story_model": "reviews_lstm"})
    assert any("cannot tell this story" in w.value for w in at.warning)
    assert "story_model" not in at.query_params and view_of(at)["story_model"] is None


def test_the_example_picker_shows_the_sentence_it_holds():
    """Bug 5: after typing a sentence, "Load an example" still showed the example loaded before."""
    at = open_app("views/step_through.py")
    picker = "step_example"
    at.selectbox(key=picker).set_value("bob_dan").run()
    assert (
        view_of(at)["sentence"].startswith("Bob is a nice person")
        and at.selectbox(key=picker).value == "bob_dan"
    )
    at.text_input(key=vkey(at, "sentence")).set_value("Alice is here").run()
    assert at.selectbox(key=picker).value is None
    at.text_input(key=vkey(at, "sentence")).set_value("The clouds are in the sky").run()
    assert at.selectbox(key=picker).value == "clouds"  # the lecture's sentence, typed: its example


def test_a_link_inside_the_app_sets_what_it_names_and_keeps_the_rest():
    """The cell page's link from the step page carries the view; a move to a page with parameters of its
    own (a link inside the app) takes them and keeps the others."""
    at = open_app("views/step_through.py", {"sentence": "Bob is a nice person", "notation": "split"})
    at.query_params["step"] = "4"  # as st.page_link(..., query_params=...) opens a page
    page_at(at, "views/cell.py")
    assert view_of(at)["step"] == 4 and view_of(at)["notation"] == "split"
    assert dict(at.query_params) == {"sentence": "Bob is a nice person", "step": "4", "notation": "split"}


def test_a_rerun_on_the_same_page_keeps_the_view_whatever_the_url_says():
    """Within a page only controls change the view: a rerun that arrives with Streamlit's own stale copy
    of the address (the drawings' moves go into the address bar without it) does not move it back."""
    at = open_app("views/cell.py", {"step": "4"})
    at.query_params["step"] = "2"  # Streamlit's copy, older than the address bar
    at.run()
    (diagram,) = [p for p in svg_payloads(at) if p["key"] == "cell_diagram"]
    assert view_of(at)["step"] == 4 and diagram["controls"]["step"] == 4


def _two_buttons_app():
    import streamlit as st

    from lstm_ui.state import view

    view.start_run("page")
    st.button("moved", key="moved", on_click=view.note_moved, kwargs={"step": 6})
    st.button("set", key="set", on_click=view.set_view, kwargs={"unit": 3})


def test_a_drawings_move_is_noted_not_written_again():
    """A move that a drawing put in the address bar itself (its trigger says ``inAddress``:
    ``widgets.move``) changes the view and is noted as shown, not sent again; the next change sends the
    whole view."""
    at = AppTest.from_function(_two_buttons_app, default_timeout=30).run()
    at.button(key="moved").click().run()
    assert view_of(at)["step"] == 6 and "step" not in at.query_params  # the browser's address has it
    assert at.session_state["_view_shown"] == {"step": "6"}
    at.button(key="set").click().run()
    assert dict(at.query_params) == {"step": "6", "unit": "3"}


def test_url_params_are_written_in_one_order_defaults_left_out():
    state = {p.name: p.default for p in view.PARAMS} | {"notation": "pytorch", "step": 7, "presenter": True}
    assert view.url_params(state) == {"step": "7", "notation": "pytorch", "presenter": "true"}
