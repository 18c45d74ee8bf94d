"""Servers started at the same moment on an empty database all come up: the schema is made
under the database's lock (PostgreSQL advisory lock, SQLite write lock), never twice at once.
Each instance is a process of its own, as two `survey serve` would be."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from survey.store.schema import SCHEMA_VERSION, meta
from survey.store.store import Store

INSTANCES = 6
OPEN_WHEN_TOLD = """
import sys, time
from pathlib import Path
from survey.store.store import Store
Path(sys.argv[3]).touch()
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
Store.open(sys.argv[1]).close()
print("opened")
"""


def _open_at_once(url: str, folder: Path) -> list[subprocess.CompletedProcess[str]]:
    """Start INSTANCES processes, wait until all have imported the toolkit, then let them
    open the store in the same instant."""
    go = folder / "go"
    ready = [folder / f"ready-{n}" for n in range(INSTANCES)]
    processes = [subprocess.Popen([sys.executable, "-c", OPEN_WHEN_TOLD, url, str(go),
                                   str(flag)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for flag in ready]
    deadline = time.monotonic() + 120
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    finished = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        finished.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return finished


def _schema_version(url: str) -> str:
    store = Store.open(url)
    try:
        with store.engine.connect() as connection:
            return connection.execute(sa.select(meta.c.value).where(
                meta.c.key == "schema_version")).scalar_one()
    finally:
        store.close()


@pytest.mark.parametrize("attempt", range(3))
def test_instances_started_together_on_empty_postgresql_all_open(pg_database, tmp_path,
                                                                 attempt):
    finished = _open_at_once(pg_database, tmp_path)
    assert [p.returncode for p in finished] == [0] * INSTANCES, \
        [p.stderr[-600:] for p in finished if p.returncode]
    assert _schema_version(pg_database) == str(SCHEMA_VERSION)


@pytest.mark.parametrize("attempt", range(3))
def test_instances_started_together_on_a_new_sqlite_file_all_open(tmp_path, attempt):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    finished = _open_at_once(url, tmp_path)
    assert [p.returncode for p in finished] == [0] * INSTANCES, \
        [p.stderr[-600:] for p in finished if p.returncode]
    assert _schema_version(url) == str(SCHEMA_VERSION)
