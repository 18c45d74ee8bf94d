"""Steps that upgrade a store written by an older toolkit, one schema version at a time.

A step only adds (tables, columns, rows); it never rewrites or drops what earlier versions
stored, so an upgrade cannot lose responses. Each step runs inside the opening transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from survey.store.schema import SCHEMA_VERSION, drafts, invitations, meta, metadata, users


def _add_online_form_tables(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[drafts, invitations, users])


STEPS: dict[int, Callable[[sa.Connection], None]] = {
    2: _add_online_form_tables,
}
"""The step that brings a store from version N-1 to version N."""


def upgrade(connection: sa.Connection, found: int) -> None:
    """Run every step after version `found` and record the new version."""
    for version in range(found + 1, SCHEMA_VERSION + 1):
        STEPS[version](connection)
    connection.execute(sa.update(meta).where(meta.c.key == "schema_version")
                       .values(value=str(SCHEMA_VERSION)))
