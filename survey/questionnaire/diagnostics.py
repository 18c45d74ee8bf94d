"""Problems found in a questionnaire, each pinned to file:line:column so staff can jump to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from enum import StrEnum

from survey.user_error import UserError


class Severity(StrEnum):
    """Whether a problem stops the thing from being used (a questionnaire, a plan, or a
    response, which then cannot be accepted as it is) or only warns (staff should look)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based position in a source file."""

    line: int
    column: int


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a questionnaire, pinned to file, line and column, as an error or a
    warning."""

    file: str
    mark: Mark
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.file}:{self.mark.line}:{self.mark.column}: {self.severity}: {self.message}"


class DiagnosticsError(UserError):
    """An error that carries every problem found, not just the first, each at its
    file:line:column; the error itself points at the first."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None  # the place a caller points at
        super().__init__("\n".join(str(d) for d in diagnostics),
                         file=first.file if first else None,
                         line=first.mark.line if first else None,
                         column=first.mark.column if first else None)


class QuestionnaireError(DiagnosticsError):
    """A questionnaire cannot be used; carries every problem found, not just the first."""


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close candidate exists, else ''."""
    matches = get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""
