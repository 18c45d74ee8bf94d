"""CSV and XLSX: the codes as numbers (the same values the .sav holds), every text cell
neutralised against formula injection, and the labels beside the data (XLSX sheets, or the R
script for a CSV)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from survey.atomic_write import save_atomically, write_atomically
from survey.export.columns import WHOLE
from survey.export.table import ExportTable
from survey.questionnaire.measurement import Storage
from survey.safe_cells import neutralise


def _csv_ready(table: ExportTable) -> pd.DataFrame:
    frame = table.data.copy()
    for column in table.columns:
        series = frame[column.name]
        if column.kind in WHOLE:
            frame[column.name] = series.astype("Int64")
        elif column.kind in (Storage.TEXT, Storage.DATE):
            frame[column.name] = series.map(neutralise)
    return frame


def write_csv(table: ExportTable, path: Path) -> list[Path]:
    """UTF-8 without a byte-order mark (R, Python and Frictionless read it as it is)."""
    write_atomically(path, _csv_ready(table).to_csv(index=False, date_format="%Y-%m-%d")
                     .encode("utf-8"))
    return [path]


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date):
        return value
    return neutralise(value)


def _rows(frame: pd.DataFrame) -> Iterator[list[Any]]:
    for row in frame.itertuples(index=False, name=None):
        yield [_cell(v) for v in row]


def write_xlsx(table: ExportTable, path: Path) -> list[Path]:
    """Write-only mode: rows stream to disk, so 100,000 responses fit in little memory."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("data")
    bold = Font(bold=True)

    def header(sheet: Any, names: list[str]) -> None:
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=neutralise(name))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    data.freeze_panes = "B2"
    header(data, [c.name for c in table.columns])
    for row in _rows(table.data):
        data.append(row)
    variables = workbook.create_sheet("variables")
    header(variables, ["variable", "label", "type", "measure", "missing codes"])
    for column in table.columns:
        variables.append([neutralise(column.name), neutralise(column.label), str(column.kind),
                          column.measure, ", ".join(map(str, column.missing)) or None])
    values = workbook.create_sheet("values")
    header(values, ["variable", "code", "label", "missing"])
    for column in table.columns:
        for code, label in column.value_labels.items():
            values.append([column.name, code, neutralise(label), None])
        for code, label in column.missing.items():
            values.append([column.name, code, neutralise(label), "missing"])
    save_atomically(path, workbook.save)
    return [path]
