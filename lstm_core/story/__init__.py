"""The worked story examples: a readable tokenizer, feature vectors whose numbers mean something, a
hand-designed LSTM whose units have names and jobs, softmax readouts over candidate words taken from the
sentence, what each model makes of each token (``readings``) and the roles of a story's steps."""

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
    trained_story_model,
)
from lstm_core.story.readings import TokenReading
from lstm_core.story.readout import (
    CLEAR_MARGIN,
    NOTHING,
    Prediction,
    designed_candidates,
    labelled_softmax,
    read_words,
)
from lstm_core.story.tokenizer import Token, tokenize

__all__ = [
    "CLEAR_MARGIN",
    "FEATURE_NAMES",
    "KIND_NAMES",
    "MODEL_SPECS",
    "NOTHING",
    "DesignedModel",
    "ModelInfo",
    "Prediction",
    "StoryModel",
    "StoryRun",
    "Token",
    "TokenReading",
    "designed_candidates",
    "designed_model",
    "encode",
    "labelled_softmax",
    "list_models",
    "load_model",
    "read_words",
    "run_text",
    "tokenize",
    "trained_story_model",
    "weights_table_markdown",
]
