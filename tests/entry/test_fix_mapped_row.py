"""A row imported with a mapping file and quarantined for one wrong answer is fixed on the
entry screen without losing any other answer: the screen reads the raw row the way its batch
was read (mapping, decimal comma, the file's value labels), shows every field, and the
accepted response holds every answer of the raw record.

Tested on a questionnaire other than the flagship (questionnaires/examples/all-types.yaml).
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import sqlalchemy as sa
from entry_helpers import PASSWORD, csrf

from survey.ingest.importer import ingest_file
from survey.ingest.mapping_file import load_mapping
from survey.project import Project
from survey.server.app import create_app
from survey.store.schema import batches, meta, metadata
from survey.store.store import Store
from survey.store.users import Role, add_user

ROOT = Path(__file__).resolve().parents[2]
SURVEY = "all_types"
HEADERS = ["Nr", "Einverständnis", "Geburtsjahr", "Anzahl Personen", "Arbeit?",
           "Problem Wohnung", "Problem Arbeit", "Verständlich", "Erreichbar", "Am dringendsten",
           "Danach", "Anteil Miete"]
ROW = ["A-17", "ja", "1985", "zwölf", "Ja", "1", "1", "Stimme eher zu", "5", "Wohnung",
       "Arbeit", "33,5"]
MAPPING = """columns:
  Nr: respondent_id
  Einverständnis: consent
  Geburtsjahr: birth_year
  Anzahl Personen: household
  Arbeit?: has_work
  Problem Wohnung: problems__housing
  Problem Arbeit: problems__work
  Verständlich: services__clear
  Erreichbar: services__reachable
  Am dringendsten: urgent__rank1
  Danach: urgent__rank2
  Anteil Miete: rent_share
"""


def _write_csv(path: Path, row: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerows([HEADERS, row])
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "questionnaires").mkdir()
    shutil.copy(ROOT / "questionnaires" / "examples" / "all-types.yaml",
                tmp_path / "questionnaires")
    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    return Project(tmp_path)


def _imported(project: Project, store: Store, row: list[str], name: str) -> str:
    questionnaire = project.questionnaire(SURVEY)
    mapping = load_mapping(project.root / "mapping.yaml")
    result = ingest_file(store, questionnaire, _write_csv(project.root / name, row),
                         mapping=mapping, user="eva")
    assert result.rows_in == 1
    with store.engine.connect() as connection:
        return connection.execute(sa.text("SELECT submission_id FROM responses")).scalar_one()


def _login(client, name: str) -> str:
    page = client.get("/entry/login")
    response = client.post("/entry/login", data={"csrf_token": csrf(page.text), "name": name,
                                                 "password": PASSWORD})
    assert response.status_code == 302, response.text
    return csrf(client.get("/entry/").text)


def _screen_values(page: str) -> dict[str, str]:
    return {html.unescape(name): html.unescape(value) for name, value in re.findall(
        r'name="(f:[^"]+)" value="([^"]*)"', page)}


def test_a_fixed_row_keeps_every_answer_its_raw_record_holds(project, tmp_path):
    reference_store = Store.open(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    corrected = ROW.copy()
    corrected[HEADERS.index("Anzahl Personen")] = "12"
    reference_id = _imported(project, reference_store, corrected, "corrected.csv")
    reference = reference_store.response(reference_id)
    assert reference["status"] == "accepted", reference["problems"]
    expected = reference["answers"]
    assert {"consent", "problems", "services__clear", "services__reachable", "urgent",
            "rent_share"} <= set(expected)

    app = create_app(project, f"sqlite:///{tmp_path / 'store.sqlite'}")
    app.testing = True
    store = app.extensions["survey"].store
    add_user(store, "carla", PASSWORD, Role.ENTRY)
    row_id = _imported(project, store, ROW, "partner.csv")
    assert store.response(row_id)["status"] == "quarantined"

    client = app.test_client()
    token = _login(client, "carla")
    screen = client.get(f"/entry/{SURVEY}/fix/{row_id}")
    assert screen.status_code == 200
    shown = _screen_values(screen.text)
    assert shown["f:consent"] == "1" and shown["f:services__clear"] == "4"
    assert shown["f:problems"] == "1 2" and shown["f:urgent"] == "1 2"
    assert "f:suggestions" in shown, "every field of the form is on the screen, filled or not"
    household = re.search(r'<tr[^>]*data-field="household">(.*?)</tr>', screen.text, re.S)
    assert "zwölf" in household.group(1), "the cell as it was in the file"
    assert "not a number" in household.group(1), "the problem stands next to its field"

    shown["f:household"] = "12"
    done = client.post(f"/entry/{SURVEY}/fix/{row_id}", data={"csrf_token": token, **shown})
    assert done.status_code == 302, done.text
    fixed = store.response(row_id)
    assert fixed["status"] == "accepted"
    assert fixed["answers"] == expected


def test_fields_left_off_the_post_keep_the_answers_read_from_the_raw_row(project, tmp_path):
    app = create_app(project, f"sqlite:///{tmp_path / 'store.sqlite'}")
    app.testing = True
    store = app.extensions["survey"].store
    add_user(store, "carla", PASSWORD, Role.ENTRY)
    row_id = _imported(project, store, ROW, "partner.csv")
    client = app.test_client()
    token = _login(client, "carla")
    client.get(f"/entry/{SURVEY}/fix/{row_id}")
    done = client.post(f"/entry/{SURVEY}/fix/{row_id}",
                       data={"csrf_token": token, "f:household": "12"})
    assert done.status_code == 302, done.text
    answers = store.response(row_id)["answers"]
    assert answers["consent"] is True and answers["problems"] == ["housing", "work"]
    assert answers["services__clear"] == "agree" and answers["household"] == 12


def test_the_reading_is_recorded_with_the_batch_and_an_older_store_gains_the_column(tmp_path):
    path = tmp_path / "v3.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        metadata.create_all(connection, tables=[t for n, t in metadata.tables.items()
                                                if n != "batches"])
        connection.execute(sa.text(
            "CREATE TABLE batches (id INTEGER PRIMARY KEY, file_name TEXT NOT NULL, file_hash "
            "VARCHAR(64) NOT NULL, sheet TEXT, questionnaire_id VARCHAR(64) NOT NULL, "
            "questionnaire_version VARCHAR(64) NOT NULL, entered_by TEXT NOT NULL, imported_at "
            "DATETIME NOT NULL, rows_in INTEGER NOT NULL, accepted INTEGER NOT NULL, warnings "
            "INTEGER NOT NULL, quarantined INTEGER NOT NULL, duplicates INTEGER NOT NULL, "
            "rolled_back_at DATETIME)"))
        connection.execute(sa.text(
            "INSERT INTO batches VALUES (1, 'old.csv', 'ab', NULL, 'all_types', '1', 'eva', "
            "'2026-03-01 10:00:00', 1, 0, 0, 1, 0, NULL)"))
        connection.execute(sa.insert(meta).values(key="schema_version", value="3"))
    engine.dispose()
    store = Store.open(f"sqlite:///{path}")
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(batches.c.reading)).scalar_one() is None
    store.close()
    with sqlite3.connect(path) as db:
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    assert int(version) >= 4


def test_a_fixed_spss_row_is_read_with_the_files_own_value_labels(project, tmp_path):
    frame = pd.DataFrame({"consent": [1.0], "birth_year": [1985.0], "household": [99.0],
                          "arbeit": [5.0]})
    path = tmp_path / "partner.sav"
    pyreadstat.write_sav(frame, path, variable_value_labels={
        "consent": {1.0: "ja", 0.0: "nein"}, "arbeit": {5.0: "Ja", 6.0: "Nein"}})
    (project.root / "mapping.yaml").write_text("columns:\n  arbeit: has_work\n", "utf-8")
    app = create_app(project, f"sqlite:///{tmp_path / 'store.sqlite'}")
    app.testing = True
    store = app.extensions["survey"].store
    add_user(store, "carla", PASSWORD, Role.ENTRY)
    result = ingest_file(store, project.questionnaire(SURVEY), path,
                         mapping=load_mapping(project.root / "mapping.yaml"), user="eva")
    assert result.quarantined == 1
    with store.engine.connect() as connection:
        row_id = connection.execute(sa.text("SELECT submission_id FROM responses")).scalar_one()
    client = app.test_client()
    token = _login(client, "carla")
    shown = _screen_values(client.get(f"/entry/{SURVEY}/fix/{row_id}").text)
    assert shown["f:has_work"] == "1", "code 5 of the file is 'Ja' by the file's own labels"
    shown["f:household"] = "9"
    done = client.post(f"/entry/{SURVEY}/fix/{row_id}", data={"csrf_token": token, **shown})
    assert done.status_code == 302, done.text
    answers = store.response(row_id)["answers"]
    assert answers["has_work"] == "yes" and answers["household"] == 9
    assert answers["consent"] is True and answers["birth_year"] == 1985
