"""What an analysis plan can refer to: the questionnaire's variables and the plan's derived ones,
each with the scale that decides what may be done with it, its categories and its labels.

The plan checker reads this catalogue to refuse a mean of a nominal variable or a breakdown by
a number before anything runs; the runner reads it to turn stored codes into category names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey.questionnaire.languages import country_names, language_name, language_names
from survey.questionnaire.measurement import Scale
from survey.questionnaire.model import Questionnaire, Variable, VariableRole
from survey.questionnaire.spec import QuestionType

CATEGORICAL_SCALES = frozenset({Scale.CATEGORICAL, Scale.ORDINAL, Scale.CODES})
NUMERIC_SCALES = frozenset({Scale.NUMERIC, Scale.ORDINAL})


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    code: float | None = None
    """The stored code of a questionnaire category; None for derived groups."""


@dataclass(frozen=True)
class VariableInfo:
    name: str
    label: str
    scale: Scale
    categories: tuple[Category, ...] = ()
    """Declared categories; empty for numbers, texts and codes (found in the data)."""
    variable: Variable | None = None
    """The questionnaire variable; None for a derived one."""

    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)


def describe(info: VariableInfo) -> str:
    """How messages name what a variable is: 'a number', 'free text', ..."""
    return {Scale.CATEGORICAL: "categorical", Scale.ORDINAL: "an ordered rating",
            Scale.NUMERIC: "a number", Scale.CODES: "a list of codes",
            Scale.FREE_TEXT: "free text", Scale.DATE: "a date"}[info.scale]


def _label(variable: Variable, language: str, fallback: str) -> str:
    question = variable.question.label.get(language, fallback)
    match variable.role:
        case VariableRole.OPTION | VariableRole.ROW | VariableRole.OTHER_TEXT:
            return f"{question} – {variable.label.get(language, fallback)}"
        case VariableRole.RANK:
            return f"{question} ({variable.name.rsplit('__', 1)[1]})"
    return question


def _categories(variable: Variable, language: str, fallback: str) -> tuple[Category, ...]:
    question = variable.question
    if question.choices is not None and variable.role != VariableRole.OPTION:
        return tuple(Category(c.name, c.label.get(language, fallback), float(c.code))
                     for c in question.choices.choices)
    return tuple(Category(label.get(language, fallback).replace(" ", "_"),
                          label.get(language, fallback), float(code))
                 for code, label in variable.value_labels)


def questionnaire_variables(questionnaire: Questionnaire,
                            language: str) -> dict[str, VariableInfo]:
    """Every variable of the questionnaire, labelled in `language`."""
    fallback = questionnaire.default_language
    catalogue = {}
    for variable in questionnaire.variables:
        scale = variable.scale
        categories = (_categories(variable, language, fallback)
                      if scale in (Scale.CATEGORICAL, Scale.ORDINAL) else ())
        catalogue[variable.name] = VariableInfo(variable.name,
                                                _label(variable, language, fallback), scale,
                                                categories, variable)
    return catalogue


def code_label(info: VariableInfo, code: str, language: str) -> str:
    """The name of a country or language code, for labels in the results."""
    assert info.variable is not None
    if info.variable.question.type == QuestionType.COUNTRY:
        return country_names(language).get(code, code)
    return language_name(code, language)


def known_codes(info: VariableInfo) -> set[str]:
    """Codes a country or language variable can hold (for checking recodes and margins)."""
    assert info.variable is not None
    if info.variable.question.type == QuestionType.COUNTRY:
        return set(country_names("en"))
    return set(language_names("en"))


def as_categories(info: VariableInfo, stored: pd.Series) -> pd.Series:
    """Stored values (codes, or country/language codes) as a categorical of category names.

    Unknown values (no answer, declared missing) are NaN. The categories of a country or
    language variable are the codes in the data, sorted.
    """
    index = pd.RangeIndex(len(stored))
    if info.scale == Scale.CODES:
        values = stored.to_numpy(dtype=object)
        categories = sorted(map(str, pd.Series(values).dropna().unique()))
        return pd.Series(pd.Categorical(values, categories=categories), index=index)
    codes = np.array([c.code for c in info.categories], dtype=float)
    positions = pd.Index(codes).get_indexer(stored.to_numpy(dtype=float))
    return pd.Series(pd.Categorical.from_codes(positions, pd.Index(info.category_names())),
                     index=index)
