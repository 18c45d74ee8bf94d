"""One respondent's answers as stored, and their variables in the data set.

Answers are kept by *answer name* (the question id; `q__row` for a grid row; `q__choice_text`
for "other, please specify") in plain JSON values, so the online form, data entry and ingest
write the same record and the routing reads it directly:

- single choice, rating, grid row: the choice name (`"female"`);
- multiple choice: a list of choice names; ranking: a list of choice names in rank order;
- integer, year: an int; decimal: a number; text, country, language: a string;
- date: an ISO date string; consent: true/false;
- a declared missing value: `{"missing": "dont_know"}`.

Codes appear only in variables (DESIGN.md, "Variables"), which are derived here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from survey.questionnaire.model import Question, Questionnaire, Variable, VariableRole
from survey.questionnaire.spec import QuestionType

MISSING_KEY = "missing"


def missing_answer(name: str) -> dict[str, str]:
    """The stored answer of the declared missing value `name`: the one marker every stage
    writes and `missing_name` reads."""
    return {MISSING_KEY: name}


def coded_answers(question: Question) -> dict[int, str | dict[str, str]]:
    """Printed code → the answer it stands for, as stored: a choice's name or a declared
    missing value. Paper entry, scanning and imports read codes through it."""
    found: dict[int, str | dict[str, str]] = (
        {c.code: c.name for c in question.choices.choices} if question.choices else {})
    return found | {m.code: missing_answer(m.name) for m in question.missing}


def missing_name(value: Any) -> str | None:
    """The declared missing value an answer stands for, or None for a real answer."""
    if isinstance(value, Mapping) and set(value) == {MISSING_KEY}:
        name = value[MISSING_KEY]
        return name if isinstance(name, str) else None
    return None


def for_expressions(question: Question | None, value: Any) -> Any:
    """An answer as the expression evaluator sees it (format reference, section 11.7).

    Missing values are empty, dates are dates, and rating and grid answers are their scale
    codes, so that rules such as `${housing_sat} >= 3` compare numbers.
    """
    if missing_name(value) is not None:
        return None
    if question is None or not isinstance(value, str):
        return value
    if question.type in (QuestionType.RATING, QuestionType.GRID):
        code = _code(question, value)
        return value if code is None else code
    if question.type == QuestionType.DATE:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _code(question: Question, name: Any) -> int | None:
    if isinstance(name, str):
        return question.choice_codes.get(name)
    missing = missing_name(name)
    return None if missing is None else question.missing_codes.get(missing)


def variable_value(variable: Variable, answers: Mapping[str, Any]) -> Any:
    """The value of one variable for one respondent: a code, number, text, or None if unanswered.

    A declared missing value gives its code (for a multiple choice: in every option variable),
    so exports carry it; the data set separates such codes from real answers.
    """
    return variable_reader(variable)(answers)


def variable_reader(variable: Variable) -> Callable[[Mapping[str, Any]], Any]:
    """`variable_value` for one variable, decided once: a data set reads millions of cells."""
    question = variable.question

    def code(value: Any) -> int | None:
        return _code(question, value)

    match variable.role:
        case VariableRole.OPTION:
            key, name = question.id, variable.choice.name if variable.choice else ""

            def option(answers: Mapping[str, Any]) -> Any:
                value = answers.get(key)
                if value is None:
                    return None
                if missing_name(value) is not None:
                    return code(value)
                return 1 if name in value else 0
            return option
        case VariableRole.RANK:
            key = question.id
            position = int(variable.name.rsplit("__rank", 1)[1])

            def rank(answers: Mapping[str, Any]) -> Any:
                value = answers.get(key)
                if value is None:
                    return None
                if missing_name(value) is not None:
                    return code(value)
                return code(value[position - 1]) if len(value) >= position else None
            return rank
        case VariableRole.OTHER_TEXT:
            key = variable.name
            return lambda answers: answers.get(key)
        case VariableRole.ROW:
            key = variable.name
            return lambda answers: code(answers.get(key))
        case _:
            key = question.id
            coded = question.choices is not None
            consent = question.type == QuestionType.CONSENT

            def answer(answers: Mapping[str, Any]) -> Any:
                value = answers.get(key)
                if value is None:
                    return None
                if consent and isinstance(value, bool):
                    return int(value)
                if coded or missing_name(value) is not None:
                    return code(value)
                return value
            return answer


def to_variables(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """All variables of one respondent, in data-set order; unanswered ones are None."""
    return {v.name: variable_value(v, answers) for v in questionnaire.variables}
