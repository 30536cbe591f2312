"""Stories: the lectures' worked examples, computed live, claim next to what the model actually did."""

import streamlit as st

from lstm_ui.components.live_svg import StepControls, clicked_square, show_svg
from lstm_ui.drawings.folding import fold_steps
from lstm_ui.exercise_box import exercise_box
from lstm_ui.layout import chart_font_size, controls_area, controls_row, intro, is_presenter, show_notes
from lstm_ui.notation import current_notation
from lstm_ui.prose import section
from lstm_ui.sentence import parse_sentence
from lstm_ui.state import view
from lstm_ui.state.widgets import address_of, move
from lstm_ui.state.widgets import show as showing
from lstm_ui.viewmodels.clamp_section import picked_clamp_controls, story_changes
from lstm_ui.viewmodels.stories import (
    DESIGNED,
    Example,
    ExampleResult,
    designed_weights_markdown,
    examples,
    focus_svg,
    focus_units,
    model_choices,
    model_status,
    model_title,
    story_notation,
    story_result,
    unit_label,
)
from lstm_ui.viewmodels.story_checks import readings_html
from lstm_ui.viewmodels.story_numbers import NUMERIC_VIEWS
from lstm_ui.viewmodels.story_text import claim_html, word_html

FOCUS = "focus"  # the word view's component
TEXT, VARIANT, MODEL = "story_text", "story_variant", "story_model_choice"  # the controls' own keys


def new_sentence() -> None:
    """The sentence box was edited: the story opens at the new sentence's decisive word."""
    view.set_view(text=st.session_state[TEXT], word=None)


def use_variant() -> None:
    if st.session_state.get(VARIANT):
        view.set_view(text=st.session_state[VARIANT], word=None)


def new_model() -> None:
    view.set_view(story_model=st.session_state[MODEL])


def new_example() -> None:
    """Another example: its own sentence, model and decisive word."""
    view.set_view(example=st.session_state["story_example"], text=None, story_model=None, word=None)


notation = current_notation()
font = chart_font_size()
catalogue = examples()


def claim_column(example: Example):
    """The two columns: the lecture's claim and caption on the left; returns the right one."""
    claim_col, did_col = st.columns(2, gap="large")
    claim_col.markdown(claim_html(example, None), unsafe_allow_html=True)
    return did_col


def on_word() -> None:
    """The word view's controls (Previous / Next, the word slider, ← / →) or a click on a heatmap row
    chose another word."""
    cell = clicked_square(FOCUS)
    if cell is not None:
        move(FOCUS, word=cell[0])


@st.fragment
def word_view(example_id: str, result: ExampleResult, model: str, sentence: str) -> None:
    """Everything that depends on the chosen word, as one component (controls, the claim and what the
    model did, the bars, the numbers, the heatmap): a new word reruns only this and redraws one element."""
    example = catalogue[example_id]
    T = len(result.tokens)
    asked = view.get("word")
    word = result.open_step + 1 if asked is None else min(max(int(asked), 1), T)
    if asked is not None and word != asked:
        view.set_view(word=word)
    t = word - 1
    units = focus_units(result, t)
    shown = story_notation(result, notation)
    large = is_presenter()
    controls = StepControls(
        steps=T,
        units=1,
        step=word,
        unit=1,
        tokens=result.tokens,
        step_label="Word (the decisive one is chosen for you)",
        font_px=font + 4,
        play=False,
        unit_slider=False,
        address=address_of(step="word"),
    )
    columns = word_html(example, result, t, units, shown, font, not large, large)
    show_svg(
        focus_svg(result, units, t, shown, font, fold_steps(T, (*result.key_steps, t))),
        key=FOCUS,
        name="focus",
        title=f"The units {unit_label(result, units)}, word by word",
        on_click=on_word,
        controls=controls,
        html="" if large else columns,
        below=(columns if large else "") + readings_html(result, t),  # a projector: the heatmap first
    )
    story_changes(model, sentence, word, notation, font, key="story_clamps")  # the answers with the clamps


def story_controls(example: Example) -> tuple[str, str]:
    """The sentence box, the variants and the model choice; returns (sentence, model)."""
    available, missing = model_choices(example)
    with controls_area():
        sentence = example.sentence if view.get("text") is None else str(view.get("text"))
        row = controls_row()
        row.text_input(
            "Sentence (edit it: another name, more words in between)",
            key=showing(TEXT, sentence),
            on_change=new_sentence,
        )
        if example.variants:
            row.selectbox(
                "Or try a variant",
                example.variants,
                key=showing(VARIANT, sentence if sentence in example.variants else None),
                on_change=use_variant,
                placeholder="Variants from the lectures…",
                width=360,
            )
        asked = view.get("story_model")
        model = asked if asked in available else (available[0] if available else example.model)
        if asked is not None and asked not in available:
            st.warning(f"The model {asked!r} cannot tell this story; showing {model_title(model)}.")
            view.set_view(story_model=None)
        if len(available) > 1:
            titles = {m: model_title(m) for m in available}  # read now: a session's model's title too
            st.radio(
                "Model",
                available,
                format_func=titles.__getitem__,
                key=showing(MODEL, model),
                on_change=new_model,
                horizontal=True,
            )
            if not is_presenter():
                st.caption(section("stories", "designed"))
        for name in missing:
            st.caption(f"Not available yet: {model_status()[name][1]} ({model_status()[name][2]})")
        if model == DESIGNED:
            with st.expander("How the designed model is wired: every unit and every weight, explained"):
                st.markdown(designed_weights_markdown())
    return sentence, model


@st.fragment
def story(example_id: str) -> None:
    """A story: a sentence through a model. Editing the sentence or changing the model reruns only this
    (not the title, the example picker or the sidebar); a new word reruns only ``word_view``."""
    example = catalogue[example_id]
    figure = st.container() if is_presenter() else None  # a projector: the figure above the controls
    sentence, model = story_controls(example)
    if example.model not in model_choices(example)[0]:
        with claim_column(example):
            st.subheader("What the model actually did")
            reason = model_status().get(example.model, ("", "", ""))[2]
            st.info(section("stories", "missing") + f"\n\n{reason}")
        return
    parsed = parse_sentence(sentence)
    if not parsed.ok:  # empty, or punctuation only: nothing to run (a long text runs whole)
        show_notes(parsed.notes)
        return
    try:
        result = story_result(example_id, sentence, model)
    except ValueError as exc:
        st.error(f"This sentence cannot be run: {exc}")
        return
    shown = view.get("word") or result.open_step + 1  # the form opens at the word shown
    picked_clamp_controls("story", model, sentence, min(int(shown), len(result.tokens)), notation, "story")
    with figure if figure is not None else st.container():
        word_view(example_id, result, model, sentence)


st.title("Stories")
intro(section("stories", "intro"))
ids = list(catalogue)
example_id = view.get("example") if view.get("example") in catalogue else ids[0]
st.selectbox(
    "Example",
    ids,
    format_func=lambda k: catalogue[k].title,
    key=showing("story_example", example_id),
    on_change=new_example,
)
example = catalogue[example_id]
if example.kind in NUMERIC_VIEWS:
    claim_col, numbers_col = st.columns(2, gap="large")
    with numbers_col:
        st.subheader("What the numbers give")
        numbers = NUMERIC_VIEWS[example.kind](example_id, example, notation, font)
    claim_col.markdown(claim_html(example, numbers), unsafe_allow_html=True)  # checked on the numbers shown
else:
    story(example_id)
exercise_box("views/stories.py")  # issue 19: predict, then reveal
