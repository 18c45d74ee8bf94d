"""Steps that upgrade a store written by an older toolkit, one schema version at a time.

A step only adds (tables, columns, rows); it never rewrites or drops what earlier versions
stored, so an upgrade cannot lose responses. Each step runs inside the opening transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from survey.store.schema import (
    SCHEMA_VERSION,
    drafts,
    entries,
    entry_audit,
    entry_locks,
    erasures,
    invitations,
    login_failures,
    meta,
    metadata,
    serial_blocks,
    staff_sessions,
    users,
    withdrawal_codes,
)


def _add_online_form_tables(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[drafts, invitations, users])


def _add_double_entry_tables(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[entries, entry_audit, entry_locks])


def _add_batch_reading(connection: sa.Connection) -> None:
    _add_column(connection, "batches", "reading", "TEXT")


def _add_column(connection: sa.Connection, table: str, column: str, sql_type: str) -> None:
    inspector = sa.inspect(connection)
    if inspector.has_table(table) and column not in {
            c["name"] for c in inspector.get_columns(table)}:
        connection.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))


def _add_user_language(connection: sa.Connection) -> None:
    _add_column(connection, "users", "language", "VARCHAR(16)")


def _add_session_and_erasure_tables(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[staff_sessions, login_failures, erasures,
                                            withdrawal_codes])


def _add_partners(connection: sa.Connection) -> None:
    """Version 7: partner organisations: a partner id on responses, import batches, drafts and
    invitations, and the serial blocks printed for each partner."""
    for table in ("responses", "batches", "drafts", "invitations"):
        _add_column(connection, table, "partner", "VARCHAR(64)")
    metadata.create_all(connection, tables=[serial_blocks])
    if sa.inspect(connection).has_table("drafts"):
        for index in drafts.indexes:
            index.create(connection, checkfirst=True)


STEPS: dict[int, Callable[[sa.Connection], None]] = {
    2: _add_online_form_tables,
    3: _add_double_entry_tables,
    4: _add_batch_reading,
    5: _add_session_and_erasure_tables,
    6: _add_user_language,
    7: _add_partners,
}
"""The step that brings a store from version N-1 to version N."""


def upgrade(connection: sa.Connection, found: int) -> None:
    """Run every step after version `found` and record the new version."""
    for version in range(found + 1, SCHEMA_VERSION + 1):
        STEPS[version](connection)
    connection.execute(sa.update(meta).where(meta.c.key == "schema_version")
                       .values(value=str(SCHEMA_VERSION)))
