"""The accepted responses as CSV or XLSX for the admin pages: the same table, with the same
formula neutralisation, as `survey export` writes: coded (answer codes and missing codes, as
SPSS and Stata read them), or labelled (the answers' labels in one language of the
questionnaire, and the missing values by their labels, for reading in a spreadsheet)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from survey.export.columns import Column
from survey.export.table import ExportTable, build_table
from survey.export.tables import write_csv, write_xlsx
from survey.questionnaire.measurement import Storage
from survey.questionnaire.model import Questionnaire
from survey.store.dataset import Dataset
from survey.store.schema import Status
from survey.store.store import Store

WRITERS: dict[str, Callable[[ExportTable, Path], list[Path]]] = {
    "csv": write_csv, "xlsx": write_xlsx}


def label_language(questionnaire: Questionnaire, staff_language: str) -> str:
    """The language of the labels: the staff language if the questionnaire has it, else the
    questionnaire's default language."""
    return (staff_language if staff_language in questionnaire.languages
            else questionnaire.default_language)


def _empty(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _labelled_value(column: Column, value: Any, missing: Any) -> Any:
    if not _empty(missing):
        code = int(missing)
        return column.missing.get(code) or code
    if _empty(value):
        return None
    if column.kind == Storage.CODE:
        code = int(value)
        return column.value_labels.get(code) or code
    if column.kind == Storage.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if column.kind in (Storage.INTEGER, Storage.NUMBER):
        return _number(value)
    return value


def labelled_table(questionnaire: Questionnaire, records: list[tuple[str, str, Any]],
                   language: str) -> ExportTable:
    """The coded table with every answer code replaced by its label and every declared
    missing value by its label (a text column wherever a label stands)."""
    coded = build_table(questionnaire, records, language)
    dataset = Dataset.from_answers(questionnaire, ((i, a) for i, _, a in records))
    frame = coded.data.copy()
    columns = []
    for column in coded.columns:
        if column.variable is None:
            columns.append(column)
            continue
        values = dataset.values[column.name].to_numpy()
        missing = (dataset.missing[column.name].to_numpy() if column.name in dataset.missing
                   else [None] * len(values))
        labelled = [_labelled_value(column, v, m) for v, m in zip(values, missing, strict=True)]
        mixed = column.kind == Storage.CODE or any(not _empty(m) for m in missing)
        kind = Storage.TEXT if mixed else column.kind
        frame[column.name] = pd.Series(labelled, index=frame.index, dtype=object)
        columns.append(dataclasses.replace(column, kind=kind, value_labels={}, missing={}))
    return ExportTable(questionnaire, language, columns, frame, coded.warnings)


def accepted_responses(store: Store, questionnaire: Questionnaire, file_format: str,
                       labels: str | None = None) -> bytes:
    """The file's bytes: codes, or with `labels` (a language of the questionnaire) labels.
    The writers stream to disk, so they write into a temporary folder."""
    records = store.answers_with_status(questionnaire.id, [Status.ACCEPTED])
    table = (labelled_table(questionnaire, records, labels) if labels
             else build_table(questionnaire, records))
    with tempfile.TemporaryDirectory(prefix="survey-download-") as folder:
        path = Path(folder) / f"{questionnaire.id}.{file_format}"
        WRITERS[file_format](table, path)
        return path.read_bytes()
