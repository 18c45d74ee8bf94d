"""The same server over a real PostgreSQL (psycopg 3): schema, upgrade, form, API, races."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from server_helpers import SURVEY, Respondent, api_post, new_id

from survey.server.app import create_app
from survey.store.backup import backup_store, check_backup, figures, restore_store
from survey.store.erasure import erase
from survey.store.schema import SCHEMA_VERSION, meta
from survey.store.store import Store, StoreError


@pytest.fixture
def pg_database(postgres_url: str) -> str:
    """A fresh database on the session's cluster, so tests do not see each other's rows."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def pg_app(project, pg_database):
    application = create_app(project, pg_database)
    application.testing = True
    yield application
    application.extensions["survey"].store.close()


def test_a_plain_postgresql_url_opens_with_psycopg_3(pg_database):
    store = Store.open(pg_database)
    assert store.engine.dialect.driver == "psycopg"
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(meta.c.value).where(
            meta.c.key == "schema_version")).scalar() == str(SCHEMA_VERSION)
    store.close()


def test_the_form_path_stores_the_response(pg_app, sample_submissions):
    sample = next(s for s in sample_submissions if s["language"] == "vi")
    client = pg_app.test_client()
    respondent = Respondent(client, "vi")
    respondent.fill(sample["answers"])
    assert respondent.submit().location.endswith("/thanks")
    stored = pg_app.extensions["survey"].store.response(respondent.submission_id)
    assert stored["language"] == "vi" and stored["status"] == "accepted"


def test_idempotency_conflict_and_hostile_text_on_postgresql(pg_app, sample_submissions):
    client = pg_app.test_client()
    sample = sample_submissions[0]
    sent = {"submission_id": new_id(), "language": sample["language"],
            "answers": sample["answers"] | {"problem": "'; DROP TABLE responses; --"}}
    assert api_post(client, sent).status_code == 201
    assert api_post(client, sent).status_code == 409  # stored already, as with other answers
    other = sent | {"answers": sample_submissions[1]["answers"]}
    assert api_post(client, other).status_code == 409
    nul = sent | {"submission_id": new_id(),
                  "answers": sample["answers"] | {"problem": "a\x00b"}}
    assert api_post(client, nul).status_code == 422  # PostgreSQL cannot store NUL in text
    assert pg_app.extensions["survey"].store.count(SURVEY) == {"accepted": 1}


def test_concurrent_duplicates_leave_one_row_on_postgresql(pg_app, sample_submissions):
    sent = {"submission_id": new_id(), "language": sample_submissions[3]["language"],
            "answers": sample_submissions[3]["answers"]}

    def post(_: int) -> int:
        return api_post(pg_app.test_client(), sent).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = sorted(pool.map(post, range(12)))
    assert statuses == [201] + [409] * 11
    assert pg_app.extensions["survey"].store.count(SURVEY) == {"accepted": 1}
    assert json.loads(json.dumps(
        pg_app.extensions["survey"].store.response(sent["submission_id"])["raw"])) == \
        sent["answers"]


def test_an_erased_response_leaves_no_bytes_in_the_tables_files(pg_app, sample_submissions):
    """Checked on the id, which PostgreSQL stores uncompressed (long answer texts are
    compressed, so their letters would not show either way)."""
    store = pg_app.extensions["survey"].store
    sample = sample_submissions[0]
    sent = {"submission_id": new_id(), "language": sample["language"],
            "answers": sample["answers"]}
    assert api_post(pg_app.test_client(), sent).status_code == 201

    def table_bytes() -> bytes:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
            db.execute(sa.text("CHECKPOINT"))
            folder = db.execute(sa.text("SHOW data_directory")).scalar_one()
            paths = [db.execute(sa.text("SELECT pg_relation_filepath(:t)"), {"t": t}
                                ).scalar_one() for t in ("responses", "withdrawal_codes")]
        return b"".join((Path(folder) / p).read_bytes() for p in paths)

    assert sent["submission_id"].encode() in table_bytes(), "the test sees the row before"
    erase(store, SURVEY, submission_id=sent["submission_id"])
    assert sent["submission_id"].encode() not in table_bytes()
    assert api_post(pg_app.test_client(), sent).status_code == 410


def test_backup_and_restore_round_trip_on_postgresql(pg_app, sample_submissions, tmp_path):
    store = pg_app.extensions["survey"].store
    for sample in sample_submissions[:5]:
        assert api_post(pg_app.test_client(), {"submission_id": new_id(), "language":
                        sample["language"], "answers": sample["answers"]}).status_code == 201
    with store.engine.connect() as connection:
        before = figures(connection)
    made = backup_store(store, tmp_path / "store.dump")
    assert made.figures == before and before["responses"][0] == 5
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM problems"))
        connection.execute(sa.text("DELETE FROM responses"))
    restore_store(store, made.path)
    with store.engine.connect() as connection:
        assert figures(connection) == before
    (tmp_path / "broken.dump").write_bytes(b"PGDMP but not really")
    with pytest.raises(StoreError, match="cannot be restored"):
        check_backup(store, tmp_path / "broken.dump")
    with store.engine.connect() as connection:
        assert figures(connection) == before
