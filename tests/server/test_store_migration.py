"""A store written by the toolkit before the online form (schema version 1) is upgraded in
place on open: the new tables appear, every response stays as it was."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

from survey.store.drafts import create_draft, load_draft
from survey.store.schema import SCHEMA_VERSION, batches, meta, metadata, problems, responses
from survey.store.store import Store
from survey.store.users import add_user, authenticate, list_users, set_language, user_language

V1_TABLES = [meta, batches, responses, problems]


def write_v1_store(path) -> None:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        metadata.create_all(connection, tables=V1_TABLES)
        connection.execute(sa.insert(meta).values(key="schema_version", value="1"))
        connection.execute(sa.text(
            "INSERT INTO responses (submission_id, questionnaire_id, questionnaire_version, mode,"
            " status, raw, answers, stored_at) VALUES ('r1', 'zusammen', '2026.1', 'paper',"
            " 'accepted', '{\"A\": \"1\"}', '{\"gender\": \"female\"}', '2025-03-01 10:00:00')"))
    engine.dispose()


def test_a_version_1_store_is_upgraded_without_losing_responses(tmp_path):
    path = tmp_path / "old.sqlite"
    write_v1_store(path)
    with sqlite3.connect(path) as db:
        assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")} \
            == {"meta", "batches", "responses", "problems"}
    store = Store.open(f"sqlite:///{path}")
    assert list(store.accepted_answers("zusammen")) == [("r1", {"gender": "female"})]
    draft = create_draft(store, "zusammen", "de")
    assert load_draft(store, "zusammen", draft.code).submission_id == draft.submission_id
    add_user(store, "ana", "long enough password")
    assert authenticate(store, "ana", "long enough password") == "admin"
    store.close()
    with sqlite3.connect(path) as db:
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert version == str(SCHEMA_VERSION) == "7"
    assert {"drafts", "invitations", "users"} <= tables


def test_upgrading_twice_changes_nothing(tmp_path):
    path = tmp_path / "old.sqlite"
    write_v1_store(path)
    Store.open(f"sqlite:///{path}").close()
    store = Store.open(f"sqlite:///{path}")
    assert store.count() == {"accepted": 1}
    store.close()


def test_a_version_5_store_gets_the_staff_language_column(tmp_path):
    """Users made before version 6 keep their accounts and follow their browser's language
    until one is set."""
    path = tmp_path / "v5.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        metadata.create_all(connection, tables=V1_TABLES)
        connection.execute(sa.text(
            "CREATE TABLE users (name VARCHAR(64) PRIMARY KEY, password_hash TEXT NOT NULL, "
            "role VARCHAR(16) NOT NULL, created_on DATE NOT NULL)"))
        connection.execute(sa.text(
            "INSERT INTO users VALUES ('ana', 'x', 'admin', '2026-01-05')"))
        connection.execute(sa.insert(meta).values(key="schema_version", value="5"))
    engine.dispose()
    store = Store.open(f"sqlite:///{path}")
    assert [(u.name, u.language) for u in list_users(store)] == [("ana", None)]
    set_language(store, "ana", "de")
    assert user_language(store, "ana") == "de"
    store.close()


def test_a_version_6_store_gets_the_partner_columns_and_serial_blocks(tmp_path):
    """Version 7 only adds: a partner column on responses, batches, drafts and invitations,
    and the serial_blocks table; every response stays as it was, without a partner."""
    path = tmp_path / "v6.sqlite"
    write_v1_store(path)
    with sqlite3.connect(path) as db:  # as version 6 left it: no partner anywhere
        db.execute("UPDATE meta SET value='6' WHERE key='schema_version'")
        db.execute("ALTER TABLE responses DROP COLUMN partner")
        db.execute("ALTER TABLE batches DROP COLUMN partner")
    store = Store.open(f"sqlite:///{path}")
    store.close()
    with sqlite3.connect(path) as db:
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        columns = {table: {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
                   for table in ("responses", "batches", "drafts", "invitations")}
        rows = db.execute("SELECT submission_id, partner, answers FROM responses").fetchall()
        indexes = {r[1] for r in db.execute("PRAGMA index_list(drafts)")}
    assert version == str(SCHEMA_VERSION) == "7"
    assert all("partner" in found for found in columns.values())
    assert rows == [("r1", None, '{"gender": "female"}')]
    assert "ix_drafts_submission_id" in indexes
    store = Store.open(f"sqlite:///{path}")
    assert store.count() == {"accepted": 1}
    store.close()
