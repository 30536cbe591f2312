"""Home: the long-term dependency problem in one screen, a live forget-gate heatmap, the path onward."""

import streamlit as st

from lstm_ui.components.live_svg import show_svg
from lstm_ui.compute import DEFAULT_MODEL, MODELS, lstm_trace
from lstm_ui.drawings.heatmap import HALF_WIDTH_PX, trace_svg
from lstm_ui.layout import PAGES, chart_font_size
from lstm_ui.notation import current_notation
from lstm_ui.prose import read_text
from lstm_ui.sentence import DEFAULT_SENTENCE, parse_sentence
from lstm_ui.viewmodels.step import numbers_tabs

notation = current_notation()

st.title("Gate by Gate: how an LSTM remembers")
st.markdown(read_text("home_intro"))

problem, live = st.columns([1, 1], gap="large")
with problem:
    st.subheader("The long-term dependency problem")
    st.markdown(read_text("home_problem"))

with live:
    st.subheader(f"The {notation.name('forget')} at work")
    st.markdown(read_text("home_heatmap"))
    tokens = parse_sentence(DEFAULT_SENTENCE).tokens
    trace = lstm_trace(DEFAULT_MODEL, tokens)
    svg = trace_svg(
        {"forget": trace.forget}, tokens, notation, font_size=chart_font_size(), width_px=HALF_WIDTH_PX
    )
    show_svg(svg, key="home_forget", name="home_forget")
    st.caption(f"Model: {MODELS[DEFAULT_MODEL].title}. Colour range fixed at 0 … 1.")
    numbers_tabs({"forget": trace.forget}, tokens, notation, key="home_numbers")
    st.page_link(
        "views/step_through.py",
        label="Step through this sentence, gate by gate",
        icon=":material/arrow_forward:",
        query_params={"sentence": DEFAULT_SENTENCE, "model": DEFAULT_MODEL},
    )

st.subheader("A path through the app")
for number, entry in enumerate((p for p in PAGES if not p.default), start=1):
    st.page_link(entry.file, label=f"{number}. {entry.title} — {entry.blurb}", icon=entry.icon)
