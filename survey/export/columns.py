"""The columns of an export and their metadata in one language: the one description every
writer (SPSS, Stata, CSV, XLSX, R) and the codebook read, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from survey.questionnaire.measurement import Storage
from survey.questionnaire.model import Question, Questionnaire, Variable, VariableRole


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: Storage
    measure: str
    value_labels: dict[int, str] = field(default_factory=dict)
    """Labels of the answer codes, without the missing values."""
    missing: dict[int, str] = field(default_factory=dict)
    """Declared missing codes offered by the question, and their labels."""
    question: Question | None = None
    variable: Variable | None = None


def variable_label(variable: Variable, language: str, fallback: str) -> str:
    """A label that still says what the column is when read without its question."""
    text = variable.label.get(language, fallback)
    question = variable.question.label.get(language, fallback)
    if variable.role == VariableRole.RANK:
        return f"{variable.name.rsplit('__rank', 1)[1]}. {question}"
    if variable.role == VariableRole.OTHER_TEXT:
        return f"{text} (text)"
    return text


WHOLE = (Storage.CODE, Storage.INTEGER)
NUMERIC = (Storage.CODE, Storage.INTEGER, Storage.NUMBER)


def variable_column(variable: Variable, language: str, fallback: str) -> Column:
    return Column(
        name=variable.name, label=variable_label(variable, language, fallback),
        kind=variable.storage,
        measure=variable.measure.value,
        value_labels={code: text.get(language, fallback) for code, text in variable.value_labels},
        missing={m.code: m.label.get(language, fallback) for m in variable.missing},
        question=variable.question, variable=variable)


def questionnaire_columns(questionnaire: Questionnaire, language: str) -> list[Column]:
    fallback = questionnaire.default_language
    return [variable_column(v, language, fallback) for v in questionnaire.variables]
