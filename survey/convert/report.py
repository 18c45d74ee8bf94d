"""What a conversion could not carry over, construct by construct, so staff know exactly what
to redo by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from survey.user_error import UserError


class ConvertError(UserError):
    """The file cannot be converted at all; the message names the file and what to do."""


@dataclass(frozen=True)
class Note:
    where: str
    """The question, choice list, sheet or setting concerned."""
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class ConversionReport:
    """What a conversion could not carry over, place by place, and the media files it found: what
    staff must redo or check by hand."""

    notes: list[Note] = field(default_factory=list)
    media: dict[str, Path] = field(default_factory=dict)
    """Pictures and recordings the questionnaire names (relative path -> the file found beside
    the source), copied beside the questionnaire when it is written."""

    def add(self, where: str, what: str) -> None:
        self.notes.append(Note(where, what))
