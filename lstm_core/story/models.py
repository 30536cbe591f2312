"""The registry of story models: the designed one (named units) and trained ones (``unit 0 … H-1``).

``list_models()`` says which models exist, whether their weights are available and what their units are
called, so a page can offer a designed ↔ trained switch. ``load_model(name)`` returns a ``StoryModel``;
``run_text(model, text, candidates)`` tokenizes, encodes, runs ``lstm_core.run_lstm`` and reads the
predictions, with no limit on the length of the text (thousands of words take milliseconds):

- the designed model answers at each blank ``___`` only (nothing asked, nothing said), over candidates
  taken from the sentence and the word lists (``readout.designed_candidates``);
- a trained next-word model (task "story") answers each blank too: its softmax over its whole vocabulary
  after the word before the blank (what it predicts comes next);
- a trained classifier (events, reviews) answers once, after the last word, over its classes.

Each token also gets a reading (``readings.py``): whether the model knows the word and what it does with
it. Adding a model is adding a ``ModelSpec`` to ``MODEL_SPECS``.

A trained model is a checkpoint written by ``lstm_core.train.save_model``: ``name.npz`` (the cell in
PyTorch's layout and the readout W_y (K, H), b_y (K,)) plus ``name.json`` (vocabulary, classes, task,
metrics); P = softmax(W_y h_t + b_y). The cell may be an LSTM, GRU or plain RNN. A model trained in
memory (the Train page's) is read the same way by ``trained_story_model``.
Words are lower-cased; a word outside ``vocab`` is ``<unk>`` if the vocabulary has it, else all zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from lstm_core.lstm import run_lstm
from lstm_core.params import CellParams
from lstm_core.story.designed import designed_model
from lstm_core.story.features import FEATURE_NAMES, encode
from lstm_core.story.readings import TokenReading, designed_readings, vocabulary_readings
from lstm_core.story.readout import Prediction, designed_candidates, labelled_softmax, read_words
from lstm_core.story.tokenizer import Token, tokenize
from lstm_core.trace import Trace
from lstm_core.train.checkpoint import load_model as load_checkpoint
from lstm_core.train.model import Model, run_model

MODELS_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    title: str
    description: str
    file: str | None  # under assets/models/, None for the designed model


_SPECS = (
    ("designed_story", "designed (named units)", "Hand-set weights: every unit has a job.", None),
    ("trained_story", "trained on stories", "Learned next-word LSTM (story task).", "story_lstm.npz"),
    ("trained_story_rnn", "plain RNN trained on stories", "Same task and size, no gates.", "story_rnn.npz"),
    ("trained_story_gru", "GRU trained on stories", "Same task and size, a GRU.", "story_gru.npz"),
    (
        "events_lstm",
        "trained on event streams",
        "Wolf or dog? Learned from event sequences.",
        "events_lstm.npz",
    ),
    (
        "events_rnn",
        "plain RNN trained on event streams",
        "Wolf or dog, with no gates.",
        "events_rnn.npz",
    ),
    ("reviews_lstm", "trained on movie reviews", "Rating 1–5 from a review.", "reviews_lstm.npz"),
)
MODEL_SPECS: dict[str, ModelSpec] = {s[0]: ModelSpec(*s) for s in _SPECS}


@dataclass(frozen=True)
class ModelInfo:
    name: str
    title: str
    description: str
    available: bool
    reason: str  # why not available ("" when it is)
    unit_names: tuple[str, ...]  # empty when not available


@dataclass(frozen=True, eq=False)
class StoryModel:
    """A runnable model: weights, unit and feature names, an encoder and a readout."""

    name: str
    title: str
    params: CellParams
    unit_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    encode: Callable[[tuple[Token, ...]], tuple[np.ndarray, tuple[str, ...]]]  # tokens -> (xs (T, D), kinds)
    read: Callable[[Trace, tuple[Token, ...], Sequence[str] | None], tuple[Prediction, ...]]
    run: Callable[[np.ndarray], Trace]  # xs (T, D) -> the cell's trace (LSTM, GRU or RNN)
    readings: Callable[[tuple[Token, ...]], tuple[TokenReading, ...]]  # what it makes of each token


@dataclass(frozen=True, eq=False)
class StoryRun:
    """Everything one run produced: tokens, their kinds and vectors, the trace and the predictions."""

    model: str
    tokens: tuple[Token, ...]
    kinds: tuple[str, ...]
    xs: np.ndarray  # (T, D)
    trace: Trace  # an LSTMTrace for the designed and LSTM models
    unit_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    predictions: tuple[Prediction, ...]  # one per blank; a classifier's one at the last step
    readings: tuple[TokenReading, ...]  # per token: known to the model or not, and what it does with it

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens)


def _blank_steps(tokens: tuple[Token, ...]) -> list[int]:
    return [t for t, tok in enumerate(tokens) if tok.kind == "blank"]


def _designed() -> StoryModel:
    m = designed_model()

    def read(trace: Trace, tokens: tuple[Token, ...], candidates: Sequence[str] | None) -> tuple:
        kinds = encode(tokens)[1]
        out = []
        for t in _blank_steps(tokens):
            if candidates:
                words, among = tuple(candidates), "the candidates given"
            else:
                words, among = designed_candidates(tokens, kinds, t)
            out.append(read_words(m, trace.hidden[t], words, t, among))
        return tuple(out)

    def readings(tokens: tuple[Token, ...]) -> tuple[TokenReading, ...]:
        return designed_readings(tokens, encode(tokens)[1])

    return StoryModel("designed_story", MODEL_SPECS["designed_story"].title, m.params, m.unit_names,
                      FEATURE_NAMES, encode, read, partial(run_lstm, m.params), readings)  # fmt: skip


def _trained(spec: ModelSpec, path: Path) -> StoryModel:
    model, meta = load_checkpoint(path)
    vocab = tuple(str(v) for v in meta.get("vocab", ()))
    classes = tuple(str(c) for c in meta.get("classes", ()))
    return trained_story_model(spec.name, spec.title, model, vocab, classes, str(meta.get("task", "")))


def trained_story_model(
    name: str, title: str, model: Model, vocab: Sequence[str], classes: Sequence[str], task: str
) -> StoryModel:
    """A trained cell and readout (``Model``: W_y (K, H), b_y (K,)) as a story model, the way a shipped
    checkpoint is read: one-hot over ``vocab``, a next-word model if ``task`` is "story", else a
    classifier over ``classes`` (``ValueError`` if the sizes do not fit)."""
    vocab, classes = tuple(str(v) for v in vocab), tuple(str(c) for c in classes)
    if len(vocab) != model.input_size or len(classes) != model.n_classes:
        raise ValueError(
            f"the vocabulary ({len(vocab)}) and classes ({len(classes)}) do not match the weights "
            f"(D = {model.input_size}, K = {model.n_classes})"
        )
    next_word = task == "story"  # else a classifier: one answer after the last word
    model = model.astype(np.float64)  # the page shows exact float64 numbers
    index = {w: k for k, w in enumerate(vocab)}
    blank = (
        "the question: the model's answer is its prediction after the word before"
        if next_word
        else "a blank means nothing to this model: read as all zeros"
    )

    def enc(tokens: tuple[Token, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
        xs = np.zeros((len(tokens), len(vocab)))  # (T, D) one-hot
        kinds = []
        for t, tok in enumerate(tokens):
            k = index.get(tok.text.casefold(), index.get("<unk>"))
            if tok.kind != "blank" and k is not None:
                xs[t, k] = 1.0
            kinds.append(
                "blank" if tok.kind == "blank" else "known" if tok.text.casefold() in index else "unknown"
            )
        return xs, tuple(kinds)

    def read(trace: Trace, tokens: tuple[Token, ...], candidates: Sequence[str] | None) -> tuple:
        wanted = {c.casefold() for c in candidates or ()}
        keep = [k for k, c in enumerate(classes) if c.casefold() in wanted] or list(range(len(classes)))
        among = f"the model's {len(keep)} {'words' if next_word else 'classes'}"
        steps = [t - 1 for t in _blank_steps(tokens) if t > 0] if next_word else [len(tokens) - 1]
        out = []
        for t in steps:  # the model predicts what follows token t: y = W_y h_t + b_y
            z = model.W_y[keep] @ trace.hidden[t] + model.b_y[keep]
            out.append(labelled_softmax([classes[k] for k in keep], z, t, among))
        return tuple(out)

    names = tuple(f"unit {k}" for k in range(model.hidden_size))
    return StoryModel(
        name, title, model.cell, names, vocab, enc, read, lambda xs: run_model(model, xs)[0],
        partial(vocabulary_readings, index=index, blank=blank),
    )  # fmt: skip


def load_model(name: str, models_dir: Path = MODELS_DIR) -> StoryModel:
    """The model ``name`` (``ValueError`` if unknown, or if its weights file is missing or unreadable)."""
    if name not in MODEL_SPECS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODEL_SPECS)}")
    spec = MODEL_SPECS[name]
    if spec.file is None:
        return _designed()
    path = Path(models_dir) / spec.file
    if not path.is_file():
        raise ValueError(f"the {spec.title!r} model is not available yet ({spec.file} is missing)")
    return _trained(spec, path)


def list_models(models_dir: Path = MODELS_DIR) -> tuple[ModelInfo, ...]:
    """Every registered model, with whether it can be loaded and its unit names."""
    out = []
    for spec in MODEL_SPECS.values():
        try:
            model = load_model(spec.name, models_dir)
        except ValueError as exc:
            out.append(ModelInfo(spec.name, spec.title, spec.description, False, str(exc), ()))
        else:
            out.append(ModelInfo(spec.name, spec.title, spec.description, True, "", model.unit_names))
    return tuple(out)


def run_text(model: StoryModel, text: str, candidates: Sequence[str] | None = None) -> StoryRun:
    """Tokenize ``text`` (any length), run the real core, read the predictions and each token's reading."""
    tokens = tokenize(text)
    if not tokens:
        raise ValueError("the text has no words; type at least one word")
    xs, kinds = model.encode(tokens)
    trace = model.run(xs)
    preds = model.read(trace, tokens, candidates)
    readings = model.readings(tokens)
    return StoryRun(
        model.name, tokens, kinds, xs, trace, model.unit_names, model.feature_names, preds, readings
    )
