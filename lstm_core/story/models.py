"""The registry of story models: the designed one (named units) and trained ones (``unit 0 … H-1``).

``list_models()`` says which models exist, whether their weights are available and what their units are
called, so a page can offer a designed ↔ trained switch. ``load_model(name)`` returns a ``StoryModel``;
``run_text(model, text, candidates)`` tokenizes, encodes, runs ``lstm_core.run_lstm`` and reads the
predictions: the designed model answers at each blank ``___`` only (nothing asked, nothing said); a
trained model predicts what follows the word before each blank, or, with no blank, after the last word.
Adding a model is adding a ``ModelSpec`` to ``MODEL_SPECS``.

A trained model is an ``.npz`` in ``assets/models/`` holding the LSTM arrays of ``CellParams.to_arrays``
(weight_ih, weight_hh, bias_ih, bias_hh), ``vocab`` (D,) the one-hot input words, ``classes`` (C,) the
output labels and a linear head ``head_weight`` (C, H) and ``head_bias`` (C,): P = softmax(W h_t + b).
Words are lower-cased; a word outside ``vocab`` is ``<unk>`` if the vocabulary has it, else all zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lstm_core.lstm import LSTMTrace, run_lstm
from lstm_core.params import LSTMParams, params_from_arrays
from lstm_core.story.designed import designed_model
from lstm_core.story.features import FEATURE_NAMES, encode
from lstm_core.story.readout import Prediction, default_candidates, labelled_softmax, read_words
from lstm_core.story.tokenizer import Token, tokenize

MODELS_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"
HEAD_KEYS = (("head_weight", "head_bias"), ("readout_weight", "readout_bias"), ("out_weight", "out_bias"))


@dataclass(frozen=True)
class ModelSpec:
    name: str
    title: str
    description: str
    file: str | None  # under assets/models/, None for the designed model


_SPECS = (
    ("designed_story", "designed (named units)", "Hand-set weights: every unit has a job.", None),
    ("trained_story", "trained on stories", "Learned next-word LSTM (story task).", "story_lstm.npz"),
    (
        "events_lstm",
        "trained on event streams",
        "Wolf or dog? Learned from event sequences.",
        "events_lstm.npz",
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
    params: LSTMParams
    unit_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    encode: Callable[[tuple[Token, ...]], tuple[np.ndarray, tuple[str, ...]]]  # tokens -> (xs (T, D), kinds)
    read: Callable[[LSTMTrace, tuple[Token, ...], Sequence[str] | None], tuple[Prediction, ...]]


@dataclass(frozen=True, eq=False)
class StoryRun:
    """Everything one run produced: tokens, their kinds and vectors, the trace and the predictions."""

    model: str
    tokens: tuple[Token, ...]
    kinds: tuple[str, ...]
    xs: np.ndarray  # (T, D)
    trace: LSTMTrace
    unit_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    predictions: tuple[Prediction, ...]  # designed: one per blank; trained: per blank, else the last step

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens)


def _blank_steps(tokens: tuple[Token, ...]) -> list[int]:
    return [t for t, tok in enumerate(tokens) if tok.kind == "blank"]


def _designed() -> StoryModel:
    m = designed_model()

    def read(trace: LSTMTrace, tokens: tuple[Token, ...], candidates: Sequence[str] | None) -> tuple:
        names = [tok.base for tok, kind in zip(tokens, encode(tokens)[1], strict=True) if kind == "name"]
        words = tuple(candidates) if candidates else default_candidates(names)
        return tuple(read_words(m, trace.hidden[t], words, t) for t in _blank_steps(tokens))

    return StoryModel("designed_story", MODEL_SPECS["designed_story"].title, m.params, m.unit_names,
                      FEATURE_NAMES, encode, read)  # fmt: skip


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as f:
            return {k: f[k] for k in f.files}
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the model file {path.name}: {exc}") from None


def _trained(spec: ModelSpec, path: Path) -> StoryModel:
    arrays = _load_npz(path)
    params = params_from_arrays(arrays)
    if not isinstance(params, LSTMParams):
        raise ValueError(f"{path.name} holds a {params.KIND} model, not an LSTM")
    for key in ("vocab", "classes"):
        if key not in arrays:
            raise ValueError(f"{path.name} has no {key!r} array; it cannot be read as words")
    vocab = tuple(str(v) for v in arrays["vocab"])
    classes = tuple(str(c) for c in arrays["classes"])
    head = next(((arrays[w], arrays.get(b)) for w, b in HEAD_KEYS if w in arrays), None)
    H = params.hidden_size
    if head is None or head[0].shape != (len(classes), H):
        raise ValueError(f"{path.name} needs a head_weight of shape (C, H) = ({len(classes)}, {H})")
    head_w, head_b = head[0].astype(np.float64), np.zeros(len(classes)) if head[1] is None else head[1]
    if len(vocab) != params.input_size:
        raise ValueError(f"{path.name}: {len(vocab)} vocabulary words but input size {params.input_size}")
    index = {w: k for k, w in enumerate(vocab)}

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

    def read(trace: LSTMTrace, tokens: tuple[Token, ...], candidates: Sequence[str] | None) -> tuple:
        wanted = {c.casefold() for c in candidates or ()}
        keep = [k for k, c in enumerate(classes) if c.casefold() in wanted] or list(range(len(classes)))
        steps = [t - 1 for t in _blank_steps(tokens) if t > 0] or [len(tokens) - 1]
        out = []
        for t in steps:  # the model predicts what follows token t
            z = head_w[keep] @ trace.hidden[t] + head_b[keep]
            out.append(labelled_softmax([classes[k] for k in keep], z, t))
        return tuple(out)

    names = tuple(f"unit {k}" for k in range(H))
    return StoryModel(spec.name, spec.title, params, names, vocab, enc, read)


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
    """Tokenize ``text``, run the real core and read the predictions (at each blank, else at the end)."""
    tokens = tokenize(text)
    if not tokens:
        raise ValueError("the text has no words; type at least one word")
    xs, kinds = model.encode(tokens)
    trace = run_lstm(model.params, xs)
    preds = model.read(trace, tokens, candidates)
    return StoryRun(model.name, tokens, kinds, xs, trace, model.unit_names, model.feature_names, preds)
