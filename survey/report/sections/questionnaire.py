"""The questionnaire as asked, with its routing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from survey.paper.routing_text import routing_texts
from survey.questionnaire.spec import QuestionType
from survey.report.document import (
    Section,
)
from survey.report.safe_text import clean

if TYPE_CHECKING:
    from survey.report.build import Builder


def questionnaire_section(builder: Builder) -> Section:
    """The questionnaire as respondents saw it: numbered questions, their answers and
    the routing in the words of the paper form; no ids, codes or expressions."""
    section = Section("questionnaire", builder.t("headings.questionnaire"))
    if not builder.facts.questionnaire_appendix:
        return section
    questionnaire, language = builder.plan.questionnaire, builder.labels.language
    fallback = questionnaire.default_language
    routing = routing_texts(questionnaire, language)
    section.paragraphs.append(builder.t("questionnaire.intro"))
    lines: list[tuple[int, str, str]] = []
    for part in questionnaire.sections:
        lines.append((0, clean(part.title.get(language, fallback)), "heading"))
        if part.id in routing.section_only_if:
            lines.append((0, clean(routing.section_only_if[part.id]), "routing"))
        for question in part.questions:
            if question.type == QuestionType.CALCULATE:
                continue
            lines += question_lines(builder, question, routing)
    section.outline = [line for line in lines if line[1]]
    return section


def question_lines(builder: Builder, question: Any, routing: Any) -> list[tuple[int, str, str]]:
    language, fallback = builder.labels.language, builder.plan.questionnaire.default_language
    label = clean(question.label.get(language, fallback))
    lines: list[tuple[int, str, str]] = []
    if question.id in routing.only_if:
        lines.append((1, clean(routing.only_if[question.id]), "routing"))
    number = f"{question.number}. " if question.number is not None else ""
    lines.append((0 if not number else 1, number + label,
                  "question" if number else "text"))
    hint = clean(question.hint.get(language, fallback))
    if hint:
        lines.append((2, hint, "meta"))
    kind = {QuestionType.INTEGER: "number", QuestionType.DECIMAL: "number",
            QuestionType.YEAR: "year", QuestionType.DATE: "date",
            QuestionType.TEXT: "text", QuestionType.LONG_TEXT: "text",
            QuestionType.COUNTRY: "country", QuestionType.LANGUAGE: "language",
            QuestionType.MULTIPLE_CHOICE: "multiple",
            QuestionType.RANKING: "ranking"}.get(question.type)
    if kind is not None:
        lines.append((2, builder.t(f"questionnaire.{kind}"), "meta"))
    if question.type == QuestionType.GRID:
        lines.append((2, builder.t("questionnaire.grid"), "meta"))
        lines += [(3, clean(item.label.get(language, fallback)), "text")
                  for item in question.items]
    jumps = routing.after_choice.get(question.id, {})
    if question.choices is not None and question.type not in (QuestionType.CONSENT,):
        for choice in question.choices.choices:
            answer = clean(choice.label.get(language, fallback))
            jump = jumps.get(choice.name)
            lines.append((2, f"☐ {answer}" + (f" {clean(jump)}" if jump else ""), "text"))
    for missing in question.missing:
        answer = clean(missing.label.get(language, fallback))
        jump = jumps.get(missing.name)
        lines.append((2, f"☐ {answer}" + (f" {clean(jump)}" if jump else ""), "text"))
    return lines
