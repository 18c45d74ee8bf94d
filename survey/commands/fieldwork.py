"""What `survey fieldwork` and `survey partners …` print, and their exit codes. A failure the
user can fix is raised as a UserError, which the command line prints as one message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from survey.fieldwork.dashboard import compute_fieldwork
from survey.fieldwork.tables import fieldwork_sheets, said, write_fieldwork
from survey.project import Project
from survey.staff_texts import choose_language
from survey.store.partners import record_serial_blocks, serial_blocks_of

EXIT_OK, EXIT_ERROR = 0, 1
OUT_SUFFIXES = (".csv", ".xlsx")


def _out(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _error(message: str) -> int:
    _out(stderr=True).print(Text(f"error: {message}", style="bold red"))
    return EXIT_ERROR


def _shown(value: object, language: str) -> str:
    value = said(value, language)
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def run_fieldwork(project_dir: Path, survey_id: str | None, plan_file: Path | None,
                  out_file: Path | None, language: str | None, db_url: str | None) -> int:
    """Print the dashboard; with `out_file` (.csv or .xlsx) write it there too."""
    if out_file is not None and out_file.suffix.lower() not in OUT_SUFFIXES:
        return _error(f"--out {out_file}: write a .csv or an .xlsx file")
    chosen = choose_language(language)
    project = Project(project_dir)
    questionnaire = project.questionnaire(survey_id)
    store = project.store(db_url)
    try:
        fieldwork = compute_fieldwork(project, store, questionnaire, plan_file)
    finally:
        store.close()
    sheets = fieldwork_sheets(fieldwork)
    out = _out()
    for sheet in sheets:
        title = said(sheet.title, chosen)
        headers = [said(header, chosen) for header in sheet.headers]
        rows = [[_shown(v, chosen) for v in row] for row in sheet.rows]
        table = Table(title=title, title_justify="left")
        for header in headers:
            table.add_column(header)
        for row in rows:
            table.add_row(*row)
        widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
        if sum(widths) + 3 * len(widths) + 1 <= out.width:  # the table's borders and padding
            out.print(table)
        else:  # too wide for this terminal: one block per row instead of cut-off columns
            _print_stacked(out, title, headers, rows)
    if out_file is not None:
        write_fieldwork(sheets, out_file, chosen)
        out.print(f"wrote {out_file}")
    return EXIT_OK


def _print_stacked(out: Console, title: str, headers: list[str], rows: list[list[str]]) -> None:
    """A table as one block per row: the first cell as the block's heading, then each other
    cell under its column's name, so nothing is cut at 80 columns."""
    out.print(Text(title, style="italic"), soft_wrap=False)
    for row in rows:
        out.print(Text(row[0], style="bold"), soft_wrap=False)
        for header, value in zip(headers[1:], row[1:], strict=True):
            out.print(Text(f"  {header}: {value}"), soft_wrap=False)
    out.print()


def run_list_partners(project_dir: Path, db_url: str | None, survey_id: str | None) -> int:
    """The partners of partners.yaml with their serial blocks."""
    project = Project(project_dir)
    partners = project.partners()
    questionnaire = project.questionnaire(survey_id)
    store = project.store(db_url)
    try:
        blocks = serial_blocks_of(store, questionnaire.id)
    finally:
        store.close()
    if not partners:
        _out().print(f"no partners yet: list them in {project.partners_file} (see the example "
                     "in its comments)")
    table = Table(title=f"Partners ({project.partners_file})", title_justify="left")
    for column in ("id", "name", "contact", "serial blocks"):
        table.add_column(column)
    for partner in partners:
        mine = [b for b in blocks if b.partner == partner.id]
        table.add_row(partner.id, partner.name, partner.contact,
                      ", ".join(f"{b.first:06d}–{b.last:06d} ({b.printed_on})" for b in mine))
    _out().print(table)
    strays = sorted({b.partner for b in blocks} - {p.id for p in partners})
    if strays:
        _out(stderr=True).print(Text(
            f"warning: the store has serial blocks of {', '.join(strays)}, which "
            f"{project.partners_file.name} no longer lists", style="yellow"))
    return EXIT_OK


def run_assign_serials(project_dir: Path, partner: str, first: int, last: int,
                       survey_id: str | None, printed_on: dt.date | None,
                       db_url: str | None, user: str | None) -> int:
    """Record that serials first..last went to `partner` (forms printed earlier)."""
    project = Project(project_dir)
    project.partner(partner, "partner")
    questionnaire = project.questionnaire(survey_id)
    store = project.store(db_url)
    try:
        (block,) = record_serial_blocks(store, questionnaire.id, [(first, last)], partner,
                                        printed_on, user)
    finally:
        store.close()
    _out().print(f"serials {block.first:06d}–{block.last:06d} of {questionnaire.id} now belong to "
                 f"partner '{partner}' ({block.size} forms)")
    return EXIT_OK
