"""survey backup writes a backup that is read back and checked; survey restore brings it back,
and refuses a damaged backup, one from a newer toolkit or a wrong file without touching the
store. On SQLite here and on a real PostgreSQL in tests/server/test_postgresql.py."""

from __future__ import annotations

import json
import resource
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from survey.cli import cli
from survey.project import Project
from survey.store.backup import backup_store, figures
from survey.store.erasure import is_erased
from survey.store.schema import SCHEMA_VERSION, Mode, Status, meta
from survey.store.store import Response, Store, StoreError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "questionnaires").mkdir()
    shutil.copy(ROOT / "questionnaires" / "examples" / "event-feedback.yaml",
                tmp_path / "questionnaires")
    store = Project(tmp_path).store()
    store.add([Response(f"00000000-0000-4000-8000-{i:012d}", "event_feedback", "1.0",
                        Mode.WEB, Status.ACCEPTED, raw={"overall": "good"},
                        answers={"overall": "good", "improve": f"Antwort {i} – ü"})
               for i in range(50)])
    store.close()
    return Project(tmp_path)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def live_figures(project: Project) -> dict:
    store = project.store()
    try:
        with store.engine.connect() as connection:
            return figures(connection)
    finally:
        store.close()


def test_backup_and_restore_round_trip(project):
    before = live_figures(project)
    made = run("backup", str(project.root))
    assert made.exit_code == 0, made.output
    files = sorted((project.root / "backups").glob("store-*.sqlite"))
    assert len(files) == 1 and files[0].with_name(files[0].name + ".json").is_file()
    manifest = json.loads(files[0].with_name(files[0].name + ".json").read_text())
    assert manifest["tables"] == before and manifest["tables"]["responses"][0] == 50
    store = project.store()
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM responses WHERE submission_id LIKE '%1'"))
    store.close()
    assert live_figures(project) != before
    refused = run("restore", str(project.root), str(files[0]))
    assert refused.exit_code == 1 and "--yes" in refused.output
    restored = run("restore", str(project.root), str(files[0]), "--yes")
    assert restored.exit_code == 0, restored.output
    assert live_figures(project) == before


def test_a_backup_never_overwrites_and_says_where_it_cannot_write(project, tmp_path):
    target = tmp_path / "b.sqlite"
    target.write_text("an older backup")
    result = run("backup", str(project.root), "--out", str(target))
    assert result.exit_code == 1 and "exists already" in result.output
    assert target.read_text() == "an older backup"
    missing = run("backup", str(project.root), "--out", str(tmp_path / "no" / "b.sqlite"))
    assert missing.exit_code == 1 and "is not a folder" in missing.output


def test_a_full_disk_leaves_no_half_written_backup(project, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    store = project.store()
    try:
        with pytest.raises(StoreError, match="free some space"):
            _write_into_a_full_folder(store, small)
    finally:
        store.close()
    assert list(small.iterdir()) == []


def _write_into_a_full_folder(store: Store, folder: Path) -> None:
    """A file size limit stands in for a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        try:
            backup_store(store, folder / "b.sqlite")
        finally:
            signal.signal(signal.SIGXFSZ, previous)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


@pytest.mark.parametrize("damage", ["not a database", "newer toolkit", "changed after",
                                    "no store"])
def test_restore_refuses_a_bad_backup_and_leaves_the_store(project, tmp_path, damage):
    before = live_figures(project)
    assert run("backup", str(project.root), "--out", str(tmp_path / "b.sqlite")).exit_code == 0
    backup = tmp_path / "b.sqlite"
    if damage == "not a database":
        backup.write_bytes(b"this is not SQLite" * 100)
        backup.with_name("b.sqlite.json").unlink()
        message = "not a readable survey store"
    elif damage == "newer toolkit":
        with sqlite3.connect(backup) as db:
            db.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
        backup.with_name("b.sqlite.json").unlink()
        message = "written by a newer toolkit"
    elif damage == "changed after":
        with sqlite3.connect(backup) as db:
            db.execute("DELETE FROM responses WHERE submission_id LIKE '%7'")
        message = "does not hold what its manifest says"
    else:
        backup.unlink()
        with sqlite3.connect(backup) as db:
            db.execute("CREATE TABLE other (x)")
        message = "b.sqlite holds no survey store"
    result = run("restore", str(project.root), str(backup), "--yes")
    assert result.exit_code == 1 and message in result.output, result.output
    assert live_figures(project) == before


def test_a_backup_from_an_older_store_is_upgraded_on_restore(project, tmp_path):
    assert run("backup", str(project.root), "--out", str(tmp_path / "b.sqlite")).exit_code == 0
    backup = tmp_path / "b.sqlite"
    with sqlite3.connect(backup) as db:
        db.execute("UPDATE meta SET value='4' WHERE key='schema_version'")
        db.execute("DROP TABLE erasures")
    backup.with_name("b.sqlite.json").unlink()
    assert run("restore", str(project.root), str(backup), "--yes").exit_code == 0
    store = project.store()
    with store.engine.connect() as connection:
        version = connection.execute(sa.select(meta.c.value).where(
            meta.c.key == "schema_version")).scalar()
        assert "erasures" in sa.inspect(connection).get_table_names()
    store.close()
    assert version == str(SCHEMA_VERSION)


def test_a_restore_never_brings_an_erased_return_back(project, tmp_path):
    assert run("backup", str(project.root), "--out", str(tmp_path / "b.sqlite")).exit_code == 0
    gone = "00000000-0000-4000-8000-000000000007"
    assert run("erase", str(project.root), "--submission", gone, "--yes").exit_code == 0
    restored = run("restore", str(project.root), str(tmp_path / "b.sqlite"), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "1 returns erased since the backup was made were erased again" in restored.output
    store = project.store()
    try:
        assert store.response(gone) is None
        assert store.response("00000000-0000-4000-8000-000000000008") is not None
        assert is_erased(store, gone)
    finally:
        store.close()
    files = b"".join(p.read_bytes() for p in (project.root / "data").glob("store.sqlite*"))
    assert b"Antwort 7 " not in files


def test_backups_are_readable_by_their_owner_only(project, tmp_path):
    assert run("backup", str(project.root), "--out", str(tmp_path / "b.sqlite")).exit_code == 0
    for path in (tmp_path / "b.sqlite", tmp_path / "b.sqlite.json"):
        assert path.stat().st_mode & 0o077 == 0
