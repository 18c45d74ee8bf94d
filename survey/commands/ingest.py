"""What `survey ingest`, `survey imports` and `survey rollback` print, and their exit codes.

A failure the user can fix is a UserError. Those of reading the project and each file are
caught here, to be said in the report language (and the other files still imported); the
command line prints the rest as one message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from survey.ingest.importer import rollback_batch
from survey.ingest.report import summary_lines
from survey.jobs.ingest import FileImport, IngestJob, ingest
from survey.project import Project
from survey.staff_texts import (
    SOURCE_LANGUAGE,
    Message,
    UnknownLanguage,
    choose_language,
    in_language,
    staff_plural,
    staff_text,
)
from survey.store.store import local_time
from survey.user_error import UserError

EXIT_OK, EXIT_ERROR, EXIT_QUARANTINED = 0, 1, 3


def _out(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _error(message: str, language: str = SOURCE_LANGUAGE) -> None:
    shown = staff_text("error: {message}", message=message).in_language(language)
    _out(stderr=True).print(Text(shown, style="bold red"))


def _said(error: Exception) -> str:
    """What an error says: its message (a `Message` where the toolkit words it, which then
    speaks the staff language), else its text."""
    message = error.args[0] if len(error.args) == 1 else None
    return message if isinstance(message, str) else str(error)


def run_ingest(project_dir: Path, files: tuple[Path, ...], *, survey_id: str | None,
               mapping: Path | None, sheet: str | None, encoding: str | None, dry_run: bool,
               user: str | None, db_url: str | None, report_language: str | None = None,
               partner: str | None = None) -> int:
    """`report_language`: the language of the summary and the report (None: the
    environment's, see survey.staff_texts.environment_language)."""
    try:
        language = choose_language(report_language)
    except UnknownLanguage as error:
        _error(f"--report-language: {error}")
        return EXIT_ERROR
    job = IngestJob(project_dir, files, survey_id, mapping, sheet, encoding, dry_run, user,
                    db_url, language, partner)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("rows"), TimeElapsedColumn(), console=_out(stderr=True),
                   transient=True)
    try:
        with bar:
            task = bar.add_task("", total=None)
            imports = ingest(job, lambda file, rows, _: bar.update(task, description=file,
                                                                   completed=rows))
    except UserError as error:
        _error(_said(error), language)
        return EXIT_ERROR
    out = _out()
    root = Project(project_dir).root
    return max((_said_of_file(one, out, language, root, dry_run) for one in imports),
               default=EXIT_OK)


def _said_of_file(one: FileImport, out: Console, language: str, root: Path,
                  dry_run: bool) -> int:
    """What the import of one file printed, and its exit code."""
    if one.refused is not None:
        said = in_language(_said(one.refused), language).rstrip()
        said += "" if said.endswith((".", "!", "?")) else "."
        _error(staff_text("{error} Nothing of {file} was stored.", error=said,
                          file=one.file.name), language)
        return EXIT_ERROR
    result = one.result
    assert result is not None  # a file is either refused or read

    def say(message: Message) -> Text:
        return Text("  " + message.in_language(language))

    for summary in summary_lines(result, language, root):
        out.print(Text(summary))
    if one.unwritten is not None:
        _error(staff_text("the rows are stored, but the import report could not be written: "
                          "{problem}", problem=str(one.unwritten)), language)
        return EXIT_ERROR
    if one.report is None:  # imported before: nothing new was stored
        return EXIT_OK
    out.print(say(staff_text("report: {path}", path=str(one.report))))
    if one.draft is not None:
        out.print(say(staff_text("draft mapping file: {path} (correct it, then use --mapping)",
                                 path=str(one.draft))))
        if one.kept is not None:
            out.print(say(staff_text("{path} differs from the new draft and was kept as it is",
                                     path=str(one.kept))))
    for line in result.lines[:10]:
        if line.severity == "error":
            where = line.column or staff_text("row").in_language(language)
            shown = say(staff_text("row {row}, {column}: {message}", row=line.row, column=where,
                                   message=line.message))
            shown.stylize("yellow")
            out.print(shown)
    if result.quarantined:
        more = sum(line.severity == "error" for line in result.lines) - 10
        if more > 0:
            out.print(say(staff_plural("… and {count} more problem in the report",
                                       "… and {count} more problems in the report", count=more)))
        return EXIT_QUARANTINED
    return EXIT_OK


def imports_table(batches: list[dict[str, Any]]) -> Table:
    """The import batches in six columns that fit an 80-column terminal: the sheet goes under
    the file, who imported and any rollback under the time, and the rows read get no column
    of their own (they are the sum of the three counts)."""
    table = Table(title="Import batches", title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column("batch", justify="right")
    table.add_column("file", overflow="fold")
    table.add_column("imported", overflow="fold")
    for name in ("accepted", "quarantined", "duplicates"):
        table.add_column(name, justify="right")
    for b in batches:
        file = b["file_name"] + (f"\nsheet {b['sheet']}" if b["sheet"] else "")
        when = f"{local_time(b['imported_at']):%Y-%m-%d %H:%M}\nby {b['entered_by']}"
        if b["rolled_back_at"]:
            when += f"\nrolled back\n{local_time(b['rolled_back_at']):%Y-%m-%d %H:%M}"
        table.add_row(str(b["id"]), Text(file), Text(when), str(b["accepted"]),
                      str(b["quarantined"]), str(b["duplicates"]),
                      style="dim" if b["rolled_back_at"] else None)
    return table


def list_imports(project_dir: Path, db_url: str | None) -> int:
    store = Project(project_dir).store(db_url)
    listed = store.batches()
    store.close()
    _out().print(imports_table(listed))
    return EXIT_OK


def rollback_question(batch: dict[str, Any]) -> str:
    """What a rollback deletes, in the words of the confirmation question."""
    count = batch["accepted"] + batch["quarantined"] + batch["duplicates"]
    return (f"delete {count} response{'s' * (count != 1)} of batch {batch['id']} "
            f"(file {batch['file_name']})")


def roll_back(project_dir: Path, batch: int, db_url: str | None,
              confirm: Callable[[str], bool]) -> int:
    """Roll back `batch` once `confirm` agrees to the deletion; asked only when there is
    something to delete (an unknown or rolled-back batch is refused by rollback_batch)."""
    store = Project(project_dir).store(db_url)
    try:
        found = next((b for b in store.batches() if b["id"] == batch), None)
        if found is not None and found["rolled_back_at"] is None \
                and not confirm(rollback_question(found)):
            _out(stderr=True).print(f"nothing was deleted; batch {batch} is still in the store")
            return EXIT_ERROR
        removed = rollback_batch(store, batch)
    finally:
        store.close()
    _out().print(f"batch {batch} rolled back: {removed} responses removed from the store; the "
                 "file can be imported again")
    return EXIT_OK
