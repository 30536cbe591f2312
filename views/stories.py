"""Stories: the lectures' worked examples, computed live, claim next to what the model actually did."""

import streamlit as st

from lstm_ui.layout import chart_font_size, controls_area, is_presenter
from lstm_ui.live_chart import show_chart
from lstm_ui.live_svg import show_svg
from lstm_ui.notation import current_notation
from lstm_ui.sections import section
from lstm_ui.state import prepare_int
from lstm_ui.stories import (
    DESIGNED,
    ExampleResult,
    decisive_step,
    designed_weights_markdown,
    examples,
    focus_svg,
    focus_units,
    gate_mean,
    gate_names,
    model_choices,
    model_status,
    prediction_figure,
    step_table,
    story_notation,
    story_result,
    unit_label,
)
from lstm_ui.story_numbers import NUMERIC_VIEWS
from lstm_ui.text import MAX_CHARS, parse_sentence
from lstm_ui.url_choice import forget, keep_in_url, needs_default, start_from_url

EXAMPLE, TEXT, MODEL, WORD = "example", "text", "story_model", "word"  # URL parameters of this page
BOUND = (TEXT, WORD)  # bound with bind="query-params"


def reset_view() -> None:
    """A new example: its own sentence, model and decisive word."""
    forget((TEXT, MODEL, WORD, "variant"), BOUND)


def use_variant() -> None:
    if st.session_state.get("variant"):
        st.session_state[TEXT] = st.session_state["variant"]
    forget((WORD,), BOUND)


notation = current_notation()
font = chart_font_size()
catalogue = examples()

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


def claim_column():
    """The two columns: the lecture's claim and caption on the left; returns the right one."""
    claim_col, did_col = st.columns(2, gap="large")
    with claim_col:
        st.subheader("What the lecture claims")
        st.markdown(f"> {example.claim}")
        st.markdown(example.caption)
    return did_col


if example.kind in NUMERIC_VIEWS:
    with claim_column():
        st.subheader("What the numbers give")
        NUMERIC_VIEWS[example.kind](example_id, example, notation, font)
    st.stop()

# A story: a sentence through a model.
available, missing = model_choices(example)
with controls_area():
    if needs_default(TEXT):
        st.session_state[TEXT] = example.sentence
    text_col, variant_col = st.columns([3, 2], vertical_alignment="bottom")
    sentence = text_col.text_input(
        "Sentence (edit it: another name, more words in between)",
        key=TEXT,
        bind="query-params",
        on_change=forget,
        args=((WORD,), BOUND),
    )
    if example.variants:
        variant_col.selectbox(
            "Or try a variant",
            example.variants,
            index=None,
            key="variant",
            on_change=use_variant,
            placeholder="Variants from the lectures…",
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

if example.model not in available:
    with claim_column():
        st.subheader("What the model actually did")
        st.info(section("stories", "missing") + f"\n\n{model_status().get(example.model, ('', '', ''))[2]}")
    st.stop()

parsed = parse_sentence(sentence)
if len(sentence) > MAX_CHARS or not parsed.ok:
    for level, message in parsed.notes:
        getattr(st, level)(message)
    st.stop()
if parsed.total > len(parsed.tokens):
    st.warning(f"The sentence has {parsed.total:,} words; the story reads the first {len(parsed.tokens)}.")
    sentence = " ".join(parsed.tokens)
try:
    result = story_result(example_id, sentence, model)
except ValueError as exc:
    st.error(f"This sentence cannot be run: {exc}")
    st.stop()
if any(ord(ch) > 0x024F for ch in sentence):
    st.warning(
        "Emoji or non-Latin letters: the story models know English words only; such words read as "
        "unknown (all zeros for the designed model)."
    )


@st.fragment
def word_view(example_id: str, sentence: str, result: ExampleResult, model: str) -> None:
    """Everything that depends on the chosen word: moving the word slider reruns only this."""
    example = catalogue[example_id]
    tokens = result.tokens
    T = len(tokens)
    if needs_default(WORD):
        st.session_state[WORD] = decisive_step(example_id, result, model) + 1
    prepare_int(WORD, 1, T)
    if T > 1:
        label = "Word (the decisive one is chosen for you)"
        t = int(st.slider(label, 1, T, key=WORD, bind="query-params")) - 1
    else:
        t = 0
    units = focus_units(result, t)
    did_col = claim_column()
    expected = example.expected if sentence == example.sentence else None  # the lecture's own sentence only
    shown = story_notation(result, notation)

    with did_col:
        st.subheader("What the model actually did")
        st.markdown(
            f"At **“{tokens[t]}”** (word {t + 1} of {T}), over the units **{unit_label(result, units)}**:"
        )
        gates = gate_names(result)
        for col, gate in zip(st.columns(len(gates)), gates, strict=True):
            now, before = gate_mean(result, gate, units, t)
            col.metric(
                f"{shown.name(gate)} {shown.symbol_plain(gate)}",
                f"{now:.6f}",
                delta=None if before is None else f"{now - before:+.6f}",
                delta_color="off",
                help="Mean over the units above; the change is from the word before.",
            )
        preds = [p for p in result.predictions if p.step == t] or list(result.predictions)
        if preds:
            pred = preds[0]
            where = tokens[pred.step] if 0 <= pred.step < T else tokens[-1]
            st.markdown(
                f"Prediction read at **“{where}”**: **{pred.best}** with P = {pred.probabilities[0]:.3f}"
                + (f" (the lecture expects **{expected}**)" if expected else "")
            )
            show_chart(prediction_figure(pred, expected, font), key="bars", name="bars")
        with st.expander("All the numbers at this word", expanded=not is_presenter()):
            # A static table: the interactive data grid cost ~20 ms of drawing on every word.
            st.table(
                step_table(result, t, units, shown).style.format(precision=6, na_rep="–").hide(axis="index")
            )

    st.subheader(f"The units {unit_label(result, units)}, word by word")
    show_svg(focus_svg(result, units, t, shown, font), key="focus", name="focus")


word_view(example_id, sentence, result, model)
