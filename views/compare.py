"""Compare: two sentences, one sentence under two models, or one sentence with and without clamps, side by
side with their difference; and the memory ledger: which word wrote what is in the cell state."""

import streamlit as st

from lstm_ui.components.live_svg import Choice, StepControls, chosen, clicked_square, show_svg
from lstm_ui.exercise_box import exercise_box
from lstm_ui.layout import chart_font_size, controls_area, controls_row, intro, is_presenter
from lstm_ui.notation import current_notation
from lstm_ui.prose import section
from lstm_ui.runs import compare_settings, prepare, run_models, run_sentence
from lstm_ui.state import view
from lstm_ui.state.clamps import normalized
from lstm_ui.state.values import COMPARE_MODES, SHOWN_ARRAYS
from lstm_ui.state.widgets import address_of, move, sentence_box, show
from lstm_ui.viewmodels.clamp_section import picked_clamp_controls
from lstm_ui.viewmodels.compare import (
    alignment_notes,
    compare_svg,
    first_model,
    ledger_drawings,
    ledger_html,
    second_model,
    second_sentence,
    sides,
    sides_html,
    step_words,
)
from lstm_ui.viewmodels.intervene import view_clamps

VIEW = "compare_view"  # the component: the step controls, the heatmaps side by side, the ledgers
MODE, SECOND, MODEL_A, MODEL_B, PRESET = "cmp.mode", "cmp.sentence2", "cmp.model1", "cmp.model2", "cmp.preset"


def changed(name: str, key: str) -> None:
    value = st.session_state[key]
    if name == "model1" and value == view.get("model"):
        value = None  # the step page's model: left out of the link
    view.set_view(**{name: value})


def use_preset() -> None:
    """A ready-made comparison: its parameters, the others of the comparison back to their defaults."""
    k = st.session_state.get(PRESET)
    if k is None:
        return
    wanted = dict(compare_settings()["presets"][k]["view"])
    wanted["clamps"] = normalized(wanted.get("clamps", ""))
    fresh = {"sentence2": None, "model1": None, "model2": None, "clamps": ""}
    view.set_view(**(fresh | wanted))
    st.session_state[PRESET] = None


def on_step() -> None:
    cell = clicked_square(VIEW)
    if cell is not None:
        move(VIEW, step=cell[0])


def on_show() -> None:
    name = chosen(VIEW)
    if name in SHOWN_ARRAYS:
        move(VIEW, "choice", show=name)


notation, font, large = current_notation(), chart_font_size(), is_presenter()
st.title("Compare")
intro(section("compare", "intro"))

presets = compare_settings()["presets"]
with controls_area():
    st.selectbox(
        "Open a ready-made comparison",
        range(len(presets)),
        index=None,
        format_func=lambda k: presets[k]["title"],
        key=PRESET,
        on_change=use_preset,
        placeholder="From the lectures…",
    )
    mode = str(view.get("compare"))
    st.segmented_control(
        "Compare",
        list(COMPARE_MODES),
        format_func=COMPARE_MODES.get,
        key=show(MODE, mode),
        required=True,
        on_change=changed,
        args=("compare", MODE),
    )
    row = controls_row()
    sentence_box(row, label="Sentence A" if mode == "sentences" else "Sentence")
    if mode == "sentences":
        row.text_input(
            "Sentence B", key=show(SECOND, second_sentence()), on_change=changed, args=("sentence2", SECOND)
        )
    models = run_models(first_model())
    row.selectbox(
        "Model A" if mode == "models" else "Model",
        list(models),
        format_func=models.get,
        key=show(MODEL_A, first_model() if first_model() in models else next(iter(models))),
        on_change=changed,
        args=("model1", MODEL_A),
    )
    if mode == "models":
        row.selectbox(
            "Model B",
            list(models),
            format_func=models.get,
            key=show(MODEL_B, second_model(first_model())),
            on_change=changed,
            args=("model2", MODEL_B),
        )
    if not large:
        st.caption(section("compare", mode))

a_side, b_side = sides()
ready = True
for side in (a_side, b_side):
    prepared = prepare(side.model, side.sentence)
    for level, message in prepared.notes:
        named = message.replace("The sentence", f"Sentence {side.name}") if mode == "sentences" else message
        getattr(st, level)(named)
    ready = ready and prepared.ok
if not ready:
    st.stop()
try:
    run_a, run_b = (run_sentence(s.model, s.sentence, s.clamps) for s in (a_side, b_side))
except ValueError as exc:
    st.error(f"This comparison cannot be run: {exc}")
    st.stop()

if mode == "clamp":
    with controls_area("Clamps"):
        T = len(run_a.tokens)
        word = min(int(view.get("step")), T)
        picked_clamp_controls("compare", a_side.model, a_side.sentence, word, notation, "pick")
    if not view_clamps():
        st.info("No clamps yet: set a gate by hand above, and B shows the run with it.")
for note in alignment_notes(run_a, run_b):
    st.info(note)


@st.fragment
def comparison() -> None:
    """The step controls, the heatmaps side by side and both ledgers, as one component: a new step or
    another array reruns only this."""
    T = max(len(run_a.tokens), len(run_b.tokens))
    asked = int(view.get("step"))  # the step page's step t is the ledger's step here
    t = min(max(asked, 1), T)
    if t != asked:
        view.set_view(step=t)
    shown = str(view.get("show"))
    options = tuple((n, notation.name(n)) for n in SHOWN_ARRAYS)
    controls = StepControls(
        steps=T,
        units=1,
        step=t,
        unit=1,
        tokens=step_words(run_a, run_b),
        step_label="Step t (of the memory ledger)",
        font_px=font + 4,
        play=False,
        unit_slider=False,
        choice=Choice("Show", options, shown, param="show"),
        address=address_of(step="step", choice="show"),
    )
    show_svg(
        compare_svg(run_a, run_b, shown, notation, t - 1, font),
        key=VIEW,
        name="compare",
        on_click=on_step,
        controls=controls,
        html=sides_html(a_side, b_side, run_a, run_b, mode),
        below=ledger_html(run_a, run_b, t, section("compare", "ledger")),
        more=ledger_drawings(run_a, run_b, t, notation, font),
        on_choice=on_show,
    )


comparison()
exercise_box("views/compare.py")  # issue 19: predict, then reveal
