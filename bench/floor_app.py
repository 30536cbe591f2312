"""The floor for bench_browser.py: the smallest Streamlit page with one widget and one text.

Its redraw time (click a radio option → the text shows it) is what Streamlit itself costs on this machine
(event → websocket → rerun → deltas → React render), whatever an app draws: the app's own pages cannot be
faster. Not part of the app.
"""

import streamlit as st

st.title("Floor")
choice = st.radio("Pick one", ["left", "right"], horizontal=True)
st.markdown(f"Chosen: **{choice}**")
