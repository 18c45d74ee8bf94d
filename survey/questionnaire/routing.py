"""Which questions one respondent is asked, and the values of the calculations, from the answers.

Follows XLSForm's rule that an answer to a question the routing skips does not count: rules
further on see it as empty. The online form, data entry and ingest all decide routing here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.answers import for_expressions
from survey.questionnaire.expressions.evaluate import Context, evaluate, truthy
from survey.questionnaire.model import Expression, Question, Questionnaire
from survey.questionnaire.spec import QuestionType


@dataclass(frozen=True)
class Route:
    asked: tuple[str, ...]
    """Ids of the questions (notes included) the respondent is asked, in order."""
    values: dict[str, Any]
    """Answers of asked questions and calculated values, by variable name; skipped ones absent."""

    def is_asked(self, question_id: str) -> bool:
        return question_id in self.asked


class _Values(Mapping[str, Any]):
    """Answers seen so far; calculations are worked out when first needed."""

    def __init__(self, calculations: dict[str, Question], context_today: dt.date | None):
        self.known: dict[str, Any] = {}
        self.calculations = calculations
        self.today = context_today
        self.hidden: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        if name in self.known:
            return self.known[name]
        question = self.calculations.get(name)
        if question is None or name in self.hidden:
            raise KeyError(name)
        assert question.calculate is not None
        self.known[name] = None  # a cycle cannot pass validation; this only guards recursion
        self.known[name] = evaluate(question.calculate.tree, Context(self, today=self.today))
        return self.known[name]

    def work_out(self, name: str) -> None:
        """Calculate `name` now if no rule needed it yet."""
        self[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def route_stored(questionnaire: Questionnaire, answers: Mapping[str, Any],
                 today: dt.date | None = None) -> Route:
    """The routing of answers as they are stored (codes, lists of names, missing-value markers):
    what the online form, data entry, review and answer checks all ask."""
    index = questionnaire.answer_index
    return route(questionnaire,
                 {name: for_expressions(index.get(name), value) for name, value in answers.items()},
                 today)


def route(questionnaire: Questionnaire, answers: Mapping[str, Any],
          today: dt.date | None = None) -> Route:
    """Walk the questionnaire in order, applying section and question skip rules.

    `answers` holds values by variable name in the evaluator's representation (choice names,
    collections of names for multiple choice and ranking, numbers, dates, bools).
    """
    calculations = {q.id: q for q in questionnaire.questions
                    if q.type == QuestionType.CALCULATE}
    values = _Values(calculations, today)
    asked: list[str] = []

    def holds(rule: Expression | None) -> bool:
        return rule is None or truthy(evaluate(rule.tree, Context(values, today=today)))

    for section in questionnaire.sections:
        section_shown = holds(section.relevant)
        for question in section.questions:
            if not (section_shown and holds(question.relevant)):
                values.hidden.add(question.id)
                values.known.pop(question.id, None)
                continue
            if question.type == QuestionType.CALCULATE:
                values.work_out(question.id)
                continue
            asked.append(question.id)
            for name in question.answer_names:
                if name in answers:
                    values.known[name] = answers[name]
    for name in calculations:
        if name not in values.hidden:
            values.work_out(name)
    return Route(tuple(asked), {k: v for k, v in values.known.items() if v is not None})
