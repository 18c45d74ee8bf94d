"""Quarantined import rows on the reconciliation screen: their answers read back from the raw
row as answer codes, their problems, and acceptance once check_answers passes.

The raw row keeps the file's columns; reading it again the way its batch was read (the
reading kept with the batch: mapping file, the file's value labels, decimal comma) gives the
answers to start from. Rows of batches imported before readings were kept are matched by
name and label as ingest does, with a warning. Whatever cannot be read shows as a problem
next to its field; no answer of the raw record is ever dropped without a typed decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.ingest.columns import MappingProblem, Target, plan_columns
from survey.ingest.reading import ColumnReading
from survey.questionnaire.model import Questionnaire
from survey.returns.reconcile import Verdict, verdict
from survey.returns.typed import typed_answers
from survey.staff_texts import staff_text
from survey.store.entries import Decision, EntryRefused, accept_fixed
from survey.store.store import Store

_ANSWERS = (Target.ANSWER, Target.OPTION, Target.RANK)


@dataclass(frozen=True)
class QuarantinedRow:
    typed: dict[str, str]
    """The answers read from the raw row, as the codes typed on the screen."""
    reasons: dict[str, str]
    """Problems by answer name ("" for the row as a whole): staff texts where the screen wrote
    them, the stored English reasons of the import as they are."""
    as_imported: dict[str, str]
    """What the file held for each field: its code when it could be read, else the cells."""


def row_fields(store: Store, questionnaire: Questionnaire, row: Mapping[str, Any]
               ) -> QuarantinedRow:
    """The row read again the way its batch was read, with its problems next to their fields."""
    raw = row["raw"] if isinstance(row["raw"], dict) else {}
    reading = ColumnReading.from_json(store.batch_reading(row.get("batch_id")))
    reasons: dict[str, str] = {}
    typed: dict[str, str] = {}
    by_column: dict[str, str] = {}
    try:
        if reading is None:
            headers = [str(h) for h in raw]
            reading = ColumnReading(headers, plan_columns(
                questionnaire, [(h, None) for h in headers]), [None] * len(headers), False)
            reasons[""] = staff_text(
                "this row was imported before the toolkit kept how a file's columns were "
                "read: compare every field with the file")
        read = reading.read_raw(questionnaire, raw)
        typed = dict(typed_answers(questionnaire, read.answers))
        by_column = {h: t.name for h, t in zip(reading.headers, reading.plan.targets,
                                                strict=True) if t.target in _ANSWERS}
    except MappingProblem as error:
        reasons[""] = staff_text("the columns cannot be matched again ({problem}); type the "
                                 "answers", problem=error.args[0] if error.args else "")
    cells: dict[str, list[str]] = {}
    for header, name in by_column.items():
        if raw.get(header) not in (None, ""):
            cells.setdefault(name, []).append(str(raw[header]))
    index = questionnaire.answer_index
    for problem in row.get("problems", []):
        column = problem.get("column") or ""
        name = by_column.get(column) or by_column.get(column.split(", ")[0]) or (
            column if column in index else "")
        # the store keeps an import's problems in English: they are shown as stored
        text = f"{problem['message']}" + (f"; {problem['fix']}" if problem.get("fix") else "")
        reasons[name] = staff_text("{earlier} · {later}", earlier=reasons[name], later=text
                                   ) if name in reasons else text
    shown = {name: " · ".join(values) for name, values in cells.items()} | typed
    return QuarantinedRow(typed, reasons, shown)


def decided_answers(before: Mapping[str, str], posted: Mapping[str, str], shown: set[str]
                    ) -> dict[str, str]:
    """What was typed, and for fields that were not on the screen, what the row held."""
    return {n: v for n, v in before.items() if n not in shown} | dict(posted)


def fix_row(store: Store, questionnaire: Questionnaire, row: Mapping[str, Any],
            before: Mapping[str, str], posted: Mapping[str, str], shown: set[str],
            user: str) -> Verdict:
    """Accept the row with the posted answers if they pass; every changed field is audited.

    `shown`: the fields that were on the screen. An answer read from the raw row whose field
    was not shown keeps its value: only a decision typed on the screen removes an answer."""
    typed = decided_answers(before, posted, shown)
    result = verdict(questionnaire, typed)
    if not result.accepted:
        return result
    changed = [Decision(n, before.get(n), typed.get(n, ""))
               for n in sorted(set(before) | set(typed)) if before.get(n) != typed.get(n)]
    try:
        accept_fixed(store, questionnaire.id, row["submission_id"], result.validated, user,
                     changed)
    except EntryRefused as refused:
        result.problems[""] = str(refused)
    return result
