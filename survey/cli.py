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


def main() -> None:
    cli()
