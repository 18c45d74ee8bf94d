"""Stata .dta: declared missing codes become extended missing values (.a, .b, ...) so Stata
leaves them out of every command, while their labels still say what the respondent answered."""

from __future__ import annotations

import string
from pathlib import Path
from typing import cast

import pandas as pd
import pyreadstat

from survey.atomic_write import write_through_file
from survey.export.columns import NUMERIC
from survey.export.limits import cut
from survey.export.names import Target, safe_names
from survey.export.table import ExportError, ExportTable, empty_dates, file_label
from survey.questionnaire.measurement import Storage
from survey.questionnaire.model import Questionnaire

VARIABLE_LABEL = 80
"""Characters; Stata 14 and later."""
VALUE_LABEL = 32_000
"""Bytes."""


def extended_missing(questionnaire: Questionnaire) -> dict[int, str]:
    """Declared missing code -> Stata letter, in declaration order (.a for the first)."""
    codes = [m.code for m in questionnaire.missing_values]
    if len(codes) > len(string.ascii_lowercase):
        raise ExportError("Stata has 26 extended missing values (.a to .z); the questionnaire "
                          f"declares {len(codes)} missing values")
    return dict(zip(codes, string.ascii_lowercase, strict=False))


def write_dta(table: ExportTable, path: Path) -> list[Path]:
    warnings = table.warnings
    letters = extended_missing(table.questionnaire)
    names = safe_names([c.name for c in table.columns], Target.STATA)
    frame = table.data.rename(columns=names)
    labels: dict[str, str | None] = {}
    value_labels: dict[str, dict[int | str, str]] = {}
    missing: dict[str, list[str]] = {}
    formats: dict[str, str] = {}
    for column in table.columns:
        name = names[column.name]
        labels[name] = cut(column.label, VARIABLE_LABEL, f"the Stata label of {column.name}",
                           warnings, in_bytes=False)
        if column.kind == Storage.TEXT:
            frame[name] = frame[name].map(lambda v: str(v) if isinstance(v, int) else v)
        if column.kind == Storage.DATE and frame[name].isna().all():
            frame[name] = empty_dates(frame[name])
            formats[name] = "%td"
        if column.kind not in NUMERIC:
            continue
        coded: dict[int | str, str] = dict(column.value_labels.items())
        if column.missing:
            series = frame[name]
            is_code = series.isin(list(column.missing))
            if is_code.any():
                frame[name] = series.astype(object).where(
                    ~is_code, series.map(lambda v: letters.get(int(v)) if pd.notna(v) else v))
            missing[name] = [letters[c] for c in column.missing]
            coded.update({letters[c]: text for c, text in column.missing.items()})
        if coded:
            value_labels[name] = {
                code: cut(text, VALUE_LABEL, f"the label of code {code} of {column.name}",
                          warnings) for code, text in coded.items()}
    # pyreadstat's hints leave out the letter keys (.a to .z) that label extended missing values
    letter_labels = cast("dict[str, dict[int | float, str]]", value_labels)
    write_through_file(path, lambda scratch: pyreadstat.write_dta(
        frame, scratch, file_label=file_label(table, 80), column_labels=labels,
        variable_value_labels=letter_labels, missing_user_values=missing,
        variable_format=formats))
    return [path]
