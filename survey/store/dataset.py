"""The data set the statistics read: one row per accepted response, one column per variable.

Declared missing values (don't know, no answer) are not answers: they are empty in `values`
and kept, by code, in `missing`, so an analysis never averages a -1 and an export can still
write the code back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from survey.questionnaire.answers import missing_name, variable_value
from survey.questionnaire.model import Questionnaire, Variable
from survey.questionnaire.spec import QuestionType
from survey.store.store import Store


@dataclass(frozen=True)
class Dataset:
    questionnaire: Questionnaire
    values: pd.DataFrame
    """Index `submission_id`; columns the variables in questionnaire order. Codes and numbers
    are float64 (NaN: no answer), texts are objects (None: no answer)."""
    missing: pd.DataFrame
    """Same index; a column per variable whose question offers missing values, holding the
    missing code where the respondent gave one, NaN elsewhere."""

    @classmethod
    def from_answers(cls, questionnaire: Questionnaire,
                     records: Iterable[tuple[str, Mapping[str, Any]]]) -> Dataset:
        """Build from (submission_id, validated answers) pairs, the form the store keeps."""
        variables = questionnaire.variables
        ids: list[str] = []
        columns: dict[str, list[Any]] = {v.name: [] for v in variables}
        missing: dict[str, list[float]] = {v.name: [] for v in variables if v.missing}
        for submission_id, answers in records:
            ids.append(submission_id)
            for variable in variables:
                value = variable_value(variable, answers)
                if variable.missing:
                    code = _missing_code(variable, answers, value)
                    missing[variable.name].append(np.nan if code is None else float(code))
                    if code is not None:
                        value = None
                columns[variable.name].append(value)
        index = pd.Index(ids, name="submission_id", dtype=object)
        frame = pd.DataFrame({v.name: _column(v, columns[v.name]) for v in variables},
                             index=index)
        return cls(questionnaire, frame,
                   pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in missing.items()},
                                index=index))


def _missing_code(variable: Variable, answers: Mapping[str, Any], value: Any) -> int | None:
    raw = answers.get(variable.name, answers.get(variable.question.id))
    if missing_name(raw) is None:
        return None
    return value


def _column(variable: Variable, values: list[Any]) -> np.ndarray:
    if variable.is_text or variable.question.type == QuestionType.DATE:
        return np.asarray(values, dtype=object)
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)


def load_dataset(store: Store, questionnaire: Questionnaire) -> Dataset:
    """The accepted responses to `questionnaire` in the store."""
    return Dataset.from_answers(questionnaire, store.accepted_answers(questionnaire.id))
