"""The questionnaire's rules applied to one respondent's answers.

Ingest, data entry and the online server all accept a response only through `check_answers`,
so a value that passes here passes everywhere. Problems name the answer and the rule, in words
staff can act on; the caller decides how to locate them (a file cell, a form field).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from survey.questionnaire.answers import for_expressions, missing_name
from survey.questionnaire.expressions.evaluate import Context, evaluate, is_empty, truthy
from survey.questionnaire.expressions.syntax import references
from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.routing import route
from survey.questionnaire.spec import QuestionType


class Severity(StrEnum):
    ERROR = "error"  # the response cannot be accepted as it is
    WARNING = "warning"  # accepted, but staff should look


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
    return f"question {question.number} ({question.id})" if question.number else question.id


def _bound(question: Question, value: Any) -> str | None:
    """Why `value` lies outside min/max, or None."""
    low, high = question.min, question.max
    if isinstance(value, str):  # dates: ISO strings order like dates
        low = low if isinstance(low, str) else None
        high = high if isinstance(high, str) else None
    if low is not None and value < low:
        return f"{value} is below the smallest allowed value {low}"
    if high is not None and value > high:
        return f"{value} is above the largest allowed value {high}"
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
            self.add(name, Rule.CHOICE, f"{question_ref(question)} does not offer the missing "
                     f"value '{missing}'", f"use one of: {', '.join(offered) or 'none is offered'}")
            return False
        qtype = question.type
        if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.RATING, QuestionType.GRID):
            return self.choice(question, name, value)
        if qtype in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING):
            return self.choices(question, name, value)
        if qtype in (QuestionType.INTEGER, QuestionType.YEAR, QuestionType.DECIMAL):
            if not _is_number(value, integer=qtype != QuestionType.DECIMAL):
                kind = "a number" if qtype == QuestionType.DECIMAL else "a whole number"
                self.add(name, Rule.TYPE, f"{question_ref(question)} needs {kind}, not {value!r}",
                         "type the number in digits")
                return False
            return self.in_range(question, name, value)
        if qtype == QuestionType.DATE:
            if not _is_iso_date(value):
                self.add(name, Rule.TYPE, f"{question_ref(question)} needs a date, not {value!r}",
                         "write the date as YYYY-MM-DD")
                return False
            return self.in_range(question, name, value)
        if qtype == QuestionType.CONSENT:
            if not isinstance(value, bool):
                self.add(name, Rule.TYPE,
                         f"{question_ref(question)} needs yes or no, not {value!r}")
                return False
            return True
        if not isinstance(value, str):
            self.add(name, Rule.TYPE, f"{question_ref(question)} needs a text, not {value!r}")
            return False
        if qtype == QuestionType.COUNTRY and value not in country_names("en"):
            self.add(name, Rule.CHOICE, f"'{value}' is not a country code",
                     "use the two-letter ISO code, e.g. SY for Syria")
            return False
        if qtype == QuestionType.LANGUAGE and value not in language_names("en"):
            self.add(name, Rule.CHOICE, f"'{value}' is not a language code",
                     "use the ISO 639 code, e.g. ar for Arabic")
            return False
        if question.max_length is not None and len(value) > question.max_length:
            self.add(name, Rule.LENGTH, f"{question_ref(question)} allows {question.max_length} "
                     f"characters; the answer has {len(value)}", "shorten the answer")
            return False
        return True

    def in_range(self, question: Question, name: str, value: Any) -> bool:
        why = _bound(question, value)
        if why is None:
            return True
        self.add(name, Rule.RANGE, f"{question_ref(question)}: {why}",
                 "check the value on the form; correct it or leave it empty")
        return False

    def choice(self, question: Question, name: str, value: Any) -> bool:
        if isinstance(value, str) and value in question.choice_names:
            return True
        known = ", ".join(sorted(question.choice_names))
        self.add(name, Rule.CHOICE, f"{value!r} is not a choice of {question_ref(question)}",
                 f"use one of: {known}")
        return False

    def choices(self, question: Question, name: str, value: Any) -> bool:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(name, Rule.TYPE, f"{question_ref(question)} needs a list of choices, not "
                     f"{value!r}")
            return False
        unknown = [v for v in value if v not in question.choice_names]
        if unknown:
            self.add(name, Rule.CHOICE, f"{', '.join(map(repr, unknown))} "
                     f"{'is not a choice' if len(unknown) == 1 else 'are not choices'} of "
                     f"{question_ref(question)}",
                     f"use: {', '.join(sorted(question.choice_names))}")
            return False
        if len(set(value)) != len(value):
            self.add(name, Rule.CHOICE, f"{question_ref(question)} names a choice twice")
            return False
        assert question.choices is not None
        if question.type == QuestionType.RANKING:
            assert question.rank is not None
            if len(value) > question.rank:
                self.add(name, Rule.SELECTED, f"{question_ref(question)} ranks at most "
                         f"{question.rank} choices; {len(value)} were given")
                return False
            return True
        exclusive = [c.name for c in question.choices.choices if c.exclusive and c.name in value]
        if exclusive and len(value) > 1:
            self.add(name, Rule.EXCLUSIVE, f"'{exclusive[0]}' excludes the other choices of "
                     f"{question_ref(question)}, but {len(value) - 1} more were ticked",
                     "check the form: keep either the exclusive choice or the others")
            return False
        low, high = question.min_selected, question.max_selected
        if value and ((low is not None and len(value) < low)
                      or (high is not None and len(value) > high)):
            self.add(name, Rule.SELECTED, f"{question_ref(question)} takes "
                     f"{low or 0} to {high or 'any number of'} choices; {len(value)} were ticked")
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
    index = questionnaire.answer_index
    expression_answers = {name: for_expressions(index[name], value)
                          for name, value in usable.items()}
    walk = route(questionnaire, expression_answers, today)
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
                checker.add(name, Rule.SKIPPED, f"{question_ref(question)} was answered, but the "
                            "routing skips it for this respondent",
                            "check the earlier answers that decide the routing, or leave this "
                            "answer empty")
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
        checker.add(name, Rule.UNKNOWN, f"'{name}' is not a question of "
                    f"{questionnaire.id}", "map the column to a question or leave it out")
        return False
    if name in question.other_text_names:
        if isinstance(value, str):
            return True
        checker.add(name, Rule.TYPE, "the 'please specify' text of "
                    f"{question_ref(question)} must be text, not {value!r}")
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
        kept[first] = AnswerProblem(p.name, p.rule, f"{p.message}; {len(skipped)} later "
                                    f"answer{'s are' if len(skipped) > 1 else ' is'} skipped "
                                    "by the routing because of it", p.severity, p.fix)
    return tuple(kept)


def _check_asked(checker: _Checker, question: Question, usable: Mapping[str, Any],
                 values: Mapping[str, Any], today: dt.date | None) -> None:
    others = question.other_text_names
    answered = any(n in usable for n in question.answer_names if n not in others)
    required = question.required
    if not isinstance(required, bool):
        required = truthy(evaluate(required.tree, Context(values, today=today)))
    if required and not answered:
        checker.add(question.id, Rule.REQUIRED, f"{question_ref(question)} must be answered",
                    "enter the answer from the form, or a missing value if one is offered")
    value = usable.get(question.id)
    if question.type == QuestionType.CONSENT and value is False:
        checker.add(question.id, Rule.CONSENT, "the respondent did not give consent; these "
                    "answers must not be analysed", "delete the response, or check the form")
    if question.constraint is not None and question.id in values and all(
            not is_empty(values.get(ref.name)) for ref in references(question.constraint.tree)):
        # A rule about an answer that is empty or was refused says nothing about this one.
        current = values[question.id]
        if not truthy(evaluate(question.constraint.tree,
                               Context(values, current=current, today=today))):
            message = question.constraint_message.get("en") or question.constraint_message.get(
                next(iter(question.constraint_message.translations), ""))
            checker.add(question.id, Rule.CONSTRAINT, f"{question_ref(question)}: "
                        f"{message or 'the answer breaks the rule ' + question.constraint.source}",
                        f"the rule is {question.constraint.source}")


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
            checker.add(name, Rule.OTHER_TEXT, f"a 'please specify' text was given for "
                        f"{question_ref(question)}, but '{choice}' was not chosen",
                        severity=Severity.WARNING)
