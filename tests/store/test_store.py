"""The store on a real SQLite file: schema, WAL, round trip, refusal of foreign files."""

import sqlite3

import pytest

from survey.store.schema import SCHEMA_VERSION, Status
from survey.store.store import Problem, Response, Store, StoreError


def response(submission_id: str, status: Status = Status.ACCEPTED, **answers) -> Response:
    return Response(submission_id, "demo", "1", "import", status, raw={"A": "x"},
                    answers=answers, problems=(Problem("range", "too big", "error", "A", "x"),))


def test_new_store_has_schema_version_and_wal(tmp_path):
    path = tmp_path / "store.sqlite"
    Store.open(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] \
            == str(SCHEMA_VERSION)


def test_round_trip_keeps_raw_answers_and_problems(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.add([response("a", gender="female"), response("b", Status.QUARANTINED)])
    assert list(store.accepted_answers("demo")) == [("a", {"gender": "female"})]
    assert store.count("demo") == {"accepted": 1, "quarantined": 1}
    found = store.response("b")
    assert found["raw"] == {"A": "x"}
    assert [p["message"] for p in found["problems"]] == ["too big"]
    store.close()


def test_reopening_keeps_data(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    Store.open(url).add([response("a", x=1)])
    assert Store.open(url).count() == {"accepted": 1}


def test_store_of_a_newer_toolkit_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    Store.open(url).close()
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="newer version of the toolkit"):
        Store.open(url)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(f"sqlite:///{path}")


def test_same_submission_twice_is_refused_by_the_database(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.add([response("a")])
    with pytest.raises(Exception, match="UNIQUE"):
        store.add([response("a")])
    assert store.count() == {"accepted": 1}

