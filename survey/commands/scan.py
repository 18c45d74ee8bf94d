"""What `survey scan` prints, and its exit code.

Every failure the user can fix is caught here and printed as one message; nothing else is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.project import Project, ProjectError
from survey.returns.doubts import SCANS_DIR
from survey.scan.known_forms import KnownForms
from survey.scan.pages import MAX_DPI, MIN_DPI, SCAN_SUFFIXES, PageFileError
from survey.scan.read_page import PageKind, PageResult
from survey.scan.report import summary_lines, write_report
from survey.scan.run import PageIdError, given_page_ids, scan_files
from survey.scan.store_scans import Outcome

EXIT_OK, EXIT_ERROR, EXIT_TO_CHECK = 0, 1, 3


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def run_scan(project_dir: Path, files: tuple[Path, ...], db_url: str | None, dpi: int,
             page_ids: tuple[str, ...]) -> int:
    err, out = _console(stderr=True), _console()
    project = Project(project_dir)
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise PageIdError(f"--dpi {dpi}: give {MIN_DPI} to {MAX_DPI} (200 reads best)")
    project.questionnaire_files()
    for path in files:  # a mistyped name is said before anything is read
        if not path.is_file():
            what = "is a folder, not a scan" if path.is_dir() else "no such file"
            raise PageFileError(f"{path}: {what}; nothing was scanned")
        if path.suffix.lower() not in SCAN_SUFFIXES:
            raise PageFileError(f"{path}: {path.suffix or 'no suffix'} is not a scan format; "
                                "give PDF, TIFF, PNG or JPEG files; nothing was scanned")
    forms = KnownForms.of(project)
    if not forms.layouts:
        raise ProjectError(f"no layout files in {project.root / 'paper'}: scans are read "
                           "with the .layout.json that survey paper wrote beside the PDFs; "
                           "print the forms into the project's paper/ folder")
    given = given_page_ids(page_ids, forms)
    store = project.store(db_url)

    def shown(page: PageResult) -> None:
        if page.kind not in (PageKind.READ, PageKind.BLANK):
            err.print(Text(f"{page.where}: {page.kind}: {page.message}", style="yellow"))

    try:
        run = scan_files(project.root, list(files), forms, store, dpi, given, shown)
    finally:
        store.close()
    for line in [*run.file_errors, *run.form_problems]:
        err.print(Text(f"error: {line}", style="bold red"))
    for stored in run.returns:
        if stored.outcome != Outcome.STORED:
            style = "red" if stored.outcome == Outcome.REFUSED else "yellow"
            out.print(Text(f"serial {stored.copy.serial}: {stored.outcome}: {stored.note}",
                           style=style))
    for line in summary_lines(run):
        out.print(line)
    path = write_report(run, project.root / SCANS_DIR, dt.datetime.now())
    out.print(f"scan report: {path}")
    failed = run.file_errors or any(p.kind not in (PageKind.READ, PageKind.BLANK)
                                    for p in run.pages) or any(
        r.outcome == Outcome.REFUSED for r in run.returns)
    if failed:
        return EXIT_ERROR
    return EXIT_TO_CHECK if any(r.outcome == Outcome.TO_CHECK for r in run.returns) else EXIT_OK
