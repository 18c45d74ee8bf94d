"""Quarantined import rows are fixed on the reconciliation screen; the progress view counts
copies, people and disagreements; a version-2 store gains the entry tables."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from entry_helpers import SURVEY, sample_answers, typed_copy

from survey.store.entries import audit_trail
from survey.store.schema import SCHEMA_VERSION, Mode, Status, meta, metadata
from survey.store.store import Problem, Response, Store

ROW_ID = "3f1e9c4e-1b8a-4f43-9a53-0c7d2f1d5a10"


def quarantined(store: Store, answers: dict) -> None:
    raw = {name: value for name, value in answers.items()} | {"household": "zwölf"}
    store.add([Response(ROW_ID, SURVEY, "2026.1", Mode.IMPORT, Status.QUARANTINED, raw=raw,
                        answers={}, source_file="leipzig.csv", source_row=12, entered_by="eva",
                        problems=(Problem("type", "'zwölf' is not a whole number", "error",
                                          column="household", value="zwölf",
                                          fix="type the number in digits"),))])


def test_a_quarantined_row_is_fixed_in_the_same_place(person, store, flagship):
    answers = sample_answers(flagship, 1)[0]
    quarantined(store, answers)
    carla = person("carla")
    listing = carla.client.get(f"/entry/{SURVEY}/reconcile")
    assert "leipzig.csv, row 12" in listing.text
    screen = carla.client.get(f"/entry/{SURVEY}/fix/{ROW_ID}")
    assert screen.status_code == 200 and "is not a whole number" in screen.text
    fields = dict(typed_copy(flagship, answers))
    fields.pop("household", None)
    still = carla.post(f"/entry/{SURVEY}/fix/{ROW_ID}",
                       **{f"f:{k}": v for k, v in fields.items()}, **{"f:household": "zwölf"})
    assert still.status_code == 422
    assert store.response(ROW_ID)["status"] == "quarantined"
    done = carla.post(f"/entry/{SURVEY}/fix/{ROW_ID}",
                      **{f"f:{k}": v for k, v in fields.items()}, **{"f:household": "12"})
    assert done.status_code == 302, done.text
    row = store.response(ROW_ID)
    assert row["status"] == "accepted" and row["answers"]["household"] == 12
    assert row["raw"]["household"] == "zwölf" and row["source_file"] == "leipzig.csv"
    trail = audit_trail(store, SURVEY, ROW_ID)
    assert ("carla", "decide", "household", "12") in {(r.user, r.action, r.field, r.new)
                                                      for r in trail}
    assert trail[-1].action == "accept fixed row"


def test_progress_counts_copies_people_and_disagreements(person, flagship):
    answers = sample_answers(flagship, 3)
    typed = [typed_copy(flagship, a) for a in answers]
    anna, ben = person("anna"), person("ben")
    anna.enter("000021", typed[0])
    ben.enter("000021", typed[0])
    anna.enter("000022", typed[1])
    ben.enter("000022", dict(typed[1], gender="-" if typed[1]["gender"] != "-" else "1"))
    anna.enter("000023", typed[2])
    anna.send(anna.started_path("000024"), {"consent": "1"}, action="save")
    page = person("carla").client.get(f"/entry/{SURVEY}/progress")
    text = " ".join(page.text.split())
    for label, count in (("Being entered (draft only)", 1), ("Entered once", 1),
                         ("Entered twice", 2), ("… in conflict", 1), ("… accepted", 1)):
        assert f'<th scope="row">{label}</th><td>{count}</td>' in text
    assert "<tr><td>anna</td><td>3</td><td>1</td></tr>" in text
    assert "<tr><td>ben</td><td>2</td><td>0</td></tr>" in text
    assert "<tr><td>gender</td><td>1</td><td>2</td><td>50 %</td></tr>" in text


def test_a_version_2_store_gains_the_entry_tables(tmp_path):
    path = tmp_path / "v2.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    old = [t for name, t in metadata.tables.items()
           if name not in ("entries", "entry_audit", "entry_locks")]
    with engine.begin() as connection:
        metadata.create_all(connection, tables=old)
        connection.execute(sa.insert(meta).values(key="schema_version", value="2"))
        connection.execute(sa.text(
            "INSERT INTO responses (submission_id, questionnaire_id, questionnaire_version, mode,"
            " status, raw, answers, stored_at) VALUES ('r1', 'zusammen', '2026.1', 'web',"
            " 'accepted', '{}', '{\"gender\": \"female\"}', '2026-03-01 10:00:00')"))
    engine.dispose()
    store = Store.open(f"sqlite:///{path}")
    assert list(store.accepted_answers(SURVEY)) == [("r1", {"gender": "female"})]
    store.close()
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    assert {"entries", "entry_audit", "entry_locks"} <= tables and version == str(SCHEMA_VERSION)
