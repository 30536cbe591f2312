"""Home: the long-term dependency problem in one screen, the lecture's France sentence computed live (the
clue carried across the gap), the path onward."""

import streamlit as st

from lstm_ui.components.live_svg import show_svg
from lstm_ui.exercise_box import exercise_box
from lstm_ui.layout import PAGES, chart_font_size, intro, is_presenter, wrap_page_links
from lstm_ui.notation import current_notation
from lstm_ui.prose import read_text
from lstm_ui.viewmodels.home import home_caption_html, home_figure, home_result, home_svg

notation = current_notation()
figure = home_figure()
result = home_result(figure)

st.title("Gate by Gate: how an LSTM remembers")
intro(read_text("home_intro"))

live, problem = st.columns([1, 1], gap="large")
with live:
    st.subheader(figure.title)
    show_svg(
        home_svg(figure, result, notation, chart_font_size(), folded=is_presenter()),
        key="home_clue",
        name="home_clue",
        title="" if is_presenter() else f"“{figure.sentence}”",  # a projector: the rows show the words
        below=home_caption_html(result),
    )
    intro(read_text("home_heatmap"))
    st.page_link(
        "views/stories.py",
        label="Change the sentence: make the gap longer, pick another country",
        icon=":material/arrow_forward:",
        query_params={"example": figure.example, "text": figure.sentence},
    )
with problem:
    st.subheader("The long-term dependency problem")
    st.markdown(read_text("home_problem"))

st.subheader("A path through the app")
wrap_page_links()  # long labels: a phone would cut them
for number, entry in enumerate((p for p in PAGES if not p.default), start=1):
    st.page_link(entry.file, label=f"{number}. {entry.title} — {entry.blurb}", icon=entry.icon)
exercise_box("views/home.py")  # issue 19: predict, then reveal
