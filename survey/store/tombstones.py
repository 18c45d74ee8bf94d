"""Which returns were erased on request: their ids must never be stored again."""

from __future__ import annotations

import sqlalchemy as sa

from survey.store.schema import erasures


def erased_ids(connection: sa.Connection, ids: set[str]) -> set[str]:
    """Those of `ids` that were erased (and must not come back)."""
    if not ids:
        return set()
    return set(connection.execute(sa.select(erasures.c.submission_id).where(
        erasures.c.submission_id.in_(ids))).scalars())


def erasure_count(connection: sa.Connection, questionnaire_id: str) -> int:
    """How many returns of the questionnaire were erased: part of the store's fingerprint, so
    results computed before an erasure are known to be stale."""
    return int(connection.execute(sa.select(sa.func.count()).select_from(erasures).where(
        erasures.c.questionnaire_id == questionnaire_id)).scalar_one())
