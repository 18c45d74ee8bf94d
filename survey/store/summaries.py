"""What the admin pages count: accepted responses by language, by mode and by day."""

from __future__ import annotations

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
