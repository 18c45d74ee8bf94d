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
from survey.ingest.readers.pivot import pivot_sheets
from survey.ingest.readers.table import ReadError, SourceColumn, SourceRow, SourceTable
from survey.staff_texts import staff_plural, staff_text

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
    pivots = pivot_sheets(path) if kind in ("xlsx", "xlsm") else {}
    # calamine is a parser of untrusted files in Rust; whatever it raises about a file is a
    # damaged file, and the user gets a message, not a traceback.
    try:
        book = CalamineWorkbook.from_path(path)
        chosen, notes = _choose(path, book, sheet, pivots)
        assert chosen.start is not None  # _choose returns a sheet with data
        start_row, start_column = chosen.start
        merges = chosen.merged_cell_ranges
        rows = iter(chosen.iter_rows())
        # python-calamine yields the empty rows above the first used row too, so the index of a
        # row from iter_rows is its index in the sheet.
        head = [_clean(row) for row in islice(rows, start_row, start_row + HEAD_ROWS)]
    except ReadError:
        raise
    except Exception as error:
        raise ReadError(staff_text("{file} is not a readable {kind} file: {problem}; open it "
                                   "in {program} and save it again", file=path.name,
                                   kind=kind.upper(), problem=_damage(error),
                                   program=program)) from None

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
    notes += header_notes(header.names, positions)
    data = chain(head[first:], (_clean(row) for row in rows))
    return SourceTable(
        path=path, kind=kind, sheet=chosen.name, encoding=None, columns=columns,
        rows=_stream(path, chosen.name, data, start_row + first + 1, len(columns), notes),
        header_rows=header.height, notes=notes,
        other_sheets=() if sheet is not None else tuple(
            n for n in book.sheet_names if n != chosen.name and n not in pivots))


def _damage(error: Exception) -> str:
    """calamine's own messages can be as short as "v"; say what kind of damage it is."""
    for kind, what in ((ZipError, staff_text("its ZIP structure is damaged ({error})",
                                             error=str(error))),
                       (XmlError, staff_text("its XML content is damaged ({error})",
                                             error=str(error))),
                       (PasswordError, staff_text("it is password-protected ({error})",
                                                  error=str(error)))):
        if isinstance(error, kind):
            return what
    return str(error)


def check_zip(path: Path, kind: str, program: str) -> None:
    """Look at the ZIP directory before calamine unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        with path.open("rb") as handle:
            magic = handle.read(len(_OLE2))
        why = staff_text("it is not a ZIP archive as .{kind} files are ({error})", kind=kind,
                         error=str(error)) if magic != _OLE2 else staff_text(
            "it is a password-protected workbook or an old .xls file renamed (remove the "
            "password, or save it as .{kind})", kind=kind)
        raise ReadError(staff_text("{file} is not a readable {kind} file: {problem}; open it in "
                                   "{program} and save it again", file=path.name,
                                   kind=kind.upper(), problem=why, program=program)) from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise ReadError(staff_text("{file}: refused: it would unpack to {size} GB, more than the "
                                   "limit of {limit} GB; split the data into smaller files or "
                                   "export it as CSV", file=path.name,
                                   size=f"{unpacked / 2**30:.1f}",
                                   limit=f"{MAX_UNPACKED / 2**30:.0f}"))
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size:
            ratio = part.file_size / max(part.compress_size, 1)
            raise ReadError(staff_text("{file}: refused: its part {part} is compressed {ratio} "
                                       "to 1 (limit {limit}), as in a ZIP bomb, not a real "
                                       "workbook; ask the sender for the original file",
                                       file=path.name, part=part.filename,
                                       ratio=f"{ratio:,.0f}", limit=MAX_RATIO))


def _choose(path: Path, book: CalamineWorkbook, wanted: str | None,
            pivots: dict[str, str | None]) -> tuple[CalamineSheet, list[str]]:
    """The sheet asked for, else the first visible worksheet with data (hidden ones last) that
    is not a pivot table."""
    names = book.sheet_names
    listing = ", ".join(f"'{n}'" for n in names)
    if wanted is not None:
        if wanted not in names:
            raise ReadError(staff_text("{file}: there is no sheet '{sheet}'; the sheets are "
                                       "{sheets}. Pass --sheet with one of them", file=path.name,
                                       sheet=wanted, sheets=listing))
        if wanted in pivots:
            raise pivot_error(path, wanted, pivots[wanted], listing)
        sheet = book.get_sheet_by_name(wanted)
        if sheet.start is None:
            raise ReadError(staff_text("{file}: sheet '{sheet}' is empty; the sheets are "
                                       "{sheets}", file=path.name, sheet=wanted, sheets=listing))
        return sheet, []
    worksheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    worksheets.sort(key=lambda m: m.visible != SheetVisibleEnum.Visible)
    passed: list[str] = []
    for meta in worksheets:
        sheet = book.get_sheet_by_name(meta.name)
        if sheet.start is None:
            continue
        if meta.name in pivots:
            passed.append(meta.name)
            continue
        notes: list[str] = []
        if len(names) > 1:
            notes.append(staff_text("sheet '{sheet}' chosen of {count} ({sheets}): the first "
                                    "with data; pass --sheet to read another", sheet=meta.name,
                                    count=len(names), sheets=listing))
        notes += [staff_text("sheet '{sheet}' passed over: it holds a pivot table (a summary "
                             "of the answers, not one row per respondent)", sheet=name)
                  for name in passed]
        if meta.visible != SheetVisibleEnum.Visible:
            notes.append(staff_text("sheet '{sheet}' is hidden in the workbook", sheet=meta.name))
        return sheet, notes
    if passed:
        raise pivot_error(path, passed[0], pivots[passed[0]], listing)
    raise ReadError(staff_text("{file}: no sheet contains data (sheets: {sheets}); check that "
                               "this is the right file", file=path.name, sheets=listing))


def pivot_error(path: Path, sheet: str, source: str | None, listing: str) -> ReadError:
    """A pivot table refused: which file and sheet, what it is, and where the data is."""
    if source is not None:
        return ReadError(staff_text(
            "{file}, sheet '{sheet}': this sheet holds a pivot table, a summary of the answers, "
            "not one row per respondent, so it cannot be imported. Its source data, one row "
            "per respondent, is on sheet '{source}': import that sheet with --sheet "
            "\"{source}\"", file=path.name, sheet=sheet, source=source))
    return ReadError(staff_text(
        "{file}, sheet '{sheet}': this sheet holds a pivot table, a summary of the answers, not "
        "one row per respondent, so it cannot be imported. Import the pivot table's source "
        "data instead: the sheet with one row per respondent (choose it with --sheet NAME; the "
        "sheets are {sheets}), or ask the sender to export it (in Excel a double click on the "
        "pivot table's grand total puts the source data on a new sheet)", file=path.name,
        sheet=sheet, sheets=listing))


def _clean(row: list[Any]) -> list[Any]:
    """calamine gives '' for an empty cell and floats for whole numbers."""
    return [(int(value) if value.is_integer() else value) if value.__class__ is float
            else None if value == "" else value
            for value in row]


def _layout_notes(head: list[list[Any]], header_row: int, start_row: int,
                  merges: list[Merge] | None, first: int) -> list[str]:
    notes: list[str] = []
    above = [start_row + i + 1 for i in range(header_row) if head[i].count(None) < len(head[i])]
    if above:
        title = next(cell_text(v) for v in head[above[0] - start_row - 1] if v is not None)
        notes.append(staff_plural("row {rows} above the header skipped (starting '{title}')",
                                  "rows {rows} above the header skipped (starting '{title}')",
                                  count=len(above), rows=", ".join(map(str, above)),
                                  title=title[:60]))
    in_data = [m for m in merges or () if m[0][0] >= first]
    if in_data:
        shown = ", ".join(_cells(m, start_row) for m in in_data[:5])
        notes.append(staff_text("merged cells in the data ({cells}) are read as one value in "
                                "their first cell; the others are empty",
                                cells=shown + (", …" if len(in_data) > 5 else "")))
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
        raise ReadError(staff_text("{file}, sheet '{sheet}', after row {row}: {problem}; open it "
                                   "in Excel or LibreOffice and save it again", file=path.name,
                                   sheet=sheet, row=number, problem=_damage(error))) from None
    if skipped:
        shown = ", ".join(map(str, skipped[:10])) + (", …" if len(skipped) > 10 else "")
        notes.append(staff_plural("{count} empty row inside the data skipped (row {rows})",
                                  "{count} empty rows inside the data skipped (rows {rows})",
                                  count=len(skipped), rows=shown))
