"""The dashboard as tables: the page shows them, `survey fieldwork --out` writes them (CSV or
XLSX), so the weekly partner meeting reads exactly the page's figures.

Values are rounded here, once: shares in percent to one decimal, weights to two, needed
respondents to whole people. Texts are staff messages, said in the reader's language.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from survey.atomic_write import write_atomically
from survey.fieldwork.dashboard import Fieldwork
from survey.questionnaire.languages import language_name
from survey.safe_cells import neutralise
from survey.staff_texts import Message, in_language, staff_text
from survey.stats.disclosure import LOW_BASE, SECONDARY, SUPPRESSED

Value = str | int | float | None


@dataclass(frozen=True)
class Sheet:
    """One table of the dashboard, headers and rounded rows, as the page shows it and as CSV or
    XLSX writes it."""

    key: str
    """Short name: the XLSX sheet and the CSV `section`."""
    title: Message
    headers: tuple[Message, ...]
    rows: list[list[Value]]


class _LanguageName(str):
    """A language code that names itself in the reader's language."""

    def in_language(self, language: str) -> str:
        return language_name(str(self), language)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def _flag_text(flags: str, min_cell: int) -> Message | str:
    words = []
    for flag in flags.split(","):
        if flag == SUPPRESSED:
            words.append(staff_text("suppressed: fewer than {count} respondents",
                                    count=min_cell))
        elif flag == SECONDARY:
            words.append(staff_text("suppressed so that a small cell cannot be worked out"))
        elif flag == LOW_BASE:
            words.append(staff_text("few respondents: shares are unreliable"))
    if len(words) == 1:
        return words[0]
    return "; ".join(words)


def fieldwork_sheets(fieldwork: Fieldwork) -> list[Sheet]:
    """Every table of the dashboard, in page order."""
    sheets = [_summary(fieldwork), _partners(fieldwork)]
    if fieldwork.cells:
        sheets.append(_targets(fieldwork))
    sheets += [
        Sheet("days", staff_text("Returns by day"),
              (staff_text("Day"), staff_text("Accepted responses")),
              [[day.isoformat() if day else "", n] for day, n in fieldwork.by_day]),
        Sheet("modes", staff_text("Returns by mode"),
              (staff_text("Mode"), staff_text("Accepted responses")),
              [[_mode(mode), n] for mode, n in fieldwork.by_mode]),
        Sheet("languages", staff_text("Returns by form language"),
              (staff_text("Language"), staff_text("Accepted responses")),
              [[_LanguageName(code) if code else staff_text("not known"), n]
               for code, n in fieldwork.by_language]),
    ]
    return sheets


def _mode(mode: str) -> Message:
    return {"web": staff_text("online"), "paper": staff_text("paper, typed in"),
            "scan": staff_text("paper, scanned"),
            "import": staff_text("imported file")}.get(mode) or staff_text(mode)


def _summary(fieldwork: Fieldwork) -> Sheet:
    rows: list[list[Value]] = [[staff_text("Accepted responses"), fieldwork.accepted]]
    found = fieldwork.representativeness
    if found is not None:
        rows += [
            [staff_text("Coefficient of variation of the weights"), round(found.weight_cv, 3)],
            [staff_text("Design effect of the weights (1 + CV²)"),
             round(found.design_effect, 2)],
            [staff_text("Effective number of respondents"), round(found.effective_n)],
            [staff_text("R-indicator (1 = as representative as the weighting variables can "
                        "show)"), round(found.r_indicator, 4)],
            [staff_text("Coefficient of variation of the response propensities (largest bias "
                        "of an unweighted mean, in standard deviations)"),
             round(found.propensity_cv, 3)],
        ]
    for note in fieldwork.notes:
        rows.append([staff_text("Note"), note])
    return Sheet("summary", staff_text("Summary"), (staff_text("Figure"), staff_text("Value")),
                 rows)


def _partners(fieldwork: Fieldwork) -> Sheet:
    rows: list[list[Value]] = []
    for row in fieldwork.partners:
        if row.id is None:
            name: Message | str = staff_text("no partner (open link, own files)")
        elif not row.listed:
            name = staff_text("not in partners.yaml")
        else:
            name = row.name
        rows.append([row.id or "", name, row.accepted, row.by_mode["web"],
                     row.by_mode["paper"], row.by_mode["scan"], row.by_mode["import"],
                     row.quarantined, row.printed, row.returned, row.not_returned,
                     row.missing])
    return Sheet("partners", staff_text("Returns by partner"), (
        staff_text("Partner"), staff_text("Name"), staff_text("Accepted responses"),
        staff_text("online"), staff_text("paper, typed in"), staff_text("paper, scanned"),
        staff_text("imported file"), staff_text("Quarantined (to fix)"),
        staff_text("Forms printed"), staff_text("Forms returned"),
        staff_text("Forms not returned"), staff_text("Serials not returned")), rows)


def _targets(fieldwork: Fieldwork) -> Sheet:
    rows: list[list[Value]] = []
    for cell in fieldwork.cells:
        rows.append([cell.margin, cell.label, _percent(cell.target_share), round(cell.needed),
                     cell.achieved, _percent(cell.achieved_share),
                     None if cell.shortfall is None else round(cell.shortfall),
                     None if cell.weight is None else round(cell.weight, 2),
                     _flag_text(cell.flags, fieldwork.rules.min_cell)])
    return Sheet("targets", staff_text("Weighting variables against their targets"), (
        staff_text("Weighting variable"), staff_text("Group"),
        staff_text("Population share (%)"), staff_text("Respondents needed"),
        staff_text("Respondents achieved"), staff_text("Achieved share (%)"),
        staff_text("Still missing"), staff_text("Weight it would get"),
        staff_text("Note")), rows)


def said(value: Any, language: str) -> Any:
    """A cell in `language`: messages translated, everything else as it is."""
    return in_language(value, language)


def _cells(sheet: Sheet, language: str) -> list[list[Any]]:
    return [[neutralise(said(value, language)) for value in row] for row in sheet.rows]


def write_fieldwork(sheets: list[Sheet], path: Path, language: str) -> None:
    """The sheets as one CSV (a `section` column, then each table under its header row) or
    one XLSX (a sheet per table); texts made safe against formula injection."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for sheet in sheets:
            page = book.create_sheet(sheet.key)
            page.append([said(h, language) for h in sheet.headers])
            for row in _cells(sheet, language):
                page.append(row)
        data = io.BytesIO()
        book.save(data)
        write_atomically(path, data.getvalue())
        return
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    for sheet in sheets:
        writer.writerow(["section", *(said(h, language) for h in sheet.headers)])
        for row in _cells(sheet, language):
            writer.writerow([sheet.key, *("" if v is None else v for v in row)])
    write_atomically(path, text.getvalue().encode("utf-8-sig"))
