"""Importing one file: every input row ends accepted, quarantined or as a duplicate.

The whole file is one transaction, so an interrupted import leaves nothing behind, and the
file's hash makes importing it again a no-op that says so. Rows are handled in chunks, so a
large file is streamed once and never held in memory; within a chunk the answers are read and
checked column by column (`chunk_columns`, `column_checks`), and only rows with a problem are
read and checked one by one, by `check_answers`, which words every message.
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
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from survey.ingest.chunk_columns import ChunkColumns, ChunkReader
from survey.ingest.column_checks import check_columns
from survey.ingest.columns import ColumnPlan, Meta, plan_columns
from survey.ingest.json_text import encode
from survey.ingest.readers import ReadError, SourceRow, SourceTable, read_table
from survey.ingest.reading import ColumnReading
from survey.ingest.rows import ReadRow, raw_value
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.diagnostics import Severity
from survey.questionnaire.expressions.evaluate_columns import Factor
from survey.questionnaire.model import Questionnaire
from survey.staff_texts import staff_text
from survey.store.batches import (
    StoredReturns,
    add_batch,
    find_batch,
    live_batch,
    roll_back_batch,
    set_batch_counts,
    stored_returns,
)
from survey.store.schema import Mode, Status
from survey.store.store import Connection, Problem, Store, local_time, now, response_row
from survey.store.tombstones import erased_ids
from survey.user_error import UserError

CHUNK = 10_000

MIN_ANSWERS_FOR_CONTENT_MATCH = 5
"""Two returns with fewer answers than this may well be different people who answered alike."""

_NAMESPACE = uuid.UUID("6f1c6d4e-3b7a-4c55-9a51-0a4f3c2b9e10")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


class IngestError(UserError):
    """The file cannot be imported at all; nothing was stored."""


@dataclass(frozen=True)
class ReportLine:
    row: int
    column: str
    value: str
    rule: str
    message: str
    """A `Message` (survey.staff_texts) where the toolkit words it: English as text."""
    fix: str
    severity: str
    outcome: str


@dataclass
class ImportResult:
    """What importing one file did (in a dry run: would do): the counts by outcome and the lines
    of its import report."""

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
    erased: int = 0
    """Rows left out because their return was erased on request."""
    lines: list[ReportLine] = field(default_factory=list)
    already: dict[str, Any] | None = None
    """The earlier batch of the same file: nothing was imported again (a dry run still reads
    the file, as if that batch were rolled back)."""

    @cached_property
    def reading(self) -> ColumnReading:
        """How the columns are read, kept with the batch for fixing quarantined rows later."""
        return ColumnReading.of_table(self.table, self.plan)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _content_hash(answers_json: str, count: int) -> str | None:
    """`answers_json`: the answers as JSON text; `count`: how many answers it holds."""
    if count < MIN_ANSWERS_FOR_CONTENT_MATCH:
        return None
    return hashlib.sha256(answers_json.encode()).hexdigest()


def _respondent_key(value: Any, file_digest: str) -> str | None:
    """Ids a partner numbered themselves (1, 2, 3…) only mean something inside their file."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    return text.lower() if _UUID.fullmatch(text) else f"{file_digest[:16]}:{text}"


@dataclass(frozen=True, slots=True)
class _Facts:
    """What decides whether a row is a duplicate, and when it was answered."""

    respondent: Any
    key: str | None
    content: str | None
    received: dt.date | None
    language: Any


class _Import:
    def __init__(self, questionnaire: Questionnaire, result: ImportResult, user: str,
                 partner: str | None = None):
        self.questionnaire = questionnaire
        self.result = result
        self.user = user
        self.partner = partner
        """The partner that sent the file (survey ingest --partner), on every row it stores."""
        table = result.table
        headers = result.reading.headers
        self.reader = result.reading.reader(questionnaire)
        # A CSV reader gives only text, which can be told apart by value alone.
        self.chunks = ChunkReader(self.reader, headers, texts_only=table.kind in ("csv", "tsv"))
        self.headers = headers
        self.seen_keys: dict[str, tuple[str | None, str]] = {}
        self.seen_content: dict[str, str] = {}
        self.today = dt.date.today()

    def rows(self, chunk: list[SourceRow], connection: Connection | None
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The store's rows for a chunk of the file: responses, and their problems."""
        width = len(self.headers)
        values = [row.values if len(row.values) == width else
                  (*row.values[:width], *(None,) * (width - len(row.values))) for row in chunk]
        columns = self.chunks.read(values)
        answers_json, counts = columns.answers_json()
        facts, received = self._facts(columns, answers_json, counts)
        day = Factor(received.codes, [d or self.today for d in received.values])
        checked = check_columns(self.questionnaire, columns.answers, day, answers_json)
        fast = checked.clean & ~columns.unreadable
        reads: dict[int, ReadRow] = {}
        for i, source in enumerate(chunk):
            if source.problem is None and fast[i]:
                continue
            read = reads[i] = self.reader.read(values[i]) if source.problem is None else ReadRow()
            respondent = read.meta.get(Meta.RESPONDENT)
            facts[i] = _Facts(respondent, _respondent_key(respondent, self.result.file_hash),
                              _content_hash(encode(read.answers), len(read.answers)),
                              _date(read.meta.get(Meta.DATE)), read.meta.get(Meta.LANGUAGE))
        stored = self._stored(connection, {f.key for f in facts if f.key},
                              {f.content for f in facts if f.content})
        stamp = now()
        records: list[dict[str, Any]] = []
        problem_rows: list[dict[str, Any]] = []
        gone = erased_ids(connection, {self._submission_id(s) for s in chunk}
                          ) if connection is not None else set()
        for i, source in enumerate(chunk):
            if gone and self._submission_id(source) in gone:
                self._left_out_erased(source)
                continue
            read_row = reads.get(i)
            if read_row is None:
                check = _passed(checked.validated[i])
            else:
                check = self._checker(source, read_row, values[i], facts[i].received)
            records.append(self._record(source, facts[i], columns.raw[i], check, stored, stamp,
                                        problem_rows))
        return records, problem_rows

    def _facts(self, columns: ChunkColumns, answers_json: list[str], counts: np.ndarray
               ) -> tuple[list[_Facts], Factor]:
        """Each row's facts as the columns give them, and its day of answering (None: unknown)."""
        none = Factor.constant(None, columns.rows)
        respondent = columns.meta.get(Meta.RESPONDENT, none)
        day = columns.meta.get(Meta.DATE, none)
        received = Factor(day.codes, [_date(v) for v in day.values])
        digest = self.result.file_hash
        facts = [_Facts(r, k, _content_hash(a, c), d, g) for r, k, a, c, d, g in zip(
            respondent.row_values(),
            respondent.per_value(lambda v: _respondent_key(v, digest)).tolist(),
            answers_json, counts.tolist(), received.row_values(),
            columns.meta.get(Meta.LANGUAGE, none).row_values(), strict=True)]
        return facts, received

    def _stored(self, connection: Connection | None, keys: set[str],
                hashes: set[str]) -> StoredReturns:
        if connection is None or not (keys or hashes):
            return {}, {}
        # A dry run of a file imported before reads it as a new import would once that
        # batch is rolled back: its own rows are not duplicates of themselves.
        already = self.result.already
        return stored_returns(connection, keys, hashes,
                              leaving_out=None if already is None else already["id"])

    def _checker(self, source: SourceRow, read: ReadRow, values: tuple[Any, ...],
                 received: dt.date | None) -> Callable[[], tuple[list[Problem], str]]:
        """`check_answers` on one row: its problems, and its validated answers as JSON text."""
        def check() -> tuple[list[Problem], str]:
            problems: list[Problem] = []
            if source.problem is not None:
                problems.append(Problem("read", source.problem, "error", fix=staff_text(
                    "correct the line in the file and import it again")))
            problems += [Problem(p.rule, p.message, "error", p.column, _shown(p.value), p.fix)
                         for p in read.problems]
            problems += [Problem(p.rule, p.message, "warning", p.column, _shown(p.value), p.fix)
                         for p in read.warnings]
            raw = {h: raw_value(v) for h, v in zip(self.headers, values, strict=True)
                   if v not in (None, "")}
            answers = check_answers(self.questionnaire, read.answers, received or self.today)
            for p in answers.problems:
                columns = read.sources.get(p.name) or read.sources.get(
                    p.name.split("__", 1)[0]) or [p.name]
                problems.append(Problem(str(p.rule), p.message, str(p.severity),
                                        ", ".join(columns), _shown(raw.get(columns[0])), p.fix))
            return problems, encode(answers.validated)
        return check

    def _record(self, source: SourceRow, facts: _Facts, raw: str,
                check: Callable[[], tuple[list[Problem], str]],
                stored: StoredReturns, stored_at: dt.datetime,
                problem_rows: list[dict[str, Any]]) -> dict[str, Any]:
        """The response row (its problems go to `problem_rows`); duplicates are not checked."""
        result = self.result
        result.rows_in += 1
        submission_id = self._submission_id(source)
        key, content = facts.key, facts.content
        stored_keys, stored_hashes = stored
        problems: list[Problem] = []
        status, duplicate_of = Status.ACCEPTED, None
        earlier = self.seen_keys.get(key) if key else None
        found = stored_keys.get(key) if key else None
        if earlier is None and found is not None:
            earlier = (found[0], found[1])
        if earlier is not None and (earlier[0] == content or content is None):
            status, duplicate_of = Status.DUPLICATE, earlier[1]
            problems.append(Problem("duplicate", staff_text(
                "respondent {respondent} was imported before with the same answers",
                respondent=facts.respondent), "warning",
                fix=staff_text("nothing to do; the row is kept as a duplicate")))
        elif earlier is not None:
            status = Status.QUARANTINED
            problems.append(Problem("duplicate_id", staff_text(
                "respondent {respondent} was imported before with different answers",
                respondent=facts.respondent), "error",
                fix=staff_text("decide which return is right; fix or delete the other")))
        elif content is not None and (content in self.seen_content or content in stored_hashes):
            same = self.seen_content.get(content) or stored_hashes[content]
            if key:  # the row names its respondent: two people may well answer alike
                problems.append(Problem("same_answers", staff_text(
                    "the same answers as submission {other}, but another respondent id: kept "
                    "as a respondent of their own", other=same), "warning", fix=staff_text(
                    "if one person answered twice, withdraw one of the two returns")))
            else:
                status, duplicate_of = Status.DUPLICATE, same
                problems.append(Problem("duplicate", staff_text(
                    "the same answers were imported before (same respondent from another file "
                    "or mode)"), "warning", fix=staff_text(
                    "if they really are two people, re-import the row with a respondent id")))
        validated = "{}"
        if status != Status.DUPLICATE:
            found_problems, answers = check()
            problems += found_problems
            if any(p.severity == Severity.ERROR for p in problems):
                status = Status.QUARANTINED
            else:
                validated = answers
        if key:
            self.seen_keys.setdefault(key, (content, submission_id))
        if content and status != Status.DUPLICATE:
            self.seen_content.setdefault(content, submission_id)
        self._count(status, problems, source.number)
        # The store keeps the English text (the web fix screen shows it as before).
        problem_rows += [{"submission_id": submission_id, "column": p.column, "value": p.value,
                          "rule": p.rule, "message": str(p.message), "fix": str(p.fix),
                          "severity": p.severity} for p in problems]
        language = facts.language
        return response_row(
            submission_id=submission_id, questionnaire_id=self.questionnaire.id,
            questionnaire_version=self.questionnaire.survey.version, mode=Mode.IMPORT,
            status=status, raw=raw, answers=validated, stored_at=stored_at,
            language=language if language in self.questionnaire.languages else None,
            content_hash=content, respondent_key=key, duplicate_of=duplicate_of,
            source_file=result.file.name, source_hash=result.file_hash,
            source_sheet=result.table.sheet, source_row=source.number,
            batch_id=result.batch_id, entered_by=self.user, received_on=facts.received,
            partner=self.partner)

    def _submission_id(self, source: SourceRow) -> str:
        """The row's id: the same for the same row of the same file, so an import is
        idempotent and an erased row is recognised when the file comes again."""
        result = self.result
        return str(uuid.uuid5(_NAMESPACE, f"{result.file_hash}/{result.table.sheet or ''}/"
                                          f"{source.number}"))

    def _left_out_erased(self, source: SourceRow) -> None:
        self.result.rows_in += 1
        self.result.erased += 1
        self.result.lines.append(ReportLine(
            source.number, "", "", "erased", staff_text(
                "this return was withdrawn and erased at the respondent's request"),
            staff_text("nothing to do; it is left out of every import"), "warning", "erased"))

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


def _passed(validated: str) -> Callable[[], tuple[list[Problem], str]]:
    """A row the column checks passed: no problems, and its validated answers."""
    return lambda: ([], validated)


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


def _sheet_with_answers(path: Path, table: SourceTable, plan: ColumnPlan,
                        questionnaire: Questionnaire, mapping: dict[str, str] | None
                        ) -> tuple[SourceTable, ColumnPlan]:
    """The first sheet of the workbook whose columns answer questions, when the sheet chosen
    without --sheet answers none (a summary or a cover sheet put first); else as it was."""
    for name in table.other_sheets:
        try:
            other = read_table(path, sheet=name)
        except ReadError:
            continue
        found = plan_columns(questionnaire, [(c.name, c.label) for c in other.columns], mapping)
        if found.mapped_answers:
            other.notes.insert(0, staff_text(
                "sheet '{sheet}' read: the sheet '{first}' matches no question (pass --sheet to "
                "choose another)", sheet=name, first=table.sheet))
            return other, found
    return table, plan


def ingest_file(store: Store, questionnaire: Questionnaire, path: Path, *,
                sheet: str | None = None, encoding: str | None = None,
                mapping: dict[str, str] | None = None, user: str | None = None,
                dry_run: bool = False,
                progress: Callable[[int], None] | None = None,
                partner: str | None = None) -> ImportResult:
    """Read, check and store every row of `path`; see the module docstring."""
    table = read_table(path, sheet=sheet, encoding=encoding)
    plan = plan_columns(questionnaire, [(c.name, c.label) for c in table.columns], mapping)
    if plan.mapped_answers == 0:
        table, plan = _sheet_with_answers(path, table, plan, questionnaire, mapping)
    if plan.mapped_answers == 0:
        raise IngestError(staff_text(
            "{file}: none of its {count} columns matches a question of '{questionnaire}' "
            "(first columns: {columns}). Is it a file of another survey? Choose the "
            "questionnaire with --questionnaire, or write a mapping file and pass it with "
            "--mapping (docs/howto-import-returns.md).", file=path.name,
            count=len(table.columns), questionnaire=questionnaire.id,
            columns=", ".join(c.name for c in table.columns[:5])))
    result = ImportResult(path, file_hash(path), table, plan, dry_run)
    user = user or getpass.getuser()
    with store.engine.begin() as connection:
        result.already = live_batch(connection, result.file_hash, table.sheet)
        if result.already is not None and not dry_run:
            return result
        if not dry_run:
            result.batch_id = add_batch(
                connection, file_name=path.name, file_hash=result.file_hash, sheet=table.sheet,
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.survey.version, entered_by=user,
                reading=result.reading.to_json(), partner=partner)
        work = _Import(questionnaire, result, user, partner)
        for chunk in _chunks(table.rows):
            records, problem_rows = work.rows(chunk, connection)
            if not dry_run:
                store.add_encoded(connection, records, problem_rows)
            if progress is not None:
                progress(len(chunk))
        if result.batch_id is not None:
            set_batch_counts(connection, result.batch_id, rows_in=result.rows_in,
                             accepted=result.accepted, warnings=result.warnings,
                             quarantined=result.quarantined, duplicates=result.duplicates)
    return result


def rollback_batch(store: Store, batch_id: int) -> int:
    """Remove every response of one import; the batch stays listed as rolled back."""
    with store.engine.begin() as connection:
        found = find_batch(connection, batch_id)
        if found is None:
            raise IngestError(f"there is no import batch {batch_id}; `survey imports` lists them")
        if found["rolled_back_at"] is not None:
            raise IngestError(f"batch {batch_id} ({found['file_name']}) was already rolled "
                              f"back on {local_time(found['rolled_back_at']):%Y-%m-%d %H:%M}")
        return roll_back_batch(connection, batch_id)
