"""Importing one file: every input row ends accepted, quarantined or as a duplicate.

The whole file is one transaction, so an interrupted import leaves nothing behind, and the
file's hash makes importing it again a no-op that says so. Rows are handled in chunks, so a
large file is streamed once and never held in memory.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from survey.ingest.columns import ColumnPlan, Meta, plan_columns
from survey.ingest.readers import SourceRow, SourceTable, read_table
from survey.ingest.rows import ReadRow, RowReader, raw_value
from survey.ingest.values import FileLabels
from survey.questionnaire.answer_checks import Severity, check_answers
from survey.questionnaire.model import Questionnaire
from survey.store.schema import Mode, Status, batches, responses
from survey.store.store import Problem, Response, Store

CHUNK = 2000
MIN_ANSWERS_FOR_CONTENT_MATCH = 5
"""Two returns with fewer answers than this may well be different people who answered alike."""

_NAMESPACE = uuid.UUID("6f1c6d4e-3b7a-4c55-9a51-0a4f3c2b9e10")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


class IngestError(Exception):
    """The file cannot be imported at all; nothing was stored."""


@dataclass(frozen=True)
class ReportLine:
    row: int
    column: str
    value: str
    rule: str
    message: str
    fix: str
    severity: str
    outcome: str


@dataclass
class ImportResult:
    file: Path
    file_hash: str
    table: SourceTable
    plan: ColumnPlan
    dry_run: bool
    batch_id: int | None = None
    rows_in: int = 0
    accepted: int = 0
    warnings: int = 0
    quarantined: int = 0
    duplicates: int = 0
    lines: list[ReportLine] = field(default_factory=list)
    already: dict[str, Any] | None = None
    """The earlier batch of the same file, when nothing was imported again."""


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _content_hash(answers: dict[str, Any]) -> str | None:
    if len(answers) < MIN_ANSWERS_FOR_CONTENT_MATCH:
        return None
    text = json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _respondent_key(value: Any, file_digest: str) -> str | None:
    """Ids a partner numbered themselves (1, 2, 3…) only mean something inside their file."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    return text.lower() if _UUID.fullmatch(text) else f"{file_digest[:16]}:{text}"


class _Import:
    def __init__(self, questionnaire: Questionnaire, result: ImportResult, user: str):
        self.questionnaire = questionnaire
        self.result = result
        self.user = user
        table = result.table
        headers = [c.name for c in table.columns]
        labels = [FileLabels(c.value_labels, c.missing_values)
                  if (c.value_labels or c.missing_values) else None for c in table.columns]
        self.reader = RowReader(questionnaire, result.plan, headers, labels,
                                table.decimal_comma)
        self.headers = headers
        self.seen_keys: dict[str, tuple[str | None, str]] = {}
        self.seen_content: dict[str, str] = {}
        self.today = dt.date.today()

    def rows(self, chunk: list[SourceRow], connection: sa.Connection | None) -> list[Response]:
        read = [(row, self.reader.read(row.values) if row.problem is None else ReadRow())
                for row in chunk]
        keys = {k for _, r in read if (k := _respondent_key(r.meta.get(Meta.RESPONDENT),
                                                           self.result.file_hash))}
        hashes = {h for _, r in read if (h := _content_hash(r.answers))}
        stored_keys, stored_hashes = self._stored(connection, keys, hashes)
        return [self.row(source, row, stored_keys, stored_hashes) for source, row in read]

    def _stored(self, connection: sa.Connection | None, keys: set[str],
                hashes: set[str]) -> tuple[dict[str, tuple[str | None, str, str]],
                                           dict[str, str]]:
        if connection is None or not (keys or hashes):
            return {}, {}
        live = responses.c.status.in_([Status.ACCEPTED, Status.QUARANTINED])
        by_key = {k: (h, s, st) for k, h, s, st in connection.execute(
            sa.select(responses.c.respondent_key, responses.c.content_hash,
                      responses.c.submission_id, responses.c.status)
            .where(responses.c.respondent_key.in_(keys), live))} if keys else {}
        by_hash = {h: s for h, s in connection.execute(
            sa.select(responses.c.content_hash, responses.c.submission_id)
            .where(responses.c.content_hash.in_(hashes), live))} if hashes else {}
        return by_key, by_hash

    def row(self, source: SourceRow, read: ReadRow,
            stored_keys: dict[str, tuple[str | None, str, str]],
            stored_hashes: dict[str, str]) -> Response:
        result = self.result
        result.rows_in += 1
        raw = {h: raw_value(v) for h, v in zip(self.headers, source.values, strict=False)
               if v not in (None, "")}
        submission_id = str(uuid.uuid5(_NAMESPACE, f"{result.file_hash}/"
                                       f"{result.table.sheet or ''}/{source.number}"))
        key = _respondent_key(read.meta.get(Meta.RESPONDENT), result.file_hash)
        content = _content_hash(read.answers)
        problems: list[Problem] = []
        status, duplicate_of = Status.ACCEPTED, None
        earlier = self.seen_keys.get(key) if key else None
        stored = stored_keys.get(key) if key else None
        if earlier is None and stored is not None:
            earlier = (stored[0], stored[1])
        if earlier is not None and (earlier[0] == content or content is None):
            status, duplicate_of = Status.DUPLICATE, earlier[1]
            problems.append(Problem("duplicate", f"respondent {read.meta[Meta.RESPONDENT]} "
                                    "was imported before with the same answers", "warning",
                                    fix="nothing to do; the row is kept as a duplicate"))
        elif earlier is not None:
            status = Status.QUARANTINED
            problems.append(Problem("duplicate_id", f"respondent "
                                    f"{read.meta[Meta.RESPONDENT]} was imported before with "
                                    "different answers", "error",
                                    fix="decide which return is right; fix or delete the other"))
        elif content is not None and (content in self.seen_content or content in stored_hashes):
            status = Status.DUPLICATE
            duplicate_of = self.seen_content.get(content) or stored_hashes[content]
            problems.append(Problem("duplicate", "the same answers were imported before "
                                    "(same respondent from another file or mode)", "warning",
                                    fix="if they really are two people, re-import the row "
                                    "with a respondent id"))
        validated: dict[str, Any] = {}
        received = _date(read.meta.get(Meta.DATE))
        if status != Status.DUPLICATE:
            if source.problem is not None:
                problems.append(Problem("read", source.problem, "error",
                                        fix="correct the line in the file and import it again"))
            problems += [Problem(p.rule, p.message, "error", p.column, _shown(p.value), p.fix)
                         for p in read.problems]
            check = check_answers(self.questionnaire, read.answers, received or self.today)
            for p in check.problems:
                columns = read.sources.get(p.name) or read.sources.get(
                    p.name.split("__", 1)[0]) or [p.name]
                problems.append(Problem(str(p.rule), p.message, str(p.severity),
                                        ", ".join(columns), _shown(raw.get(columns[0])), p.fix))
            if any(p.severity == Severity.ERROR for p in problems):
                status = Status.QUARANTINED
            else:
                validated = check.validated
        if key:
            self.seen_keys.setdefault(key, (content, submission_id))
        if content and status != Status.DUPLICATE:
            self.seen_content.setdefault(content, submission_id)
        self._count(status, problems, source.number)
        language = read.meta.get(Meta.LANGUAGE)
        return Response(
            submission_id=submission_id, questionnaire_id=self.questionnaire.id,
            questionnaire_version=self.questionnaire.survey.version, mode=Mode.IMPORT,
            status=status, raw=raw, answers=validated,
            language=language if language in self.questionnaire.languages else None,
            content_hash=content, respondent_key=key, duplicate_of=duplicate_of,
            source_file=result.file.name, source_hash=result.file_hash,
            source_sheet=result.table.sheet, source_row=source.number,
            batch_id=result.batch_id, entered_by=self.user, received_on=received,
            problems=tuple(problems))

    def _count(self, status: Status, problems: list[Problem], row: int) -> None:
        result = self.result
        if status == Status.ACCEPTED:
            result.accepted += 1
            result.warnings += bool(problems)
        elif status == Status.QUARANTINED:
            result.quarantined += 1
        else:
            result.duplicates += 1
        result.lines += [ReportLine(row, p.column or "", p.value or "", p.rule, p.message,
                                    p.fix, p.severity, str(status)) for p in problems]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(raw_value(value),
                                                           ensure_ascii=False, default=str)
    return text if len(text) <= 200 else text[:199] + "…"


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _chunks(rows: Iterator[SourceRow]) -> Iterator[list[SourceRow]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def ingest_file(store: Store, questionnaire: Questionnaire, path: Path, *,
                sheet: str | None = None, encoding: str | None = None,
                mapping: dict[str, str] | None = None, user: str | None = None,
                dry_run: bool = False,
                progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read, check and store every row of `path`; see the module docstring."""
    table = read_table(path, sheet=sheet, encoding=encoding)
    plan = plan_columns(questionnaire, [(c.name, c.label) for c in table.columns], mapping)
    if plan.mapped_answers == 0:
        raise IngestError(
            f"{path.name}: none of its {len(table.columns)} columns matches a question of "
            f"'{questionnaire.id}' (first columns: {', '.join(c.name for c in table.columns[:5])})."
            " Is it a file of another survey? Choose the questionnaire with --questionnaire, or "
            "write a mapping file (--dry-run drafts one) and pass it with --mapping.")
    result = ImportResult(path, file_hash(path), table, plan, dry_run)
    user = user or getpass.getuser()
    with store.engine.begin() as connection:
        earlier = connection.execute(sa.select(batches).where(
            batches.c.file_hash == result.file_hash, batches.c.rolled_back_at.is_(None),
            (batches.c.sheet == table.sheet) if table.sheet else batches.c.sheet.is_(None))
        ).mappings().first()
        if earlier is not None:
            result.already = dict(earlier)
            return result
        if not dry_run:
            result.batch_id = connection.execute(sa.insert(batches).values(
                file_name=path.name, file_hash=result.file_hash, sheet=table.sheet,
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.survey.version, entered_by=user,
                imported_at=dt.datetime.now().replace(microsecond=0))).inserted_primary_key[0]
        work = _Import(questionnaire, result, user)
        for chunk in _chunks(table.rows):
            records = work.rows(chunk, connection)
            if not dry_run:
                store.add(records, connection)
            if progress is not None:
                progress(len(chunk))
        if not dry_run:
            connection.execute(sa.update(batches).where(batches.c.id == result.batch_id).values(
                rows_in=result.rows_in, accepted=result.accepted, warnings=result.warnings,
                quarantined=result.quarantined, duplicates=result.duplicates))
    return result


def rollback_batch(store: Store, batch_id: int) -> int:
    """Remove every response of one import; the batch stays listed as rolled back."""
    with store.engine.begin() as connection:
        batch = connection.execute(sa.select(batches).where(batches.c.id == batch_id)
                                   ).mappings().first()
        if batch is None:
            raise IngestError(f"there is no import batch {batch_id}; `survey imports` lists them")
        if batch["rolled_back_at"] is not None:
            raise IngestError(f"batch {batch_id} ({batch['file_name']}) was already rolled "
                              f"back on {batch['rolled_back_at']:%Y-%m-%d %H:%M}")
        removed = connection.execute(sa.delete(responses).where(
            responses.c.batch_id == batch_id)).rowcount
        connection.execute(sa.update(batches).where(batches.c.id == batch_id).values(
            rolled_back_at=dt.datetime.now().replace(microsecond=0)))
    return removed
