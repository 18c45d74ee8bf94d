"""Small XLSForms written in a test, the way Kobo and ODK users lay them out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Rows = Sequence[Sequence[Any]]


def xlsform(path: Path, survey: Rows, choices: Rows | None = None,
            settings: Rows | None = None) -> Path:
    """A workbook with a survey sheet (first row the headers) and optional choices and
    settings sheets."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(list(row))
    book.save(path)
    return path


YES_NO = [("list_name", "name", "label"), ("yn", "1", "Yes"), ("yn", "0", "No")]
