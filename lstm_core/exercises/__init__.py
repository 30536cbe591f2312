"""Exercises drawn from live runs: predict a number, a choice, an order or a yes/no with its reason,
then see what the core computed. Templates (``templates_step``, ``templates_memory``) draw questions
with a seed; sets of them are data (``assets/exercises``, ``sets``); ``answers`` reads and scores what a
student typed."""

from lstm_core.exercises.answers import AnswerError, Verdict, check, parse_number
from lstm_core.exercises.live import LiveRun, run_story, span_rows
from lstm_core.exercises.question import LETTERS, Focus, Question, fmt, question_seed
from lstm_core.exercises.sets import TEMPLATES, ExerciseSet, generate, load_sets

__all__ = [
    "LETTERS",
    "TEMPLATES",
    "AnswerError",
    "ExerciseSet",
    "Focus",
    "LiveRun",
    "Question",
    "Verdict",
    "check",
    "fmt",
    "generate",
    "load_sets",
    "parse_number",
    "question_seed",
    "run_story",
    "span_rows",
]
