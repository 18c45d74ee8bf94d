"""Where a question stands in an XLSForm workbook, so that messages can name sheet and row
(pyxform's form tree does not keep row numbers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    if path.suffix.lower() == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        for name in book.sheet_names():
            if name.strip().lower() == sheet:
                found = book.sheet_by_name(name)
                return [found.row_values(i) for i in range(found.nrows)]
        return []
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for name in book.sheetnames:
            if name.strip().lower() == sheet:
                return [list(row) for row in book[name].iter_rows(values_only=True)]
        return []
    finally:
        book.close()


def survey_rows(path: Path) -> dict[str, int]:
    """Question name -> its row number (1-based, as the spreadsheet shows it) on the survey
    sheet; empty when the workbook cannot be read that way."""
    try:
        rows = _sheet_rows(path, "survey")
    except Exception:  # only used to point at a row; a workbook pyxform read is enough
        return {}
    column = None
    found: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        cells = [str(c).strip() if c is not None else "" for c in row]
        if column is None:
            lowered = [c.lower() for c in cells]
            if "name" in lowered and "type" in lowered:
                column = lowered.index("name")
            continue
        if column < len(cells) and cells[column]:
            found.setdefault(cells[column], number)
    return found
