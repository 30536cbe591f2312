"""The demo models and the cached core calls the pages make.

A model is a registry entry (``ModelSpec``): seeded weights built by ``lstm_core`` plus the input size
its token vectors need. Adding a model is adding one entry to ``MODELS``. Weights are built once per
process (``st.cache_resource``, read-only); traces are cached per (model, tokens) (``st.cache_data``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from lstm_core import LSTMParams, LSTMTrace, init_lstm, run_lstm
from lstm_ui.sentence import embed


@dataclass(frozen=True)
class ModelSpec:
    key: str  # URL-friendly name (?model=...)
    title: str
    description: str
    input_size: int  # D, the length of each token vector
    hidden_size: int  # H, the number of units
    build: Callable[[], LSTMParams] = field(repr=False, compare=False)


def _seeded(d: int, h: int, seed: int, forget_bias: float = 0.0) -> Callable[[], LSTMParams]:
    return lambda: init_lstm(d, h, seed=seed, forget_bias=forget_bias)


MODELS: dict[str, ModelSpec] = {
    spec.key: spec
    for spec in (
        ModelSpec(
            "lstm8",
            "seeded LSTM (H=8)",
            "Random weights (seed 0), 8 units: small enough to read every number.",
            16,
            8,
            _seeded(16, 8, seed=0),
        ),
        ModelSpec(
            "lstm8-remember",
            "seeded LSTM (H=8, forget bias +2)",
            "Same size, seed 0, with +2 added to the forget gate's bias: the gates start near 1 and the "
            "cell keeps what it stored (the classic initialisation trick).",
            16,
            8,
            _seeded(16, 8, seed=0, forget_bias=2.0),
        ),
        ModelSpec(
            "lstm16",
            "seeded LSTM (H=16)",
            "Random weights (seed 1), 16 units.",
            16,
            16,
            _seeded(16, 16, seed=1),
        ),
    )
}
DEFAULT_MODEL = next(iter(MODELS))  # the first entry: the model selectbox's default


def get_model(key: str) -> ModelSpec:
    """The registry entry ``key``; ``ValueError`` naming the choices otherwise."""
    if key not in MODELS:
        raise ValueError(f"unknown model {key!r}; choose one of {', '.join(MODELS)}")
    return MODELS[key]


@st.cache_resource(show_spinner=False)
def model_params(key: str) -> LSTMParams:
    """The model's weights, built once per process. Frozen; never mutate the arrays."""
    return get_model(key).build()


def compute_trace(key: str, tokens: tuple[str, ...]) -> LSTMTrace:
    """The LSTM trace of ``tokens`` under model ``key`` (uncached; what the cached call computes)."""
    spec = get_model(key)
    xs = embed(tokens, spec.input_size)  # (T, D)
    return run_lstm(model_params(key), xs)


@st.cache_data(max_entries=128, show_spinner=False)
def lstm_trace(key: str, tokens: tuple[str, ...]) -> LSTMTrace:
    """Cached ``compute_trace``: one entry per (model, sentence)."""
    return compute_trace(key, tokens)


def trace_arrays(trace: LSTMTrace) -> dict[str, np.ndarray]:
    """The six (T, H) arrays the pages show, in reading order: gates, then cell and hidden state."""
    return trace.per_step()
