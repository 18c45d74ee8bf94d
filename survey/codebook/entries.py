"""The content of a codebook, built once and rendered by every format.

It reads the same column descriptions as the exports (survey.export.columns), so the codebook
always documents the files that were handed out, including their SPSS and Stata names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import pandas as pd

from survey.export.columns import NUMERIC, Column, questionnaire_columns
from survey.export.names import Target, safe_names
from survey.export.table import ExportTable
from survey.questionnaire.expressions.syntax import references
from survey.questionnaire.measurement import Storage
from survey.questionnaire.model import Expression, Question, Questionnaire


@dataclass(frozen=True)
class Category:
    code: int
    labels: dict[str, str]
    missing: bool
    count: int | None = None


@dataclass(frozen=True)
class Routing:
    """A relevance rule: its source and the numbers of the questions it names."""

    where: str  # "section" or "question"
    source: str
    numbers: tuple[int, ...]

    def __str__(self) -> str:
        names = f" (question {', '.join(map(str, self.numbers))})" if self.numbers else ""
        prefix = "section: " if self.where == "section" else ""
        return f"{prefix}{self.source}{names}"


@dataclass(frozen=True)
class Entry:
    column: Column
    """In the default language; `labels` and `question_texts` hold every language."""
    spss_name: str
    stata_name: str
    labels: dict[str, str]
    question_texts: dict[str, str]
    number: int | None
    question_type: str
    categories: tuple[Category, ...]
    missing: tuple[Category, ...]
    routing: tuple[Routing, ...]
    answered: int | None = None
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def name(self) -> str:
        return self.column.name


@dataclass(frozen=True)
class Codebook:
    """Everything a codebook says about a questionnaire's variables, built once so that every
    format renders the same content."""

    questionnaire: Questionnaire
    entries: tuple[Entry, ...]
    responses: int | None
    """Number of responses the frequencies count; None without a project."""

    @property
    def languages(self) -> tuple[str, ...]:
        return self.questionnaire.languages

    @property
    def renamed(self) -> list[Entry]:
        return [e for e in self.entries if e.name != e.spss_name or e.name != e.stata_name]


def _numbers(questionnaire: Questionnaire) -> dict[str, int]:
    numbers = {q.id: q.number for q in questionnaire.questions if q.number is not None}
    for question in questionnaire.questions:
        for item in question.items:
            if question.number is not None:
                numbers[f"{question.id}__{item.id}"] = question.number
    return numbers


def _routing(questionnaire: Questionnaire, question: Question | None,
             numbers: dict[str, int]) -> tuple[Routing, ...]:
    if question is None:
        return ()
    section = next(s for s in questionnaire.sections if question in s.questions)
    rules: list[tuple[str, Expression | None]] = [("section", section.relevant),
                                                  ("question", question.relevant)]
    return tuple(Routing(where, rule.source, tuple(sorted(
        {n for r in references(rule.tree) if (n := numbers.get(r.name)) is not None})))
        for where, rule in rules if rule is not None)


def _counts(series: pd.Series) -> dict[int, int]:
    # pandas-stubs give the index keys as Hashable: here they are a code column's numbers
    counts = cast("Iterable[tuple[float, int]]", series.dropna().value_counts().items())
    return {int(k): int(v) for k, v in counts if float(k).is_integer()}


def build_codebook(table: ExportTable) -> Codebook:
    """The codebook of the columns of `table`, with frequencies when it has rows."""
    questionnaire = table.questionnaire
    fallback = questionnaire.default_language
    by_language = {lang: {c.name: c for c in questionnaire_columns(questionnaire, lang)}
                   for lang in questionnaire.languages}
    spss = safe_names([c.name for c in table.columns], Target.SPSS)
    stata = safe_names([c.name for c in table.columns], Target.STATA)
    with_data = len(table.data) > 0
    numbers = _numbers(questionnaire)
    entries = []
    for column in table.columns:
        translated = {lang: by_language[lang].get(column.name) for lang in by_language}
        labels = {lang: (c or column).label for lang, c in translated.items()}
        question = column.question
        texts = ({lang: question.label.get(lang, fallback) for lang in questionnaire.languages}
                 if question is not None else {})
        series = table.data[column.name]
        counts = _counts(series) if with_data and column.kind in NUMERIC else {}
        categories = tuple(
            Category(code, {lang: (c or column).value_labels.get(code, "")
                            for lang, c in translated.items()}, False,
                     counts.get(code, 0) if with_data else None)
            for code in column.value_labels)
        missing = tuple(
            Category(code, {lang: (c or column).missing.get(code, "")
                            for lang, c in translated.items()}, True,
                     (counts.get(code, 0) if column.kind in NUMERIC
                      else int((series == code).sum())) if with_data else None)
            for code in column.missing)
        valid = series[~series.isin(list(column.missing))].dropna() if with_data else series
        numeric = column.kind in (Storage.INTEGER, Storage.NUMBER) and len(valid)
        entries.append(Entry(
            column=column, spss_name=spss[column.name], stata_name=stata[column.name],
            labels=labels, question_texts=texts,
            number=question.number if question is not None else None,
            question_type=question.type.value if question is not None else column.kind.value,
            categories=categories, missing=missing,
            routing=_routing(questionnaire, question, numbers),
            answered=len(valid) if with_data else None,
            mean=float(valid.astype(float).mean()) if numeric else None,
            minimum=float(valid.astype(float).min()) if numeric else None,
            maximum=float(valid.astype(float).max()) if numeric else None))
    return Codebook(questionnaire, tuple(entries), len(table.data) if with_data else None)
