"""Import tests read summaries and reports in English unless a test asks for another
language: the staff language otherwise follows the machine's LC_ALL, LC_MESSAGES or LANG."""

import sqlite3

import pytest


@pytest.fixture(autouse=True)
def english_environment(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def _stored(project):
    """Responses and import batches in the project's SQLite store (none before it exists)."""
    database = project / "data" / "store.sqlite"
    if not database.exists():
        return 0, 0
    with sqlite3.connect(database) as connection:
        return (connection.execute("SELECT count(*) FROM responses").fetchone()[0],
                connection.execute("SELECT count(*) FROM batches").fetchone()[0])


@pytest.fixture
def stored():
    """`stored(project)`: (responses, import batches) in its store, to show that a refused
    import left nothing behind."""
    return _stored
