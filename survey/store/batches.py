"""Import batches: one row per imported file (and sheet), the responses it brought in, its
rollback, and the earlier returns an import compares its rows with.

A batch's responses and the batch itself are written in the caller's transaction (the whole
file is one), so an interrupted import leaves neither behind.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

import sqlalchemy as sa

from survey.store.schema import Status, batches, responses
from survey.store.store import Connection, now

StoredReturns = tuple[dict[str, tuple[str | None, str, str]], dict[str, str]]
"""Earlier returns: respondent key -> (content hash, submission id, status); hash -> id."""


def live_batch(connection: Connection, file_hash: str, sheet: str | None
               ) -> dict[str, Any] | None:
    """The batch that imported this file (and sheet) and was not rolled back, if any."""
    return _first(connection, sa.select(batches).where(
        batches.c.file_hash == file_hash, batches.c.rolled_back_at.is_(None),
        (batches.c.sheet == sheet) if sheet else batches.c.sheet.is_(None)))


def find_batch(connection: Connection, batch_id: int) -> dict[str, Any] | None:
    """The batch with this id, reading and all."""
    return _first(connection, sa.select(batches).where(batches.c.id == batch_id))


def _first(connection: Connection, query: sa.Select[Any]) -> dict[str, Any] | None:
    found = connection.execute(query).mappings().first()
    return None if found is None else dict(found)


def add_batch(connection: Connection, *, file_name: str, file_hash: str, sheet: str | None,
              questionnaire_id: str, questionnaire_version: str, entered_by: str,
              reading: str, partner: str | None) -> int:
    """A new batch, imported now (the store's clock), without counts yet; its id."""
    inserted = connection.execute(sa.insert(batches).values(
        file_name=file_name, file_hash=file_hash, sheet=sheet,
        questionnaire_id=questionnaire_id, questionnaire_version=questionnaire_version,
        entered_by=entered_by, imported_at=now(), reading=reading,
        partner=partner)).inserted_primary_key
    assert inserted is not None  # an insert of one row into a table with a key
    return int(inserted[0])


def set_batch_counts(connection: Connection, batch_id: int, *, rows_in: int, accepted: int,
                     warnings: int, quarantined: int, duplicates: int) -> None:
    """What the batch's rows came to, once they are all stored."""
    connection.execute(sa.update(batches).where(batches.c.id == batch_id).values(
        rows_in=rows_in, accepted=accepted, warnings=warnings, quarantined=quarantined,
        duplicates=duplicates))


def roll_back_batch(connection: Connection, batch_id: int) -> int:
    """Delete the batch's responses (their problems go with them) and mark it rolled back now;
    how many responses were deleted. The batch row stays, so the history keeps it."""
    removed = connection.execute(sa.delete(responses).where(
        responses.c.batch_id == batch_id)).rowcount
    connection.execute(sa.update(batches).where(batches.c.id == batch_id).values(
        rolled_back_at=now()))
    return removed


def stored_returns(connection: Connection, keys: Set[str], hashes: Set[str],
                   leaving_out: int | None = None) -> StoredReturns:
    """The live (accepted or quarantined) responses with one of these respondent keys or
    content hashes, which make a new row a duplicate; those of batch `leaving_out` are not
    counted (a dry run of a file imported before reads it as if that batch were rolled back)."""
    live: sa.ColumnElement[bool] = responses.c.status.in_([Status.ACCEPTED,
                                                            Status.QUARANTINED])
    if leaving_out is not None:
        live = live & sa.or_(responses.c.batch_id.is_(None),
                             responses.c.batch_id != leaving_out)
    by_key = {k: (h, s, st) for k, h, s, st in connection.execute(
        sa.select(responses.c.respondent_key, responses.c.content_hash,
                  responses.c.submission_id, responses.c.status)
        .where(responses.c.respondent_key.in_(keys), live))} if keys else {}
    by_hash = {h: s for h, s in connection.execute(
        sa.select(responses.c.content_hash, responses.c.submission_id)
        .where(responses.c.content_hash.in_(hashes), live))} if hashes else {}
    return by_key, by_hash
