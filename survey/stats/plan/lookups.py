"""Resolving the names an analysis plan uses: variables (with the scale their use needs),
questions, new ids, texts in the plan's language; each problem reported where it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from survey.questionnaire.diagnostics import Diagnostic
from survey.questionnaire.measurement import Scale
from survey.questionnaire.model import Question, Questionnaire, Text, question_variables
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.structure import ID_PATTERN, ID_RULE, describe_value
from survey.questionnaire.yaml_source import Path_, YamlDocument
from survey.stats.plan.reader import Reader, listing, or_else
from survey.stats.plan.variables import (
    CATEGORICAL_SCALES,
    VariableInfo,
    describe,
)

CATEGORIES = "categories (a choice question, a rating or a derived variable)"
NUMBERS = "numbers or an ordered rating"


def _hint(info: VariableInfo, wanted: str) -> str:
    """What to do instead when a variable of the wrong scale is named."""
    if info.scale == Scale.FREE_TEXT:
        return "; free text is never tabulated (disclosure: free_text: scrub lists it apart)"
    if info.scale == Scale.DATE:
        return "; dates cannot be tabulated: ask for a year or compute one in the questionnaire"
    if wanted == CATEGORIES and info.scale == Scale.NUMERIC:
        return f"; cut it into groups under 'derived' (cut: {info.name}) and use that"
    if wanted == NUMBERS and info.scale in CATEGORICAL_SCALES:
        return "; use kind share for the shares of its categories"
    return ""


class PlanLookups(Reader):
    """The questionnaire, the plan's variables so far, and the look-ups every check uses."""

    def __init__(self, document: YamlDocument, questionnaire: Questionnaire, path: Path):
        super().__init__(document)
        self.path = path
        self.questionnaire = questionnaire
        self.language = questionnaire.default_language
        self.variables: dict[str, VariableInfo] = {}
        self.questions = {q.id: q for q in questionnaire.questions}
        self.other_files: list[Diagnostic] = []
        self.failed: set[str] = set()
        """Derived variables with a problem already reported: not 'unknown' again later."""

    def text_of(self, text: Text) -> str:
        return text.get(self.language, self.questionnaire.default_language)

    def unknown_variable(self, name: str) -> str:
        question = self.questions.get(name)
        if question is not None:
            names = [v.name for v in question_variables(question)]
            if not names:
                return f"'{name}' is a note: it has no variable"
            hint = {QuestionType.MULTIPLE_CHOICE: f"; for its options use kind multi or needs "
                                                  f"with question: {name}",
                    QuestionType.GRID: f"; name one row, or use kind needs or gap on the "
                                       f"question {name}",
                    QuestionType.RANKING: f"; use kind top_ranked with question: {name}",
                    }.get(question.type, "")
            return (f"'{name}' is a {question.type} question, not one variable; its variables "
                    f"are {listing(names, 4)}{hint}")
        return f"unknown variable '{name}'" + or_else(
            name, self.variables, f": name a variable of questionnaire "
            f"'{self.questionnaire.id}' or one defined under 'derived'")

    def lookup(self, name: Any, path: Path_, use: str, scales: frozenset[Scale],
               wanted: str) -> VariableInfo | None:
        if not isinstance(name, str):
            self.error(path, f"{use} must name a variable, found {describe_value(name)}")
            return None
        info = self.variables.get(name)
        if info is None:
            if name not in self.failed:
                self.error(path, self.unknown_variable(name))
            return None
        if info.scale not in scales:
            self.error(path, f"{use} needs {wanted}, but '{name}' is {describe(info)}"
                       f"{_hint(info, wanted)}")
            return None
        return info

    def question(self, value: Any, path: Path_, use: str,
                 types: Sequence[QuestionType]) -> Question | None:
        wanted = " or ".join(str(t) for t in types)
        if not isinstance(value, str):
            self.error(path, f"{use} must name a {wanted} question, found "
                       f"{describe_value(value)}")
            return None
        question = self.questions.get(value)
        if question is None:
            self.error(path, f"unknown question '{value}'" + or_else(
                value, self.questions, f": {use} names a {wanted} question of "
                f"'{self.questionnaire.id}'"))
            return None
        if question.type not in types:
            self.error(path, f"{use} needs a {wanted} question, but '{value}' is a "
                       f"{question.type} question")
            return None
        return question

    def new_id(self, entry: dict[str, Any], path: Path_, what: str, taken: set[str]) -> str | None:
        value = entry.get("id")
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.error((*path, "id"), f"the id of {what} must be {ID_RULE}, found "
                       f"{value!r}")
            return None
        if value in taken:
            self.error((*path, "id"), f"'{value}' is already taken; give {what} another id")
            return None
        taken.add(value)
        return value
