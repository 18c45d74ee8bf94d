"""What the keyboard entry screen shows: one input per answer, code hints, and the logic data
entry.js routes with (the respondent pages' per-question shape, all sections at once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType
from survey.returns.typed import CODED, LISTS, NUMBERS, codes, entry_fields
from survey.server.pages import choice_codes, question_logic, relevance, tree_json
from survey.staff_texts import SOURCE_LANGUAGE, Message, in_language, staff_text

STAFF_LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class ScreenField:
    name: str
    question: Question
    label: str
    hint: str
    numeric: bool


def staff_language(questionnaire: Questionnaire, wanted: str) -> str:
    """The language staff read the questions in: theirs if the questionnaire has it."""
    for language in (wanted, *STAFF_LANGUAGES):
        if language in questionnaire.languages:
            return language
    return questionnaire.default_language


def _hint(question: Question, name: str, language: str, default: str,
          staff: str) -> Message | str:
    if name in question.other_text_names:
        return staff_text("type what is written")
    labels: dict[str, str] = {}
    for choice in question.choices.choices if question.choices else ():
        labels[str(choice.code)] = choice.label.get(language, default) or choice.name
    for missing in question.missing:
        labels[str(missing.code)] = missing.label.get(language, default) or missing.name
    if question.type == QuestionType.CONSENT:
        labels = {"1": staff_text("yes").in_language(staff),
                  "0": staff_text("no").in_language(staff)} | {
            code: labels[code] for code in codes(question) if code not in ("1", "0")}
    listed = " · ".join(f"{code} {label}" for code, label in labels.items())
    if question.type in LISTS:
        return staff_text("codes separated by spaces: {codes}", codes=listed)
    if question.type == QuestionType.COUNTRY:
        return staff_text("two-letter country code, e.g. SY · {codes}", codes=listed
                          ) if listed else staff_text("two-letter country code, e.g. SY")
    if question.type == QuestionType.LANGUAGE:
        return staff_text("language code, e.g. ar · {codes}", codes=listed
                          ) if listed else staff_text("language code, e.g. ar")
    if question.type == QuestionType.DATE:
        return staff_text("DD.MM.YYYY")
    if question.type in NUMBERS:
        bounds = f"{question.min}–{question.max}" if question.min is not None else ""
        return staff_text("number {bounds} {codes}", bounds=bounds, codes=listed
                          ) if bounds or listed else staff_text("number")
    return listed or staff_text("type what is written")


def screen_fields(questionnaire: Questionnaire, language: str,
                  staff: str = SOURCE_LANGUAGE) -> list[ScreenField]:
    """The inputs with the questions in `language` and the hints in the staff language."""
    found = []
    default = questionnaire.default_language
    for item in entry_fields(questionnaire):
        question = item.question
        label = question.label.get(language, default)
        if question.type == QuestionType.GRID and not item.other_text:
            row = item.name.split("__", 1)[1]
            row_label = next((i.label.get(language, default) for i in question.items
                              if i.id == row), row)
            label = f"{label} – {row_label}"
        elif item.other_text:
            label = staff_text("{question} – please specify", question=label
                               ).in_language(staff)
        numeric = not item.other_text and (question.type in CODED | NUMBERS or question.type
                                           == QuestionType.CONSENT)
        hint = in_language(_hint(question, item.name, language, default, staff), staff)
        found.append(ScreenField(item.name, question, label, " ".join(hint.split()), numeric))
    return found


def entry_logic(questionnaire: Questionnaire) -> dict[str, Any]:
    """The respondent pages' logic data for every section, plus the printed codes per field."""
    default = questionnaire.default_language
    questions: dict[str, Any] = {}
    relevant_calculations: dict[str, Any] = {}
    for section in questionnaire.sections:
        shown = [q for q in section.questions if q.type != QuestionType.CALCULATE]
        questions.update(question_logic(section, shown, default, default))
        relevant_calculations.update({q.id: tree_json(relevance(section, q))
                                      for q in section.questions
                                      if q.type == QuestionType.CALCULATE})
    return {
        "order": [q.id for q in questionnaire.questions],
        "questions": questions,
        "calculations": {q.id: tree_json(q.calculate) for q in questionnaire.questions
                         if q.type == QuestionType.CALCULATE},
        "calculation_relevant": relevant_calculations,
        "codes": choice_codes(questionnaire),
        "typing": {item.name: {"question": item.question.id, "type": str(item.question.type),
                               "other_text": item.other_text, "codes": codes(item.question)}
                   for item in entry_fields(questionnaire)},
    }
