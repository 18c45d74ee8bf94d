"""Opening the store and the few operations every writer and reader needs.

SQLite (a file in the project, WAL so readers never block the writer) is the default; a
`postgresql://` URL selects PostgreSQL. The schema is created or upgraded on open, and a store
written by a newer toolkit is refused rather than damaged.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from survey.store.migrations import upgrade
from survey.store.partner_tags import fill_partners
from survey.store.schema import SCHEMA_VERSION, Status, batches, meta, metadata, problems, responses
from survey.user_error import UserError

STORE_FILE = Path("data") / "store.sqlite"
"""Where a project's store lives unless a database URL is given."""


class StoreError(UserError):
    """The store cannot be opened or used; the message says why and what to do."""


class KeyConflict(Exception):
    """A write broke a unique key of the store: the row is there already (stored by a
    concurrent writer or an earlier try), so the caller can look at it instead."""


Connection: TypeAlias = sa.Connection
"""An open transaction on the store (Store.transaction): what the store's functions that
take part in a caller's transaction are given, so callers need no database library."""


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    severity: str
    column: str | None = None
    value: str | None = None
    fix: str = ""


@dataclass(frozen=True)
class Response:
    """One response record (DESIGN.md, "Response record")."""

    submission_id: str
    questionnaire_id: str
    questionnaire_version: str
    mode: str
    status: Status
    raw: Mapping[str, Any]
    answers: Mapping[str, Any]
    language: str | None = None
    content_hash: str | None = None
    respondent_key: str | None = None
    duplicate_of: str | None = None
    source_file: str | None = None
    source_hash: str | None = None
    source_sheet: str | None = None
    source_row: int | None = None
    batch_id: int | None = None
    entered_by: str | None = None
    received_on: dt.date | None = None
    problems: tuple[Problem, ...] = ()
    partner: str | None = None
    """The partner organisation (an id of partners.yaml); left None, a web response takes the
    partner of its draft and a paper copy that of its serial block (survey.store.partner_tags)."""


def now() -> dt.datetime:
    """The store's one clock: every time it records is this, UTC to the second without a zone
    (so servers and laptops in different zones agree); local_time shows it to a person."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def local_time(stamp: dt.datetime) -> dt.datetime:
    """A time of the store's clock (UTC, no zone) as the wall-clock time of this computer, for
    what the command line shows the person at it."""
    return stamp.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def today() -> dt.date:
    """The day the store records (UTC): of receipt, of a draft's last change, of creation."""
    return dt.datetime.now(dt.UTC).date()


def encode_json(value: Any) -> str:
    """The one JSON text of stored answers and raw records (keys sorted, text as typed)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def response_row(*, submission_id: str, questionnaire_id: str, questionnaire_version: str,
                 mode: str, status: str, raw: str, answers: str, stored_at: dt.datetime,
                 language: str | None = None, content_hash: str | None = None,
                 respondent_key: str | None = None, duplicate_of: str | None = None,
                 source_file: str | None = None, source_hash: str | None = None,
                 source_sheet: str | None = None, source_row: int | None = None,
                 batch_id: int | None = None, entered_by: str | None = None,
                 received_on: dt.date | None = None, partner: str | None = None
                 ) -> dict[str, Any]:
    """The row of `responses` for one record, `raw` and `answers` as encode_json text: the
    one place that says what a stored response holds, for Store.add and for bulk import
    (which encodes a whole chunk's answers at once and so builds no Response)."""
    return {
        "submission_id": submission_id, "questionnaire_id": questionnaire_id,
        "questionnaire_version": questionnaire_version, "language": language,
        "mode": str(mode), "status": str(status), "raw": raw, "answers": answers,
        "content_hash": content_hash, "respondent_key": respondent_key,
        "duplicate_of": duplicate_of, "source_file": source_file, "source_hash": source_hash,
        "source_sheet": source_sheet, "source_row": source_row, "batch_id": batch_id,
        "entered_by": entered_by, "received_on": received_on, "stored_at": stored_at,
        "partner": partner,
    }


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # first: switching a new file to WAL takes a lock too, and must wait for another process
    # opening the same file at the same moment instead of failing at once
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left behind
    cursor.close()


def database_url(project: Path, url: str | None = None) -> str:
    """The store of a project: the given URL, else the SQLite file in the project."""
    if url:
        return url
    path = project / STORE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


SCHEMA_LOCK = 0x5375_7276_6579  # "Survey": the advisory lock key of schema changes


def _lock_schema(connection: sa.Connection) -> None:
    """Hold the database's lock on schema changes until this transaction ends: two servers
    started at once on an empty database would otherwise both create the tables, and one
    fail. PostgreSQL: a transaction-scoped advisory lock. SQLite: its write lock, taken at
    once (BEGIN IMMEDIATE waits for the other writer up to the busy timeout)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    """The responses database (SQLite or PostgreSQL); `Store.open(url)` opens it and creates or
    upgrades its tables."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")  # psycopg 3
        try:
            engine = sa.create_engine(url, future=True)
        except (sa.exc.ArgumentError, ImportError) as error:
            raise StoreError(f"cannot use the database '{url}': {error}") from error
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store._migrate()
        return store

    def _up_to_date(self) -> bool:
        """Whether the store has this toolkit's tables and schema version already: then it is
        opened without the write lock, so a store on read-only media can still be read."""
        try:
            with self.engine.connect() as connection:
                if not set(metadata.tables) <= set(sa.inspect(connection).get_table_names()):
                    return False
                found = connection.execute(sa.select(meta.c.value).where(
                    meta.c.key == "schema_version")).scalar()
        except sa.exc.DatabaseError:
            return False
        return found == str(SCHEMA_VERSION)

    def _migrate(self) -> None:
        if self._up_to_date():
            return
        try:
            with self.engine.begin() as connection:
                _lock_schema(connection)
                metadata.create_all(connection, tables=[meta])
                found = connection.execute(
                    sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
                if found is not None and int(found) > SCHEMA_VERSION:
                    raise StoreError(
                        f"the store was written by a newer version of the toolkit (schema "
                        f"{found}, this version knows {SCHEMA_VERSION}); update the toolkit")
                if found is not None and int(found) < SCHEMA_VERSION:
                    upgrade(connection, int(found))
                metadata.create_all(connection)
                if found is None:
                    connection.execute(sa.insert(meta).values(key="schema_version",
                                                              value=str(SCHEMA_VERSION)))
        except sa.exc.DatabaseError as error:
            raise StoreError(f"cannot open the store {self.engine.url}: {error.orig}; is it a "
                             "survey store, and is the disk writable?") from error

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction for a caller that combines several store functions: committed at
        the end, rolled back on any error; a broken unique key comes out as KeyConflict."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except sa.exc.IntegrityError as error:
            raise KeyConflict(str(error.orig)) from error

    def empty_wal(self) -> None:
        """Copy SQLite's write-ahead log into the database and empty it (best effort: a
        reader may hold it), so that rows deleted on purpose survive in no file; deleted
        rows in the database file itself are zeroed by secure_delete."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- writing ---------------------------------------------------------------------------

    def add(self, records: Iterable[Response], connection: sa.Connection | None = None,
            stored_at: dt.datetime | None = None) -> None:
        """Insert responses with their problems, in one transaction.

        `stored_at` lets anonymous online responses carry only the day, not the second."""
        rows, problem_rows = [], []
        stamp = stored_at or now()
        for record in records:
            rows.append(response_row(
                submission_id=record.submission_id, questionnaire_id=record.questionnaire_id,
                questionnaire_version=record.questionnaire_version, mode=record.mode,
                status=record.status, raw=encode_json(record.raw),
                answers=encode_json(record.answers), stored_at=stamp, language=record.language,
                content_hash=record.content_hash, respondent_key=record.respondent_key,
                duplicate_of=record.duplicate_of, source_file=record.source_file,
                source_hash=record.source_hash, source_sheet=record.source_sheet,
                source_row=record.source_row, batch_id=record.batch_id,
                entered_by=record.entered_by, received_on=record.received_on,
                partner=record.partner))
            problem_rows += [{"submission_id": record.submission_id, "column": p.column,
                              "value": p.value, "rule": p.rule, "message": p.message,
                              "fix": p.fix, "severity": p.severity} for p in record.problems]
        if not rows:
            return
        if connection is None:
            with self.engine.begin() as own:
                fill_partners(own, rows)
                self.add_encoded(own, rows, problem_rows)
        else:
            fill_partners(connection, rows)
            self.add_encoded(connection, rows, problem_rows)

    @staticmethod
    def add_encoded(connection: sa.Connection, rows: list[dict[str, Any]],
                    problem_rows: list[dict[str, Any]]) -> None:
        """Insert response rows whose raw and validated answers are JSON text already, and their
        problems, in one executemany each: how bulk import writes its chunks."""
        connection.execute(sa.insert(responses), rows)
        if problem_rows:
            connection.execute(sa.insert(problems), problem_rows)

    # -- reading ---------------------------------------------------------------------------

    def count(self, questionnaire_id: str | None = None) -> dict[str, int]:
        """Responses by status."""
        query = sa.select(responses.c.status, sa.func.count()).group_by(responses.c.status)
        if questionnaire_id is not None:
            query = query.where(responses.c.questionnaire_id == questionnaire_id)
        with self.engine.connect() as connection:
            return dict(connection.execute(query).all())

    def accepted_answers(self, questionnaire_id: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(submission_id, validated answers) of every accepted response, in storage order."""
        query = (sa.select(responses.c.submission_id, responses.c.answers)
                 .where(responses.c.questionnaire_id == questionnaire_id,
                        responses.c.status == Status.ACCEPTED)
                 .order_by(responses.c.stored_at, responses.c.submission_id))
        with self.engine.connect() as connection:
            for submission_id, answers in connection.execute(query):
                yield submission_id, json.loads(answers)

    def answers_with_status(self, questionnaire_id: str, statuses: Iterable[Status]
                            ) -> list[tuple[str, str, dict[str, Any]]]:
        """(submission_id, status, validated answers) of the responses in `statuses`, in
        storage order: what an export writes."""
        query = (sa.select(responses.c.submission_id, responses.c.status, responses.c.answers)
                 .where(responses.c.questionnaire_id == questionnaire_id,
                        responses.c.status.in_([str(s) for s in statuses]))
                 .order_by(responses.c.stored_at, responses.c.submission_id))
        with self.engine.connect() as connection:
            return [(i, s, json.loads(a)) for i, s, a in connection.execute(query)]

    def response(self, submission_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(responses).where(
                responses.c.submission_id == submission_id)).mappings().first()
            if row is None:
                return None
            found = dict(row)
            found["raw"] = json.loads(found["raw"])
            found["answers"] = json.loads(found["answers"])
            found["problems"] = [dict(p) for p in connection.execute(
                sa.select(problems).where(problems.c.submission_id == submission_id)
                .order_by(problems.c.id)).mappings()]
            return found

    def batches(self) -> list[dict[str, Any]]:
        """Every import batch with its counts (not its reading, which can be large)."""
        listed = [c for c in batches.c if c.name != "reading"]
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(
                sa.select(*listed).order_by(batches.c.id)).mappings()]

    def batch_reading(self, batch_id: int | None) -> str | None:
        """How the batch's columns were read (JSON of survey.ingest.reading), if it was kept."""
        if batch_id is None:
            return None
        with self.engine.connect() as connection:
            return connection.execute(sa.select(batches.c.reading).where(
                batches.c.id == batch_id)).scalar()


def stored_answers(connection: Connection, submission_id: str
                   ) -> tuple[str, dict[str, Any]] | None:
    """The questionnaire and validated answers stored under `submission_id`, if any: what tells
    a repeated post of the same answers from a conflicting one."""
    row = connection.execute(
        sa.select(responses.c.questionnaire_id, responses.c.answers)
        .where(responses.c.submission_id == submission_id)).first()
    return None if row is None else (row.questionnaire_id, json.loads(row.answers))

