"""The wide table an export writes: one row per response, one column per variable, with the
declared missing codes written back (the data set keeps them apart so statistics skip them, but
SPSS and Stata users expect to see and declare them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from survey.export.columns import Column, questionnaire_columns
from survey.questionnaire.measurement import Storage
from survey.questionnaire.model import Questionnaire
from survey.store.dataset import Dataset
from survey.user_error import UserError

ID_COLUMN = "submission_id"
STATUS_COLUMN = "status"


class ExportError(UserError):
    """The export cannot be made as asked; the message says what to change."""


@dataclass(frozen=True)
class ExportTable:
    questionnaire: Questionnaire
    language: str
    columns: list[Column]
    data: pd.DataFrame
    """Columns in the order of `columns`: codes and numbers as float (NaN empty), texts as
    objects (a declared missing code stays an int), dates as datetime.date."""
    warnings: list[str] = field(default_factory=list)

    @property
    def variable_columns(self) -> list[Column]:
        return [c for c in self.columns if c.variable is not None]


def read_weights(path: Path) -> pd.DataFrame:
    """The weights `survey analyse` wrote: numeric columns indexed by submission_id."""
    try:
        frame = pd.read_csv(path, dtype={ID_COLUMN: str})
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise ExportError(f"cannot read the weights file {path}: {error}") from None
    if ID_COLUMN not in frame.columns:
        raise ExportError(f"{path} has no '{ID_COLUMN}' column; use the weights.csv that "
                          "survey analyse writes")
    numeric = [c for c in frame.columns
               if c != ID_COLUMN and pd.api.types.is_numeric_dtype(frame[c])]
    if not numeric:
        raise ExportError(f"{path} has no numeric weight column")
    if frame[ID_COLUMN].duplicated().any():
        raise ExportError(f"{path} lists a submission_id twice; run survey analyse again")
    return frame.set_index(ID_COLUMN)[numeric]


def _iso_date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _with_missing(column: Column, values: pd.Series, codes: pd.Series | None,
                  warnings: list[str]) -> pd.Series:
    given = codes.notna() if codes is not None else pd.Series(False, index=values.index)
    if column.kind == Storage.DATE:
        if given.any():
            warnings.append(f"{column.name}: {int(given.sum())} declared missing answers are "
                            "empty in the export, since a date column cannot hold codes")
        return pd.Series([_iso_date(v) for v in values], index=values.index, dtype=object)
    if not given.any():
        return values
    assert codes is not None
    if column.kind == Storage.TEXT:
        return pd.Series([int(c) if g else v for v, c, g in zip(values, codes, given,
                                                                strict=True)],
                         index=values.index, dtype=object)
    return values.where(~given, codes)


def file_label(table: ExportTable, limit: int) -> str:
    """The questionnaire and its version, as the label of a .sav or .dta file."""
    survey = table.questionnaire.survey
    return f"{survey.id} {survey.version}"[:limit]


def empty_dates(series: pd.Series) -> pd.Series:
    """A date column without a single date, typed so SPSS and Stata still see a date column
    (readstat takes an all-empty column of objects for text)."""
    return pd.Series(pd.NaT, index=series.index, dtype="datetime64[s]")


def build_table(questionnaire: Questionnaire,
                records: Sequence[tuple[str, str, Mapping[str, Any]]],
                language: str | None = None, weights: pd.DataFrame | None = None,
                with_status: bool = False) -> ExportTable:
    language = language or questionnaire.default_language
    if language not in questionnaire.languages:
        raise ExportError(f"'{language}' is not a language of questionnaire "
                          f"'{questionnaire.id}'; choose one of "
                          f"{', '.join(questionnaire.languages)}")
    dataset = Dataset.from_answers(questionnaire, ((i, a) for i, _, a in records))
    warnings: list[str] = []
    ids = dataset.values.index
    columns = [Column(ID_COLUMN, "Submission id", Storage.TEXT, "nominal")]
    data: dict[str, Any] = {ID_COLUMN: pd.Series(list(ids), index=ids, dtype=object)}
    if with_status:
        columns.append(Column(STATUS_COLUMN, "Status of the response", Storage.TEXT, "nominal"))
        data[STATUS_COLUMN] = pd.Series([s for _, s, _ in records], index=ids, dtype=object)
    for column in questionnaire_columns(questionnaire, language):
        codes = dataset.missing.get(column.name, None)
        data[column.name] = _with_missing(column, dataset.values[column.name], codes, warnings)
        columns.append(column)
    if weights is not None:
        for name in weights.columns:
            export_name = name if name not in data else f"{name}_w"
            columns.append(Column(export_name, f"{name} (survey analyse)", Storage.NUMBER, "scale"))
            data[export_name] = weights[name].reindex(ids).astype(float)
        unweighted = int(data[columns[-1].name].isna().sum())
        if unweighted:
            warnings.append(f"{unweighted} responses have no weight (they were not part of the "
                            "analysis run that wrote the weights); run survey analyse again")
    if not len(ids):
        warnings.append(f"no responses to '{questionnaire.id}' to export: the files have every "
                        "column and no rows; import returns first (survey ingest)")
    frame = pd.DataFrame({name: series.to_numpy() for name, series in data.items()})
    return ExportTable(questionnaire, language, columns, frame, warnings)
