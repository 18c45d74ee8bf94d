"""The `survey` command: parses options, calls the library, prints what users need to read.

Kept thin on purpose: behaviour lives in the library so it can be tested and reused.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from survey import __version__
from survey.questionnaire import Severity, ValidationResult, validate_file
from survey.questionnaire.json_schema import questionnaire_schema
from survey.questionnaire.languages import check_language
from survey.questionnaire.outline import outline

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
        table.add_row(language, str(coverage.total), str(coverage.translated[language]),
                      RichText(f"{percent:.1f} %", style=style))
    return table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="survey")
def cli() -> None:
    """Multilingual community surveys: questionnaires, forms, ingest, statistics, reports.

    Every command reads questionnaires written in YAML (see docs/questionnaire-format.md).
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--allow-incomplete", is_flag=True,
              help="Report missing translations as warnings instead of errors.")
@click.option("--coverage/--no-coverage", default=True, show_default=True,
              help="Print the translation-coverage table of each file.")
def validate(files: tuple[Path, ...], allow_incomplete: bool, coverage: bool) -> None:
    """Check questionnaire FILES (or folders of them) for every mistake at once.

    Problems are printed as `file:line:column: error: message`, in file order. Exit code 0
    when no file has errors (warnings allowed), 1 otherwise.
    """
    out = _console()
    failed = 0
    paths = _expand(files)
    if not paths:
        raise click.UsageError("no questionnaire files (*.yaml) found in the given folders")
    for path in paths:
        result = validate_file(path, allow_incomplete=allow_incomplete)
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
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", "language", metavar="LL",
              help="Language to show (default: the questionnaire's default language).")
def show(file: Path, language: str | None) -> None:
    """Print questionnaire FILE as an outline for proof-reading.

    Shows sections, numbered questions with their ids and types, choices with their codes,
    missing-value codes, calculations and routing (which questions a rule refers to).
    Missing translations are tolerated here so drafts can be read.
    """
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


PROJECT = click.argument("project", type=click.Path(path_type=Path, file_okay=False))
DB_OPTION = click.option("--db", "db_url", metavar="URL",
                         help="Database URL (default: the SQLite file data/store.sqlite in the "
                         "project), e.g. postgresql://user@host/survey.")


@cli.command()
@PROJECT
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=True, dir_okay=False))
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
@DB_OPTION
def ingest(project: Path, files: tuple[Path, ...], survey_id: str | None, mapping: Path | None,
           sheet: str | None, encoding: str | None, dry_run: bool, user: str | None,
           db_url: str | None) -> None:
    """Import returns from FILES (CSV/TSV, XLSX/XLS/ODS, SAV/ZSAV/POR, DTA, Kobo/ODK exports,
    JSON lines) into the store of PROJECT.

    Every row is accepted, accepted with warnings, quarantined with its reasons, or kept as a
    duplicate; none is dropped. An import report (XLSX) is written to PROJECT/imports/.
    Importing the same file again changes nothing. Exit code: 0 all rows accepted, 3 some rows
    quarantined, 1 a file could not be imported (nothing of it was stored).
    """
    from survey.ingest.command import run_ingest

    sys.exit(run_ingest(project, files, survey_id=survey_id, mapping=mapping, sheet=sheet,
                        encoding=encoding, dry_run=dry_run, user=user, db_url=db_url))


@cli.command()
@PROJECT
@DB_OPTION
def imports(project: Path, db_url: str | None) -> None:
    """List the import batches of PROJECT with their counts."""
    from survey.ingest.command import list_imports

    sys.exit(list_imports(project, db_url))


@cli.command()
@PROJECT
@click.argument("batch", type=int)
@DB_OPTION
def rollback(project: Path, batch: int, db_url: str | None) -> None:
    """Remove every response of import BATCH from the store of PROJECT (see survey imports)."""
    from survey.ingest.command import roll_back

    sys.exit(roll_back(project, batch, db_url))


@cli.command()
@PROJECT
@click.option("--plan", "plan_file", required=True,
              type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The analysis plan, e.g. analysis/needs-assessment.yaml.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("results"), show_default=True,
              help="Folder for the results table (CSV, XLSX), weights and diagnostics.")
@DB_OPTION
def analyse(project: Path, plan_file: Path, out_dir: Path, db_url: str | None) -> None:
    """Run an analysis plan on the accepted responses in the store of PROJECT.

    Writes the results table (one row per indicator, breakdown, group and category, with
    estimate, standard error, confidence interval, bases and flags; disclosure control
    applied), the weights and a diagnostics summary. Exit code 1 when the plan or the data
    do not allow the analysis; the message says what to change.
    """
    from survey.stats.command import run_analysis

    sys.exit(run_analysis(project, plan_file, out_dir, db_url))


def main() -> None:
    cli()
