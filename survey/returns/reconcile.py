"""Blind double entry of one copy: comparing the two entries, and accepting a copy or a fixed
quarantined row only when check_answers passes.

A copy is accepted automatically when its two entries agree field for field and pass the
checks; otherwise it waits for reconciliation, where a person decides each open field from the
paper. Answers to questions the routing skips are dropped on acceptance (the raw record keeps
what was typed), as for the online form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.diagnostics import Severity
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.routing import route_stored
from survey.returns.typed import UNREADABLE, entry_fields, normal, read_typed
from survey.staff_texts import staff_text
from survey.store.entries import (
    SCANNER,
    Decision,
    Entry,
    accept,
    all_entries,
    paper_submission_id,
    serial_subject,
)
from survey.store.schema import Mode, Status
from survey.store.store import Response, Store, today


class CopyStatus:
    DRAFT = "being entered"
    ONCE = "entered once"
    CONFLICT = "in conflict"
    ACCEPTED = "accepted"
    SCANNED = "scanned, to check"


@dataclass
class Verdict:
    """Whether a final set of typed values can be accepted, and if not, why (by field)."""

    problems: dict[str, str] = field(default_factory=dict)
    """Why the values cannot be accepted, by field: staff texts (survey.staff_texts)."""
    validated: dict[str, Any] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)
    """The typed values of the questions the routing asks."""
    asked: set[str] = field(default_factory=set)
    """Ids of the questions the routing asks."""

    @property
    def accepted(self) -> bool:
        return not self.problems


def verdict(questionnaire: Questionnaire, typed: Mapping[str, str]) -> Verdict:
    """Read, route and check the typed values of one copy (the one validation)."""
    reading = read_typed(questionnaire, typed)
    day = today()
    asked = set(route_stored(questionnaire, reading.answers, day).asked)
    index = questionnaire.answer_index
    kept = {name: text for name, text in typed.items()
            if name in index and index[name].id in asked and text.strip()}
    result = Verdict(kept=kept, asked=asked)
    result.problems.update({n: e for n, e in reading.errors.items() if n in kept})
    for name in reading.unreadable:
        if name in kept:
            result.problems[name] = staff_text(
                "marked unreadable: read the paper and type the code, or - if the question "
                "was left blank")
    answers = {n: v for n, v in reading.answers.items() if n in kept}
    check = check_answers(questionnaire, answers, day)
    for problem in check.problems:
        if problem.severity != Severity.ERROR:
            continue
        question = index.get(problem.name)
        name = problem.name
        if question is not None and name not in question.answer_names:
            name = question.answer_names[0]
        result.problems.setdefault(name, staff_text(
            "{problem} (rule: {rule}); {fix}", problem=problem.message, rule=problem.rule,
            fix=problem.fix) if problem.fix else staff_text(
            "{problem} (rule: {rule})", problem=problem.message, rule=problem.rule))
    if result.accepted:
        result.validated = check.validated
    return result


def field_problems(questionnaire: Questionnaire, typed: Mapping[str, str]) -> dict[str, str]:
    """What must change before an entry can be finished: values that are not answers at all.

    Rules between answers (required, constraints) do not stop a typist: they type what the
    paper says, and reconciliation settles the rest."""
    reading = read_typed(questionnaire, typed)
    return dict(reading.errors)


def differing(questionnaire: Questionnaire, first: Mapping[str, str],
              second: Mapping[str, str]) -> list[str]:
    """Answer names whose typed values differ, in the order of the form."""
    found = []
    for entry_field in entry_fields(questionnaire):
        name, question = entry_field.name, entry_field.question
        a, b = first.get(name, ""), second.get(name, "")
        if normal(question, name, a) != normal(question, name, b):
            found.append(name)
    return found


def open_fields(questionnaire: Questionnaire, first: Mapping[str, str],
                second: Mapping[str, str]) -> list[str]:
    """The fields a reconciler decides: differences, unreadable marks, and the fields whose
    agreed value does not pass the checks."""
    apart = set(differing(questionnaire, first, second))
    unreadable = {n for n, t in [*first.items(), *second.items()] if t.strip() == UNREADABLE}
    agreed = {n: t for n, t in first.items() if n not in apart}
    failing = set(verdict(questionnaire, agreed).problems)
    wanted = apart | unreadable | failing
    return [f.name for f in entry_fields(questionnaire) if f.name in wanted]


def scanned(copy: list[Entry]) -> bool:
    """A copy read by survey scan: one finished entry, which both sides of the comparison use."""
    return any(e.entered_by == SCANNER for e in copy)


def paper_response(questionnaire: Questionnaire, copy: list[Entry], typed: dict[str, str],
                   validated: dict[str, Any], reconciler: str | None = None) -> Response:
    typists = ", ".join(e.entered_by for e in copy)
    entered_by = typists + (f"; reconciled by {reconciler}" if reconciler else "")
    first = copy[0]
    mode = Mode.SCAN if scanned(copy) else Mode.PAPER
    return Response(paper_submission_id(first.questionnaire_id, first.serial),
                    questionnaire.id, questionnaire.survey.version, mode, Status.ACCEPTED,
                    raw=typed, answers=validated, language=first.language,
                    source_file=f"paper serial {first.serial}", source_row=int(first.serial),
                    entered_by=entered_by, received_on=today())


def settle_if_equal(store: Store, questionnaire: Questionnaire, copy: list[Entry],
                    user: str) -> bool:
    """Accept a copy whose two finished entries agree and pass the checks; True if accepted."""
    if len(copy) != 2 or not all(e.finished for e in copy):
        return False
    first, second = copy[0].typed, copy[1].typed
    if differing(questionnaire, first, second):
        return False
    result = verdict(questionnaire, first)
    if not result.accepted:
        return False
    accept(store, paper_response(questionnaire, copy, result.kept, result.validated), user,
           serial_subject(copy[0].serial), [])
    return True


def reconcile(store: Store, questionnaire: Questionnaire, copy: list[Entry],
              decided: Mapping[str, str], user: str) -> Verdict:
    """Accept the copy with the reconciler's values for its open fields, if they pass."""
    first, second = copy[0].typed, copy[-1].typed
    apart = open_fields(questionnaire, first, second)
    final = {n: t for n, t in first.items() if n not in apart}
    final |= {n: decided.get(n, "").strip() for n in apart}
    undecided = [n for n in apart if not final[n]]
    final = {n: t for n, t in final.items() if t}
    result = verdict(questionnaire, final)
    index = questionnaire.answer_index
    for name in undecided:
        if index[name].id not in result.asked:
            continue
        result.problems[name] = staff_text(
            "no decision yet: type the value on the paper, or - if the question was left blank")
    if result.accepted:
        decisions = [Decision(n, " | ".join(e.typed.get(n, "") for e in copy),
                              final.get(n, "")) for n in apart]
        accept(store, paper_response(questionnaire, copy, result.kept, result.validated, user),
               user, serial_subject(copy[0].serial), decisions)
    return result


@dataclass(frozen=True)
class CopyState:
    serial: str
    entries: list[Entry]
    status: str


def copy_states(store: Store, questionnaire: Questionnaire,
                accepted: set[str]) -> list[CopyState]:
    """Every serial with an entry, and where it stands (`accepted`: ids of stored responses)."""
    by_serial: dict[str, list[Entry]] = {}
    for item in all_entries(store, questionnaire.id):
        by_serial.setdefault(item.serial, []).append(item)
    states = []
    for serial, copy in by_serial.items():
        finished = [e for e in copy if e.finished]
        if paper_submission_id(questionnaire.id, serial) in accepted:
            status = CopyStatus.ACCEPTED
        elif scanned(copy):
            status = CopyStatus.SCANNED
        elif len(finished) == 2:
            status = CopyStatus.CONFLICT
        elif finished:
            status = CopyStatus.ONCE
        else:
            status = CopyStatus.DRAFT
        states.append(CopyState(serial, copy, status))
    return states
