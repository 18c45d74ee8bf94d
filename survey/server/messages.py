"""Respondent-facing messages, in the form's language, for the problems check_answers finds.

check_answers words its problems for staff ("question 5 (arrival_year): 1890 is below …");
a respondent reads a short request next to the field instead, from the interface catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable

from survey.interface_texts import interface_text
from survey.questionnaire.answer_checks import AnswerProblem, Rule
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType
from survey.server.form_fields import FieldError

BROWSER_MESSAGES = ("required", "number", "decimal", "date", "range", "min", "max", "choice",
                    "too_long", "selected", "exclusive", "constraint", "one_answer",
                    "ranked_twice")
"""The messages form.js shows; placeholders ({min}, {max}, {choice}) are left for it to fill."""


def _bounds(question: Question) -> FieldError:
    low, high = question.min, question.max
    if low is not None and high is not None:
        return FieldError("web.error.range", {"min": low, "max": high})
    if low is not None:
        return FieldError("web.error.min", {"min": low})
    return FieldError("web.error.max", {"max": high})


def _selected(question: Question) -> FieldError:
    if question.type == QuestionType.RANKING:
        return FieldError("web.error.selected", {"min": 1, "max": question.rank})
    return FieldError("web.error.selected", {"min": question.min_selected or 1,
                                             "max": question.max_selected or "∞"})


def _type(question: Question) -> FieldError:
    if question.type == QuestionType.DECIMAL:
        return FieldError("web.error.decimal")
    if question.type in (QuestionType.INTEGER, QuestionType.YEAR):
        return FieldError("web.error.number")
    if question.type == QuestionType.DATE:
        return FieldError("web.error.date")
    return FieldError("web.error.choice")


def field_error(question: Question, problem: AnswerProblem) -> FieldError:
    match problem.rule:
        case Rule.REQUIRED:
            return FieldError("web.error.required")
        case Rule.RANGE:
            return _bounds(question)
        case Rule.TYPE:
            return _type(question)
        case Rule.LENGTH:
            return FieldError("web.error.too_long", {"max": question.max_length})
        case Rule.SELECTED:
            return _selected(question)
        case Rule.EXCLUSIVE:
            return FieldError("web.error.exclusive")
        case Rule.CONSENT:
            return FieldError("web.error.consent")
        case Rule.CONSTRAINT:
            return FieldError("web.error.constraint")
        case _:
            return FieldError("web.error.choice")


def field_errors(questionnaire: Questionnaire,
                 problems: Iterable[AnswerProblem]) -> dict[str, FieldError]:
    """The first error of each question, by question id; warnings are not shown."""
    errors: dict[str, FieldError] = {}
    for problem in problems:
        question = questionnaire.answer_index.get(problem.name)
        if question is None or problem.severity != "error" or problem.rule == Rule.SKIPPED:
            continue
        errors.setdefault(question.id, field_error(question, problem))
    return errors


def error_text(questionnaire: Questionnaire, question: Question, error: FieldError,
               language: str) -> str:
    if error.key == "web.error.constraint":
        custom = question.constraint_message.get(language, questionnaire.default_language)
        if custom:
            return custom
    params = dict(error.params)
    if "choice" in params and question.choices is not None:  # a choice's name, said as shown
        labels = {c.name: c.label for c in question.choices.choices}
        if params["choice"] in labels:
            params["choice"] = labels[params["choice"]].get(language,
                                                            questionnaire.default_language)
    return interface_text(error.key, language, questionnaire.interface, **params)


def browser_messages(questionnaire: Questionnaire, language: str) -> dict[str, str]:
    placeholders = {"min": "{min}", "max": "{max}", "choice": "{choice}"}
    return {name: interface_text(f"web.error.{name}", language, questionnaire.interface,
                                 **placeholders)
            for name in BROWSER_MESSAGES}
