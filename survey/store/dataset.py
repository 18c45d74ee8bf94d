"""The data set the statistics read: one row per accepted response, one column per variable.

Declared missing values (don't know, no answer) are not answers: they are empty in `values`
and kept, by code, in `missing`, so an analysis never averages a -1 and an export can still
write the code back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from survey.questionnaire.answers import missing_name, variable_reader
from survey.questionnaire.model import Questionnaire, Variable, VariableRole
from survey.questionnaire.spec import QuestionType
from survey.store.store import Store


@dataclass(frozen=True)
class Dataset:
    """The accepted responses as tables for the statistics: answers in `values`, declared missing
    codes kept apart in `missing`."""

    questionnaire: Questionnaire
    values: pd.DataFrame
    """Index `submission_id`; columns the variables in questionnaire order. Codes and numbers
    are float64 (NaN: no answer), texts are objects (None: no answer)."""
    missing: pd.DataFrame
    """Same index; a column per variable whose question offers missing values, holding the
    missing code where the respondent gave one, NaN elsewhere."""

    @classmethod
    def from_answers(cls, questionnaire: Questionnaire,
                     records: Iterable[tuple[str, Mapping[str, Any]]],
                     names: Collection[str] | None = None) -> Dataset:
        """Build from (submission_id, validated answers) pairs, the form the store keeps;
        with `names`, only those variables (a dashboard that needs a few of a hundred)."""
        variables = [v for v in questionnaire.variables if names is None or v.name in names]
        pairs = list(records)
        ids = [submission_id for submission_id, _ in pairs]
        rows = [answers for _, answers in pairs]
        del pairs
        index = pd.Index(ids, name="submission_id", dtype=object)
        values: dict[str, np.ndarray] = {}
        missing: dict[str, np.ndarray] = {}
        for variable in variables:
            read = variable_reader(variable)
            column = [read(answers) for answers in rows]
            if variable.missing:
                key = variable.name if variable.role == VariableRole.ROW else variable.question.id
                declared = [missing_name(answers.get(key)) is not None for answers in rows]
                missing[variable.name] = np.array(
                    [v if d else np.nan for v, d in zip(column, declared, strict=True)],
                    dtype=float)
                column = [None if d else v for v, d in zip(column, declared, strict=True)]
            values[variable.name] = _column(variable, column)
        return cls(questionnaire, pd.DataFrame(values, index=index),
                   pd.DataFrame(missing, index=index))


def _column(variable: Variable, values: list[Any]) -> np.ndarray:
    if variable.is_text or variable.question.type == QuestionType.DATE:
        return np.asarray(values, dtype=object)
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)


def load_dataset(store: Store, questionnaire: Questionnaire,
                 names: Collection[str] | None = None) -> Dataset:
    """The accepted responses to `questionnaire` in the store (only the variables `names`,
    if given)."""
    return Dataset.from_answers(questionnaire, store.accepted_answers(questionnaire.id), names)
