"""`survey ingest` as a job: each returns file read, checked and stored (or only checked, in a
dry run), with its import report and, in a dry run, a draft mapping file.

A file that cannot be read is refused on its own: the others are still imported, and the
refusal is returned with them, so the caller can say it in the staff's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.ingest.importer import ImportResult, ingest_file
from survey.ingest.mapping_file import draft_mapping, load_mapping
from survey.ingest.report import write_report
from survey.jobs.progress import Progress, quietly
from survey.project import Project
from survey.questionnaire.model import Questionnaire
from survey.staff_texts import SOURCE_LANGUAGE
from survey.store.store import Store
from survey.user_error import UserError


@dataclass(frozen=True)
class IngestJob:
    """What `survey ingest` imports: the project, the returns files, and how to read them
    (mapping, sheet, encoding, partner)."""

    project_dir: Path
    files: tuple[Path, ...]
    survey_id: str | None = None
    """None: the project's only questionnaire."""
    mapping: Path | None = None
    sheet: str | None = None
    encoding: str | None = None
    dry_run: bool = False
    user: str | None = None
    db_url: str | None = None
    language: str = SOURCE_LANGUAGE
    """The language of the import reports."""
    partner: str | None = None


@dataclass(frozen=True)
class FileImport:
    """The outcome of one file of an ingest job: its import result or why it was refused, and the
    report and draft mapping written for it."""

    file: Path
    result: ImportResult | None = None
    refused: UserError | None = None
    """Why nothing of the file was stored, when it could not be read."""
    report: Path | None = None
    draft: Path | None = None
    """The draft mapping file of a dry run."""
    kept: Path | None = None
    """An earlier draft that differs from the new one, kept as it may have been corrected."""
    unwritten: OSError | None = None
    """Why the import report could not be written: the rows are stored all the same."""


def ingest(job: IngestJob, progress: Progress = quietly) -> list[FileImport]:
    """Raises a UserError when the project, questionnaire, partner, mapping or store cannot be
    used; a file that cannot be read is refused in its FileImport instead."""
    project = Project(job.project_dir)
    questionnaire = project.questionnaire(job.survey_id)
    if job.partner is not None:  # survey ingest --partner ID (docs/howto-fieldwork.md)
        project.partner(job.partner)
    columns = load_mapping(job.mapping) if job.mapping is not None else None
    store = project.store(job.db_url)
    try:
        return [_one_file(job, project, store, questionnaire, path, columns, progress)
                for path in job.files]
    finally:
        store.close()


def _one_file(job: IngestJob, project: Project, store: Store, questionnaire: Questionnaire,
              path: Path, columns: dict[str, str] | None, progress: Progress) -> FileImport:
    rows = 0

    def advance(count: int) -> None:
        nonlocal rows
        rows += count
        progress(path.name, rows, None)

    try:
        result = ingest_file(store, questionnaire, path, sheet=job.sheet, encoding=job.encoding,
                             mapping=columns, user=job.user, dry_run=job.dry_run,
                             partner=job.partner, progress=advance)
    except UserError as error:
        return FileImport(path, refused=error)
    if result.already is not None and not job.dry_run:
        return FileImport(path, result)
    try:
        report = write_report(result, _report_path(project, result), job.language, project.root)
    except OSError as error:  # the batch is stored: say so, and why its report is missing
        return FileImport(path, result, unwritten=error)
    if not job.dry_run:
        return FileImport(path, result, report=report)
    text = draft_mapping(result.table, result.plan, questionnaire.id)
    draft, kept = _draft_path(project.imports_dir, path.stem, text)
    draft.write_text(text, encoding="utf-8")
    return FileImport(path, result, report=report, draft=draft, kept=kept)


def _report_path(project: Project, result: ImportResult) -> Path:
    stem = result.file.stem + (f"-{result.table.sheet}" if result.table.sheet else "")
    label = "dry-run" if result.dry_run else f"batch{result.batch_id}"
    return project.imports_dir / f"{stem}-{label}-report.xlsx"


def _draft_path(folder: Path, stem: str, text: str) -> tuple[Path, Path | None]:
    """Where a draft mapping file goes, and the file kept instead of overwritten: a draft
    that differs from the new one may have been corrected by hand, so the new draft is
    numbered beside it."""
    usual = folder / f"{stem}.mapping.yaml"
    if not usual.exists() or usual.read_text(encoding="utf-8") == text:
        return usual, None
    number = 2
    while True:
        candidate = folder / f"{stem}.mapping-{number}.yaml"
        if not candidate.exists() or candidate.read_text(encoding="utf-8") == text:
            return candidate, usual
        number += 1
