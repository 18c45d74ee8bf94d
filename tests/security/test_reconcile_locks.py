"""Opening a reconciliation or fix screen (a GET, which a link from any site can cause) takes
no lock; the first decision posted on it (a POST with the CSRF token) does, and then a second
person is told who is working on it. Shown on a quarantined import row of
questionnaires/examples/all-types.yaml."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from survey.ingest.importer import ingest_file
from survey.project import Project
from survey.server.app import create_app
from survey.store.schema import entry_locks
from survey.store.users import Role, add_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    (tmp_path / "questionnaires").mkdir()
    shutil.copy(ROOT / "questionnaires" / "examples" / "all-types.yaml",
                tmp_path / "questionnaires")
    path = tmp_path / "partner.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["consent", "birth_year", "household"],
                                      ["1", "1985", "zwölf"]])
    application = create_app(Project(tmp_path))
    application.testing = True
    store = application.extensions["survey"].store
    for name in ("carla", "dora"):
        add_user(store, name, PASSWORD, Role.ENTRY)
    assert ingest_file(store, Project(tmp_path).questionnaire(), path).quarantined == 1
    return application


def staff(app: Flask, name: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    page = client.get("/entry/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post("/entry/login", data={"csrf_token": token, "name": name,
                                             "password": PASSWORD}).status_code == 302
    home = client.get("/entry/")  # a login starts a new session with a new token
    return client, re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)


def test_opening_a_screen_locks_nothing_and_a_decision_does(app):
    store = app.extensions["survey"].store
    with store.engine.connect() as connection:
        row = connection.execute(sa.text("SELECT submission_id FROM responses")).scalar_one()
    screen = f"/entry/all_types/fix/{row}"
    carla, carla_token = staff(app, "carla")
    dora, _ = staff(app, "dora")
    assert carla.get(screen).status_code == 200
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(entry_locks)
                                  ).scalar() == 0, "a GET took a lock"
    assert dora.get(screen).status_code == 200
    assert carla.post(screen, data={"csrf_token": carla_token, "f:household": "zwölf"}
                      ).status_code == 422
    told = dora.get(screen)
    assert told.status_code == 409 and "carla is fixing this row" in told.text
    assert carla.post(screen, data={"f:household": "12"}).status_code == 400, \
        "a decision without the CSRF token is refused"
