"""Claims that check themselves: the data format (``format``) and its live evaluation (``evaluate``)."""

from lstm_core.claims.evaluate import (
    FAILS,
    HOLDS,
    NOT_APPLICABLE,
    ClaimCheck,
    Context,
    PartCheck,
    check_claim,
    check_part,
    expected_word,
    find_entries,
)
from lstm_core.claims.format import ANSWER_VALUES, GATES_AND_STATES, OPS, Part, parse_entry_roles, parse_part

__all__ = [
    "ANSWER_VALUES",
    "FAILS",
    "GATES_AND_STATES",
    "HOLDS",
    "NOT_APPLICABLE",
    "OPS",
    "ClaimCheck",
    "Context",
    "Part",
    "PartCheck",
    "check_claim",
    "check_part",
    "expected_word",
    "find_entries",
    "parse_entry_roles",
    "parse_part",
]
