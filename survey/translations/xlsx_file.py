"""Translation workbooks for translators who work in Excel or LibreOffice Calc.

One row per text; the translator types into the highlighted 'new translation' column. Texts are
written as text cells (never formulas, also when they start with = + - @), and a cell that holds
a formula on import is refused. Arabic and Farsi columns are right-to-left; the sheet itself stays
left-to-right because its id, context and source columns are not. The hidden sheet 'about' keeps
what import needs to recognise the file and merge safely.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from survey.atomic_write import save_atomically
from survey.ingest.readers.spreadsheet import check_zip
from survey.ingest.readers.table import ReadError
from survey.questionnaire.languages import is_right_to_left, language_name
from survey.safe_cells import neutralise
from survey.translations.errors import TranslationError
from survey.translations.exchange import (
    Entry,
    ExchangeFile,
    Header,
    decode_sizes,
    encode_sizes,
)

SHEET = "translations"
ABOUT = "about"
INSTRUCTIONS = "instructions"
WIDTHS = {"id": 34, "context": 40, "state": 10, "source": 60, "current": 60, "new": 60,
          "notes": 40}
_HEADER_KEYS = {"questionnaire": "questionnaire", "version": "version",
                "source language": "source_language", "language": "language",
                "exported at": "exported_at", "questionnaire file fingerprint": "file_fingerprint"}
_SIZES = "choice-list entries exported"
_TABLE = ("id", "source fingerprint", "translation fingerprint")
_INPUT = PatternFill("solid", fgColor="FFF4C2")
_STATES = {True: "stale", False: ""}


def _headings(header: Header) -> dict[str, str]:
    source, target = header.source_language, header.language
    return {"id": "id", "context": "context", "state": "state",
            "source": f"source: {language_name(source, 'en')} ({source})",
            "current": f"current translation: {language_name(target, 'en')} ({target})",
            "new": f"new translation: {language_name(target, 'en')} ({target})",
            "notes": "notes"}


def _text_cell(cell: Cell, text: str, alignment: Alignment) -> None:
    """A text cell a spreadsheet shows as typed and never evaluates (formula-looking or not)."""
    cell.value = text
    cell.data_type = "s"
    if neutralise(text) != text:
        cell.quotePrefix = True
    cell.alignment = alignment


def write_xlsx(exchange: ExchangeFile, path: Path) -> None:
    header = exchange.header
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    headings = _headings(header)
    columns = list(WIDTHS)
    left = Alignment(wrap_text=True, vertical="top")
    right = Alignment(wrap_text=True, vertical="top", horizontal="right", readingOrder=2)
    direction = {"source": right if is_right_to_left(header.source_language) else left,
                 "current": right if is_right_to_left(header.language) else left}
    direction["new"] = direction["current"]
    for index, key in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        _text_cell(cell, headings[key], direction.get(key, left))
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = WIDTHS[key]
    for row, entry in enumerate(exchange.entries, start=2):
        values = {"id": entry.id, "context": entry.context, "state": _STATES[entry.stale],
                  "source": entry.source, "current": entry.current, "new": entry.new,
                  "notes": entry.notes}
        for index, key in enumerate(columns, start=1):
            _text_cell(sheet.cell(row, index), values[key], direction.get(key, left))
        sheet.cell(row, columns.index("new") + 1).fill = _INPUT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(1, len(columns)).column_letter}" \
                            f"{max(1, len(exchange.entries) + 1)}"
    _write_instructions(book.create_sheet(INSTRUCTIONS), headings)
    _write_about(book.create_sheet(ABOUT), exchange)
    save_atomically(path, book.save)


def _write_instructions(sheet: Worksheet, headings: dict[str, str]) -> None:
    lines = [
        "How to fill in this file",
        f"Type your translation into the yellow column '{headings['new']}'.",
        "Leave a cell empty to keep the current translation.",
        "Rows marked 'stale': the source text changed after the current translation was made; "
        "check it and type the corrected translation (or copy the current one if it is still "
        "right).",
        "Keep every ${name} placeholder exactly as it is: it is replaced by an answer.",
        "Do not add, delete or merge rows, and do not change the ids.",
        "Write questions or doubts into the 'notes' column; the staff read them on import.",
        "Send the file back as .xlsx, under any name.",
    ]
    sheet.column_dimensions["A"].width = 110
    for row, line in enumerate(lines, start=1):
        _text_cell(sheet.cell(row, 1), line, Alignment(wrap_text=True, vertical="top"))
    sheet.cell(1, 1).font = Font(bold=True)


def _write_about(sheet: Worksheet, exchange: ExchangeFile) -> None:
    header = exchange.header
    plain = Alignment()
    rows: list[tuple[str, str]] = [(label, getattr(header, attribute))
                                   for label, attribute in _HEADER_KEYS.items()]
    rows.append((_SIZES, encode_sizes(header.group_sizes)))
    for row, (label, value) in enumerate(rows, start=1):
        _text_cell(sheet.cell(row, 1), label, plain)
        _text_cell(sheet.cell(row, 2), value, plain)
    first = len(rows) + 2
    for index, label in enumerate(_TABLE, start=1):
        _text_cell(sheet.cell(first, index), label, plain)
    for row, entry in enumerate(exchange.entries, start=first + 1):
        for index, value in enumerate((entry.id, entry.source_fingerprint,
                                       entry.current_fingerprint), start=1):
            _text_cell(sheet.cell(row, index), value, plain)
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 30
    sheet.sheet_state = "hidden"


# -- reading -------------------------------------------------------------------------------


def read_xlsx(path: Path) -> ExchangeFile:
    try:
        check_zip(path, "xlsx", "Excel or LibreOffice")
    except ReadError as error:
        raise TranslationError(str(error)) from None
    # openpyxl parses an untrusted file: whatever it raises means a damaged file.
    try:
        book = load_workbook(path)
    except Exception as error:
        raise TranslationError(f"{path.name} is not a readable XLSX file ({error}); open it in "
                               "Excel or LibreOffice and save it again as .xlsx") from None
    for name in (SHEET, ABOUT):
        if name not in book.sheetnames:
            raise TranslationError(f"{path.name} has no sheet '{name}': it was not made by "
                                   "survey translations export, or the sheet was renamed or "
                                   "deleted; export the file again and copy the translations "
                                   "into it")
    header, fingerprints = _read_about(book[ABOUT], path)
    exchange = ExchangeFile(header, [], path)
    _read_rows(book[SHEET], path, fingerprints, exchange)
    return exchange


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_about(sheet: Worksheet, path: Path) -> tuple[Header, dict[str, tuple[str, str]]]:
    values: dict[str, str] = {}
    fingerprints: dict[str, tuple[str, str]] = {}
    in_table = False
    for row in sheet.iter_rows(values_only=True):
        cells = [_cell_text(v) for v in (*row, None, None, None)[:3]]
        if in_table:
            if cells[0]:
                fingerprints[cells[0]] = (cells[1], cells[2])
        elif tuple(cells) == _TABLE:
            in_table = True
        elif cells[0]:
            values[cells[0]] = cells[1]
    missing = [label for label in (*_HEADER_KEYS, _SIZES) if label not in values]
    if missing or not in_table:
        raise TranslationError(f"{path.name}: its hidden sheet '{ABOUT}' is damaged (no "
                               f"{', '.join(missing) or 'fingerprint table'}); export the file "
                               "again and copy the translations into it")
    header = Header(**{attribute: values[label] for label, attribute in _HEADER_KEYS.items()},
                    group_sizes=decode_sizes(values[_SIZES], f"{path.name}, sheet '{ABOUT}'"))
    return header, fingerprints


def _read_rows(sheet: Worksheet, path: Path, fingerprints: dict[str, tuple[str, str]],
               exchange: ExchangeFile) -> None:
    rows = sheet.iter_rows()
    titles = [_cell_text(c.value).strip().lower() for c in next(rows, ())]
    columns: dict[str, int] = {}
    for key in ("id", "context", "source", "current translation", "new translation", "notes"):
        found = [i for i, title in enumerate(titles) if title == key or
                 title.startswith(f"{key}:")]
        if not found:
            raise TranslationError(f"{path.name}, sheet '{SHEET}': no column '{key}' in the "
                                   "first row; do not rename or delete the header row")
        columns[key] = found[0]
    for cells in rows:
        number = cells[0].row
        where = f"{path.name}, row {number}"

        def text(key: str, cells: tuple[Cell, ...] = cells) -> str:
            index = columns[key]
            return _cell_text(cells[index].value) if index < len(cells) else ""

        identifier, new = text("id").strip(), text("new translation")
        formula = columns["new translation"] < len(cells) and \
            cells[columns["new translation"]].data_type == "f"
        if formula:
            exchange.problems.append(
                f"{where} ({identifier or 'no id'}): the new translation is a formula "
                f"({new[:40]}), which is refused; type the text itself (put an apostrophe ' "
                "before a leading =, + , - or @)")
            continue
        if not identifier:
            if new.strip():
                exchange.problems.append(f"{where}: a translation without an id; rows must not "
                                         "be added: put the text into the row of its id")
            continue
        source_fp, current_fp = fingerprints.get(identifier, ("", ""))
        exchange.entries.append(Entry(
            identifier, text("context"), text("source"), text("current translation"), new,
            text("notes").strip(), source_fp, current_fp, where, typed=True))
