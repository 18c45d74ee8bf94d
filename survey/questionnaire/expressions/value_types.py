"""The static types of expression values, which the type checker (types.py) infers and the
function registry (functions.py) declares arguments and results in.

Types: number, text, boolean, date, choice (a single-choice answer, compared with choice names)
and choices (a multiple-choice or ranking answer, used through selected() and count-selected()).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    NUMBER = "number"
    TEXT = "text"
    BOOLEAN = "boolean"
    DATE = "date"
    CHOICE = "choice"
    CHOICES = "choices"


KIND_WORDS = {
    Kind.NUMBER: "a number",
    Kind.TEXT: "text",
    Kind.BOOLEAN: "true/false",
    Kind.DATE: "a date",
    Kind.CHOICE: "a single choice",
    Kind.CHOICES: "a multiple choice",
}


@dataclass(frozen=True)
class ExprType:
    kind: Kind
    choices: tuple[str, ...] = ()
    """Valid choice names (for choice and choices) or codes (country, language)."""
    ordered: bool = False
    """Choices with an order (not used by comparisons, kept for routing text)."""

    def describe(self) -> str:
        return KIND_WORDS[self.kind]


NUMBER = ExprType(Kind.NUMBER)
TEXT = ExprType(Kind.TEXT)
BOOLEAN = ExprType(Kind.BOOLEAN)
DATE = ExprType(Kind.DATE)
