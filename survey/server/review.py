"""The review page's content: every question the respondent was asked, with the answer in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.interface_texts import interface_text
from survey.questionnaire.answers import missing_name
from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.routing import route_stored
from survey.questionnaire.spec import QuestionType


@dataclass(frozen=True)
class ReviewRow:
    question: Question
    answers: tuple[str, ...]
    """The answer in words; one entry per grid row ("row: answer") or chosen option."""
    error: str | None


@dataclass(frozen=True)
class ReviewSection:
    number: int
    title: str
    rows: tuple[ReviewRow, ...]


def _words(questionnaire: Questionnaire, question: Question, value: Any, language: str) -> str:
    default = questionnaire.default_language
    missing = missing_name(value)
    if missing is not None:
        found = next((m for m in question.missing if m.name == missing), None)
        return found.label.get(language, default) if found else missing
    if question.type == QuestionType.CONSENT:
        return interface_text("consent_yes" if value else "consent_no", language,
                              questionnaire.interface)
    if question.type == QuestionType.COUNTRY:
        return country_names(language).get(value, str(value))
    if question.type == QuestionType.LANGUAGE:
        return language_names(language).get(value, str(value))
    if question.choices is not None:
        labels = {c.name: c.label.get(language, default) for c in question.choices.choices}
        if isinstance(value, list):
            names: list[str] = value  # a multiple-choice answer: the choices' names
            return ", ".join(labels.get(v, v) for v in names)
        return labels.get(value, str(value))
    return str(value)


def answer_in_words(questionnaire: Questionnaire, answers: Mapping[str, Any], name: str,
                    language: str) -> str | None:
    """The answer stored under `name` as the respondent would say it, for texts that show
    an earlier answer (survey.questionnaire.piping); None if there is none."""
    question = questionnaire.answer_index.get(name)
    if name not in answers or question is None:
        return None
    return _words(questionnaire, question, answers[name], language)


def _row(questionnaire: Questionnaire, question: Question, answers: Mapping[str, Any],
         language: str) -> tuple[str, ...]:
    default = questionnaire.default_language
    if question.type == QuestionType.GRID:
        return tuple(f"{item.label.get(language, default)}: "
                     f"{_words(questionnaire, question, answers[name], language)}"
                     for item, name in zip(question.items, question.answer_names, strict=True)
                     if name in answers)
    words = [] if question.id not in answers else [
        _words(questionnaire, question, answers[question.id], language)]
    words += [answers[name] for name in sorted(question.other_text_names) if name in answers]
    return tuple(words)


def review_sections(questionnaire: Questionnaire, answers: Mapping[str, Any], language: str,
                    errors: Mapping[str, str]) -> list[ReviewSection]:
    """The sections the respondent saw, with their asked questions (notes left out)."""
    asked = set(route_stored(questionnaire, answers).asked)
    default = questionnaire.default_language
    sections = []
    for number, section in enumerate(questionnaire.sections, start=1):
        rows = tuple(ReviewRow(q, _row(questionnaire, q, answers, language), errors.get(q.id))
                     for q in section.questions
                     if q.id in asked and q.type != QuestionType.NOTE)
        if rows:
            sections.append(ReviewSection(number, section.title.get(language, default), rows))
    return sections
