"""Workbooks (XLSX, XLSM, XLS, ODS) read with calamine, cell values as the spreadsheet holds them.

Cells keep their type (text, number, date, true/false), so the validation step sees a date cell
as a date, not as Excel's day count. A whole number is handed on as an int: Excel stores every
number as a float, but a partner typing 1980 means 1980, not 1980.0.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
    XmlError,
    ZipError,
)

from survey.ingest.readers.header import Merge, cell_text, find_header, header_notes
from survey.ingest.readers.table import ReadError, SourceColumn, SourceRow, SourceTable

MAX_UNPACKED = 1 << 30
"""Refuse a workbook that would unpack to more than 1 GB."""
MAX_RATIO = 200
"""Refuse a part compressed more than 200 to 1 (real sheets reach about 20): a ZIP bomb."""
RATIO_FROM = 1 << 20
"""Parts smaller than 1 MB unpacked cannot hurt, however well they compress."""
HEAD_ROWS = 50
"""Rows searched for the header."""
ZIPPED = ("xlsx", "xlsm", "ods")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_spreadsheet(path: Path, kind: str, sheet: str | None) -> SourceTable:
    program = "LibreOffice Calc" if kind == "ods" else "Excel or LibreOffice"
    if kind in ZIPPED:
        check_zip(path, kind, program)
    # calamine is a parser of untrusted files in Rust; whatever it raises about a file is a
    # damaged file, and the user gets a message, not a traceback.
    try:
        book = CalamineWorkbook.from_path(path)
        chosen, notes = _choose(path, book, sheet)
        start_row, start_column = chosen.start
        merges = chosen.merged_cell_ranges
        rows = iter(chosen.iter_rows())
        # python-calamine yields the empty rows above the first used row too, so the index of a
        # row from iter_rows is its index in the sheet.
        head = [_clean(row) for row in islice(rows, start_row, start_row + HEAD_ROWS)]
    except ReadError:
        raise
    except Exception as error:
        raise ReadError(f"{path.name} is not a readable {kind.upper()} file: {_damage(error)}; "
                        f"open it in {program} and save it again") from None

    relative = None if merges is None else [
        ((top - start_row, left - start_column), (bottom - start_row, right - start_column))
        for (top, left), (bottom, right) in merges]
    header = find_header(head, relative)
    positions = [column_letter(start_column + c) for c in range(len(header.names))]
    columns = [SourceColumn(name, label, position=position)
               for name, label, position in zip(header.names, header.labels, positions,
                                                strict=True)]
    first = header.row + header.height
    notes += _layout_notes(head, header.row, start_row, relative, first)
    notes += header_notes(header.names, positions, "column(s)")
    data = chain(head[first:], (_clean(row) for row in rows))
    return SourceTable(
        path=path, kind=kind, sheet=chosen.name, encoding=None, columns=columns,
        rows=_stream(path, chosen.name, data, start_row + first + 1, len(columns), notes),
        header_rows=header.height, notes=notes)


def _damage(error: Exception) -> str:
    """calamine's own messages can be as short as "v"; say what kind of damage it is."""
    for kind, what in ((ZipError, "its ZIP structure is damaged"),
                       (XmlError, "its XML content is damaged"),
                       (PasswordError, "it is password-protected")):
        if isinstance(error, kind):
            return f"{what} ({error})"
    return str(error)


def check_zip(path: Path, kind: str, program: str) -> None:
    """Look at the ZIP directory before calamine unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        with path.open("rb") as handle:
            magic = handle.read(len(_OLE2))
        why = (f"it is not a ZIP archive as .{kind} files are ({error})" if magic != _OLE2 else
               "it is a password-protected workbook or an old .xls file renamed (remove the "
               f"password, or save it as .{kind})")
        raise ReadError(f"{path.name} is not a readable {kind.upper()} file: {why}; open it in "
                        f"{program} and save it again") from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise ReadError(f"{path.name}: refused: it would unpack to {unpacked / 2**30:.1f} GB, more "
                        f"than the limit of {MAX_UNPACKED / 2**30:.0f} GB; split the data into "
                        "smaller files or export it as CSV")
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size:
            ratio = part.file_size / max(part.compress_size, 1)
            raise ReadError(f"{path.name}: refused: its part {part.filename} is compressed "
                            f"{ratio:,.0f} to 1 (limit {MAX_RATIO}), as in a ZIP bomb, not a "
                            f"real workbook; ask the sender for the original file")


def _choose(path: Path, book: CalamineWorkbook,
            wanted: str | None) -> tuple[CalamineSheet, list[str]]:
    """The sheet asked for, else the first visible worksheet with data (hidden ones last)."""
    names = book.sheet_names
    listing = ", ".join(f"'{n}'" for n in names)
    if wanted is not None:
        if wanted not in names:
            raise ReadError(f"{path.name}: there is no sheet '{wanted}'; the sheets are "
                            f"{listing}. Pass --sheet with one of them")
        sheet = book.get_sheet_by_name(wanted)
        if sheet.start is None:
            raise ReadError(f"{path.name}: sheet '{wanted}' is empty; the sheets are {listing}")
        return sheet, []
    worksheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    worksheets.sort(key=lambda m: m.visible != SheetVisibleEnum.Visible)
    for meta in worksheets:
        sheet = book.get_sheet_by_name(meta.name)
        if sheet.start is not None:
            notes = []
            if len(names) > 1:
                notes.append(f"sheet '{meta.name}' chosen of {len(names)} ({listing}): the "
                             "first with data; pass --sheet to read another")
            if meta.visible != SheetVisibleEnum.Visible:
                notes.append(f"sheet '{meta.name}' is hidden in the workbook")
            return sheet, notes
    raise ReadError(f"{path.name}: no sheet contains data (sheets: {listing}); check that this is "
                    "the right file")


def _clean(row: list[Any]) -> list[Any]:
    """calamine gives '' for an empty cell and floats for whole numbers."""
    return [(int(value) if value.is_integer() else value) if value.__class__ is float
            else None if value == "" else value
            for value in row]


def _layout_notes(head: list[list[Any]], header_row: int, start_row: int,
                  merges: list[Merge] | None, first: int) -> list[str]:
    notes = []
    above = [start_row + i + 1 for i in range(header_row) if head[i].count(None) < len(head[i])]
    if above:
        title = next(cell_text(v) for v in head[above[0] - start_row - 1] if v is not None)
        notes.append(f"row(s) {', '.join(map(str, above))} above the header skipped "
                     f"(starting '{title[:60]}')")
    in_data = [m for m in merges or () if m[0][0] >= first]
    if in_data:
        shown = ", ".join(_cells(m, start_row) for m in in_data[:5])
        notes.append(f"merged cells in the data ({shown}{', …' if len(in_data) > 5 else ''}) "
                     "are read as one value in their first cell; the others are empty")
    return notes


def _cells(merge: Merge, start_row: int) -> str:
    (top, left), (bottom, right) = merge
    return (f"{column_letter(left)}{top + start_row + 1}:"
            f"{column_letter(right)}{bottom + start_row + 1}")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as Excel shows it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _stream(path: Path, sheet: str, data: Iterable[list[Any]], first: int, width: int,
            notes: list[str]) -> Iterator[SourceRow]:
    """Data rows with their sheet row numbers; empty rows inside the data are counted, empty rows
    at the end are not data at all."""
    skipped: list[int] = []
    pending: list[int] = []
    number = first - 1
    try:
        for number, values in enumerate(data, start=first):
            if values.count(None) == width:
                pending.append(number)
                continue
            if pending:
                skipped += pending
                pending.clear()
            yield SourceRow(number, tuple(values))
    except Exception as error:
        raise ReadError(f"{path.name}, sheet '{sheet}', after row {number}: {_damage(error)}; "
                        "open it in Excel or LibreOffice and save it again") from None
    if skipped:
        shown = ", ".join(map(str, skipped[:10])) + (", …" if len(skipped) > 10 else "")
        notes.append(f"{len(skipped)} empty row(s) inside the data skipped (row {shown})")
