"""Seconds of `survey backup` and `survey restore` on SQLite, for the sample store and for a
store of generated responses, against a named baseline in the same run: SQLite's backup API
alone, without reading the copy back (what `sqlite3 .backup` does).

The large store is the sample's accepted responses copied under new ids until it holds the
asked number, so rows are as long as real ones.

    .venv/bin/python benchmarks/backup_restore.py [--responses 100000]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from survey.jobs.ingest import IngestJob, ingest
from survey.store.backup import backup_store, restore_store
from survey.store.schema import responses
from survey.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sorted(p for p in (ROOT / "data" / "sample").iterdir()
                if p.suffix in (".csv", ".xlsx", ".sav", ".jsonl"))


def sample_store(base: Path) -> Path:
    project = base / "project"
    (project / "questionnaires").mkdir(parents=True)
    shutil.copy(ROOT / "questionnaires" / "zusammen.yaml", project / "questionnaires")
    db = base / "sample.sqlite"
    ingest(IngestJob(project, tuple(SAMPLE), user="benchmark", db_url=f"sqlite:///{db}"))
    return db


def grown(source: Path, target: Path, count: int) -> Path:
    shutil.copy(source, target)
    store = Store.open(f"sqlite:///{target}")
    with store.engine.begin() as connection:
        rows = [dict(r) for r in connection.execute(sa.select(responses)).mappings()]
        have = len(rows)
        batch = []
        for i in range(count - have):
            row = dict(rows[i % len(rows)], submission_id=str(uuid.uuid4()), batch_id=None,
                       content_hash=None, respondent_key=None, duplicate_of=None)
            batch.append(row)
            if len(batch) == 10_000:
                connection.execute(sa.insert(responses), batch)
                batch = []
        if batch:
            connection.execute(sa.insert(responses), batch)
    store.close()
    return target


def measure(db: Path, folder: Path) -> tuple[float, float, float, int]:
    store = Store.open(f"sqlite:///{db}")
    began = time.perf_counter()
    made = backup_store(store, folder / f"{db.stem}.backup.sqlite")
    backup = time.perf_counter() - began
    began = time.perf_counter()
    restore_store(store, made.path)
    restore = time.perf_counter() - began
    store.close()
    began = time.perf_counter()
    with sqlite3.connect(db) as source, sqlite3.connect(folder / "plain.sqlite") as target:
        source.backup(target)
    plain = time.perf_counter() - began
    (folder / "plain.sqlite").unlink()
    return backup, restore, plain, made.figures["responses"][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        small = sample_store(base)
        large = grown(small, base / "large.sqlite", args.responses)
        print(f"{'store':>28} {'rows':>8} {'backup s':>9} {'restore s':>10} "
              f"{'plain API s':>12} {'ratio':>6}")
        for name, db in (("sample", small), (f"{args.responses:,} responses", large)):
            backup, restore, plain, rows = measure(db, base)
            print(f"{name:>28} {rows:>8} {backup:>9.2f} {restore:>10.2f} {plain:>12.2f} "
                  f"{backup / plain:>6.1f}")
            print(f"{'':>28} {'':>8} database file {db.stat().st_size / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
