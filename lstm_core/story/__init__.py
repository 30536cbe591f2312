"""The worked story examples: a readable tokenizer, feature vectors whose numbers mean something, a
hand-designed LSTM whose units have names and jobs, and softmax readouts over candidate words."""

from lstm_core.story.designed import DesignedModel, designed_model, weights_table_markdown
from lstm_core.story.features import FEATURE_NAMES, KIND_NAMES, encode
from lstm_core.story.models import (
    MODEL_SPECS,
    ModelInfo,
    StoryModel,
    StoryRun,
    list_models,
    load_model,
    run_text,
)
from lstm_core.story.readout import Prediction, labelled_softmax, read_words
from lstm_core.story.tokenizer import Token, tokenize

__all__ = [
    "FEATURE_NAMES",
    "KIND_NAMES",
    "MODEL_SPECS",
    "DesignedModel",
    "ModelInfo",
    "Prediction",
    "StoryModel",
    "StoryRun",
    "Token",
    "designed_model",
    "encode",
    "labelled_softmax",
    "list_models",
    "load_model",
    "read_words",
    "run_text",
    "tokenize",
    "weights_table_markdown",
]
