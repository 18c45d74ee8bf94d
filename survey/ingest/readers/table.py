"""The one shape every partner file is read into: named columns with their file metadata, and rows.

Whatever a partner sends (CSV from German or Russian Excel, a workbook, an SPSS or Stata file, our
own online form's JSON lines), the mapping and validation steps see the same table, so they are
written once. Rows are streamed, so a file of any size is held in memory one row at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survey.staff_texts import staff_text
from survey.user_error import UserError


class ReadError(UserError):
    """A file that cannot be read at all: message says which file, where, what is wrong, what to do.

    It is raised by `read_table` and, for damage found only further into a file (a truncated SPSS
    file without a case count, a runaway quote in a CSV file), while its rows are iterated.
    """


@dataclass(frozen=True)
class SourceColumn:
    name: str
    """Header text as in the file (stripped); for SPSS/Stata the variable name."""
    label: str | None = None
    """Variable label (SPSS/Stata), or "group: item" for a two-row spreadsheet header."""
    value_labels: dict[Any, str] = field(default_factory=dict)
    """Code -> label from the file's metadata."""
    missing_values: frozenset[Any] = frozenset()
    """User-missing codes declared in an SPSS file (finite integer ranges expanded to codes), or
    Stata's extended missing values .a-.z as the letters "a"-"z" on numeric variables."""
    position: str = ""
    """How a user finds the column: Excel letter ("C"), 1-based column number, or JSON key path."""
    missing_ranges: tuple[tuple[Any, Any], ...] = ()
    """Every user-missing declaration as (low, high), also the ranges too wide to expand."""


@dataclass(frozen=True, slots=True)
class SourceRow:
    number: int
    """The row number a user sees: spreadsheet row, line where a CSV record or JSON line starts,
    or SPSS/Stata case number (all 1-based)."""
    values: tuple[Any, ...]
    """One value per column, as stored in the file (raw text for CSV; no type guessing)."""
    problem: str | None = None
    """Why the row could not be read as it should; the caller quarantines it, never drops it."""
    extra: tuple[Any, ...] = ()
    """What the file holds for this row that fits no column (fields beyond a CSV header's width,
    the text of a JSON line that is not a submission), kept so nothing is lost."""


@dataclass
class SourceTable:
    path: Path
    kind: str
    """One of csv, tsv, xlsx, xlsm, xls, ods, sav, zsav, por, dta, jsonl."""
    sheet: str | None
    encoding: str | None
    """The text encoding that was detected or given (a name `--encoding` accepts)."""
    columns: list[SourceColumn]
    rows: Iterator[SourceRow]
    """Streamed: each row can be read once."""
    header_rows: int
    """Rows taken as the header (1 or 2; 0 for SPSS/Stata/JSON lines)."""
    notes: list[str]
    """Things the user should know. Complete only once `rows` is exhausted: skipped empty rows
    are counted while streaming."""
    delimiter: str | None = None
    """The field separator of a CSV/TSV file."""
    decimal_comma: bool = False
    """Numbers in the file are written like 3,5: the caller converts, values stay raw text."""
    other_sheets: tuple[str, ...] = ()
    """The workbook's other sheets, when this one was chosen without --sheet (not pivots)."""


_KINDS = {
    ".csv": "csv", ".tsv": "tsv", ".txt": "txt",
    ".xlsx": "xlsx", ".xlsm": "xlsm", ".xls": "xls", ".ods": "ods",
    ".sav": "sav", ".zsav": "zsav", ".por": "por", ".dta": "dta",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}


def read_table(path: Path | str, *, sheet: str | None = None,
               encoding: str | None = None) -> SourceTable:
    """Open a partner file of any supported kind; the format follows from its extension."""
    path = Path(path)
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise ReadError(staff_text("{file}: files ending in '{ending}' cannot be imported; "
                                   "supported are {kinds}. Save the file in one of these "
                                   "formats", file=path.name,
                                   ending=path.suffix or staff_text("(no extension)"),
                                   kinds=", ".join(_KINDS)))
    try:
        if not path.is_file():
            raise ReadError(staff_text(
                "{file}: {path} is a folder, not a file; check the path", file=path.name,
                path=str(path)) if path.is_dir() else staff_text(
                "{file}: {path} does not exist; check the path", file=path.name, path=str(path)))
        if path.stat().st_size == 0:
            raise ReadError(staff_text("{file} is empty (0 bytes); export it again from the "
                                       "source", file=path.name))
        return _read(path, kind, sheet, encoding)
    except OSError as error:
        raise ReadError(staff_text("{file}: cannot be read ({reason}); check that the file is "
                                   "not open elsewhere and that you may read it",
                                   file=path.name, reason=error.strerror or str(error))) from None


def _read(path: Path, kind: str, sheet: str | None, encoding: str | None) -> SourceTable:
    # The format modules are imported here, when needed: pyreadstat pulls in pandas, which a
    # CSV import does not need.
    if kind in ("csv", "tsv", "txt"):
        from survey.ingest.readers.text import read_text
        table = read_text(path, encoding)
    elif kind in ("xlsx", "xlsm", "xls", "ods"):
        from survey.ingest.readers.spreadsheet import read_spreadsheet
        table = read_spreadsheet(path, kind, sheet)
    elif kind == "jsonl":
        from survey.ingest.readers.jsonlines import read_jsonlines
        table = read_jsonlines(path, encoding)
    else:
        from survey.ingest.readers.statistical import read_statistical
        table = read_statistical(path, kind, encoding)
    if sheet is not None and table.sheet is None:
        table.notes.append(staff_text("--sheet {sheet} ignored: a {kind} file has no sheets",
                                      sheet=sheet, kind=table.kind))
    if encoding is not None and kind in ("xlsx", "xlsm", "xls", "ods"):
        table.notes.append(staff_text("--encoding {encoding} ignored: a spreadsheet names its "
                                      "own encoding", encoding=encoding))
    return table
