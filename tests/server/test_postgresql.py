"""The same server over a real PostgreSQL (psycopg 3): schema, upgrade, form, API, races."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from server_helpers import SURVEY, Respondent, api_post, new_id

from survey.server.app import create_app
from survey.store.schema import SCHEMA_VERSION, meta
from survey.store.store import Store


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
    assert api_post(client, sent).status_code == 200
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
    assert statuses == [200] * 11 + [201]
    assert pg_app.extensions["survey"].store.count(SURVEY) == {"accepted": 1}
    assert json.loads(json.dumps(
        pg_app.extensions["survey"].store.response(sent["submission_id"])["raw"])) == \
        sent["answers"]
