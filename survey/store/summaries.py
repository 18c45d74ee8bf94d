"""Counts and short lists of responses: accepted responses by language, by mode and by day
(the admin pages), returns by mode and language (the run record), quarantined rows and
accepted paper copies (the data-entry pages)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa

from survey.store.schema import Status, responses
from survey.store.store import Store

BREAKDOWNS = ("language", "mode", "received_on")


def _accepted(questionnaire_id: str) -> tuple[sa.ColumnElement[bool], ...]:
    return (responses.c.questionnaire_id == questionnaire_id,
            responses.c.status == Status.ACCEPTED)


def accepted_counts(store: Store, questionnaire_id: str) -> dict[str, list[tuple[Any, int]]]:
    """Accepted responses by language, by mode and by day (the day of receipt)."""
    counts: dict[str, list[tuple[Any, int]]] = {}
    with store.engine.connect() as connection:
        for name in BREAKDOWNS:
            column = responses.c[name]
            counts[name] = [tuple(row) for row in connection.execute(
                sa.select(column, sa.func.count()).where(*_accepted(questionnaire_id))
                .group_by(column).order_by(column)).all()]
    return counts


def submission_ids_starting(store: Store, questionnaire_id: str, prefix: str,
                            limit: int = 2) -> list[str]:
    """Submission ids of the questionnaire that start with `prefix` (the short id staff pages
    show), at most `limit`: more than one means the prefix does not name one response."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    with store.engine.connect() as connection:
        return list(connection.execute(
            sa.select(responses.c.submission_id)
            .where(responses.c.questionnaire_id == questionnaire_id,
                   responses.c.submission_id.like(f"{escaped}%", escape="\\"))
            .limit(limit)).scalars())


LATEST = 20


def latest_responses(store: Store, questionnaire_id: str, limit: int = LATEST
                     ) -> list[dict[str, Any]]:
    """The last responses stored, newest first, with status, mode, language and dates."""
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(
            sa.select(responses.c.submission_id, responses.c.status, responses.c.mode,
                      responses.c.language, responses.c.source_file, responses.c.source_row,
                      responses.c.received_on, responses.c.stored_at)
            .where(responses.c.questionnaire_id == questionnaire_id)
            .order_by(responses.c.stored_at.desc(), responses.c.submission_id.desc())
            .limit(limit)).mappings()]


def return_counts(store: Store, questionnaire_id: str) -> list[tuple[str, str | None, str, int]]:
    """(mode, language, status, responses) for every combination that occurs."""
    query = (sa.select(responses.c.mode, responses.c.language, responses.c.status,
                       sa.func.count())
             .where(responses.c.questionnaire_id == questionnaire_id)
             .group_by(responses.c.mode, responses.c.language, responses.c.status))
    with store.engine.connect() as connection:
        return [(mode, language, status, count)
                for mode, language, status, count in connection.execute(query)]


QUARANTINED_LISTED = 200


def quarantined_rows(store: Store, questionnaire_id: str, limit: int = QUARANTINED_LISTED
                     ) -> list[dict[str, Any]]:
    """Quarantined responses (id, source file and row, when stored) in file and row order, at
    most `limit`: the list a person works through on the fix screen."""
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(
            sa.select(responses.c.submission_id, responses.c.source_file,
                      responses.c.source_row, responses.c.stored_at)
            .where(responses.c.questionnaire_id == questionnaire_id,
                   responses.c.status == Status.QUARANTINED)
            .order_by(responses.c.source_file, responses.c.source_row)
            .limit(limit)).mappings()]


def accepted_ids(store: Store, questionnaire_id: str, modes: Collection[str]) -> set[str]:
    """The submission ids of the accepted responses that came in by one of `modes`."""
    with store.engine.connect() as connection:
        return set(connection.execute(sa.select(responses.c.submission_id).where(
            responses.c.questionnaire_id == questionnaire_id,
            responses.c.mode.in_([str(m) for m in modes]),
            responses.c.status == Status.ACCEPTED)).scalars())
