"""Form fields ⇄ stored answers (survey.questionnaire.answers) for the questions of one page.

Reading only turns strings into the stored types; whether a value is allowed (choices, ranges,
routing) is decided by check_answers afterwards, the same as for every other way a response
arrives. What cannot even be read (letters in a number) becomes a field error here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from survey.questionnaire.answers import missing_answer, missing_name
from survey.questionnaire.model import Question
from survey.questionnaire.spec import QuestionType

MISSING_PREFIX = "missing:"
"""Field value of a declared missing value, e.g. missing:dont_know (ids cannot hold a colon)."""
CONSENT_VALUE = "yes"
MAX_DIGITS = 30

ONE_CHOICE = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.RATING})
NUMBERS = frozenset({QuestionType.INTEGER, QuestionType.YEAR, QuestionType.DECIMAL})
SINGLE_TEXT = frozenset({QuestionType.TEXT, QuestionType.LONG_TEXT, QuestionType.DATE,
                         QuestionType.COUNTRY, QuestionType.LANGUAGE})


@dataclass(frozen=True)
class FieldError:
    """An error for the error slot of a question: an interface-text key and its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class PageAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, FieldError] = field(default_factory=dict)
    """By question id."""


def unstorable(text: str) -> bool:
    """Text that must not reach the store: control characters, lone surrogates, or the
    replacement character that stands for bytes that were not UTF-8."""
    if "\ufffd" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return any((ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0 for c in text)


def unstorable_answers(answers: Mapping[str, Any]) -> list[str]:
    """Names of answers holding unstorable text anywhere inside them (the JSON API's guard)."""
    def bad(value: Any) -> bool:
        if isinstance(value, str):
            return unstorable(value)
        if isinstance(value, list):
            return any(bad(v) for v in value)
        if isinstance(value, dict):
            return any(bad(k) or bad(v) for k, v in value.items())
        return False
    return [name for name, value in answers.items() if bad(name) or bad(value)]


def _values(form: MultiDict[str, str], name: str) -> list[str]:
    return [v.replace("\r\n", "\n").strip() for v in form.getlist(name) if v.strip()]


def _number(question: Question, text: str) -> int | float | None:
    if question.type == QuestionType.DECIMAL:
        text = text.replace(",", ".")
    if len(text) > MAX_DIGITS:
        return None
    try:
        return int(text)
    except ValueError:
        if question.type != QuestionType.DECIMAL:
            return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _one(question: Question, name: str, texts: list[str], result: PageAnswers) -> None:
    """Read the field(s) called `name` that hold one value (or a declared missing value)."""
    missing = [t.removeprefix(MISSING_PREFIX) for t in texts if t.startswith(MISSING_PREFIX)]
    given = [t for t in texts if not t.startswith(MISSING_PREFIX)]
    if not texts:
        return
    if len(texts) > 1:
        result.errors[question.id] = FieldError("web.error.one_answer")
        return
    if missing:
        result.answers[name] = missing_answer(missing[0])
        return
    text = given[0]
    if unstorable(text):
        result.errors[question.id] = FieldError("web.error.characters")
        return
    qtype = question.type
    if qtype in NUMBERS:
        number = _number(question, text)
        if number is None:
            key = "web.error.decimal" if qtype == QuestionType.DECIMAL else "web.error.number"
            result.errors[question.id] = FieldError(key)
            return
        result.answers[name] = number
    elif qtype == QuestionType.DATE:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            result.errors[question.id] = FieldError("web.error.date")
            return
        result.answers[name] = text
    else:
        result.answers[name] = text


def _many(question: Question, texts: list[str], result: PageAnswers) -> None:
    missing = [t.removeprefix(MISSING_PREFIX) for t in texts if t.startswith(MISSING_PREFIX)]
    if not texts:
        return
    if missing:
        if len(texts) > 1:
            result.errors[question.id] = FieldError("web.error.one_answer")
        else:
            result.answers[question.id] = missing_answer(missing[0])
        return
    result.answers[question.id] = texts


def _ranked_once(question: Question, result: PageAnswers) -> None:
    """A choice put in two places of a ranking gets a message naming it, rather than the
    checks' general "choose one of the answers offered"."""
    ranked = result.answers.get(question.id)
    if not isinstance(ranked, list):
        return
    twice = next((name for i, name in enumerate(ranked) if name in ranked[:i]), None)
    if twice is not None:
        result.errors[question.id] = FieldError("web.error.ranked_twice", {"choice": twice})
        del result.answers[question.id]


def read_page(questions: Iterable[Question], form: MultiDict[str, str]) -> PageAnswers:
    """The answers the fields of `questions` hold, and what could not be read."""
    result = PageAnswers()
    for question in questions:
        qtype = question.type
        if qtype in (QuestionType.NOTE, QuestionType.CALCULATE):
            continue
        if qtype == QuestionType.CONSENT:
            texts = _values(form, question.id)
            if texts == [CONSENT_VALUE]:
                result.answers[question.id] = True
            elif texts:
                result.errors[question.id] = FieldError("web.error.choice")
        elif qtype == QuestionType.GRID:
            for name in question.answer_names:
                _one(question, name, _values(form, name), result)
        elif qtype in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING):
            _many(question, _values(form, question.id), result)
            if qtype == QuestionType.RANKING:
                _ranked_once(question, result)
        else:
            _one(question, question.id, _values(form, question.id), result)
        for name in question.other_text_names:
            texts = _values(form, name)
            if len(texts) == 1 and not unstorable(texts[0]):
                result.answers[name] = texts[0]
            elif texts:
                result.errors[question.id] = FieldError("web.error.characters")
    return result


def field_state(answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Stored answers as the field values that show them (the reverse of `read_page`)."""
    state: dict[str, list[str]] = {}
    for name, value in answers.items():
        missing = missing_name(value)
        if missing is not None:
            state[name] = [MISSING_PREFIX + missing]
        elif isinstance(value, bool):
            state[name] = [CONSENT_VALUE] if value else []
        elif isinstance(value, list):
            state[name] = [str(v) for v in value]
        elif value is not None:
            state[name] = [str(value)]
    return state


def posted_state(form: MultiDict[str, str]) -> dict[str, list[str]]:
    """The fields as posted, to show a page again with what the respondent typed."""
    return {name: form.getlist(name) for name in form}
