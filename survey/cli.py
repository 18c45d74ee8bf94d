"""The `survey` command: parses options, calls the library, prints what users need to read.

Kept thin on purpose: behaviour lives in the library so it can be tested and reused.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from survey import __version__
from survey.project import (
    QUESTIONNAIRE_FOLDER,
    Project,
    ProjectError,
    project_or_current,
    split_project_and_files,
    split_project_and_values,
)
from survey.questionnaire import Severity, ValidationResult, validate_file
from survey.questionnaire.json_schema import questionnaire_schema
from survey.questionnaire.languages import check_language, describe_language
from survey.questionnaire.outline import outline
from survey.user_error import UserError

QUESTIONNAIRE_SUFFIXES = (".yaml", ".yml")


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders replaced by the questionnaire files inside them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in QUESTIONNAIRE_SUFFIXES))
        else:
            files.append(path)
    return files


@contextmanager
def _usage_errors() -> Iterator[None]:
    """A project that does not provide what the command needs is a usage error."""
    try:
        yield
    except ProjectError as error:
        raise click.UsageError(str(error)) from None


def _in_project(project: Path | None, usage: str) -> Path:
    """The named project, else the current folder when it is one."""
    with _usage_errors():
        return project_or_current(project, usage)


def _questionnaire_file(file: Path | None, usage: str) -> Path:
    """The named questionnaire, else the only one of the current project."""
    if file is not None:
        return file
    with _usage_errors():
        return Project(project_or_current(None, usage)).questionnaire_file()


def _project_of(questionnaire: Path) -> Path | None:
    """The project a questionnaire file belongs to (PROJECT/questionnaires/FILE), so that
    what is made from it lands in that project's folders wherever the command is run."""
    folder = questionnaire.parent
    if folder.absolute().name != QUESTIONNAIRE_FOLDER:
        return None
    return folder.parent if folder.name == QUESTIONNAIRE_FOLDER else folder.absolute().parent


def _project_and_files(arguments: tuple[str, ...], usage: str) -> tuple[Path, list[Path]]:
    with _usage_errors():
        return split_project_and_files(arguments, usage)


def _project_and_values(arguments: tuple[str, ...], names: tuple[str, ...],
                        usage: str) -> tuple[Path, list[str]]:
    with _usage_errors():
        return split_project_and_values(arguments, names, usage)


def _stdin_is_terminal() -> bool:
    stream = sys.stdin
    return stream is not None and not stream.closed and stream.isatty()


def _confirmer(yes: bool) -> Callable[[str], bool]:
    """Asks before stored data is deleted or overwritten, for commands that cannot be undone.

    The question is a phrase such as "delete 12 responses of batch 3 (file a.csv)". With no
    terminal on standard input (CI, scripts, a pipe) nobody can answer, so the answer is no
    unless --yes was given: a script never deletes by accident.
    """
    def confirm(action: str) -> bool:
        if yes:
            return True
        if not _stdin_is_terminal():
            _console(stderr=True).print(RichText(
                f"error: standard input is not a terminal, so nobody can be asked whether to "
                f"{action}; add --yes to do it without asking", style="bold red"))
            return False
        return click.confirm(action[:1].upper() + action[1:] + "?", default=False)

    return confirm


YES_OPTION = click.option("--yes", "-y", is_flag=True,
                          help="Do not ask before deleting or overwriting (for scripts and CI; "
                          "without a terminal the command refuses unless --yes is given).")


def _plan_file(plan: Path | None, project: Path) -> Path:
    """The named analysis plan, else the project's only one."""
    if plan is not None:
        return plan
    with _usage_errors():
        from survey.stats.plan import project_plan_file

        return project_plan_file(Project(project))


def _coverage_table(result: ValidationResult) -> Table | None:
    coverage = result.coverage
    if coverage is None or len(coverage.languages) < 2:
        return None
    table = Table(title=f"Translation coverage: {result.file}", title_justify="left")
    table.add_column("language")
    table.add_column("texts", justify="right")
    table.add_column("translated", justify="right")
    table.add_column("coverage", justify="right")
    for language in coverage.languages:
        percent = coverage.percent(language)
        style = "green" if percent == 100 else "red"
        table.add_row(describe_language(language), str(coverage.total),
                      str(coverage.translated[language]),
                      RichText(f"{percent:.1f} %", style=style))
    return table


_PATH_ERRNOS = frozenset({errno.ENOENT, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR,
                           errno.EROFS, errno.EEXIST, errno.ENAMETOOLONG, errno.ENOSPC,
                           errno.EDQUOT, errno.EFBIG})
"""A path that cannot be read or written: missing, refused, of the wrong kind, on a
read-only or full disk. Other OSErrors (a port in use, a broken pipe) are not about paths."""
_FULL_DISK = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_WHAT_TO_DO = {
    errno.ENOTDIR: "part of the path is a file, not a folder: choose another place",
    errno.EEXIST: "a file is in the way of a folder: choose another place or move the file",
    errno.EISDIR: "that is a folder: name a file",
    errno.EROFS: "the disk is read-only: write elsewhere",
    errno.EACCES: "you may not write or read there: choose another place",
    errno.ENOENT: "check the path",
}


def _path_problem(error: OSError) -> str:
    """An OSError of a path as a message: the path, the system's reason, what to do."""
    reason = error.strerror or str(error)
    if error.errno in _FULL_DISK:
        reason += "; free some space or write elsewhere, then run the command again"
    elif error.errno in _WHAT_TO_DO:
        reason += "; " + _WHAT_TO_DO[error.errno]
    paths = [str(p) for p in (error.filename, error.filename2) if p is not None]
    return f"{' → '.join(paths)}: {reason}" if paths else reason


class _SurveyGroup(click.Group):
    """The one place where a message meant for the user is printed instead of a traceback:
    every UserError, and every OSError of a path, from any command or subcommand."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            _fail(error)
        except OSError as error:
            if error.errno not in _PATH_ERRNOS:
                raise
            _fail(_path_problem(error))


@click.group(cls=_SurveyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="survey")
def cli() -> None:
    """Multilingual community surveys: questionnaires, forms, ingest, statistics, reports.

    Every command reads questionnaires written in YAML (see docs/questionnaire-format.md).
    Run inside a survey project (a folder with questionnaires/; make one with survey init),
    commands need no paths: PROJECT defaults to the current folder, a questionnaire to the
    project's only one, --plan to its only analysis plan.
    """


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--allow-incomplete", is_flag=True,
              help="Report missing translations as warnings instead of errors.")
@click.option("--coverage/--no-coverage", default=True, show_default=True,
              help="Print the translation-coverage table of each file.")
@click.option("--strict", is_flag=True,
              help="Report stale translations (made from an earlier source text) as errors.")
def validate(files: tuple[Path, ...], allow_incomplete: bool, coverage: bool,
             strict: bool) -> None:
    """Check questionnaire FILES (or folders of them; default: the current project's
    questionnaires/) for every mistake at once.

    Problems are printed as `file:line:column: error: message`, in file order. Exit code 0
    when no file has errors (warnings allowed), 1 otherwise.
    """
    out = _console()
    failed = 0
    if not files:
        files = (Project(_in_project(None, "survey validate FILE...")).questionnaire_dir,)
    paths = _expand(files)
    if not paths:
        raise click.UsageError("no questionnaire files (*.yaml) found in the given folders")
    for path in paths:
        result = validate_file(path, allow_incomplete=allow_incomplete, strict=strict)
        for diagnostic in result.diagnostics:
            style = "red" if diagnostic.severity == Severity.ERROR else "yellow"
            out.print(RichText(str(diagnostic), style=style))
        table = _coverage_table(result) if coverage else None
        if table is not None:
            out.print(table)
        errors, warnings = len(result.errors), len(result.warnings)
        if errors:
            failed += 1
            out.print(RichText(f"{path}: {errors} error{'s' * (errors != 1)}, {warnings} "
                               f"warning{'s' * (warnings != 1)}", style="bold red"))
        else:
            q = result.questionnaire
            assert q is not None
            summary = (f"{path}: OK · {len(q.sections)} sections, {len(q.questions)} questions, "
                       f"{len(q.variables)} variables, {len(q.languages)} languages")
            if warnings:
                summary += f" · {warnings} warning{'s' * (warnings != 1)}"
            out.print(RichText(summary, style="green"))
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--lang", "language", metavar="LL",
              help="Language to show (default: the questionnaire's default language).")
def show(file: Path | None, language: str | None) -> None:
    """Print questionnaire FILE (default: the current project's only one) as an outline for
    proof-reading.

    Shows sections, numbered questions with their ids and types, choices with their codes,
    missing-value codes, calculations and routing (which questions a rule refers to).
    Missing translations are tolerated here so drafts can be read.
    """
    file = _questionnaire_file(file, "survey show FILE")
    result = validate_file(file, allow_incomplete=True)
    err = _console(stderr=True)
    if result.questionnaire is None:
        for diagnostic in result.errors:
            err.print(RichText(str(diagnostic), style="red"))
        err.print(RichText(f"{file}: fix these errors first (survey validate {file})",
                           style="bold red"))
        sys.exit(1)
    questionnaire = result.questionnaire
    if language is not None and language not in questionnaire.languages:
        problem = check_language(language) or f"'{language}' is not one of its languages"
        err.print(RichText(f"{file}: cannot show in '{language}': {problem}; the "
                           f"questionnaire has {', '.join(questionnaire.languages)}",
                           style="red"))
        sys.exit(1)
    styles = {"heading": "bold", "question": "", "code": "cyan", "routing": "magenta",
              "meta": "dim"}
    out = _console()
    for line in outline(questionnaire, language):
        out.print(RichText("  " * line.indent + line.text, style=styles.get(line.style, "")))


@cli.command()
@click.option("--out", "out_file", type=click.Path(path_type=Path),
              help="Write the schema to this file instead of printing it.")
def schema(out_file: Path | None) -> None:
    """Print the JSON Schema of the questionnaire format (for editor autocomplete)."""
    text = json.dumps(questionnaire_schema(), indent=2, ensure_ascii=False) + "\n"
    if out_file is None:
        click.echo(text, nl=False)
    else:
        out_file.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out_file}")


PROJECT = click.argument("project", required=False,
                         type=click.Path(path_type=Path, file_okay=False))
DB_OPTION = click.option("--db", "db_url", metavar="URL",
                         help="Database URL (default: the SQLite file data/store.sqlite in the "
                         "project), e.g. postgresql://user@host/survey.")


@cli.command()
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] FILES...")
@click.option("--questionnaire", "survey_id", metavar="ID",
              help="The questionnaire the files answer (needed if the project has several).")
@click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False),
              help="A mapping file (column header: question id); --dry-run drafts one.")
@click.option("--sheet", metavar="NAME", help="The sheet of a workbook (default: the first "
              "sheet with data).")
@click.option("--encoding", metavar="NAME", help="The text encoding of a CSV, when it cannot "
              "be detected (e.g. cp1251, koi8-r, cp1252, utf-16).")
@click.option("--dry-run", is_flag=True, help="Read and check everything, store nothing; "
              "write the report and a draft mapping file.")
@click.option("--user", metavar="NAME", help="Who imports (default: the login name); kept "
              "with every response.")
@click.option("--report-language", metavar="de|en", help="The language of the summary and "
              "the import report (default: the one LC_ALL, LC_MESSAGES or LANG names, if the "
              "toolkit has it, else English).")
@click.option("--partner", metavar="ID", help="The partner organisation that sent the files "
              "(an id of PROJECT/partners.yaml); counted per partner by survey fieldwork.")
@DB_OPTION
def ingest(arguments: tuple[str, ...], survey_id: str | None, mapping: Path | None,
           sheet: str | None, encoding: str | None, dry_run: bool, user: str | None,
           report_language: str | None, partner: str | None, db_url: str | None) -> None:
    """Import returns from FILES (CSV/TSV, XLSX/XLS/ODS, SAV/ZSAV/POR, DTA, Kobo/ODK exports,
    JSON lines) into the store of PROJECT.

    Every row is accepted, accepted with warnings, quarantined with its reasons, or kept as a
    duplicate; none is dropped. An import report (XLSX) is written to PROJECT/imports/.
    Importing the same file again changes nothing. Exit code: 0 all rows accepted, 3 some rows
    quarantined, 1 a file could not be imported (nothing of it was stored).
    PROJECT may be left out inside a project; a first argument that is a folder is PROJECT.
    """
    from survey.commands.ingest import run_ingest

    project, files = _project_and_files(arguments, "survey ingest PROJECT FILE...")
    sys.exit(run_ingest(project, tuple(files), survey_id=survey_id, mapping=mapping, sheet=sheet,
                        encoding=encoding, dry_run=dry_run, user=user, db_url=db_url,
                        report_language=report_language, partner=partner))


@cli.command()
@PROJECT
@DB_OPTION
def imports(project: Path | None, db_url: str | None) -> None:
    """List the import batches of PROJECT with their counts."""
    from survey.commands.ingest import list_imports

    sys.exit(list_imports(_in_project(project, "survey imports PROJECT"), db_url))


@cli.command()
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] BATCH")
@DB_OPTION
@YES_OPTION
def rollback(arguments: tuple[str, ...], db_url: str | None, yes: bool) -> None:
    """Remove every response of import BATCH from the store of PROJECT (see survey imports).
    PROJECT may be left out inside a project.

    Asks first ("Delete N responses of batch B (file F)? [y/N]"); --yes skips the question.
    Without a terminal to ask on, nothing is deleted unless --yes is given. Exit code 1 when
    nothing was deleted.
    """
    from survey.commands.ingest import roll_back

    project, (batch,) = _project_and_values(arguments, ("BATCH",),
                                            "survey rollback PROJECT BATCH")
    if not batch.isdigit():
        raise click.BadParameter(f"'{batch}' is not a batch number (see survey imports)",
                                 param_hint="BATCH")
    sys.exit(roll_back(project, int(batch), db_url, _confirmer(yes)))


@cli.command()
@PROJECT
@click.option("--submission", "submission_id", metavar="ID",
              help="The return's submission id (admin download, import report).")
@click.option("--serial", metavar="SERIAL", help="The serial number of a paper copy.")
@click.option("--code", metavar="CODE",
              help="The withdrawal code the respondent was given after sending the form.")
@click.option("--questionnaire", "survey_id", metavar="ID",
              help="The questionnaire (needed if the project has several).")
@YES_OPTION
@DB_OPTION
def erase(project: Path | None, submission_id: str | None, serial: str | None,
          code: str | None, survey_id: str | None, yes: bool, db_url: str | None) -> None:
    """Erase one respondent's return from PROJECT at their request (withdrawal of consent,
    GDPR art. 17), named by exactly one of --submission, --serial or --code.

    Removes the response with its raw record and problems, a draft under the same id, the
    paper entries of the serial and the scanner's cut-outs; the audit trail keeps that the
    return was erased, with its values blanked. The id stays refused: posting, importing or
    typing the same return again does not bring it back. The database is rewritten so no
    deleted bytes remain in its files. Files made before (exports, results, reports, import
    reports) are listed: rebuild or delete them; survey report refuses results made before
    the erasure. Asks first (--yes to skip). Exit code 1 if nothing was erased.
    """
    from survey.jobs.erase import erase_return

    root = _in_project(project, "survey erase PROJECT --submission ID|--serial S|--code C")
    named = submission_id or serial or code or ""
    if not _confirmer(yes)(f"erase the return {named} for good"):
        _fail("nothing was erased")
    report = erase_return(root, questionnaire_id=survey_id,
                          submission_id=submission_id, serial=serial, code=code, db_url=db_url)
    out = _console()
    removed = sum(report.erased.removed.values())
    out.print(RichText(f"erased the return {report.erased.submission_id} ({removed} rows in "
                       "the store; "
                       f"{len(report.files_removed)} scanned files deleted); it will not be "
                       "stored again"))
    if report.stale_files:
        out.print(RichText(f"{len(report.stale_files)} files were made before and may still "
                           "hold it; rebuild or delete them (survey analyse, survey report, "
                           "survey export):", style="yellow"))
        for path in report.stale_files:
            out.print(RichText(f"  {path.relative_to(root)}"))


def _fail(error: Exception | str) -> NoReturn:
    _console(stderr=True).print(RichText(f"error: {error}", style="bold red"))
    sys.exit(1)


@cli.command()
@PROJECT
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="The backup file to write (default: backups/store-DATE-TIME.sqlite or .dump "
              "in the project).")
@DB_OPTION
def backup(project: Path | None, out_file: Path | None, db_url: str | None) -> None:
    """Back up the store of PROJECT while the server may keep running.

    SQLite is copied with its backup API, PostgreSQL with pg_dump, each as one consistent
    snapshot. The backup is read back (the file opened as a store; the dump restored into a
    scratch database) and its rows counted and hashed table by table: it is only kept when
    they equal the store's at the moment of the snapshot. The figures go into a manifest
    (FILE.json) beside it. Exit code 1 if no verified backup was written.
    """
    from survey.store.backup import backup_store, default_backup_name

    root = _in_project(project, "survey backup PROJECT")
    store = Project(root).store(db_url)
    try:
        if out_file is None:
            (root / "backups").mkdir(exist_ok=True)
            out_file = default_backup_name(root / "backups", store)
        made = backup_store(store, out_file)
    finally:
        store.close()
    rows = sum(count for count, _ in made.figures.values())
    _console().print(RichText(f"wrote {made.path} ({rows} rows in {len(made.figures)} tables, "
                              f"read back and checked) and its manifest {made.manifest.name}"))


@cli.command()
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] BACKUP")
@YES_OPTION
@DB_OPTION
def restore(arguments: tuple[str, ...], yes: bool, db_url: str | None) -> None:
    """Replace the store of PROJECT by BACKUP (made by survey backup). PROJECT may be left out
    inside a project.

    The backup is checked in full first: readable, not from a newer toolkit, and holding what
    its manifest says. A backup that fails is refused and the store stays as it is. Stop the
    server first; asks before replacing (--yes to skip). An older backup is upgraded when the
    store is next opened. Exit code 1 if nothing was restored.
    """
    from survey.store.backup import check_backup, restore_store

    project, (name,) = _project_and_values(arguments, ("BACKUP",),
                                           "survey restore PROJECT BACKUP")
    store = Project(project).store(db_url)
    try:
        checked = check_backup(store, Path(name))
        rows = sum(count for count, _ in checked.figures.values())
        if not checked.manifest.is_file():
            _console(stderr=True).print(RichText(
                f"warning: {checked.manifest.name} is missing: the backup reads as a "
                "whole store, but nothing tells whether it is all that was backed up",
                style="yellow"))
        if not _confirmer(yes)(f"replace every row of the store by the {rows} rows of "
                               f"{Path(name).name}"):
            _fail("nothing was restored")
        _, kept = restore_store(store, Path(name))
    finally:
        store.close()
    Project(project).store(db_url).close()  # upgrades a backup from an older toolkit
    _console().print(RichText(f"restored {name}: {rows} rows in {len(checked.figures)} tables"
                              + (f"; {kept} returns erased since the backup was made were "
                                 "erased again" if kept else "")))


@cli.command()
@PROJECT
@click.option("--plan", "plan_file",
              type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The analysis plan, e.g. analysis/needs-assessment.yaml (default: the "
              "project's only plan in analysis/).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the results table (CSV, XLSX), weights and diagnostics "
              "(default: PROJECT/results, where survey report reads them).")
@DB_OPTION
def analyse(project: Path | None, plan_file: Path | None, out_dir: Path | None,
            db_url: str | None) -> None:
    """Run an analysis plan on the accepted responses in the store of PROJECT.

    Writes the results table (one row per indicator, breakdown, group and category, with
    estimate, standard error, confidence interval, bases and flags; disclosure control
    applied), the weights and a diagnostics summary. Exit code 1 when the plan or the data
    do not allow the analysis; the message says what to change.
    """
    from survey.commands.analyse import run_analysis

    project = _in_project(project, "survey analyse PROJECT")
    sys.exit(run_analysis(project, _plan_file(plan_file, project),
                          out_dir or project / "results", db_url))


@cli.command()
@PROJECT
@click.option("--format", "file_format", required=True,
              type=click.Choice(["sav", "zsav", "dta", "csv", "xlsx"]),
              help="sav/zsav: SPSS (with a .sps of multiple-response sets); dta: Stata; csv: "
              "CSV with an R script applying the labels; xlsx: Excel with variable and value "
              "sheets.")
@click.option("--lang", "language", metavar="LL",
              help="Language of the labels (default: the questionnaire's default language).")
@click.option("--include", "include", type=click.Choice(["quarantined"]), multiple=True,
              help="Also export quarantined responses (with a 'status' column).")
@click.option("--questionnaire", "survey_id", metavar="ID",
              help="The questionnaire to export (needed if the project has several).")
@click.option("--weights", "weights_file", type=click.Path(path_type=Path, dir_okay=False),
              help="weights.csv written by survey analyse (default: PROJECT/results/"
              "weights.csv when it exists).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the files (default: PROJECT/exports).")
@DB_OPTION
def export(project: Path | None, file_format: str, language: str | None,
           include: tuple[str, ...],
           survey_id: str | None, weights_file: Path | None, out_dir: Path | None,
           db_url: str | None) -> None:
    """Export the accepted responses of PROJECT in wide format, one row per response.

    Variable and value labels in the chosen language, declared missing codes (SPSS
    user-missing values, Stata extended missing values .a, .b, ...), measurement levels,
    dates as dates, and the weights of the last analysis when present. Names SPSS or Stata do
    not allow are renamed (listed in a -names.csv file and in the codebook); labels too long
    for the format are cut with a warning. Exit code 1 when the export cannot be made.
    """
    from survey.commands.export import run_export

    sys.exit(run_export(_in_project(project, "survey export PROJECT"), file_format,
                        language=language,
                        include_quarantined="quarantined" in include, survey_id=survey_id,
                        weights_file=weights_file, out_dir=out_dir, db_url=db_url))


@cli.command()
@click.argument("questionnaire", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "file_format", required=True,
              type=click.Choice(["html", "pdf", "xlsx", "md", "datapackage", "ddi"]),
              help="html, pdf, xlsx, md (Markdown), datapackage (Frictionless Data Package v2 "
              "describing the CSV export) or ddi (DDI Codebook 2.5 XML).")
@click.option("--project", "project", type=click.Path(path_type=Path, file_okay=False),
              help="Add the frequencies of the accepted responses in this project's store.")
@click.option("--out", "out_file", type=click.Path(path_type=Path),
              help="File to write (default: the questionnaire's id with the format's suffix, "
              "in the project's exports/ folder beside the data exports; in the current "
              "folder for a questionnaire outside a project).")
@DB_OPTION
def codebook(questionnaire: Path | None, file_format: str, project: Path | None,
             out_file: Path | None, db_url: str | None) -> None:
    """Write the codebook of QUESTIONNAIRE (default: the current project's only one, with
    its frequencies): every variable with its question text in each
    language, type, codes and labels, missing codes, routing condition (with the numbers of
    the questions it names), its SPSS and Stata names, and, given --project, frequencies.
    Written into the project's exports/ folder unless --out names a file.
    """
    from survey.commands.codebook import run_codebook

    if questionnaire is None:
        questionnaire = _questionnaire_file(None, "survey codebook QUESTIONNAIRE")
        project = project or Path(".")
    home = project or _project_of(questionnaire)
    sys.exit(run_codebook(questionnaire, file_format, project, out_file, db_url,
                          home / "exports" if home is not None else Path(".")))


@cli.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--to", "target", required=True, type=click.Choice(["xlsform", "yaml"]),
              help="xlsform: questionnaire YAML to an XLSForm for KoboToolbox/ODK; yaml: an "
              "XLSForm (.xlsx/.xls) or an SPSS/Stata file (.sav/.zsav/.por/.dta) to a draft "
              "questionnaire.")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: beside FILE, with the new suffix).")
@click.option("--lang", "language", metavar="LL", default="en", show_default=True,
              help="For --to yaml: the language of texts whose language the file does not "
              "name (SPSS/Stata labels, XLSForm columns without a language).")
@YES_OPTION
def convert(file: Path | None, target: str, out_file: Path | None, language: str,
            yes: bool) -> None:
    """Convert between questionnaire YAML and XLSForm, or draft a questionnaire from the
    dictionary of an SPSS or Stata file. For --to xlsform, FILE defaults to the current
    project's only questionnaire.

    Prints what could not be carried over, construct by construct. The YAML written passes
    survey validate. A file that exists already is overwritten only after asking, or with
    --yes. Exit code 1 when FILE cannot be read or converted, or nothing was written.
    """
    from survey.commands.convert import run_convert

    if file is None and target == "yaml":
        raise click.UsageError("name the XLSForm or SPSS/Stata file to draft a questionnaire "
                               "from: survey convert FILE --to yaml")
    file = _questionnaire_file(file, "survey convert QUESTIONNAIRE --to xlsform")
    sys.exit(run_convert(file, target, out_file, language, _confirmer(yes)))


@cli.group()
def translations() -> None:
    """Hand texts to translators and take their work back safely (XLSX, PO, XLIFF 2.0).

    See docs/howto-translations.md.
    """


QUESTIONNAIRE = click.argument("questionnaire", required=False,
                               type=click.Path(path_type=Path, dir_okay=False))
LANGUAGES = click.option("--lang", "languages", metavar="LL", multiple=True,
                         help="Target language; repeat for several (default: every declared "
                         "language except the source language).")


@translations.command("export")
@QUESTIONNAIRE
@LANGUAGES
@click.option("--format", "file_format", type=click.Choice(["xlsx", "po", "xliff"]),
              default="xlsx", show_default=True,
              help="xlsx for Excel/LibreOffice, po for Poedit/Weblate, xliff (XLIFF 2.0) for "
              "translation tools.")
@click.option("--only-missing", is_flag=True, help="Only texts with no translation yet.")
@click.option("--only-stale", is_flag=True, help="Only translations made from an earlier "
              "source text (with --only-missing: both).")
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the files, named QUESTIONNAIRE.LL.xlsx|po|xlf (default: the "
              "translations/ folder of the questionnaire's project; the current folder for a "
              "questionnaire outside a project).")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="The file to write (one language only).")
@YES_OPTION
def translations_export(questionnaire: Path | None, languages: tuple[str, ...],
                        file_format: str, only_missing: bool, only_stale: bool,
                        out_dir: Path | None, out_file: Path | None, yes: bool) -> None:
    """Write one file per target language with every user-visible text of QUESTIONNAIRE
    (default: the current project's only one).

    Each text has its id, its context (section, question, question type), the source text,
    the current translation and room for the new translation and notes. The questionnaire is
    not changed. A file that exists already (perhaps one a translator filled in) is
    overwritten only after asking, or with --yes. Exit code 1 when it has errors, a language
    is not declared or nothing was written.
    """
    from survey.commands.translations import run_export

    questionnaire = _questionnaire_file(questionnaire, "survey translations export "
                                        "QUESTIONNAIRE")
    if out_dir is None:
        home = _project_of(questionnaire)
        out_dir = home / "translations" if home is not None else Path(".")
    sys.exit(run_export(questionnaire, languages, file_format, out_dir, out_file,
                        only_missing, only_stale, _confirmer(yes)))


@translations.command("import")
@click.argument("arguments", nargs=-1, required=True, metavar="[QUESTIONNAIRE] FILES...")
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
def translations_import(arguments: tuple[str, ...], dry_run: bool) -> None:
    """Write the translations in FILES (made by export) back into QUESTIONNAIRE (default:
    the current project's only one; a first argument ending in .yaml or .yml names it).

    Keeps the YAML's comments, key order and formatting, and records which source text each
    translation was made from. Reports what changed, what is still missing, empty cells, and
    what was refused: ids that no longer exist, ${placeholders} dropped or added, choice lists
    with entries added or removed, formula cells, files for another questionnaire or version,
    and texts someone else changed since the export (conflicts). The questionnaire is changed
    only when the whole import is consistent (exit code 0); otherwise nothing is written and
    the exit code is 1.
    """
    from survey.commands.translations import run_import

    usage = "survey translations import QUESTIONNAIRE FILE..."
    named = Path(arguments[0]).suffix.lower() in QUESTIONNAIRE_SUFFIXES
    questionnaire = _questionnaire_file(Path(arguments[0]) if named else None, usage)
    files = tuple(Path(a) for a in arguments[1 if named else 0:])
    if not files:
        raise click.UsageError(f"name the translated files to import: {usage}")
    sys.exit(run_import(questionnaire, files, dry_run))


@translations.command("status")
@QUESTIONNAIRE
def translations_status(questionnaire: Path | None) -> None:
    """Print a table per target language of QUESTIONNAIRE (default: the current project's
    only one): complete, missing and stale texts."""
    from survey.commands.translations import run_status

    sys.exit(run_status(_questionnaire_file(questionnaire, "survey translations status "
                                            "QUESTIONNAIRE")))


@translations.command("confirm")
@QUESTIONNAIRE
@LANGUAGES
@click.option("--stale", "include_stale", is_flag=True,
              help="Also confirm stale translations (after a reviewer found them still right).")
def translations_confirm(questionnaire: Path | None, languages: tuple[str, ...],
                         include_stale: bool) -> None:
    """Record the translations of QUESTIONNAIRE (default: the current project's only one) as
    made from the current source text.

    Run it once for translations made before tracking or typed into the YAML by hand, so that
    a later change of the source text shows them as stale. No text is changed.
    """
    from survey.commands.translations import run_confirm

    questionnaire = _questionnaire_file(questionnaire, "survey translations confirm "
                                        "QUESTIONNAIRE")
    sys.exit(run_confirm(questionnaire, languages, include_stale))


@cli.command()
@click.argument("questionnaire", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", "languages", metavar="LL", multiple=True,
              help="Print the form in this language; repeat for several (default: every "
              "language of the questionnaire, unless --bilingual is given).")
@click.option("--bilingual", metavar="LL+LL", multiple=True,
              help="Also print a form with two languages on each page, e.g. de+ar (the first "
              "above the second; the page runs in the direction of the second). Repeatable.")
@click.option("--copies", type=int, metavar="N",
              help="Print N copies in one PDF, each with its own serial number on every page; "
              "each language gets its own block of serials, recorded in OUT/serials.json.")
@click.option("--serial-start", type=int, metavar="S",
              help="Serial number of the first copy (default 1); needs --copies.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the PDFs and their layout files (default: the paper/ folder of "
              "the questionnaire's project, where survey scan and data entry read them; "
              "./paper for a questionnaire outside a project).")
@click.option("--partner", metavar="ID", help="Record the serials printed as the forms of "
              "this partner organisation (an id of the project's partners.yaml; needs "
              "--copies), so survey fieldwork counts which have come back.")
@click.option("--large-print", is_flag=True,
              help="Print for readers with low vision: 14 pt text, nothing under 11 pt, larger "
              "tick boxes and writing lines (files named ...-large.pdf).")
def paper(questionnaire: Path | None, languages: tuple[str, ...], bilingual: tuple[str, ...],
          copies: int | None, serial_start: int | None, out_dir: Path | None,
          partner: str | None, large_print: bool) -> None:
    """Print-ready A4 PDF forms of QUESTIONNAIRE (default: the current project's only one):
    one per language, or bilingual.

    Each form has a cover page, numbered questions with routing ("→ go to question 14"),
    tick and digit boxes with small answer codes, corner marks and a QR page id on every
    page. Beside each PDF, a layout file (JSON) gives the position in mm of every box.
    A project's logo, style.css, organisation.yaml and template overrides are taken from
    reports/paper/ of the project. Exit code 1 when nothing could be printed; the message
    says why. See docs/howto-paper-forms.md.
    """
    from survey.commands.paper import run_paper
    from survey.jobs.paper import PaperJob

    questionnaire = _questionnaire_file(questionnaire, "survey paper QUESTIONNAIRE")
    if out_dir is None:
        out_dir = (_project_of(questionnaire) or Path(".")) / "paper"
    sys.exit(run_paper(PaperJob(questionnaire, out_dir, languages, bilingual, copies,
                                serial_start, partner,
                                _project_of(questionnaire) if partner else None, large_print)))


@cli.command()
@PROJECT
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every network interface.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              help="Port to listen on.")
@DB_OPTION
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Requests served at the same time.")
@click.option("--behind-proxy", is_flag=True, help="A reverse proxy (nginx, Caddy) terminates "
              "HTTPS in front: apply its X-Forwarded-For/Proto/Host/Port/Prefix, mark cookies "
              "Secure, send HSTS. Keep --host 127.0.0.1 with it.")
@click.option("--invitation-only", is_flag=True, help="Open the forms only through invitation "
              "links (see survey invitations create).")
@click.option("--public-url", envvar="SURVEY_PUBLIC_URL", metavar="URL",
              help="The address respondents open, e.g. https://survey.example.org: resume "
              "links start with it, never with the Host header a browser sends.")
@click.option("--staff-idle-hours", type=click.FloatRange(0.1, 24 * 7), default=8,
              show_default=True, help="A staff login unused this long has ended.")
@click.option("--staff-max-days", type=click.FloatRange(0.1, 90), default=7,
              show_default=True, help="A staff login this old has ended, however busy.")
def serve(project: Path | None, host: str, port: int, db_url: str | None, threads: int,
          behind_proxy: bool, invitation_only: bool, public_url: str | None,
          staff_idle_hours: float, staff_max_days: float) -> None:
    """Put the questionnaires of PROJECT online (waitress; stop with Ctrl+C).

    Prints the links to open: each questionnaire's start page (/s/ID/), the address itself
    (/ redirects to the survey, or lists them when the project has several), /admin/ where
    staff log in (create users with survey users add) and /entry/ where paper returns are
    typed in (docs/howto-double-entry.md; SURVEY_RECONCILERS=either lets a typist reconcile
    their own copies). Answers go to the project's store (or --db). Anonymous: no IP
    address, no user agent, days instead of times. See docs/howto-online-survey.md.
    """
    from survey.commands.server import run_serve
    from survey.store.staff_sessions import SessionLimits

    limits = SessionLimits(dt.timedelta(hours=staff_idle_hours), dt.timedelta(days=staff_max_days))
    sys.exit(run_serve(_in_project(project, "survey serve PROJECT"), host, port, db_url,
                       threads, behind_proxy, invitation_only, public_url, limits))


@cli.command()
@click.argument("questionnaire", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8090, show_default=True,
              help="Port on 127.0.0.1 to listen on; 0 picks a free one.")
@click.option("--lang", "language", metavar="LL",
              help="The language to show first (default: the questionnaire's default "
              "language); the page switches between all of its languages.")
def preview(questionnaire: Path | None, port: int, language: str | None) -> None:
    """A live preview of QUESTIONNAIRE while you write it (default: the current project's
    only one): a YAML questionnaire or an XLSForm (.xlsx, .xls).

    Open the printed address (http://127.0.0.1:PORT/) beside your editor. One page shows,
    refreshed a moment after every save: the validation messages with their line numbers
    (for an XLSForm, the converter's notes and errors, with lines of the converted YAML);
    the online form, fillable, with live routing, in any of the questionnaire's languages;
    and the paper form's pages (made in the background, a few seconds after a save).
    While the file has errors, or is missing (an editor saving by rename), the last good
    form and pages stay on screen under the messages.

    Add ?q=QUESTION_ID to the address to open the form at that question, highlighted, and
    mark its boxes on paper. The preview listens on 127.0.0.1 only and answers only
    requests for that address; answers typed into it go to a scratch store that is deleted
    when it stops (Ctrl+C). Nothing is written beside your file. Paper pages need pdftoppm
    (poppler-utils). See docs/howto-write-a-questionnaire.md.
    """
    from survey.preview.command import run_preview

    questionnaire = _questionnaire_file(questionnaire, "survey preview QUESTIONNAIRE")
    sys.exit(run_preview(questionnaire, port, language))


@cli.group()
def users() -> None:
    """Staff accounts for the admin pages of survey serve."""


@users.command("add", short_help="Add a staff user (asks for the password twice).")
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] NAME")
@click.option("--role", type=click.Choice(["admin", "entry"]), default="admin",
              show_default=True, help="admin: counts and downloads; entry: data entry.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (for scripts).")
@DB_OPTION
def users_add(arguments: tuple[str, ...], role: str, password_stdin: bool,
              db_url: str | None) -> None:
    """Add user NAME to the store of PROJECT; the password is asked twice (10+ characters).
    PROJECT may be left out inside a project.

    Only a salted scrypt hash of the password is stored. Exit code 1 if the name is taken.
    """
    from survey.commands.server import run_add_user

    project, (name,) = _project_and_values(arguments, ("NAME",), "survey users add PROJECT NAME")
    sys.exit(run_add_user(project, name, _new_password(password_stdin), role, db_url))


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("passwd", short_help="Give a user a new password; their sessions end.")
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] NAME")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (for scripts).")
@DB_OPTION
def users_passwd(arguments: tuple[str, ...], password_stdin: bool, db_url: str | None) -> None:
    """Give user NAME a new password (asked twice, 10+ characters); every session of theirs
    ends at once, on every server over this store. PROJECT may be left out inside a project.
    """
    from survey.commands.server import run_set_password

    project, (name,) = _project_and_values(arguments, ("NAME",),
                                           "survey users passwd PROJECT NAME")
    sys.exit(run_set_password(project, name, _new_password(password_stdin), db_url))


@users.command("role", short_help="Give a user another role; their sessions end.")
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] NAME ROLE")
@DB_OPTION
def users_role(arguments: tuple[str, ...], db_url: str | None) -> None:
    """Give user NAME the ROLE admin (counts and downloads) or entry (data entry); every
    session of theirs ends at once. PROJECT may be left out inside a project."""
    from survey.commands.server import run_set_role

    project, (name, role) = _project_and_values(arguments, ("NAME", "ROLE"),
                                                "survey users role PROJECT NAME ROLE")
    if role not in ("admin", "entry"):
        raise click.BadParameter(f"'{role}' is not a role; use admin or entry",
                                 param_hint="ROLE")
    sys.exit(run_set_role(project, name, role, db_url))


@users.command("language", short_help="Set the language of a user's staff pages.")
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] NAME LANGUAGE")
@DB_OPTION
def users_language(arguments: tuple[str, ...], db_url: str | None) -> None:
    """Show user NAME the staff pages (admin, data entry, reconciliation, login) in LANGUAGE:
    de or en; `browser` follows their browser's language again (the default). Takes effect
    at their next page. PROJECT may be left out inside a project."""
    from survey.commands.server import run_set_language

    project, (name, language) = _project_and_values(
        arguments, ("NAME", "LANGUAGE"), "survey users language PROJECT NAME LANGUAGE")
    sys.exit(run_set_language(project, name, language, db_url))


@users.command("remove", short_help="Remove a user; their sessions end.")
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] NAME")
@YES_OPTION
@DB_OPTION
def users_remove(arguments: tuple[str, ...], yes: bool, db_url: str | None) -> None:
    """Remove user NAME and end their sessions at once; the audit trail keeps their name.
    Asks first (--yes to skip). PROJECT may be left out inside a project."""
    from survey.commands.server import run_remove_user

    project, (name,) = _project_and_values(arguments, ("NAME",),
                                           "survey users remove PROJECT NAME")
    sys.exit(run_remove_user(project, name, db_url, _confirmer(yes)))


@users.command("list")
@PROJECT
@DB_OPTION
def users_list(project: Path | None, db_url: str | None) -> None:
    """List the staff users of PROJECT with their roles."""
    from survey.commands.server import run_list_users

    sys.exit(run_list_users(_in_project(project, "survey users list PROJECT"), db_url))


@users.command("sessions", short_help="List the staff sessions that have not ended.")
@PROJECT
@DB_OPTION
def users_sessions(project: Path | None, db_url: str | None) -> None:
    """List the staff sessions that have not ended: who, since when, last seen. Sessions
    end after 8 hours unused or 7 days in all, at logout, and when a password, role or user
    changes."""
    from survey.commands.server import run_list_sessions

    sys.exit(run_list_sessions(_in_project(project, "survey users sessions PROJECT"), db_url))


@cli.group()
def invitations() -> None:
    """One-time invitation links for survey serve."""


@invitations.command("create")
@PROJECT
@click.option("--questionnaire", "survey_id", metavar="ID",
              help="The questionnaire (needed if the project has several).")
@click.option("--count", type=int, required=True, help="How many links to make.")
@click.option("--out", "out_file", required=True,
              type=click.Path(path_type=Path, dir_okay=False), help="The CSV file to write.")
@click.option("--base-url", default="http://127.0.0.1:8080", show_default=True,
              help="Where respondents reach the server, e.g. https://survey.example.org.")
@click.option("--partner", metavar="ID", help="The partner organisation that hands the links "
              "out (an id of PROJECT/partners.yaml); its responses count as that partner's.")
@DB_OPTION
def invitations_create(project: Path | None, survey_id: str | None, count: int, out_file: Path,
                       base_url: str, partner: str | None, db_url: str | None) -> None:
    """Write COUNT one-time invitation links to a CSV file (columns: number, link).

    The store keeps only a fingerprint of each token, never which response used it, so
    invitations do not break anonymity. Exit code 1 if nothing was made.
    """
    from survey.commands.server import run_create_invitations

    project = _in_project(project, "survey invitations create PROJECT")
    if partner is not None:
        from survey.server.invitation_links import run_create_partner_invitations

        sys.exit(run_create_partner_invitations(project, survey_id, count, out_file, base_url,
                                                db_url, partner))
    sys.exit(run_create_invitations(project, survey_id, count, out_file, base_url, db_url))


@cli.command()
@PROJECT
@click.option("--questionnaire", "survey_id", metavar="ID",
              help="The questionnaire (needed if the project has several).")
@click.option("--plan", "plan_file", type=click.Path(path_type=Path, dir_okay=False),
              help="The analysis plan whose weighting targets to compare with (default: the "
              "project's only plan).")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the dashboard to FILE.csv or FILE.xlsx (for partner meetings).")
@click.option("--lang", "language", metavar="de|en", help="The language of the tables "
              "(default: the one LC_ALL, LC_MESSAGES or LANG names, if the toolkit has it).")
@DB_OPTION
def fieldwork(project: Path | None, survey_id: str | None, plan_file: Path | None,
              out_file: Path | None, language: str | None, db_url: str | None) -> None:
    """The fieldwork dashboard of PROJECT: returns by day, partner, mode and language; the
    plan's weighting variables against their targets (small cells suppressed as in reports);
    printed forms not yet returned per partner; the weights' coefficient of variation and the
    R-indicator. The same as /admin/SURVEY/fieldwork on the server. See
    docs/howto-fieldwork.md."""
    from survey.commands.fieldwork import run_fieldwork

    root = _in_project(project, "survey fieldwork PROJECT")
    sys.exit(run_fieldwork(root, survey_id, plan_file, out_file, language, db_url))


@cli.group()
def partners() -> None:
    """Partner organisations (PROJECT/partners.yaml) and the serial blocks of their forms."""


@partners.command("list")
@PROJECT
@click.option("--questionnaire", "survey_id", metavar="ID",
              help="The questionnaire (needed if the project has several).")
@DB_OPTION
def partners_list(project: Path | None, survey_id: str | None, db_url: str | None) -> None:
    """List the partners of partners.yaml with the serial blocks of their paper forms."""
    from survey.commands.fieldwork import run_list_partners

    sys.exit(run_list_partners(_in_project(project, "survey partners list PROJECT"), db_url,
                               survey_id))


@partners.command("assign-serials")
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] PARTNER FIRST LAST")
@click.option("--questionnaire", "survey_id", metavar="ID",
              help="The questionnaire (needed if the project has several).")
@click.option("--printed", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The day the forms were printed (default: today).")
@click.option("--user", metavar="NAME", help="Who records the block (kept with it).")
@DB_OPTION
def partners_assign_serials(arguments: tuple[str, ...], survey_id: str | None,
                            printed: dt.datetime | None, user: str | None,
                            db_url: str | None) -> None:
    """Record that the paper forms with serials FIRST to LAST (printed earlier, e.g. with
    survey paper --copies) went to PARTNER. A block overlapping another partner's is refused.
    PROJECT may be left out inside a project."""
    from survey.commands.fieldwork import run_assign_serials

    project, (partner, first, last) = _project_and_values(
        arguments, ("PARTNER", "FIRST", "LAST"),
        "survey partners assign-serials PROJECT PARTNER FIRST LAST")
    for name, value in (("FIRST", first), ("LAST", last)):
        if not value.isdigit():
            raise click.BadParameter(f"'{value}' is not a serial number", param_hint=name)
    sys.exit(run_assign_serials(project, partner, int(first), int(last), survey_id,
                                printed.date() if printed else None, db_url, user))


@cli.command()
@PROJECT
@click.option("--plan", "plan_file",
              type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The analysis plan the results were made with (default: the project's "
              "only plan in analysis/).")
@click.option("--audience", type=click.Choice(["council", "organisation", "conference"]),
              default="council", show_default=True,
              help="council: leads with what the municipality can act on and the areas; "
              "organisation: leads with members' situation and participation; conference: "
              "the slide deck and chart pack.")
@click.option("--lang", "language", metavar="CODE",
              help="Language of the report texts: de or en (default: the plan's language).")
@click.option("--format", "formats", metavar="LIST",
              help="Comma-separated: html,pdf,xlsx,pptx (default: html,pdf,xlsx; pptx for "
              "the conference audience). pptx also writes the chart pack.")
@click.option("--results", "results_dir", type=click.Path(path_type=Path, file_okay=False),
              help="The folder survey analyse wrote (default: PROJECT/results).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where to write (default: PROJECT/published/AUDIENCE-LANG).")
@click.option("--check", is_flag=True,
              help="Write nothing; list what is missing for a publishable report "
              "(reports/report.yaml, translations, approved quotes). Exit code 1 if anything is.")
@DB_OPTION
def report(project: Path | None, plan_file: Path | None, audience: str, language: str | None,
           formats: str | None, results_dir: Path | None, out_dir: Path | None,
           db_url: str | None, check: bool = False) -> None:
    """Write the needs-assessment report of PROJECT from its results table.

    Reads only what survey analyse wrote (results with disclosure control applied, the run's
    figures, returns by mode and language) and the questionnaire: HTML and PDF report, district
    one-pagers, XLSX tables, PPTX slides with a chart pack. Templates and the stylesheet can be
    overridden in PROJECT/reports/. Exit code 1 when the results are missing or stale (the
    message gives the survey analyse command to run) or an option is wrong.
    """
    from survey.commands.report import run_report
    from survey.report.make import ReportRequest

    project = _in_project(project, "survey report PROJECT")
    plan_file = _plan_file(plan_file, project)
    sys.exit(run_report(ReportRequest(project, plan_file, audience, language, None,
                                      results_dir, out_dir, db_url, check), formats))


@cli.command()
@click.argument("arguments", nargs=-1, required=True, metavar="[PROJECT] FILES...")
@DB_OPTION
@click.option("--dpi", type=int, default=200, show_default=True,
              help="Resolution at which scanned PDFs are read (100–400).")
@click.option("--page", "page_ids", metavar="FILE:N=SERIAL:PAGE", multiple=True,
              help="The identity of a page whose QR code cannot be read, e.g. "
              "scan.pdf:3=000012:4 (page 3 of scan.pdf is page 4 of copy 000012); repeatable.")
def scan(arguments: tuple[str, ...], db_url: str | None, dpi: int,
         page_ids: tuple[str, ...]) -> None:
    """Read scanned paper returns (PDF, TIFF, PNG, JPEG) into the store of PROJECT.

    Each page is identified by its QR code, aligned by its corner marks and its boxes read
    with the layout files in PROJECT/paper/. Pages are put together into one return per serial
    in any order. A complete return with only clear ticks that passes the questionnaire's
    checks is stored with mode "scan"; any other (unclear or corrected marks, two ticks where
    one is allowed, write-ins, missing pages) waits on the reconciliation screen of data entry
    with cut-out images. A scan report is written to PROJECT/scans/. Scanning the same pages
    again stores nothing twice. Exit code: 0 all returns stored, 3 some wait on the
    reconciliation screen, 1 a file or page could not be read (see the report).
    PROJECT may be left out inside a project; a first argument that is a folder is PROJECT.
    """
    from survey.commands.scan import run_scan

    project, files = _project_and_files(arguments, "survey scan PROJECT FILE...")
    sys.exit(run_scan(project, tuple(files), db_url, dpi, page_ids))


@cli.command()
@PROJECT
@click.option("--questionnaire", "survey_id", metavar="ID",
              help="The questionnaire to speak (needed if the project has several).")
@click.option("--language", "languages", metavar="LL", multiple=True,
              help="Speak only this language; repeatable (default: every language of the "
              "questionnaire). Files of other languages are left as they are.")
@click.option("--force", is_flag=True, help="Speak every text again, even those whose file "
              "is up to date.")
@click.option("--dry-run", is_flag=True, help="Write nothing: list what would be spoken and "
              "estimate how long the speech is and how long making it takes.")
def audio(project: Path | None, survey_id: str | None, languages: tuple[str, ...],
          force: bool, dry_run: bool) -> None:
    """Speak the online form's texts with the local speech engine where nothing was recorded.

    Every question text, hint, answer choice, scale point, "don't know"-type answer and the
    privacy notice is spoken in each language it is written in, by Debian's espeak-ng, as a
    small Ogg/Opus file (opusenc from opus-tools). A recording named in the questionnaire
    (audio:) always wins; a language espeak-ng has no voice for is listed, not spoken. Files
    go to media/speech/ID/LANGUAGE/ beside the questionnaire, named by a fingerprint of text,
    language, voice, engine version and settings, with a manifest.json the online form reads:
    a rerun speaks only changed texts and removes files no text uses any more. Texts that
    show an earlier answer are not spoken. Prints per language the texts spoken, reused and
    removed and the seconds of speech. PROJECT may be left out inside a project. Exit code 1
    when the engine is missing or the files cannot be written.
    """
    from survey.commands.audio import run_audio

    sys.exit(run_audio(_in_project(project, "survey audio PROJECT"), survey_id, languages,
                       force, dry_run))


@cli.command()
@click.argument("folder", required=False, default=Path("demo"),
                type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Use FOLDER even when it is not empty: the demo's "
              "earlier outputs there (paper/, imports/, results/, published/, exports/, the "
              "store) are replaced, other files are left alone.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              help="Port for the online form; the next free one is chosen when it is in use.")
@click.option("--lang", "languages", metavar="LL", multiple=True,
              help="Print paper forms only in this language; repeatable (default: every "
              "language of the questionnaire).")
def demo(folder: Path, force: bool, port: int, languages: tuple[str, ...]) -> None:
    """Run the whole pipeline on the flagship survey and its sample returns into FOLDER
    (default: ./demo): paper forms in every language and a bilingual one, the sample files
    imported with their reports, the needs-assessment analysis, the council report (HTML,
    PDF), district one-pagers, tables (XLSX), slides (PPTX), SPSS and Stata exports and the
    codebook. Prints a summary of what it made and the command that starts the online form.
    FOLDER becomes a survey project: every command works inside it. Exit code 1 when FOLDER
    cannot be used or a step fails.
    """
    from survey.demo.pipeline import DemoRequest, run_demo

    sys.exit(run_demo(DemoRequest(folder, force, port, languages)))


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Make a new survey project in FOLDER (new or empty): a starter questionnaire in German
    and English (consent, choices, skip logic, a rating, a multiple choice), an analysis plan
    for it, a reports/ folder for the project's own look, and a README for the project's
    staff saying what to do first. Run survey commands inside FOLDER without naming paths.
    """
    from survey.jobs.new_project import init_project

    made = init_project(folder)
    out = _console()
    for path in made:
        out.print(f"  made {path}")
    out.print(f"Next: cd {folder} and read README.md; then survey validate, survey paper, "
              "survey serve, survey ingest FILE, survey analyse, survey report.")


# Libraries of the optional extras (pyproject.toml), by the module a command imports lazily.
EXTRA_OF_MODULE = {"cv2": "scan", "zxingcpp": "scan",
                   "flask": "server", "flask_compress": "server", "waitress": "server"}


def main() -> None:
    from survey.terminal_output import guard_terminal

    guard_terminal()  # messages quote files' contents: no control characters reach the terminal
    try:
        cli()
    except ModuleNotFoundError as error:
        extra = EXTRA_OF_MODULE.get((error.name or "").partition(".")[0])
        if extra is None:
            raise
        _fail(f"this command needs {error.name}, which comes with the {extra} extra: in the "
              f"toolkit's folder, pip install '.[{extra}]' (or make, which installs every "
              "extra)")
