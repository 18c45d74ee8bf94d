"""The import report: every problem as file, sheet, row, column, value, rule, message, fix.

Staff open it next to the partner's file, so rows and columns are named as that file names
them (spreadsheet row numbers, Excel column letters or header texts).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from survey.ingest.importer import ImportResult
from survey.safe_cells import neutralise

PROBLEM_COLUMNS = ("file", "sheet", "row", "column", "value", "rule", "severity", "outcome",
                   "message", "suggested fix")


def summary_lines(result: ImportResult) -> list[str]:
    """The terminal summary, also the first sheet of the report."""
    name = result.file.name + (f" (sheet {result.table.sheet})" if result.table.sheet else "")
    if result.already is not None:
        batch = result.already
        return [f"{name} was already imported as batch {batch['id']} on "
                f"{batch['imported_at']:%Y-%m-%d %H:%M}; nothing changed.",
                f"To import it again, roll that batch back first: survey rollback PROJECT "
                f"{batch['id']}"]
    verb = "would be" if result.dry_run else "were"
    lines = [
        f"{name}: {result.rows_in} rows read ({result.table.kind}"
        + (f", {result.table.encoding}" if result.table.encoding else "") + ")",
        f"  {result.accepted} {verb} accepted ({result.warnings} with warnings), "
        f"{result.quarantined} quarantined, {result.duplicates} duplicates",
    ]
    if result.batch_id is not None:
        lines.append(f"  import batch {result.batch_id}")
    lines += [f"  note: {note}" for note in result.table.notes]
    if result.plan.unmapped:
        lines.append(f"  columns not recognised ({len(result.plan.unmapped)}): "
                     + ", ".join(result.plan.unmapped[:12])
                     + (" …" if len(result.plan.unmapped) > 12 else ""))
    repeats = getattr(result.plan, "repeats", [])
    if repeats:
        lines.append(f"  columns of repeat groups, kept in each row's raw record but not imported "
                     f"(questionnaires have no repeat groups yet) ({len(repeats)}): "
                     + ", ".join(repeats[:6]) + (" …" if len(repeats) > 6 else ""))
    if result.plan.missing:
        lines.append(f"  questions without a column ({len(result.plan.missing)}): "
                     + ", ".join(result.plan.missing[:12])
                     + (" …" if len(result.plan.missing) > 12 else ""))
    return lines


def write_report(result: ImportResult, path: Path) -> Path:
    """The XLSX import report: summary, problems, and how each column was understood."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    for line in summary_lines(result):
        summary.append([neutralise(line.strip())])
    summary.column_dimensions["A"].width = 110

    problems = book.create_sheet("Problems")
    problems.append(list(PROBLEM_COLUMNS))
    sheet = result.table.sheet or ""
    for line in result.lines:
        problems.append([neutralise(v) for v in (
            result.file.name, sheet, line.row, line.column, line.value, line.rule,
            line.severity, line.outcome, line.message, line.fix)])
    _header(problems, (28, 14, 7, 24, 24, 16, 9, 12, 70, 60))

    columns = book.create_sheet("Columns")
    columns.append(["column", "position", "read as", "question or variable", "how recognised"])
    for column, target in zip(result.table.columns, result.plan.targets, strict=True):
        what = target.name + (f" = {target.choice}" if target.choice else "") + (
            f" (rank {target.position})" if target.position else "")
        columns.append([neutralise(v) for v in (column.name, column.position,
                                                str(target.target), what, target.how)])
    for question in result.plan.missing:
        columns.append(["", "", "no column", question, "not in the file"])
    _header(columns, (40, 9, 10, 30, 26))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _header(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
