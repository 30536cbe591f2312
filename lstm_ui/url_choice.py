"""View state in the URL: choice widgets that keep an option's key there, and resetting widgets to a
page's own defaults.

Choice widgets whose URL parameter holds the option's key (``?example=output_brave``), not its label:

Streamlit's ``bind="query-params"`` writes a selectbox's or radio's *formatted label* into the URL, so a
hand-written link with the key would be dropped. These two calls keep the key instead: ``start_from_url``
before drawing the widget (``key`` = session key = URL parameter), ``keep_in_url`` after it.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lstm_ui.state import write_url

FRESH = "url_fresh"  # session key: the bound widgets to re-set to their defaults on this run


def start_from_url(key: str, options: Sequence[str], default: str) -> str | None:
    """Start the widget ``key`` at ``?key=`` when that is one of ``options`` (else at ``default``, or at its
    current value when it has one). Returns the rejected URL value, if any, for a warning."""
    if st.session_state.get(key) in options:
        return None
    raw = st.query_params.get(key)
    st.session_state[key] = raw if raw in options else default
    return raw if raw is not None and raw not in options else None


def keep_in_url(key: str, value: str, default: str) -> None:
    """Write ``value`` to ``?key=`` (left out when it is the default, like Streamlit's own binding); while a
    move or a switch waits for the reader's pause, in the "sync" run (``state.write_url``)."""
    write_url(key, None if value == default else value)


def forget(keys: Sequence[str], bound: Sequence[str] = ()) -> None:
    """(A callback.) Make the page fall back to its defaults for ``keys``: unbound ones are dropped from
    the session and the URL; a ``bind="query-params"`` widget in ``bound`` keeps its state (else its stale
    URL parameter would win when it is drawn again) and is marked for ``needs_default``."""
    fresh = set(st.session_state.get(FRESH, ()))
    for key in keys:
        if key in bound:
            fresh.add(key)
            continue
        st.session_state.pop(key, None)
        if key in st.query_params:
            del st.query_params[key]
    st.session_state[FRESH] = fresh


def needs_default(key: str) -> bool:
    """Should the page set ``key`` to its default now (before drawing the widget)? True once after
    ``forget``, or when the key has neither a value nor a URL parameter."""
    fresh = st.session_state.get(FRESH, set())
    if key in fresh or (key not in st.session_state and key not in st.query_params):
        st.session_state[FRESH] = set(fresh) - {key}
        return True
    return False
