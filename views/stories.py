"""Stories: the lectures' worked examples, computed live, claim next to what the model actually did."""

import streamlit as st

from lstm_ui.layout import chart_font_size, controls_area, controls_row, is_presenter
from lstm_ui.live_svg import StepControls, clicked_square, show_svg
from lstm_ui.notation import current_notation
from lstm_ui.sections import section
from lstm_ui.state import keep_positions_in_url, moved_by_controls, prepare_int
from lstm_ui.stories import (
    DESIGNED,
    Example,
    ExampleResult,
    decisive_step,
    designed_weights_markdown,
    examples,
    focus_svg,
    focus_units,
    model_choices,
    model_status,
    story_notation,
    story_result,
    unit_label,
)
from lstm_ui.story_numbers import NUMERIC_VIEWS
from lstm_ui.story_view import word_html
from lstm_ui.text import MAX_CHARS, parse_sentence
from lstm_ui.url_choice import forget, keep_in_url, needs_default, start_from_url

EXAMPLE, TEXT, MODEL, WORD = "example", "text", "story_model", "word"  # URL parameters of this page
BOUND = (TEXT,)  # bound with bind="query-params"; WORD (1-based) is written to the URL by word_view
FOCUS = "focus"  # the word view's component


def reset_view() -> None:
    """A new example: its own sentence, model and decisive word."""
    forget((TEXT, MODEL, WORD, "variant"), BOUND)


def new_sentence() -> None:
    """A new sentence opens at its decisive word (?word= is then rewritten, not dropped and added again:
    each change of the URL costs the browser a few ms)."""
    forget((WORD,), (WORD,))


def use_variant() -> None:
    if st.session_state.get("variant"):
        st.session_state[TEXT] = st.session_state["variant"]
    new_sentence()


notation = current_notation()
font = chart_font_size()
catalogue = examples()


def claim_column(example: Example):
    """The two columns: the lecture's claim and caption on the left; returns the right one."""
    claim_col, did_col = st.columns(2, gap="large")
    with claim_col:
        st.subheader("What the lecture claims")
        st.markdown(f"> {example.claim}")
        st.markdown(example.caption)
    return did_col


def on_word() -> None:
    """The word view's controls (Previous / Next, the word slider, ← / →) or a click on a heatmap row
    chose another word."""
    cell = clicked_square(FOCUS)
    if cell is not None:
        st.session_state[WORD] = cell[0]
        moved_by_controls()


@st.fragment
def word_view(example_id: str, sentence: str, result: ExampleResult, model: str) -> None:
    """Everything that depends on the chosen word, as one component (controls, the claim and what the
    model did, the bars, the numbers, the heatmap): a new word reruns only this and redraws one element."""
    example = catalogue[example_id]
    T = len(result.tokens)
    if needs_default(WORD):
        st.session_state[WORD] = decisive_step(example_id, result, model) + 1
    word = prepare_int(WORD, 1, T)
    keep_positions_in_url({WORD: word})
    t = word - 1
    units = focus_units(result, t)
    expected = example.expected if sentence == example.sentence else None  # the lecture's own sentence only
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
    )
    show_svg(
        focus_svg(result, units, t, shown, font),
        key=FOCUS,
        name="focus",
        title=f"The units {unit_label(result, units)}, word by word",
        on_click=on_word,
        controls=controls,
        html=word_html(example, result, t, units, shown, expected, font, not large, large),
    )


def story_controls(example: Example) -> tuple[str, str]:
    """The sentence box, the variants and the model choice; returns (sentence, model)."""
    available, missing = model_choices(example)
    with controls_area():
        if needs_default(TEXT):
            st.session_state[TEXT] = example.sentence
        row = controls_row()
        sentence = row.text_input(
            "Sentence (edit it: another name, more words in between)",
            key=TEXT,
            bind="query-params",
            on_change=new_sentence,
        )
        if example.variants:
            row.selectbox(
                "Or try a variant",
                example.variants,
                index=None,
                key="variant",
                on_change=use_variant,
                placeholder="Variants from the lectures…",
                width=360,
            )
        if len(available) > 1:
            start_from_url(MODEL, available, available[0])
            model = st.radio(
                "Model", available, format_func=lambda m: model_status()[m][1], key=MODEL, horizontal=True
            )
            keep_in_url(MODEL, model, available[0])
            if not is_presenter():
                st.caption(section("stories", "designed"))
        else:
            model = available[0] if available else example.model
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
    sentence, model = story_controls(example)
    if example.model not in model_choices(example)[0]:
        with claim_column(example):
            st.subheader("What the model actually did")
            reason = model_status().get(example.model, ("", "", ""))[2]
            st.info(section("stories", "missing") + f"\n\n{reason}")
        return
    parsed = parse_sentence(sentence)
    if len(sentence) > MAX_CHARS or not parsed.ok:
        for level, message in parsed.notes:
            getattr(st, level)(message)
        return
    if parsed.total > len(parsed.tokens):
        st.warning(
            f"The sentence has {parsed.total:,} words; the story reads the first {len(parsed.tokens)}."
        )
        sentence = " ".join(parsed.tokens)
    try:
        result = story_result(example_id, sentence, model)
    except ValueError as exc:
        st.error(f"This sentence cannot be run: {exc}")
        return
    if any(ord(ch) > 0x024F for ch in sentence):
        st.warning(
            "Emoji or non-Latin letters: the story models know English words only; such words read as "
            "unknown (all zeros for the designed model)."
        )
    word_view(example_id, sentence, result, model)


st.title("Stories")
if not is_presenter():
    st.markdown(section("stories", "intro"))
ids = list(catalogue)
bad = start_from_url(EXAMPLE, ids, ids[0])
if bad:
    st.warning(f"Unknown example {bad!r} in the link; showing the first one.")
example_id = st.selectbox(
    "Example", ids, format_func=lambda k: catalogue[k].title, key=EXAMPLE, on_change=reset_view
)
keep_in_url(EXAMPLE, example_id, ids[0])
example = catalogue[example_id]
if example.kind in NUMERIC_VIEWS:
    with claim_column(example):
        st.subheader("What the numbers give")
        NUMERIC_VIEWS[example.kind](example_id, example, notation, font)
else:
    story(example_id)
