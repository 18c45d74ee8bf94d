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
from survey.staff_texts import SOURCE_LANGUAGE, Message, in_language, staff_plural, staff_text
from survey.store.store import local_time

PROBLEM_COLUMNS = (staff_text("file"), staff_text("sheet"), staff_text("row"),
                   staff_text("column"), staff_text("value"), staff_text("rule"),
                   staff_text("severity"), staff_text("outcome"), staff_text("message"),
                   staff_text("suggested fix"))
COLUMN_COLUMNS = (staff_text("column"), staff_text("position"), staff_text("read as"),
                  staff_text("question or variable"), staff_text("how recognised"))
SHEETS = {"summary": staff_text("Summary"), "problems": staff_text("Problems"),
          "columns": staff_text("Columns")}
WORDS = {"error": staff_text("error"), "warning": staff_text("warning"),
         "accepted": staff_text("accepted"), "quarantined": staff_text("quarantined"),
         "duplicate": staff_text("duplicate"), "erased": staff_text("erased"),
         "answer": staff_text("answer"), "option": staff_text("option"),
         "rank": staff_text("rank"), "meta": staff_text("meta"),
         "ignore": staff_text("ignore")}
"""Severities, outcomes and how a column is read, as the report shows them."""
# TRANSLATORS: the rules a problem breaks, shown in the report's "rule" column; English keeps
# the rule names the store and the documentation use.
RULES = {"unknown": staff_text("unknown"), "type": staff_text("type"),
         "range": staff_text("range"), "choice": staff_text("choice"),
         "required": staff_text("required"), "constraint": staff_text("constraint"),
         "skip_logic": staff_text("skip_logic"), "exclusive": staff_text("exclusive"),
         "selected_count": staff_text("selected_count"), "length": staff_text("length"),
         "consent": staff_text("consent"), "other_text": staff_text("other_text"),
         "value": staff_text("value"), "reading": staff_text("reading"),
         "read": staff_text("read"), "duplicate": staff_text("duplicate"),
         "duplicate_id": staff_text("duplicate_id"), "erased": staff_text("erased")}
"""The rules a problem breaks, in the report's language: in English by their names, as the store
keeps them and the documentation lists them. A rule without an entry is shown by its name."""


def _word(word: str) -> Message | str:
    return WORDS.get(word, word)


def _rule(rule: str) -> Message | str:
    return RULES.get(rule, rule)


def rollback_command(batch: int, project: Path | None) -> str:
    """The command that rolls `batch` back, as staff type it where they are: the project's
    folder left out inside it."""
    if project is None:
        return f"survey rollback PROJECT {batch}"
    inside = project.resolve() == Path.cwd().resolve()
    return f"survey rollback {batch}" if inside else f"survey rollback {project} {batch}"


def summary_messages(result: ImportResult, project: Path | None = None) -> list[Message]:
    """The terminal summary, also the first sheet of the report (`summary_lines` says it).
    `project`: the project's folder, for the commands it names."""
    name = staff_text("{file} (sheet {sheet})", file=result.file.name,
                      sheet=result.table.sheet) if result.table.sheet else result.file.name
    batch = result.already
    if batch is not None and not result.dry_run:
        return [staff_text("{file} was already imported as batch {batch} on {when}; nothing "
                           "changed.", file=name, batch=batch["id"],
                           when=f"{local_time(batch['imported_at']):%Y-%m-%d %H:%M}"),
                staff_text("To import it again, roll that batch back first: {command}",
                           command=rollback_command(batch["id"], project))]
    kind = (f"{result.table.kind}, {result.table.encoding}" if result.table.encoding
            else result.table.kind)
    counts = {"accepted": result.accepted, "warnings": result.warnings,
              "quarantined": result.quarantined, "duplicates": result.duplicates}
    lines = [
        staff_plural("{file}: {count} row read ({kind})", "{file}: {count} rows read ({kind})",
                     count=result.rows_in, file=name, kind=kind),
        staff_text("{accepted} would be accepted ({warnings} with warnings), {quarantined} "
                   "quarantined, {duplicates} duplicates", **counts) if result.dry_run
        else staff_text("{accepted} were accepted ({warnings} with warnings), {quarantined} "
                        "quarantined, {duplicates} duplicates", **counts),
    ]
    if result.erased:
        lines.append(staff_plural(
            "{count} row left out: its return was erased at the respondent's request",
            "{count} rows left out: their returns were erased at the respondent's request",
            count=result.erased))
    if result.batch_id is not None:
        lines.append(staff_text("import batch {batch}", batch=result.batch_id))
    if batch is not None:
        lines.append(staff_text(
            "already imported as batch {batch} on {when}: a real import would change nothing "
            "unless that batch is rolled back first ({command}); this dry run reads the file as "
            "if it were", batch=batch["id"],
            when=f"{local_time(batch['imported_at']):%Y-%m-%d %H:%M}",
            command=rollback_command(batch["id"], project)))
    lines += [staff_text("note: {note}", note=note) for note in result.table.notes]
    if result.plan.unmapped:
        lines.append(staff_text("columns not recognised ({count}): {columns}",
                                count=len(result.plan.unmapped),
                                columns=_some(result.plan.unmapped, 12)))
    repeats = getattr(result.plan, "repeats", [])
    if repeats:
        lines.append(staff_text(
            "columns of repeat groups, kept in each row's raw record but not imported "
            "(questionnaires have no repeat groups yet) ({count}): {columns}",
            count=len(repeats), columns=_some(repeats, 6)))
    if result.plan.missing:
        lines.append(staff_text("questions without a column ({count}): {questions}",
                                count=len(result.plan.missing),
                                questions=_some(result.plan.missing, 12)))
    return lines


def _some(names: list[str], most: int) -> str:
    return ", ".join(names[:most]) + (" …" if len(names) > most else "")


def summary_lines(result: ImportResult, language: str = SOURCE_LANGUAGE,
                  project: Path | None = None) -> list[str]:
    """The terminal summary in `language`: the file's line, then indented details."""
    said = [message.in_language(language) for message in summary_messages(result, project)]
    if result.already is not None and not result.dry_run:
        return said
    return said[:1] + [f"  {line}" for line in said[1:]]


def write_report(result: ImportResult, path: Path, language: str = SOURCE_LANGUAGE,
                 project: Path | None = None) -> Path:
    """The XLSX import report in `language`: summary, problems, and how each column was
    understood."""
    def say(text: object) -> object:
        return in_language(text, language)

    book = Workbook()
    summary = book.active
    summary.title = say(SHEETS["summary"])
    for text in summary_lines(result, language, project):
        summary.append([neutralise(text.strip())])
    summary.column_dimensions["A"].width = 110

    problems = book.create_sheet(say(SHEETS["problems"]))
    problems.append([say(heading) for heading in PROBLEM_COLUMNS])
    sheet = result.table.sheet or ""
    for line in result.lines:
        problems.append([neutralise(say(v)) for v in (
            result.file.name, sheet, line.row, line.column, line.value, _rule(line.rule),
            _word(line.severity), _word(line.outcome), line.message, line.fix)])
    _header(problems, (28, 14, 7, 24, 24, 16, 9, 12, 70, 60))

    columns = book.create_sheet(say(SHEETS["columns"]))
    columns.append([say(heading) for heading in COLUMN_COLUMNS])
    for column, target in zip(result.table.columns, result.plan.targets, strict=True):
        what = target.name + (f" = {target.choice}" if target.choice else "")
        if target.position:
            what = staff_text("{target} (rank {position})", target=what, position=target.position)
        columns.append([neutralise(say(v)) for v in (
            column.name, column.position, _word(str(target.target)), what, target.how)])
    for question in result.plan.missing:
        columns.append(["", "", say(staff_text("no column")), question,
                        say(staff_text("not in the file"))])
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
