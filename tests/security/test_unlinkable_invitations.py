"""No file of the store links an invitation to the response it brought: after forms started
with invitation links are submitted (and an API submission carrying one), the SQLite database
file and its WAL hold no hash of a used token at all, next to a submission id or anywhere,
and on PostgreSQL no table's file holds a used token's hash beside a submission id.
Run on questionnaires/examples/event-feedback.yaml."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from survey.project import Project
from survey.server.app import create_app
from survey.store.invitations import add_invitations, invitation_counts, token_hash

SURVEY = "event_feedback"
ANSWERS = {"overall": "good", "understood": "all", "interpreting": "no", "topics": "none"}


@pytest.fixture
def app(feedback_project: Project) -> Flask:
    application = create_app(feedback_project, invitation_only=True)
    application.testing = True
    return application


def store_files(app: Flask) -> bytes:
    folder = Path(app.extensions["survey"].store.engine.url.database).parent
    return b"".join(p.read_bytes() for p in sorted(folder.glob("store.sqlite*")))


def fill_and_submit(client, token: str) -> str:
    landing = client.get(f"/s/{SURVEY}/?lang=en&invitation={token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', landing.text).group(1)
    step = client.post(f"/s/{SURVEY}/start", data={"csrf_token": csrf, "lang": "en",
                                                  "invitation": token})
    page = client.get(step.location)
    submission_id = re.search(r'name="submission_id" value="([^"]+)"', page.text).group(1)
    fields = {"csrf_token": csrf, "submission_id": submission_id, "action": "next", **ANSWERS}
    while "/page/" in step.location:
        step = client.post(step.location, data=fields)
    client.get(step.location)
    done = client.post(f"/s/{SURVEY}/submit", data={"csrf_token": csrf,
                                                    "submission_id": submission_id})
    assert done.location.endswith("/thanks")
    return submission_id


def test_used_invitations_leave_no_trace_beside_the_responses(app):
    store = app.extensions["survey"].store
    tokens = [f"token-{i}-{uuid.uuid4().hex}" for i in range(4)]
    add_invitations(store, SURVEY, tokens)
    assert all(token_hash(t).encode() in store_files(app) for t in tokens), \
        "the test can see the hashes before"
    ids = [fill_and_submit(app.test_client(), t) for t in tokens[:2]]
    api_id = str(uuid.uuid4())
    posted = app.test_client().post(f"/s/{SURVEY}/api/submissions", json={
        "submission_id": api_id, "language": "en", "answers": ANSWERS | {"topics": ["none"]},
        "invitation": tokens[2]})
    assert posted.status_code == 201, posted.json
    files = store_files(app)
    for submission_id in [*ids, api_id]:
        assert submission_id.encode() in files
    for used in tokens[:3]:
        assert token_hash(used).encode() not in files
    assert token_hash(tokens[3]).encode() in files, "an open invitation stays"
    assert invitation_counts(store, SURVEY) == {"open": 1, "used": 3}


def test_a_used_link_cannot_start_a_second_form(app):
    token = f"once-{uuid.uuid4().hex}"
    add_invitations(app.extensions["survey"].store, SURVEY, [token])
    fill_and_submit(app.test_client(), token)
    again = app.test_client().get(f"/s/{SURVEY}/?lang=en&invitation={token}")
    assert again.status_code == 403 and "has been used already" in again.text


def test_on_postgresql_no_table_file_holds_a_used_token_beside_a_submission(
        feedback_project, pg_database):
    app = create_app(feedback_project, pg_database, invitation_only=True)
    app.testing = True
    store = app.extensions["survey"].store
    tokens = [f"pg-{i}-{uuid.uuid4().hex}" for i in range(2)]
    add_invitations(store, SURVEY, tokens)
    form_id = fill_and_submit(app.test_client(), tokens[0])
    api_id = str(uuid.uuid4())
    assert app.test_client().post(f"/s/{SURVEY}/api/submissions", json={
        "submission_id": api_id, "language": "en", "answers": ANSWERS | {"topics": ["none"]},
        "invitation": tokens[1]}).status_code == 201
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(sa.text("CHECKPOINT"))
        folder = Path(db.execute(sa.text("SHOW data_directory")).scalar_one())
        files = {table: (folder / db.execute(sa.text("SELECT pg_relation_filepath(:t)"),
                                             {"t": table}).scalar_one()).read_bytes()
                 for table in ("responses", "drafts", "invitations", "withdrawal_codes")}
        assert db.execute(sa.text("SELECT count(*) FROM invitations")).scalar() == 0
    hashes = [token_hash(t).encode() for t in tokens]
    for table, data in files.items():
        holds_id = form_id.encode() in data or api_id.encode() in data
        holds_hash = any(h in data for h in hashes)
        assert not (holds_id and holds_hash), f"{table} holds a used token beside a response"
    assert form_id.encode() in files["responses"] and api_id.encode() in files["responses"]
    store.close()
