"""Erasure of one respondent's return, on request (GDPR art. 17) or withdrawal (art. 7(3)).

Everything the store holds of the return goes: the response with its raw record and problems,
a draft still under the same id, the withdrawal code, the paper entries of its serial and the
locks on it. The audit trail keeps that decisions were made and that the return was erased,
with every typed value blanked. A tombstone (the id and the day) keeps a repeated post, import
or entry from bringing the return back. Afterwards the database files are rewritten so that no
deleted bytes stay behind (SQLite: VACUUM and an emptied WAL; PostgreSQL: VACUUM FULL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from survey.store.drafts import new_code, normalise_code
from survey.store.entries import paper_submission_id, serial_subject
from survey.store.schema import (
    drafts,
    entries,
    entry_audit,
    entry_locks,
    erasures,
    problems,
    responses,
    withdrawal_codes,
)
from survey.store.store import Store, StoreError, now, today
from survey.store.tombstones import erased_ids

ERASER = "erasure"
"""The audit trail's user for the fact of an erasure (who asked is not recorded)."""
_SCRUBBED_TABLES = ("responses", "problems", "drafts", "entries", "entry_audit", "entry_locks",
                    "withdrawal_codes")


@dataclass(frozen=True)
class Erased:
    submission_id: str
    questionnaire_id: str
    removed: dict[str, int] = field(default_factory=dict)
    """Rows removed (or blanked, for the audit trail) per table."""


def _code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def add_withdrawal_code(connection: sa.Connection, submission_id: str) -> str:
    """A new code with which the respondent can withdraw `submission_id` later."""
    code = new_code()
    connection.execute(sa.insert(withdrawal_codes).values(code_hash=_code_hash(code),
                                                          submission_id=submission_id))
    return code


def submission_of_code(store: Store, code: str) -> str | None:
    with store.engine.connect() as connection:
        return connection.execute(sa.select(withdrawal_codes.c.submission_id).where(
            withdrawal_codes.c.code_hash == _code_hash(code))).scalar()


def erase(store: Store, questionnaire_id: str, *, submission_id: str | None = None,
          serial: str | None = None) -> Erased:
    """Erase one return, named by its id or its paper serial; StoreError if there is none."""
    if (submission_id is None) == (serial is None):
        raise StoreError("name the return by its submission id or by its paper serial")
    if serial is not None:
        submission_id = paper_submission_id(questionnaire_id, serial)
    assert submission_id is not None
    with store.engine.begin() as connection:
        row = connection.execute(sa.select(responses.c.questionnaire_id).where(
            responses.c.submission_id == submission_id)).first()
        typed = serial is not None and connection.execute(sa.select(entries.c.id).where(
            entries.c.questionnaire_id == questionnaire_id,
            entries.c.serial == serial)).first() is not None
        draft = connection.execute(sa.select(drafts.c.code_hash).where(
            drafts.c.submission_id == submission_id)).first()
        if row is None and not typed and draft is None:
            if erased_ids(connection, {submission_id}):
                raise StoreError(f"the return {serial or submission_id} was erased already")
            raise StoreError(f"there is no return {serial or submission_id} in "
                             f"'{questionnaire_id}'; check the id or serial")
        if row is not None and row.questionnaire_id != questionnaire_id:
            raise StoreError(f"the return {submission_id} belongs to questionnaire "
                             f"'{row.questionnaire_id}', not '{questionnaire_id}'")
        removed = _remove(connection, questionnaire_id, submission_id, serial, today())
    scrub_database(store)
    return Erased(submission_id, questionnaire_id, removed)


def _remove(connection: sa.Connection, questionnaire_id: str, submission_id: str,
            serial: str | None, erased_on: dt.date) -> dict[str, int]:
    """Everything the store holds of one return, removed; the audit keeps the fact only."""
    removed: dict[str, int] = {}
    subjects = [submission_id] + ([serial_subject(serial)] if serial else [])
    removed["problems"] = connection.execute(sa.delete(problems).where(
        problems.c.submission_id == submission_id)).rowcount
    removed["responses"] = connection.execute(sa.delete(responses).where(
        responses.c.submission_id == submission_id)).rowcount
    removed["drafts"] = connection.execute(sa.delete(drafts).where(
        drafts.c.submission_id == submission_id)).rowcount
    removed["withdrawal_codes"] = connection.execute(sa.delete(withdrawal_codes).where(
        withdrawal_codes.c.submission_id == submission_id)).rowcount
    if serial is not None:
        removed["entries"] = connection.execute(sa.delete(entries).where(
            entries.c.questionnaire_id == questionnaire_id,
            entries.c.serial == serial)).rowcount
    removed["entry_locks"] = connection.execute(sa.delete(entry_locks).where(
        entry_locks.c.subject.in_(subjects))).rowcount
    removed["entry_audit"] = connection.execute(sa.update(entry_audit).where(
        entry_audit.c.questionnaire_id == questionnaire_id,
        entry_audit.c.subject.in_(subjects)).values(old=None, new=None)).rowcount
    if not erased_ids(connection, {submission_id}):
        connection.execute(sa.insert(entry_audit).values(
            at=now(), user=ERASER, questionnaire_id=questionnaire_id, subject=subjects[-1],
            action="erased on request", field=None, old=None, new=None))
        connection.execute(sa.insert(erasures).values(
            submission_id=submission_id, questionnaire_id=questionnaire_id, serial=serial,
            erased_on=erased_on))
    return removed


def is_erased(store: Store, submission_id: str) -> bool:
    with store.engine.connect() as connection:
        return bool(erased_ids(connection, {submission_id}))


def tombstones(store: Store) -> list[dict[str, Any]]:
    """Every erasure the store knows of, to carry over a restore of an older backup."""
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(sa.select(erasures)).mappings()]


def keep_erased(store: Store, erased: list[dict[str, Any]]) -> int:
    """Erase again, in a store just restored from a backup, every return erased before; how
    many the backup still held. A restore must never bring an erased return back."""
    back = 0
    with store.engine.begin() as connection:
        for item in erased:
            removed = _remove(connection, item["questionnaire_id"], item["submission_id"],
                              item["serial"], item["erased_on"])
            back += bool(removed["responses"] or removed.get("entries") or removed["drafts"])
    if erased:
        scrub_database(store)
    return back


def scrub_database(store: Store) -> None:
    """Rewrite the database so that no deleted row survives in its files."""
    if store.engine.dialect.name == "sqlite":
        store.empty_wal()
        with store.engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")
        store.empty_wal()
        return
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(f"VACUUM FULL {', '.join(_SCRUBBED_TABLES)}"))
