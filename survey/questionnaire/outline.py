"""The questionnaire as a proof-reading outline: sections, numbered questions, codes, routing."""

from __future__ import annotations

from dataclasses import dataclass

from survey.questionnaire.expressions.syntax import references
from survey.questionnaire.languages import language_name
from survey.questionnaire.model import Expression, Question, Questionnaire, Text
from survey.questionnaire.spec import QuestionType


@dataclass(frozen=True)
class Line:
    indent: int
    text: str
    style: str = ""  # heading, question, code, routing, meta


def _details(question: Question, language: str) -> str:
    parts = [question.id, question.type.value.replace("_", " ")]
    if question.min is not None or question.max is not None:
        low = "" if question.min is None else str(question.min)
        high = "" if question.max is None else str(question.max)
        parts.append(f"{low}–{high}")
    if question.unit:
        parts.append(question.unit.get(language))
    if question.rank:
        parts.append(f"rank top {question.rank}")
    if question.max_selected:
        parts.append(f"at most {question.max_selected}")
    if question.required is True:
        parts.append("required")
    elif question.required:
        parts.append(f"required if {question.required.source}")
    return " · ".join(parts)


class _Outline:
    def __init__(self, questionnaire: Questionnaire, language: str):
        self.q = questionnaire
        self.language = language
        self.numbers = {q.id: q.number for q in questionnaire.questions}
        for question in questionnaire.questions:
            for item in question.items:
                self.numbers[f"{question.id}__{item.id}"] = question.number
        self.lines: list[Line] = []

    def t(self, text: Text) -> str:
        return text.get(self.language, self.q.default_language)

    def add(self, indent: int, text: str, style: str = "") -> None:
        self.lines.append(Line(indent, text, style))

    def routing(self, indent: int, prefix: str, expression: Expression | None) -> None:
        if expression is None:
            return
        numbers = sorted({n for r in references(expression.tree)
                          if (n := self.numbers.get(r.name)) is not None})
        where = f"  (see question {', '.join(map(str, numbers))})" if numbers else ""
        self.add(indent, f"{prefix}: {expression.source}{where}", "routing")

    def header(self) -> None:
        survey = self.q.survey
        self.add(0, self.t(survey.title), "heading")
        self.add(0, f"{survey.id} · version {survey.version} · {self.t(survey.organisation)}",
                 "meta")
        languages = []
        for code in survey.languages:
            status = survey.translation_status.get(code)
            name = language_name(code, code)
            languages.append(f"{code} {name}" + (f" ({status.replace('_', ' ')})"
                                                  if status else ""))
        self.add(0, "Languages: " + ", ".join(languages), "meta")
        if self.q.missing_values:
            self.add(0, "Missing values: " + ", ".join(
                f"{m.code} {self.t(m.label)}" for m in self.q.missing_values), "meta")
        for heading, text in (("Cover letter", survey.intro), ("Privacy notice", survey.privacy),
                              ("Returning the form", survey.return_instructions)):
            if text:
                self.add(0, "")
                self.add(0, f"{heading}:", "meta")
                for paragraph in self.t(text).strip().splitlines():
                    self.add(1, paragraph)

    def question(self, question: Question) -> None:
        if question.type == QuestionType.CALCULATE:
            assert question.calculate is not None
            self.add(1, f"= {question.id} := {question.calculate.source}", "meta")
            self.routing(3, "only if", question.relevant)
            return
        number = f"{question.number}." if question.number else "·"
        self.add(1, f"{number} {self.t(question.label)}", "question")
        if question.type != QuestionType.NOTE:
            self.add(3, f"[{_details(question, self.language)}]", "meta")
        if question.hint:
            self.add(3, self.t(question.hint), "meta")
        self.routing(3, "only if", question.relevant)
        self.routing(3, "check", question.constraint)
        for item in question.items:
            self.add(3, f"{question.id}__{item.id}: {self.t(item.label)}")
        if question.choices is not None:
            heading = "scale" if question.type in (QuestionType.RATING, QuestionType.GRID) \
                else None
            if heading:
                self.add(3, f"{heading}:", "meta")
            for choice in question.choices.choices:
                flags = " (exclusive)" if choice.exclusive else ""
                flags += " + please specify" if choice.other else ""
                self.add(4 if heading else 3, f"{choice.code:>3}  {self.t(choice.label)}{flags}",
                         "code")
        if question.priority:
            self.add(3, "listed first: " + ", ".join(question.priority), "code")
        for missing in question.missing:
            self.add(3, f"{missing.code:>3}  {self.t(missing.label)}", "code")

    def build(self) -> list[Line]:
        self.header()
        for index, section in enumerate(self.q.sections, start=1):
            self.add(0, "")
            self.add(0, f"{index}  {self.t(section.title)}  [{section.id}]", "heading")
            self.routing(1, "whole section only if", section.relevant)
            for question in section.questions:
                self.question(question)
        variables = self.q.variables
        self.add(0, "")
        self.add(0, f"{len(self.q.questions)} questions, {len(variables)} variables", "meta")
        return self.lines


def outline(questionnaire: Questionnaire, language: str | None = None) -> list[Line]:
    return _Outline(questionnaire, language or questionnaire.default_language).build()
