"""What an exported translation file holds, whatever its format (XLSX, PO, XLIFF).

Besides the texts, each file carries the questionnaire's id, version and file fingerprint, and for
every text the fingerprints of its source text and of its translation at export time. Import uses
them to refuse a file for another questionnaire and to merge per text when the questionnaire was
changed since the export, instead of overwriting someone else's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from survey.translations.errors import TranslationError

FORMATS = ("xlsx", "po", "xliff")
SUFFIXES = {".xlsx": "xlsx", ".po": "po", ".xlf": "xliff", ".xliff": "xliff"}
FILE_SUFFIX = {"xlsx": ".xlsx", "po": ".po", "xliff": ".xlf"}
NO_TEXT = "-"
"""The translation fingerprint of a text that had no translation at export."""


@dataclass
class Header:
    questionnaire: str
    version: str
    source_language: str
    language: str
    exported_at: str
    file_fingerprint: str
    group_sizes: dict[str, int] = field(default_factory=dict)
    """Entries exported per choice list: a file with more or fewer is refused."""


@dataclass
class Entry:
    id: str
    context: str
    source: str
    current: str
    """The translation in the questionnaire when the file was exported."""
    new: str = ""
    """What the translator wants the translation to be ('' = no change)."""
    notes: str = ""
    source_fingerprint: str = ""
    current_fingerprint: str = ""
    where: str = ""
    """Where the entry stands in its file, for messages: 'row 12', 'line 40'."""
    stale: bool = False
    """Exported: the translation is stale. Read back: still marked so (PO fuzzy, XLIFF state
    'initial'), i.e. the translator has not confirmed it."""
    typed: bool = False
    """The new text was typed into a column of its own (XLSX): an unchanged text sent back this
    way is a translator's confirmation that it is still right."""


@dataclass
class ExchangeFile:
    header: Header
    entries: list[Entry]
    path: Path | None = None
    problems: list[str] = field(default_factory=list)
    """Entries the reader could not take (a formula cell, a row without id), as messages."""
    removed_controls: int = 0
    """Control and bidi-override characters taken out of the file's texts on reading."""


def format_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def encode_sizes(sizes: dict[str, int]) -> str:
    """'list.yes_no=2 question.gender.choice=3': choice-list sizes in one header value."""
    return " ".join(f"{group}={size}" for group, size in sizes.items())


def decode_sizes(text: str, where: str) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for part in text.split():
        group, _, size = part.partition("=")
        if not size.isdigit():
            raise TranslationError(f"{where}: the choice-list sizes '{text}' are damaged; "
                                   "export the file again")
        sizes[group] = int(size)
    return sizes
