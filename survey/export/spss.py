"""SPSS .sav/.zsav with everything SPSS users rely on: variable and value labels, user-missing
values, measurement levels, dates as dates, and the multiple-response sets in a syntax file
(readstat cannot write them into the .sav itself)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyreadstat

from survey.atomic_write import write_atomically, write_through_file
from survey.export.columns import NUMERIC, WHOLE, Column
from survey.export.limits import cut
from survey.export.names import Target, safe_names
from survey.export.table import ExportTable, empty_dates, file_label
from survey.questionnaire.measurement import Storage
from survey.questionnaire.model import VariableRole

VARIABLE_LABEL = 256
VALUE_LABEL = 120
STRING_MISSING = 8
"""SPSS declares string missing values of at most 8 bytes."""
DISCRETE_MISSING = 3
"""SPSS declares at most three discrete missing values, or a range and one value."""


def spss_missing(column: Column, warnings: list[str]) -> list[Any]:
    """The user-missing declaration of one column, as pyreadstat takes it."""
    codes = sorted(column.missing)
    if not codes or column.kind == Storage.DATE:
        return []
    if column.kind == Storage.TEXT:
        fitting = [str(c) for c in codes if len(str(c).encode()) <= STRING_MISSING]
        return fitting[:DISCRETE_MISSING]
    if len(codes) <= DISCRETE_MISSING:
        return [float(c) for c in codes]
    low, high = codes[0], codes[-1]
    if not any(low <= code <= high for code in column.value_labels):
        return [{"lo": float(low), "hi": float(high)}]
    warnings.append(f"{column.name}: SPSS declares at most three missing values and a range "
                    f"{low} to {high} would hide answer codes; declared {codes[:3]}")
    return [float(c) for c in codes[:DISCRETE_MISSING]]


def _code_width(column: Column) -> int:
    codes = [*column.value_labels, *column.missing]
    return max([len(str(c)) for c in codes] + [1])


def write_sav(table: ExportTable, path: Path, compress: bool = False) -> list[Path]:
    """Write the .sav (or .zsav) and, when there are multiple-response sets, its .sps; the
    written paths. Warnings about cut labels are added to the table's warnings."""
    warnings = table.warnings
    names = safe_names([c.name for c in table.columns], Target.SPSS)
    frame = table.data.rename(columns=names)
    labels: dict[str, str | None] = {}
    value_labels, missing, measure, formats = {}, {}, {}, {}
    for column in table.columns:
        name = names[column.name]
        labels[name] = cut(column.label, VARIABLE_LABEL, f"the label of {column.name}",
                           warnings)
        measure[name] = column.measure
        if column.kind == Storage.TEXT:
            frame[name] = frame[name].map(lambda v: str(v) if isinstance(v, int) else v)
        if column.kind in WHOLE:
            formats[name] = f"F{_code_width(column) + 1}.0" if column.value_labels else "F8.0"
        if column.kind == Storage.DATE and frame[name].isna().all():
            frame[name] = empty_dates(frame[name])
            formats[name] = "DATE11"
        coded = {**column.value_labels, **column.missing} if column.kind in NUMERIC else {}
        if coded:
            value_labels[name] = {
                float(code): cut(text, VALUE_LABEL, f"the label of code {code} of {column.name}",
                                 warnings) for code, text in coded.items()}
        declared = spss_missing(column, warnings)
        if declared:
            missing[name] = declared
    write_through_file(path, lambda scratch: pyreadstat.write_sav(
        frame, scratch, file_label=file_label(table, 64), column_labels=labels,
        compress=compress, variable_value_labels=value_labels, missing_ranges=missing,
        variable_measure=measure, variable_format=formats))
    written = [path]
    syntax = mr_sets_syntax(table, names)
    if syntax:
        sps = path.with_suffix(".sps")
        write_atomically(sps, syntax.encode("utf-8-sig"))
        written.append(sps)
    return written


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''").replace("\n", " ") + "'"


def mr_sets_syntax(table: ExportTable, names: dict[str, str]) -> str:
    """SPSS MRSETS commands grouping each multiple choice's 0/1 variables."""
    groups: dict[str, list[Column]] = {}
    for column in table.variable_columns:
        assert column.variable is not None
        if column.variable.role == VariableRole.OPTION:
            groups.setdefault(column.variable.question.id, []).append(column)
    if not groups:
        return ""
    survey = table.questionnaire.survey
    fallback = table.questionnaire.default_language
    lines = [f"* Multiple-response sets of {survey.id} {survey.version} "
             f"(labels: {table.language}).",
             "* Open the .sav file of the same name first, then run this syntax.",
             "MRSETS"]
    for question_id, columns in groups.items():
        question = table.questionnaire.question(question_id)
        label = cut(question.label.get(table.language, fallback), VARIABLE_LABEL,
                    f"the label of multiple-response set ${question_id}", table.warnings)
        variables = " ".join(names[c.name] for c in columns)
        set_name = safe_names([question_id], Target.SPSS)[question_id][:63]
        lines += [f"  /MDGROUP NAME=${set_name} LABEL={_quoted(label)}",
                  f"    CATEGORYLABELS=VARLABELS VARIABLES={variables} VALUE=1"]
    lines += [".", ""]
    return "\n".join(lines)
