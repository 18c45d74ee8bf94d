"""What the admin area shows of single responses: the latest ones, finding one by its
submission id or paper serial, and one response read back as a person reads the form
(question numbers, question texts, answer labels), with its provenance, status, problems and
the history of its entries and decisions.

Reading only: nothing here changes the store. The short list of the latest responses is one
query of the responses table; it belongs beside the admin counts in survey.store.summaries
when that module is next opened.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from survey.paper.serials import SERIAL_DIGITS
from survey.questionnaire.answers import missing_name
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType
from survey.staff_texts import Message, staff_text
from survey.store.entries import (
    AuditRow,
    Entry,
    audit_trail,
    entries_of,
    paper_submission_id,
    serial_subject,
)
from survey.store.schema import Mode
from survey.store.store import Store
from survey.store.summaries import submission_ids_starting

_PAPER_SOURCE = re.compile(r"paper serial (\d{1,16})")


def submission_id_of(text: str) -> str | None:
    """`text` as a submission id (a UUID in its canonical spelling), else None: ids from the
    address are checked before any query sees them."""
    text = text.strip()
    if len(text) != 36:
        return None
    try:
        return str(uuid.UUID(text)) if str(uuid.UUID(text)) == text.lower() else None
    except ValueError:
        return None


SHORT_ID = re.compile(r"[0-9a-f]{8}[0-9a-f-]{0,27}")
"""The start of a submission id as the staff pages show it (8 characters) or longer."""


def find_response(store: Store, questionnaire_id: str, text: str) -> str | None:
    """The submission id a search names: a submission id, the short id the pages show (when
    only one response starts with it), or the serial of a paper copy (as printed on its
    cover, leading zeros optional)."""
    text = text.strip()[:64]
    found = submission_id_of(text)
    if found is not None:
        return found
    digits = "".join(text.split())
    if digits.isdigit() and len(digits) <= SERIAL_DIGITS:
        return paper_submission_id(questionnaire_id, digits.zfill(SERIAL_DIGITS))
    if SHORT_ID.fullmatch(text.lower()):
        matches = submission_ids_starting(store, questionnaire_id, text.lower())
        return matches[0] if len(matches) == 1 else None
    return None


@dataclass(frozen=True)
class AnswerRow:
    number: int | None
    question: str
    """The question's text (with a grid's row)."""
    answer: str | Message
    name: str
    missing: bool = False


@dataclass
class ResponseView:
    record: dict[str, Any]
    language: str
    """The language the questions and labels are shown in."""
    answers: list[AnswerRow] = field(default_factory=list)
    serial: str | None = None
    batch: dict[str, Any] | None = None
    entries: list[Entry] = field(default_factory=list)
    history: list[AuditRow] = field(default_factory=list)


def _choice_label(question: Question, name: Any, language: str, default: str) -> str:
    for choice in question.choices.choices if question.choices else ():
        if choice.name == name:
            return choice.label.get(language, default) or choice.name
    return str(name)


def _missing_label(question: Question, name: str, language: str, default: str) -> str:
    for missing in question.missing:
        if missing.name == name:
            return missing.label.get(language, default) or missing.name
    return name


def _place_name(question: Question, code: Any, language: str) -> str:
    """A country or language code with its name in `language` (CLDR), as `SY (Syrien)`."""
    from babel import Locale, UnknownLocaleError

    if not isinstance(code, str):
        return str(code)
    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return code
    names = (locale.territories if question.type == QuestionType.COUNTRY
             else locale.languages)
    name = names.get(code.upper() if question.type == QuestionType.COUNTRY else code.lower())
    return f"{code} ({name})" if name else code


def _answer_text(question: Question, name: str, value: Any, language: str,
                 default: str) -> str | Message:
    if name in question.other_text_names:
        return str(value)
    qtype = question.type
    if isinstance(value, bool):
        return staff_text("yes") if value else staff_text("no")
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.RATING, QuestionType.GRID):
        return _choice_label(question, value, language, default)
    if qtype == QuestionType.MULTIPLE_CHOICE and isinstance(value, list):
        return " · ".join(_choice_label(question, v, language, default) for v in value
                          ) or staff_text("nothing ticked")
    if qtype == QuestionType.RANKING and isinstance(value, list):
        return " · ".join(f"{rank}. {_choice_label(question, v, language, default)}"
                          for rank, v in enumerate(value, start=1))
    if qtype in (QuestionType.COUNTRY, QuestionType.LANGUAGE):
        return _place_name(question, value, language)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def answer_rows(questionnaire: Questionnaire, answers: Mapping[str, Any], language: str
                ) -> list[AnswerRow]:
    """The response's answers in the order of the form, as labels in `language` (the
    questionnaire's default where a text lacks it); questions without an answer are left out."""
    default = questionnaire.default_language
    rows = []
    for question in questionnaire.questions:
        if question.type == QuestionType.NOTE:
            continue
        label = question.label.get(language, default) or question.id
        for name in question.answer_names:
            if name not in answers:
                continue
            value = answers[name]
            shown = label
            if question.type == QuestionType.GRID:
                item = next((i for i in question.items if f"{question.id}__{i.id}" == name),
                            None)
                row = item.label.get(language, default) if item is not None else name
                shown = f"{label} – {row}"
            elif name in question.other_text_names:
                shown = staff_text("{question} – please specify", question=label)
            missing = missing_name(value)
            if missing is not None:
                rows.append(AnswerRow(question.number, shown,
                                      _missing_label(question, missing, language, default),
                                      name, missing=True))
            elif value is not None and value != "":
                rows.append(AnswerRow(question.number, shown,
                                      _answer_text(question, name, value, language, default),
                                      name))
    return rows


def paper_serial(record: Mapping[str, Any]) -> str | None:
    """The serial of a paper or scanned copy (data entry names its source so)."""
    if record.get("mode") not in (Mode.PAPER, Mode.SCAN):
        return None
    found = _PAPER_SOURCE.fullmatch(record.get("source_file") or "")
    return found.group(1) if found else None


def response_view(store: Store, questionnaire: Questionnaire, record: dict[str, Any],
                  language: str) -> ResponseView:
    """One stored response (`store.response`) read back for the admin's page."""
    view = ResponseView(record, language,
                        answer_rows(questionnaire, record.get("answers") or {}, language))
    batch_id = record.get("batch_id")
    if batch_id is not None:
        view.batch = next((b for b in store.batches() if b["id"] == batch_id), None)
    subjects = [record["submission_id"]]
    view.serial = paper_serial(record)
    if view.serial is not None:
        subjects.insert(0, serial_subject(view.serial))
        view.entries = entries_of(store, questionnaire.id, view.serial)
    rows = [r for subject in subjects for r in audit_trail(store, questionnaire.id, subject)]
    view.history = sorted(rows, key=lambda r: r.at)
    return view


AUDIT_ACTIONS = {
    "accept": staff_text("accepted"),
    "accept fixed row": staff_text("fixed and accepted"),
    "decide": staff_text("decided"),
    "discard draft": staff_text("draft discarded"),
    "scan again": staff_text("scanned again"),
}
"""The actions of the audit trail (survey.store.entries) as staff read them."""
STATUSES = {
    "accepted": staff_text("accepted"),
    "quarantined": staff_text("quarantined"),
    "duplicate": staff_text("duplicate"),
    "withdrawn": staff_text("withdrawn"),
}
MODES = {
    "web": staff_text("online"),
    "paper": staff_text("paper"),
    "import": staff_text("import"),
    "scan": staff_text("scan"),
}
