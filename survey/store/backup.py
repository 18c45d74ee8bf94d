"""Backups of the store that are proven by reading them back, and restores that cannot break
the current store.

A backup is a consistent snapshot: SQLite's backup API inside one read transaction, or
pg_dump on a snapshot exported from ours. The rows of every table are counted and hashed on
that same snapshot, and again after reading the backup back (SQLite: the file opened as a
store; PostgreSQL: the dump restored into a scratch database): a backup is only kept when both
agree, and the figures go into a manifest beside it. A restore checks the backup the same way
(readable, a schema this toolkit knows, the manifest's figures) before it touches the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from survey.store.erasure import keep_erased, tombstones
from survey.store.schema import SCHEMA_VERSION, meta, metadata
from survey.store.store import Store, StoreError

Figures = dict[str, list[Any]]
"""Table name → [row count, sha256 of its rows in primary-key order]."""

MANIFEST_SUFFIX = ".json"


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: Path
    figures: Figures
    schema_version: int


def figures(connection: sa.Connection) -> Figures:
    """Rows and a hash of every table of the store, as this connection sees them."""
    found: Figures = {}
    names = set(sa.inspect(connection).get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in names:
            continue
        digest = hashlib.sha256()
        count = 0
        order = list(table.primary_key.columns) or list(table.columns)
        result = connection.execute(sa.select(table).order_by(*order))
        while rows := result.fetchmany(5000):
            digest.update("\x1e".join("\x1f".join(map(str, row)) for row in rows).encode())
            digest.update(b"\x1e")
            count += len(rows)
        found[table.name] = [count, digest.hexdigest()]
    return found


def _schema_version(connection: sa.Connection) -> int:
    if "meta" not in sa.inspect(connection).get_table_names():
        raise StoreError("it holds no survey store (no schema version)")
    value = connection.execute(sa.select(meta.c.value).where(
        meta.c.key == "schema_version")).scalar()
    if value is None or not str(value).isdigit():
        raise StoreError("it holds no survey store (no schema version)")
    return int(value)


def _known_version(connection: sa.Connection) -> int | None:
    try:
        return _schema_version(connection)
    except StoreError:
        return None


def _write_manifest(path: Path, found: Figures, version: int) -> Path:
    manifest = path.with_name(path.name + MANIFEST_SUFFIX)
    manifest.write_text(json.dumps({
        "schema_version": version, "made_at": dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds"), "tables": found}, indent=1), encoding="utf-8")
    return manifest


def backup_store(store: Store, target: Path) -> Backup:
    """Write a verified backup of `store` to `target` (never over an existing file)."""
    if target.exists():
        raise StoreError(f"{target} exists already; choose a new name so no backup is lost")
    if not target.parent.is_dir():
        raise StoreError(f"{target.parent} is not a folder; make it first or choose another")
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        if store.engine.dialect.name == "sqlite":
            found, version = _sqlite_backup(store, partial)
            copied, _ = _sqlite_figures(partial)
        else:
            found, version = _pg_dump(store, partial)
            with _scratch_database(store) as scratch:
                _pg_restore(partial, scratch)
                with sa.create_engine(scratch).connect() as connection:
                    copied = figures(connection)
        if copied != found:
            differ = sorted(t for t in found if copied.get(t) != found[t])
            raise StoreError(f"the backup read back differs from the store in {', '.join(differ)};"
                             " it was not kept. Try again; if it fails again, check the disk")
        partial.chmod(0o600)  # the answers of every respondent: for the owner's eyes only
        partial.rename(target)
        manifest = _write_manifest(target, found, version)
        manifest.chmod(0o600)
        return Backup(target, manifest, found, version)
    except (OSError, sqlite3.Error) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise StoreError(f"cannot write the backup to {target.parent}: {reason}; free some "
                         "space or choose another place") from error
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_path(store: Store) -> str:
    database = store.engine.url.database
    if not database or database == ":memory:":
        raise StoreError("an in-memory store has nothing to back up")
    return database


def _sqlite_backup(store: Store, partial: Path) -> tuple[Figures, int]:
    """Copy the store in one step inside one read transaction, so the copy and the figures are
    of the same moment even while the server writes."""
    source = sqlite3.connect(_sqlite_path(store))
    target = sqlite3.connect(partial)
    try:
        source.execute("BEGIN")
        engine = sa.create_engine("sqlite://", creator=lambda: source)
        with engine.connect() as connection:
            found = figures(connection)
            version = _schema_version(connection)
            source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.rollback()
        source.close()
    return found, version


def _sqlite_figures(path: Path) -> tuple[Figures, int | None]:
    """The figures and schema version of a SQLite backup, read in one pass without changing
    it; StoreError if unreadable."""
    try:
        with _readonly_sqlite(path) as connection:
            check = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
            if check != "ok":
                raise StoreError(f"{path.name} is damaged ({check})")
            return figures(connection), _known_version(connection)
    except sa.exc.DatabaseError as error:
        raise StoreError(f"{path.name} is not a readable survey store: {error.orig}") from None


@contextmanager
def _readonly_sqlite(path: Path) -> Iterator[sa.Connection]:
    uri = f"file:{path}?mode=ro"
    engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _pg_url(store: Store) -> str:
    return store.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StoreError(f"{name} is not installed; install Debian's postgresql-client")
    return found


def _pg_dump(store: Store, partial: Path) -> tuple[Figures, int]:
    with store.engine.connect().execution_options(
            isolation_level="REPEATABLE READ") as connection:
        snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
        found = figures(connection)
        version = _schema_version(connection)
        done = subprocess.run([_pg_tool("pg_dump"), "-Fc", "--no-owner", f"--snapshot={snapshot}",
                               "-f", str(partial), "-d", _pg_url(store)],
                              capture_output=True, text=True)
        connection.rollback()
    if done.returncode != 0:
        raise StoreError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    return found, version


def _pg_restore(dump: Path, url: str, *, clean: bool = False) -> None:
    command = [_pg_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error",
               "-d", url.replace("postgresql+psycopg://", "postgresql://"), str(dump)]
    if clean:
        command[1:1] = ["--clean", "--if-exists"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise StoreError(f"{dump.name} cannot be restored: {done.stderr.strip()[:500]}")


@contextmanager
def _scratch_database(store: Store) -> Iterator[str]:
    name = f"survey_check_{uuid.uuid4().hex[:12]}"
    admin = store.engine.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield store.engine.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def check_backup(store: Store, path: Path) -> Backup:
    """What a backup holds, read back in full; StoreError if it cannot be restored here."""
    if not path.is_file():
        raise StoreError(f"{path} is not a file")
    manifest = path.with_name(path.name + MANIFEST_SUFFIX)
    recorded: dict[str, Any] | None = None
    if manifest.is_file():
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise StoreError(f"{manifest.name} is not a backup manifest") from None
    if store.engine.dialect.name == "sqlite":
        found, version = _sqlite_figures(path)
    else:
        with _scratch_database(store) as scratch:
            _pg_restore(path, scratch)
            with sa.create_engine(scratch).connect() as connection:
                found, version = figures(connection), _known_version(connection)
    if version is None:
        raise StoreError(f"{path.name} holds no survey store (no schema version); is it a "
                         "backup made by survey backup?")
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path.name} was written by a newer toolkit (store schema {version}; "
                         f"this one knows {SCHEMA_VERSION}); update the toolkit first")
    if recorded is not None and recorded.get("tables") != found:
        raise StoreError(f"{path.name} does not hold what its manifest says: it was changed or "
                         "damaged after the backup; use another backup")
    return Backup(path, manifest, found, version)


def restore_store(store: Store, path: Path) -> tuple[Backup, int]:
    """Replace the store's contents by the backup at `path`, after checking it in full; the
    store is untouched when the backup is refused. Returns erased since the backup was made
    stay erased; the second value says how many of them the backup still held."""
    checked = check_backup(store, path)
    erased = tombstones(store)
    if store.engine.dialect.name == "sqlite":
        live = _sqlite_path(store)
        store.engine.dispose()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(live)
        try:
            source.backup(target)
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            source.close()
            target.close()
    else:
        store.engine.dispose()
        _pg_restore(path, _pg_url(store), clean=True)
    if erased and "erasures" not in sa.inspect(store.engine).get_table_names():
        Store.open(str(store.engine.url.render_as_string(hide_password=False))).close()
    return checked, keep_erased(store, erased)


def default_backup_name(folder: Path, store: Store) -> Path:
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    suffix = ".sqlite" if store.engine.dialect.name == "sqlite" else ".dump"
    return folder / f"store-{stamp}{suffix}"
