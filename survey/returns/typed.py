"""What a typist types for one paper copy ⇄ the stored answers (survey.questionnaire.answers).

The typist types the small answer codes printed beside each box, never labels: `3` for a
single choice, `1 4 97` for several ticks or a ranking, digits for numbers, `1`/`0` for consent,
the ISO code for a country or language, the words for a write-in. Two marks are not answers:
`-` the respondent left the question blank, `?` the entry is unreadable. Reading only turns codes
into answers; whether they are allowed is decided by check_answers, as for every other return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from survey.questionnaire.answer_checks import question_ref
from survey.questionnaire.answers import coded_answers, missing_name
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType
from survey.staff_texts import Message, staff_plural, staff_text

BLANK = "-"
UNREADABLE = "?"
MARKS = (BLANK, UNREADABLE)
MAX_TYPED = 2000
"""Characters of one field; the longest printed write-in holds far fewer."""

CODED = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.RATING, QuestionType.GRID})
LISTS = frozenset({QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING})
NUMBERS = frozenset({QuestionType.INTEGER, QuestionType.YEAR, QuestionType.DECIMAL})
NOT_TYPED = frozenset({QuestionType.NOTE, QuestionType.CALCULATE})


@dataclass(frozen=True)
class EntryField:
    """One input of the entry screen: an answer name and the question it belongs to."""

    name: str
    question: Question
    other_text: bool = False


def entry_fields(questionnaire: Questionnaire) -> list[EntryField]:
    """The inputs in the order of the printed form: each answer, its "please specify" after."""
    found = []
    for question in questionnaire.questions:
        if question.type in NOT_TYPED:
            continue
        for name in question.answer_names:
            found.append(EntryField(name, question, name in question.other_text_names))
    return found


def codes(question: Question) -> dict[str, str | dict[str, str]]:
    """Printed code (as typed) → answer (a choice name or a declared missing value) of a coded
    question; consent is printed as 1 yes, 0 no."""
    consent: dict[str, str | dict[str, str]] = (
        {"1": "yes", "0": "no"} if question.type == QuestionType.CONSENT else {})
    return consent | {str(code): answer for code, answer in coded_answers(question).items()}


@dataclass
class Reading:
    answers: dict[str, Any] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    """Answer name → why the typed text is not an answer of the question (a staff text)."""


def normal(question: Question, name: str, text: str) -> str:
    """The typed text as two entries are compared: spaces and commas between codes, the order
    of ticks (not of ranks) and the case of a country or language code do not matter."""
    text = " ".join(text.split())
    if name in question.other_text_names:
        return text
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return " ".join(sorted(set(_tokens(text)), key=lambda t: (len(t), t)))
    if question.type in CODED | NUMBERS | {QuestionType.RANKING}:
        return " ".join(_tokens(text))
    if question.type == QuestionType.COUNTRY:
        return text.upper()
    if question.type == QuestionType.LANGUAGE:
        return text.lower()
    return text


def _tokens(text: str) -> list[str]:
    return text.replace(",", " ").split()


def _code_list(question: Question) -> Message:
    listed = ", ".join(f"{code} {missing_name(answer) or answer}"
                       for code, answer in codes(question).items())
    return staff_text("the codes are {codes}", codes=listed) if listed else staff_text(
        "type the answer")


def _date(text: str) -> str | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d%m%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _value(question: Question, name: str, text: str) -> Any:
    """The stored answer of `text`; ValueError with the reason if it is not one."""
    by_code = codes(question)
    qtype = question.type
    if name in question.other_text_names or qtype in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        return text
    if text in by_code and (qtype not in LISTS or missing_name(by_code[text]) is not None):
        answer = by_code[text]
        if qtype == QuestionType.CONSENT and isinstance(answer, str):
            return answer == "yes"
        return answer
    if qtype in CODED or qtype == QuestionType.CONSENT:
        raise ValueError(staff_text("'{text}' is not a printed code; {codes}", text=text,
                                    codes=_code_list(question)))
    if qtype in LISTS:
        picked = _tokens(text)
        unknown = [t for t in picked if t not in by_code or missing_name(by_code[t]) is not None]
        if unknown:
            raise ValueError(staff_plural(
                "{unknown} is not a code of this question; {codes}; separate several codes "
                "by spaces",
                "{unknown} are not codes of this question; {codes}; separate several codes "
                "by spaces", count=len(unknown), unknown=", ".join(unknown),
                codes=_code_list(question)))
        return [by_code[t] for t in picked]
    if qtype in NUMBERS:
        try:
            return int(text)
        except ValueError:
            if qtype != QuestionType.DECIMAL:
                raise ValueError(staff_text("'{text}' is not a whole number; type the digits",
                                            text=text)) from None
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise ValueError(staff_text("'{text}' is not a number; type the digits",
                                        text=text)) from None
    if qtype == QuestionType.DATE:
        day = _date(text)
        if day is None:
            raise ValueError(staff_text("'{text}' is not a date; type DD.MM.YYYY as printed",
                                        text=text))
        return day
    if qtype == QuestionType.COUNTRY:
        return text.upper()
    if qtype == QuestionType.LANGUAGE:
        return text.lower()
    return text


def read_typed(questionnaire: Questionnaire, typed: Mapping[str, str]) -> Reading:
    """The answers one entry holds, the fields marked blank or unreadable, and what is not an
    answer at all (a code that is not printed, letters in a number)."""
    reading = Reading()
    index = questionnaire.answer_index
    for name, text in typed.items():
        question = index.get(name)
        text = text.strip()
        if question is None or not text:
            continue
        if text == BLANK:
            reading.blank.append(name)
        elif text == UNREADABLE:
            reading.unreadable.append(name)
        elif len(text) > MAX_TYPED:
            reading.errors[name] = staff_text("{question}: more than {limit} characters",
                                              question=question_ref(question), limit=MAX_TYPED)
        else:
            try:
                reading.answers[name] = _value(question, name, text)
            except ValueError as error:
                reading.errors[name] = staff_text("{question}: {problem}",
                                                  question=question_ref(question),
                                                  problem=error.args[0])
    return reading


def typed_text(question: Question, name: str, value: Any) -> str:
    """The text a typist would type for a stored answer (to show stored answers for fixing)."""
    missing = missing_name(value)
    by_code = codes(question)
    if missing is not None:
        return next((code for code, answer in by_code.items() if missing_name(answer) == missing),
                    UNREADABLE)
    by_answer = {answer: code for code, answer in by_code.items() if isinstance(answer, str)}
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):  # no tick at all is a question left blank on paper
        return " ".join(by_answer.get(v, UNREADABLE) for v in value) or BLANK
    if name not in question.other_text_names and isinstance(value, str) and value in by_answer:
        return by_answer[value]
    return "" if value is None else str(value)


def typed_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Iterator[
        tuple[str, str]]:
    """Stored answers as typed texts, by answer name."""
    index = questionnaire.answer_index
    for name, value in answers.items():
        question = index.get(name)
        if question is not None and question.type not in NOT_TYPED:
            yield name, typed_text(question, name, value)
