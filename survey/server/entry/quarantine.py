"""Quarantined import rows on the reconciliation screen: their answers read back from the raw
row as answer codes, their problems, and acceptance once check_answers passes.

The raw row keeps the file's columns; reading it again with ingest's own column plan and
readers (no mapping file: columns are matched by name and label as ingest does) gives the
answers to start from. Whatever cannot be read shows as a problem next to its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from survey.ingest.columns import MappingProblem, plan_columns
from survey.ingest.rows import RowReader
from survey.questionnaire.model import Questionnaire
from survey.server.entry.returns import Verdict, verdict
from survey.server.entry.typed import typed_answers
from survey.store.entries import Decision, EntryRefused, accept_fixed
from survey.store.schema import Status, responses
from survey.store.store import Store

MAX_LISTED = 200


def quarantined_rows(store: Store, questionnaire_id: str) -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(
            sa.select(responses.c.submission_id, responses.c.source_file,
                      responses.c.source_row, responses.c.stored_at)
            .where(responses.c.questionnaire_id == questionnaire_id,
                   responses.c.status == Status.QUARANTINED)
            .order_by(responses.c.source_file, responses.c.source_row)
            .limit(MAX_LISTED)).mappings()]


def row_fields(questionnaire: Questionnaire, row: Mapping[str, Any]
               ) -> tuple[dict[str, str], dict[str, str]]:
    """The row's answers as typed codes, and its problems by answer name ("" for the row)."""
    raw = row["raw"] if isinstance(row["raw"], dict) else {}
    headers = [str(h) for h in raw]
    reasons: dict[str, str] = {}
    typed: dict[str, str] = {}
    try:
        plan = plan_columns(questionnaire, [(h, None) for h in headers])
        read = RowReader(questionnaire, plan, headers, [None] * len(headers), False).read(
            list(raw.values()))
        typed = dict(typed_answers(questionnaire, read.answers))
        by_column = {c: name for name, columns in read.sources.items() for c in columns}
    except MappingProblem as problem:
        reasons[""] = f"the columns cannot be matched again ({problem}); type the answers"
        by_column = {}
    index = questionnaire.answer_index
    for problem in row.get("problems", []):
        name = problem.get("column") or ""
        name = by_column.get(name, name if name in index else "")
        text = f"{problem['message']}" + (f"; {problem['fix']}" if problem.get("fix") else "")
        reasons[name] = f"{reasons[name]} · {text}" if name in reasons else text
    return typed, reasons


def fix_row(store: Store, questionnaire: Questionnaire, row: Mapping[str, Any],
            before: Mapping[str, str], typed: Mapping[str, str], user: str) -> Verdict:
    """Accept the row with the typed answers if they pass; every changed field is audited."""
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
