"""The seeded models and the cached core calls the pages make.

The models are data (``assets/seeded_models.json``): the LSTMs of the model picker (``MODELS``) and the
RNN page's four cells (``CELLS``), all reading the same hash-made word vectors (``sentence.embed``).
Weights are built once per process (``st.cache_resource``, read-only); runs are cached per (model,
tokens) (``st.cache_data``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import streamlit as st

from lstm_core import (
    CellParams,
    LSTMParams,
    LSTMTrace,
    Trace,
    init_gru,
    init_lstm,
    init_rnn,
    run_gru,
    run_lstm,
    run_rnn,
)
from lstm_ui.sentence import embed
from lstm_ui.trained_models import Inputs, TrainedModel, find_trained, unknown_words_note

SEEDED_PATH = Path(__file__).resolve().parent.parent / "assets" / "seeded_models.json"
_SEEDED = json.loads(SEEDED_PATH.read_text(encoding="utf-8"))
INPUT_SIZE = int(_SEEDED["input_size"])  # D: the length of every word vector
_INIT = {"lstm": init_lstm, "gru": init_gru, "rnn": init_rnn}
_RUN = {"lstm": run_lstm, "gru": run_gru, "rnn": run_rnn}


@dataclass(frozen=True)
class ModelSpec:
    """A seeded model: cell ``kind`` with ``hidden_size`` units, weights from ``seed``."""

    key: str  # its name in a link (?model=...)
    kind: str  # "lstm", "gru" or "rnn"
    hidden_size: int
    seed: int
    forget_bias: float = 0.0  # added to the LSTM's forget-gate bias
    title: str = ""
    description: str = ""

    @property
    def input_size(self) -> int:
        return INPUT_SIZE

    def build(self) -> CellParams:
        extra = {"forget_bias": self.forget_bias} if self.kind == "lstm" else {}
        return _INIT[self.kind](INPUT_SIZE, self.hidden_size, seed=self.seed, **extra)


MODELS: MappingProxyType = MappingProxyType(
    {m["key"]: ModelSpec(kind="lstm", **m) for m in _SEEDED["lstm"]}
)  # the model picker's LSTMs, the first one the default
DEFAULT_MODEL = next(iter(MODELS))
_COMPARISON = _SEEDED["comparison"]
HIDDEN_SIZE = int(_COMPARISON["hidden_size"])  # H of the RNN page's four cells
CELLS: MappingProxyType = MappingProxyType(
    {c["key"]: ModelSpec(hidden_size=HIDDEN_SIZE, **c) for c in _COMPARISON["cells"]}
)  # the RNN page's comparison; titles and colours: drawings.colours.cell_style(key)


def get_model(key: str) -> ModelSpec | TrainedModel:
    """The model picker's entry ``key`` (a seeded model, or one this session trained: ``trained-1``);
    ``ValueError`` naming the choices otherwise."""
    trained = find_trained(key)
    if trained is not None:
        return trained
    if key not in MODELS:
        raise ValueError(f"unknown model {key!r}; choose one of {', '.join(MODELS)}")
    return MODELS[key]


@st.cache_resource(show_spinner=False)
def _seeded_params(key: str) -> LSTMParams:
    """A seeded model's weights, built once per process. Frozen; never mutate the arrays."""
    return get_model(key).build()


def model_params(key: str) -> LSTMParams:
    """The picker's model's weights (read-only): seeded, or trained in this session."""
    trained = find_trained(key)
    return trained.params if trained is not None else _seeded_params(key)


def model_inputs(key: str, tokens: tuple[str, ...]) -> Inputs:
    """How model ``key`` reads ``tokens``: a seeded model, each word's hash-made vector (it knows every
    word); a trained one, one-hot rows over its task's vocabulary (unknown words: zeros, and listed)."""
    trained = find_trained(key)
    return Inputs(embed(tokens, INPUT_SIZE), ()) if trained is None else trained.inputs(tokens)


def input_notes(key: str, tokens: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(level, message) notes for ``show_notes`` on how model ``key`` reads ``tokens`` (words a trained
    model never saw)."""
    unknown = model_inputs(key, tokens).unknown
    trained = find_trained(key)
    return unknown_words_note(trained, tokens, unknown) if trained is not None and unknown else ()


@st.cache_data(max_entries=128, show_spinner=False)
def _seeded_trace(key: str, tokens: tuple[str, ...]) -> LSTMTrace:
    return run_lstm(_seeded_params(key), model_inputs(key, tokens).xs)


@st.cache_data(max_entries=64, show_spinner=False)
def _trained_trace(digest: str, tokens: tuple[str, ...], _model: TrainedModel) -> LSTMTrace:
    """Cached by the weights' digest: two sessions' equal models share entries, different ones never."""
    return run_lstm(_model.params, _model.inputs(tokens).xs)


def lstm_trace(key: str, tokens: tuple[str, ...]) -> LSTMTrace:
    """The trace of ``tokens`` under the picker's model ``key``: one cache entry per (model, sentence)."""
    trained = find_trained(key)
    return _seeded_trace(key, tokens) if trained is None else _trained_trace(trained.digest, tokens, trained)


def trace_arrays(trace: LSTMTrace) -> dict[str, np.ndarray]:
    """The six (T, H) arrays the pages show, in reading order: gates, then cell and hidden state."""
    return trace.per_step()


@st.cache_resource(show_spinner=False)
def cell_params(key: str) -> CellParams:
    """The seeded weights of the RNN page's cell ``key``, built once per process (read-only)."""
    if key not in CELLS:
        raise ValueError(f"unknown cell {key!r}; choose one of {', '.join(CELLS)}")
    return CELLS[key].build()


@st.cache_data(max_entries=128, show_spinner=False)
def cached_run(key: str, tokens: tuple[str, ...]) -> Trace:
    """The trace of ``tokens`` through the RNN page's cell ``key``."""
    spec = CELLS[key]
    return _RUN[spec.kind](cell_params(key), embed(tokens, INPUT_SIZE))


@st.cache_resource(show_spinner=False)
def readout_weights() -> np.ndarray:
    """W_hy (K, H) of the plain RNN's output y_t = W_hy h_t: seeded N(0, 1/H) numbers, untrained (its
    values show the mechanics, not a meaning)."""
    readout = _COMPARISON["readout"]
    rng = np.random.default_rng(readout["seed"])
    W = rng.standard_normal((readout["outputs"], HIDDEN_SIZE)) / np.sqrt(HIDDEN_SIZE)
    W.setflags(write=False)
    return W


@st.cache_data(max_entries=128, show_spinner=False)
def rnn_outputs(tokens: tuple[str, ...]) -> np.ndarray:
    """The plain RNN's outputs y_t = W_hy h_t for every step, (T, K)."""
    return cached_run("rnn", tokens).hidden @ readout_weights().T  # (T, H) @ (H, K)
