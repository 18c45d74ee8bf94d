"""The questionnaire's rules applied to one respondent's answers.

Ingest, data entry and the online server all accept a response only through `check_answers`,
so a value that passes here passes everywhere. Problems name the answer and the rule, in words
staff can act on; the caller decides how to locate them (a file cell, a form field).
Messages and fixes are `Message`s: English as text, and in the staff's language on request
(`survey.staff_texts`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from survey.questionnaire.answers import missing_name
from survey.questionnaire.diagnostics import Severity
from survey.questionnaire.expressions.evaluate import Context, evaluate, is_empty, truthy
from survey.questionnaire.expressions.syntax import references
from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.routing import route_stored
from survey.questionnaire.spec import QuestionType
from survey.staff_texts import InLanguages, staff_plural, staff_text


class Rule(StrEnum):
    UNKNOWN = "unknown"
    TYPE = "type"
    RANGE = "range"
    CHOICE = "choice"
    REQUIRED = "required"
    CONSTRAINT = "constraint"
    SKIPPED = "skip_logic"
    EXCLUSIVE = "exclusive"
    SELECTED = "selected_count"
    LENGTH = "length"
    CONSENT = "consent"
    OTHER_TEXT = "other_text"


@dataclass(frozen=True)
class AnswerProblem:
    name: str
    """The answer name (question id, `q__row` or `q__choice_text`) the problem is about."""
    rule: Rule
    message: str
    """A `Message` (English as text) where the rule words it."""
    severity: Severity = Severity.ERROR
    fix: str = ""


@dataclass(frozen=True)
class AnswerCheck:
    problems: tuple[AnswerProblem, ...]
    validated: dict[str, Any] = field(default_factory=dict)
    """Answers of the questions asked plus calculated values, in the stored JSON form."""

    @property
    def accepted(self) -> bool:
        return not any(p.severity == Severity.ERROR for p in self.problems)


def _is_number(value: Any, integer: bool) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return not integer or isinstance(value, int)


def question_ref(question: Question) -> str:
    """How messages name a question: by its printed number, which staff see on the form."""
    if question.number:
        return staff_text("question {number} ({id})", number=question.number, id=question.id)
    return question.id


def _bound(question: Question, value: Any) -> str | None:
    """Why `value` lies outside min/max, or None."""
    low, high = question.min, question.max
    if isinstance(value, str):  # dates: ISO strings order like dates
        low = low if isinstance(low, str) else None
        high = high if isinstance(high, str) else None
    if low is not None and value < low:
        return staff_text("{value} is below the smallest allowed value {low}", value=value,
                          low=low)
    if high is not None and value > high:
        return staff_text("{value} is above the largest allowed value {high}", value=value,
                          high=high)
    return None


class _Checker:
    def __init__(self, questionnaire: Questionnaire, answers: Mapping[str, Any]):
        self.questionnaire = questionnaire
        self.answers = answers
        self.problems: list[AnswerProblem] = []

    def add(self, name: str, rule: Rule, message: str, fix: str = "",
            severity: Severity = Severity.ERROR) -> None:
        self.problems.append(AnswerProblem(name, rule, message, severity, fix))

    def value(self, question: Question, name: str, value: Any) -> bool:
        """Check one answer's type, choices and range; True if it is usable."""
        missing = missing_name(value)
        if missing is not None:
            offered = [m.name for m in question.missing]
            if missing in offered:
                return True
            self.add(name, Rule.CHOICE, staff_text(
                "{question} does not offer the missing value '{missing}'",
                question=question_ref(question), missing=missing),
                staff_text("use one of: {names}", names=", ".join(offered)) if offered
                else staff_text("use one of: none is offered"))
            return False
        qtype = question.type
        if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.RATING, QuestionType.GRID):
            return self.choice(question, name, value)
        if qtype in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING):
            return self.choices(question, name, value)
        if qtype in (QuestionType.INTEGER, QuestionType.YEAR, QuestionType.DECIMAL):
            if not _is_number(value, integer=qtype != QuestionType.DECIMAL):
                needs = (staff_text("{question} needs a number, not {value}",
                                    question=question_ref(question), value=repr(value))
                         if qtype == QuestionType.DECIMAL else
                         staff_text("{question} needs a whole number, not {value}",
                                    question=question_ref(question), value=repr(value)))
                self.add(name, Rule.TYPE, needs, staff_text("type the number in digits"))
                return False
            return self.in_range(question, name, value)
        if qtype == QuestionType.DATE:
            if not _is_iso_date(value):
                self.add(name, Rule.TYPE, staff_text("{question} needs a date, not {value}",
                                                     question=question_ref(question),
                                                     value=repr(value)),
                         staff_text("write the date as YYYY-MM-DD"))
                return False
            return self.in_range(question, name, value)
        if qtype == QuestionType.CONSENT:
            if not isinstance(value, bool):
                self.add(name, Rule.TYPE, staff_text("{question} needs yes or no, not {value}",
                                                     question=question_ref(question),
                                                     value=repr(value)))
                return False
            return True
        if not isinstance(value, str):
            self.add(name, Rule.TYPE, staff_text("{question} needs a text, not {value}",
                                                 question=question_ref(question),
                                                 value=repr(value)))
            return False
        if qtype == QuestionType.COUNTRY and value not in country_names("en"):
            self.add(name, Rule.CHOICE, staff_text("'{value}' is not a country code", value=value),
                     staff_text("use the two-letter ISO code, e.g. SY for Syria"))
            return False
        if qtype == QuestionType.LANGUAGE and value not in language_names("en"):
            self.add(name, Rule.CHOICE, staff_text("'{value}' is not a language code", value=value),
                     staff_text("use the ISO 639 code, e.g. ar for Arabic"))
            return False
        if question.max_length is not None and len(value) > question.max_length:
            self.add(name, Rule.LENGTH, staff_text(
                "{question} allows {allowed} characters; the answer has {length}",
                question=question_ref(question), allowed=question.max_length,
                length=len(value)), staff_text("shorten the answer"))
            return False
        return True

    def in_range(self, question: Question, name: str, value: Any) -> bool:
        why = _bound(question, value)
        if why is None:
            return True
        self.add(name, Rule.RANGE, staff_text("{question}: {why}", question=question_ref(question),
                                              why=why),
                 staff_text("check the value on the form; correct it or leave it empty"))
        return False

    def choice(self, question: Question, name: str, value: Any) -> bool:
        if isinstance(value, str) and value in question.choice_names:
            return True
        known = ", ".join(sorted(question.choice_names))
        self.add(name, Rule.CHOICE, staff_text("{value} is not a choice of {question}",
                                               value=repr(value), question=question_ref(question)),
                 staff_text("use one of: {names}", names=known))
        return False

    def choices(self, question: Question, name: str, value: Any) -> bool:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(name, Rule.TYPE, staff_text("{question} needs a list of choices, not {value}",
                                                 question=question_ref(question),
                                                 value=repr(value)))
            return False
        unknown = [v for v in value if v not in question.choice_names]
        if unknown:
            self.add(name, Rule.CHOICE, staff_plural(
                "{values} is not a choice of {question}", "{values} are not choices of {question}",
                count=len(unknown), values=", ".join(map(repr, unknown)),
                question=question_ref(question)),
                staff_text("use: {names}", names=", ".join(sorted(question.choice_names))))
            return False
        if len(set(value)) != len(value):
            self.add(name, Rule.CHOICE, staff_text("{question} names a choice twice",
                                                   question=question_ref(question)))
            return False
        assert question.choices is not None
        if question.type == QuestionType.RANKING:
            assert question.rank is not None
            if len(value) > question.rank:
                self.add(name, Rule.SELECTED, staff_plural(
                    "{question} ranks at most {rank} choices; {count} was given",
                    "{question} ranks at most {rank} choices; {count} were given",
                    count=len(value), question=question_ref(question), rank=question.rank))
                return False
            return True
        exclusive = [c.name for c in question.choices.choices if c.exclusive and c.name in value]
        if exclusive and len(value) > 1:
            self.add(name, Rule.EXCLUSIVE, staff_plural(
                "'{choice}' excludes the other choices of {question}, but {count} more was ticked",
                "'{choice}' excludes the other choices of {question}, but {count} more were "
                "ticked", count=len(value) - 1, choice=exclusive[0],
                question=question_ref(question)),
                staff_text("check the form: keep either the exclusive choice or the others"))
            return False
        low, high = question.min_selected, question.max_selected
        if value and ((low is not None and len(value) < low)
                      or (high is not None and len(value) > high)):
            ticked: dict[str, Any] = {"count": len(value), "question": question_ref(question),
                                      "low": low or 0}
            self.add(name, Rule.SELECTED, staff_plural(
                "{question} takes {low} to {high} choices; {count} was ticked",
                "{question} takes {low} to {high} choices; {count} were ticked",
                high=high, **ticked) if high else staff_plural(
                "{question} takes {low} to any number of choices; {count} was ticked",
                "{question} takes {low} to any number of choices; {count} were ticked",
                **ticked))
            return False
        return True


def _is_iso_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str)


def stored_value(value: Any) -> Any:
    """A calculated value as stored: dates as ISO text."""
    return value.isoformat() if isinstance(value, dt.date) else value


def check_answers(questionnaire: Questionnaire, answers: Mapping[str, Any],
                  today: dt.date | None = None) -> AnswerCheck:
    """Every problem of one response, and its validated answers (empty if any is an error).

    `today` is the day the response was given: it fixes `today()` in calculations.
    """
    checker = _Checker(questionnaire, answers)
    usable = {name: value for name, value in answers.items()
              if value is not None and _check_answer(checker, questionnaire, name, value)}
    walk = route_stored(questionnaire, usable, today)
    validated: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.type == QuestionType.CALCULATE:
            if question.id in walk.values:
                validated[question.id] = stored_value(walk.values[question.id])
            continue
        names = question.answer_names
        asked = walk.is_asked(question.id)
        for name in names:
            if name not in usable:
                continue
            if not asked:
                checker.add(name, Rule.SKIPPED, staff_text(
                    "{question} was answered, but the routing skips it for this respondent",
                    question=question_ref(question)), staff_text(
                    "check the earlier answers that decide the routing, or leave this answer "
                    "empty"))
                continue
            validated[name] = usable[name]
        if asked:
            _check_asked(checker, question, usable, walk.values, today)
    _check_other_texts(checker, questionnaire, validated)
    check = _without_consequences(checker.problems)
    return AnswerCheck(check, validated if not any(p.severity == Severity.ERROR for p in check)
                       else {})


def answer_problems(questionnaire: Questionnaire, name: str,
                    value: Any) -> tuple[AnswerProblem, ...]:
    """What is wrong with one answer on its own (name, type, choices, range, length).

    An answer without such problems is usable: `check_answers` then only asks whether the
    routing asks for it and what the other answers say about it.
    """
    checker = _Checker(questionnaire, {name: value})
    _check_answer(checker, questionnaire, name, value)
    return tuple(checker.problems)


def _check_answer(checker: _Checker, questionnaire: Questionnaire, name: str,
                  value: Any) -> bool:
    question = questionnaire.answer_index.get(name)
    if question is None:
        checker.add(name, Rule.UNKNOWN, staff_text(
            "'{name}' is not a question of {questionnaire}", name=name,
            questionnaire=questionnaire.id),
            staff_text("map the column to a question or leave it out"))
        return False
    if name in question.other_text_names:
        if isinstance(value, str):
            return True
        checker.add(name, Rule.TYPE, staff_text(
            "the 'please specify' text of {question} must be text, not {value}",
            question=question_ref(question), value=repr(value)))
        return False
    return checker.value(question, name, value)


def _without_consequences(problems: list[AnswerProblem]) -> tuple[AnswerProblem, ...]:
    """Without consent the routing skips everything after it: one problem, not forty."""
    if not any(p.rule in (Rule.CONSENT, Rule.REQUIRED) for p in problems):
        return tuple(problems)
    skipped = [p for p in problems if p.rule == Rule.SKIPPED]
    kept = [p for p in problems if p.rule != Rule.SKIPPED]
    if skipped:
        first = next(i for i, p in enumerate(kept) if p.rule in (Rule.CONSENT, Rule.REQUIRED))
        p = kept[first]
        kept[first] = AnswerProblem(p.name, p.rule, staff_plural(
            "{problem}; {count} later answer is skipped by the routing because of it",
            "{problem}; {count} later answers are skipped by the routing because of it",
            count=len(skipped), problem=p.message), p.severity, p.fix)
    return tuple(kept)


def _check_asked(checker: _Checker, question: Question, usable: Mapping[str, Any],
                 values: Mapping[str, Any], today: dt.date | None) -> None:
    others = question.other_text_names
    answered = any(n in usable for n in question.answer_names if n not in others)
    required = question.required
    if not isinstance(required, bool):
        required = truthy(evaluate(required.tree, Context(values, today=today)))
    if required and not answered:
        checker.add(question.id, Rule.REQUIRED, staff_text("{question} must be answered",
                                                           question=question_ref(question)),
                    staff_text("enter the answer from the form, or a missing value if one is "
                               "offered"))
    value = usable.get(question.id)
    if question.type == QuestionType.CONSENT and value is False:
        checker.add(question.id, Rule.CONSENT, staff_text(
            "the respondent did not give consent; these answers must not be analysed"),
            staff_text("delete the response, or check the form"))
    if question.constraint is not None and question.id in values and all(
            not is_empty(values.get(ref.name)) for ref in references(question.constraint.tree)):
        # A rule about an answer that is empty or was refused says nothing about this one.
        current = values[question.id]
        if not truthy(evaluate(question.constraint.tree,
                               Context(values, current=current, today=today))):
            texts = question.constraint_message
            written = {language: text for language, text in (
                {"en": texts.neutral} if texts.neutral is not None else texts.translations
            ).items() if text}
            rule = question.constraint.source
            checker.add(question.id, Rule.CONSTRAINT, staff_text(
                "{question}: {why}", question=question_ref(question),
                why=InLanguages(written) if written else staff_text(
                    "the answer breaks the rule {rule}", rule=rule)),
                staff_text("the rule is {rule}", rule=rule))


def _check_other_texts(checker: _Checker, questionnaire: Questionnaire,
                       validated: dict[str, Any]) -> None:
    """Only the texts given are looked at: a row costs nothing for the questions it skips."""
    for name in list(validated):
        question = questionnaire.answer_index.get(name)
        if question is None or name not in question.other_text_names:
            continue
        choice = name.removeprefix(f"{question.id}__").removesuffix("_text")
        chosen = validated.get(question.id)
        picked = {chosen} if isinstance(chosen, str) else set(chosen or [])
        if choice not in picked:
            checker.add(name, Rule.OTHER_TEXT, staff_text(
                "a 'please specify' text was given for {question}, but '{choice}' was not chosen",
                question=question_ref(question), choice=choice), severity=Severity.WARNING)
