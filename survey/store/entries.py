"""Typed entries of paper copies, the audit trail of decisions on returns, and reconciling locks.

Two entries of one serial (rounds 1 and 2) are kept as typed, never overwritten by the
reconciled result: the response row that acceptance writes is a separate record, and every
decision between them is an audit row. The unique key (questionnaire, serial, round) decides
races: two typists starting the same copy at once cannot both take the same round.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from survey.store.schema import Status, entries, entry_audit, entry_locks, responses
from survey.store.store import Response, Store, encode_json, now
from survey.store.tombstones import erased_ids
from survey.user_error import UserError

ROUNDS = (1, 2)
SCANNER = "survey scan"
"""The entering user of an entry read from scanned pages (survey scan): one finished entry
whose unclear fields ('?') a person settles on the reconciliation screen."""
LOCK_MINUTES = 30
"""A reconciling screen left open longer than this no longer keeps others out."""
_NAMESPACE = uuid.UUID("1b1f3c52-6c5e-4c43-9b8e-6f0a2d7c9e41")


class EntryRefused(UserError):
    """The entry cannot be started or changed; the message says why and what to do."""


@dataclass(frozen=True)
class Entry:
    id: int
    questionnaire_id: str
    serial: str
    round: int
    language: str
    entered_by: str
    typed: dict[str, str]
    finished: bool
    updated_at: dt.datetime


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    user: str
    subject: str
    action: str
    field: str | None
    old: str | None
    new: str | None


def paper_submission_id(questionnaire_id: str, serial: str) -> str:
    """The response id of an accepted copy: one per serial, so a copy is never stored twice."""
    return str(uuid.uuid5(_NAMESPACE, f"{questionnaire_id}/{serial}"))


def serial_subject(serial: str) -> str:
    """How the audit trail and locks name a paper copy (a quarantined row goes by its id)."""
    return f"serial {serial}"


def _entry(row: Any) -> Entry:
    return Entry(row.id, row.questionnaire_id, row.serial, row.round, row.language,
                 row.entered_by, json.loads(row.typed), bool(row.finished), row.updated_at)


def entries_of(store: Store, questionnaire_id: str, serial: str,
               connection: sa.Connection | None = None) -> list[Entry]:
    query = (sa.select(entries).where(entries.c.questionnaire_id == questionnaire_id,
                                      entries.c.serial == serial).order_by(entries.c.round))
    if connection is not None:
        return [_entry(r) for r in connection.execute(query)]
    with store.engine.connect() as own:
        return [_entry(r) for r in own.execute(query)]


def entry(store: Store, entry_id: int) -> Entry | None:
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(entries).where(entries.c.id == entry_id)).first()
    return None if row is None else _entry(row)


def all_entries(store: Store, questionnaire_id: str) -> list[Entry]:
    with store.engine.connect() as connection:
        return [_entry(r) for r in connection.execute(
            sa.select(entries).where(entries.c.questionnaire_id == questionnaire_id)
            .order_by(entries.c.serial, entries.c.round))]


def start_entry(store: Store, questionnaire_id: str, serial: str, language: str,
                user: str) -> Entry:
    """The user's entry of the copy: their draft to resume, or a new blind round."""
    try:
        with store.engine.begin() as connection:
            _not_erased(connection, questionnaire_id, serial)
            found = entries_of(store, questionnaire_id, serial, connection)
            if any(e.entered_by == SCANNER for e in found):
                raise EntryRefused(
                    f"serial {serial} was scanned; its unclear fields are settled on the "
                    "reconciliation screen, not typed again")
            own = [e for e in found if e.entered_by == user]
            if own and own[0].finished:
                raise EntryRefused(
                    f"you entered serial {serial} already; blind double entry needs a second "
                    "person: give the copy to a colleague")
            if own:
                return own[0]
            free = [r for r in ROUNDS if r not in {e.round for e in found}]
            if not free:
                raise EntryRefused(
                    f"serial {serial} has been entered twice already (by "
                    f"{' and '.join(e.entered_by for e in found)}); a third entry is not "
                    "needed: differences are settled on the reconciliation screen")
            stamp = now()
            connection.execute(sa.insert(entries).values(
                questionnaire_id=questionnaire_id, serial=serial, round=free[0],
                language=language, entered_by=user, typed="{}", finished=False,
                started_at=stamp, updated_at=stamp))
    except sa.exc.IntegrityError:
        raise EntryRefused(f"someone started serial {serial} at the same moment; start it "
                           "again to take the remaining round") from None
    return next(e for e in entries_of(store, questionnaire_id, serial) if e.entered_by == user)


def save_scan_entry(store: Store, questionnaire_id: str, serial: str, language: str,
                    typed: dict[str, str]) -> Entry:
    """Record what the scanner read of a copy as a finished entry; a copy scanned again gets
    the new reading (the audit trail keeps the old). Refused if people are typing the copy."""
    try:
        with store.engine.begin() as connection:
            _save_scan(connection, store, questionnaire_id, serial, language, typed)
    except sa.exc.IntegrityError:
        raise EntryRefused(f"serial {serial} was started by hand at the same moment; the scan "
                           "is not used") from None
    return entries_of(store, questionnaire_id, serial)[0]


def _not_erased(connection: sa.Connection, questionnaire_id: str, serial: str) -> None:
    if erased_ids(connection, {paper_submission_id(questionnaire_id, serial)}):
        raise EntryRefused(f"serial {serial} was withdrawn and erased at the respondent's "
                           "request; it is not entered again. Destroy the paper copy.")


def _save_scan(connection: sa.Connection, store: Store, questionnaire_id: str, serial: str,
               language: str, typed: dict[str, str]) -> None:
    _not_erased(connection, questionnaire_id, serial)
    found = entries_of(store, questionnaire_id, serial, connection)
    if any(e.entered_by != SCANNER for e in found):
        raise EntryRefused(f"serial {serial} is being entered by hand (by "
                           f"{', '.join(e.entered_by for e in found)}); the scan is not used")
    stamp = now()
    if found:
        connection.execute(sa.update(entries).where(entries.c.id == found[0].id).values(
            typed=encode_json(typed), language=language, updated_at=stamp))
        audit(connection, SCANNER, questionnaire_id, serial_subject(serial), "scan again",
              old=encode_json(found[0].typed), new=encode_json(typed))
    else:
        connection.execute(sa.insert(entries).values(
            questionnaire_id=questionnaire_id, serial=serial, round=ROUNDS[0],
            language=language, entered_by=SCANNER, typed=encode_json(typed), finished=True,
            started_at=stamp, updated_at=stamp))


def save_entry(store: Store, entry_id: int, user: str, typed: dict[str, str],
               finished: bool) -> None:
    """Keep what the user typed so far (a draft), or finish the entry."""
    with store.engine.begin() as connection:
        changed = connection.execute(
            sa.update(entries).where(entries.c.id == entry_id, entries.c.entered_by == user,
                                     entries.c.finished.is_(False))
            .values(typed=encode_json(typed), finished=finished, updated_at=now())).rowcount
    if not changed:
        raise EntryRefused("this entry is finished or is not yours; it cannot be changed")


def discard_draft(store: Store, entry_id: int, user: str) -> None:
    """Delete an unfinished entry; the audit trail keeps what it held."""
    with store.engine.begin() as connection:
        row = connection.execute(sa.select(entries).where(
            entries.c.id == entry_id, entries.c.entered_by == user,
            entries.c.finished.is_(False))).first()
        if row is None:
            raise EntryRefused("there is no draft of yours to discard here")
        connection.execute(sa.delete(entries).where(entries.c.id == entry_id))
        audit(connection, user, row.questionnaire_id, serial_subject(row.serial),
              "discard draft", old=row.typed)


def drafts_of(store: Store, user: str) -> list[Entry]:
    with store.engine.connect() as connection:
        return [_entry(r) for r in connection.execute(
            sa.select(entries).where(entries.c.entered_by == user,
                                     entries.c.finished.is_(False))
            .order_by(entries.c.updated_at))]


# -- audit trail ---------------------------------------------------------------------------

def audit(connection: sa.Connection, user: str, questionnaire_id: str, subject: str,
          action: str, field: str | None = None, old: str | None = None,
          new: str | None = None) -> None:
    connection.execute(sa.insert(entry_audit).values(
        at=now(), user=user, questionnaire_id=questionnaire_id, subject=subject,
        action=action, field=field, old=old, new=new))


def audit_trail(store: Store, questionnaire_id: str, subject: str | None = None) -> list[AuditRow]:
    query = sa.select(entry_audit).where(entry_audit.c.questionnaire_id == questionnaire_id)
    if subject is not None:
        query = query.where(entry_audit.c.subject == subject)
    with store.engine.connect() as connection:
        return [AuditRow(r.at, r.user, r.subject, r.action, r.field, r.old, r.new)
                for r in connection.execute(query.order_by(entry_audit.c.id))]


# -- reconciling ---------------------------------------------------------------------------

def take_lock(store: Store, subject: str, user: str) -> str | None:
    """Hold `subject` for `user`; the name of whoever else holds it, or None if taken."""
    stamp = now()
    stale = stamp - dt.timedelta(minutes=LOCK_MINUTES)
    with store.engine.begin() as connection:
        connection.execute(sa.delete(entry_locks).where(entry_locks.c.subject == subject,
                                                        entry_locks.c.since < stale))
        holder: str | None = connection.execute(sa.select(entry_locks.c.user).where(
            entry_locks.c.subject == subject)).scalar()
        if holder is not None and holder != user:
            return holder
        if holder is None:
            try:
                with connection.begin_nested():
                    connection.execute(sa.insert(entry_locks).values(
                        subject=subject, user=user, since=stamp))
            except sa.exc.IntegrityError:
                return connection.execute(sa.select(entry_locks.c.user).where(
                    entry_locks.c.subject == subject)).scalar() or "someone"
        else:
            connection.execute(sa.update(entry_locks).where(entry_locks.c.subject == subject)
                               .values(since=stamp))
    return None


def lock_holder(store: Store, subject: str, user: str) -> str | None:
    """Who else holds `subject` right now (None if nobody does), without taking it: opening a
    screen must change nothing, or a link from another site could lock copies."""
    stale = now() - dt.timedelta(minutes=LOCK_MINUTES)
    with store.engine.connect() as connection:
        holder = connection.execute(sa.select(entry_locks.c.user).where(
            entry_locks.c.subject == subject, entry_locks.c.since >= stale)).scalar()
    return holder if holder != user else None


def release_lock(connection: sa.Connection, subject: str, user: str) -> None:
    connection.execute(sa.delete(entry_locks).where(entry_locks.c.subject == subject,
                                                    entry_locks.c.user == user))


@dataclass(frozen=True)
class Decision:
    field: str
    old: str | None
    new: str


def accept(store: Store, record: Response, user: str, subject: str,
           decisions: list[Decision]) -> None:
    """Store the accepted copy and the decisions that made it, in one transaction."""
    with store.engine.begin() as connection:
        store.add([record], connection=connection)
        _decided(connection, user, record.questionnaire_id, subject, decisions)
        audit(connection, user, record.questionnaire_id, subject, "accept",
              new=record.submission_id)
        release_lock(connection, subject, user)


def accept_fixed(store: Store, questionnaire_id: str, submission_id: str,
                 validated: dict[str, Any], user: str, decisions: list[Decision]) -> None:
    """Accept a quarantined row with its fixed answers: the same row, so its raw record and
    provenance (file, row, batch) stay; the audit trail says who changed what."""
    subject = submission_id
    with store.engine.begin() as connection:
        changed = connection.execute(sa.update(responses).where(
            responses.c.submission_id == submission_id,
            responses.c.status == Status.QUARANTINED).values(
            status=Status.ACCEPTED, answers=encode_json(validated))).rowcount
        if not changed:
            raise EntryRefused("this row is no longer quarantined: someone accepted it or "
                               "rolled its import back")
        _decided(connection, user, questionnaire_id, subject, decisions)
        audit(connection, user, questionnaire_id, subject, "accept fixed row",
              new=submission_id)
        release_lock(connection, subject, user)


def _decided(connection: sa.Connection, user: str, questionnaire_id: str, subject: str,
             decisions: list[Decision]) -> None:
    for decision in decisions:
        audit(connection, user, questionnaire_id, subject, "decide", decision.field,
              decision.old, decision.new)
