"""What `survey ingest`, `survey imports` and `survey rollback` print, and their exit codes.

Every failure the user can fix is caught here and printed as one message; nothing else is.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from survey.ingest.columns import MappingProblem
from survey.ingest.importer import ImportResult, IngestError, ingest_file, rollback_batch
from survey.ingest.mapping_file import MappingFileError, draft_mapping, load_mapping
from survey.ingest.readers import ReadError
from survey.ingest.report import summary_lines, write_report
from survey.project import Project, ProjectError
from survey.questionnaire.model import Questionnaire
from survey.store.store import Store, StoreError

EXIT_OK, EXIT_ERROR, EXIT_QUARANTINED = 0, 1, 3
_USER_ERRORS = (ReadError, IngestError, MappingProblem, MappingFileError, ProjectError,
                StoreError)


def _out(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _error(message: str) -> None:
    _out(stderr=True).print(Text(f"error: {message}", style="bold red"))


def _report_path(project: Project, result: ImportResult) -> Path:
    stem = result.file.stem + (f"-{result.table.sheet}" if result.table.sheet else "")
    label = "dry-run" if result.dry_run else f"batch{result.batch_id}"
    return project.imports_dir / f"{stem}-{label}-report.xlsx"


def run_ingest(project_dir: Path, files: tuple[Path, ...], *, survey_id: str | None,
               mapping: Path | None, sheet: str | None, encoding: str | None, dry_run: bool,
               user: str | None, db_url: str | None) -> int:
    project = Project(project_dir)
    try:
        questionnaire = project.questionnaire(survey_id)
        columns = load_mapping(mapping) if mapping is not None else None
        store = project.store(db_url)
    except _USER_ERRORS as error:
        _error(str(error))
        return EXIT_ERROR
    out = _out()
    worst = EXIT_OK
    try:
        for path in files:
            worst = max(worst, _one_file(project, store, questionnaire, path, columns, sheet,
                                         encoding, dry_run, user, out))
    finally:
        store.close()
    return worst


def _one_file(project: Project, store: Store, questionnaire: Questionnaire, path: Path,
              columns: dict[str, str] | None, sheet: str | None, encoding: str | None,
              dry_run: bool, user: str | None, out: Console) -> int:
    progress = Progress(TextColumn(f"{path.name}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("rows"), TimeElapsedColumn(), console=_out(stderr=True),
                        transient=True)
    try:
        with progress:
            task = progress.add_task("rows", total=None)
            result = ingest_file(store, questionnaire, path, sheet=sheet, encoding=encoding,
                                 mapping=columns, user=user, dry_run=dry_run,
                                 progress=lambda n: progress.advance(task, n))
    except _USER_ERRORS as error:
        _error(f"{error} Nothing of {path.name} was stored.")
        return EXIT_ERROR
    for line in summary_lines(result):
        out.print(line)
    if result.already is not None:
        return EXIT_OK
    report = write_report(result, _report_path(project, result))
    out.print(f"  report: {report}")
    if dry_run:
        draft = project.imports_dir / f"{path.stem}.mapping.yaml"
        draft.write_text(draft_mapping(result.table, result.plan, questionnaire.id),
                         encoding="utf-8")
        out.print(f"  draft mapping file: {draft} (correct it, then use --mapping)")
    for line in result.lines[:10]:
        if line.severity == "error":
            out.print(Text(f"  row {line.row}, {line.column or 'row'}: {line.message}",
                           style="yellow"))
    if result.quarantined:
        more = sum(line.severity == "error" for line in result.lines) - 10
        if more > 0:
            out.print(f"  … and {more} more problems in the report")
        return EXIT_QUARANTINED
    return EXIT_OK


def list_imports(project_dir: Path, db_url: str | None) -> int:
    try:
        store = Project(project_dir).store(db_url)
    except _USER_ERRORS as error:
        _error(str(error))
        return EXIT_ERROR
    table = Table(title="Import batches", title_justify="left")
    for name in ("batch", "file", "sheet", "imported", "by", "rows", "accepted", "quarantined",
                 "duplicates", "rolled back"):
        table.add_column(name)
    for b in store.batches():
        table.add_row(str(b["id"]), b["file_name"], b["sheet"] or "",
                      f"{b['imported_at']:%Y-%m-%d %H:%M}", b["entered_by"], str(b["rows_in"]),
                      str(b["accepted"]), str(b["quarantined"]), str(b["duplicates"]),
                      f"{b['rolled_back_at']:%Y-%m-%d %H:%M}" if b["rolled_back_at"] else "")
    store.close()
    _out().print(table)
    return EXIT_OK


def roll_back(project_dir: Path, batch: int, db_url: str | None) -> int:
    try:
        store = Project(project_dir).store(db_url)
        removed = rollback_batch(store, batch)
    except _USER_ERRORS as error:
        _error(str(error))
        return EXIT_ERROR
    store.close()
    _out().print(f"batch {batch} rolled back: {removed} responses removed from the store; the "
                 "file can be imported again")
    return EXIT_OK
