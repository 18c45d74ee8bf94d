"""Scanned returns into the store: a complete return with every mark clear that passes the
checks is accepted with mode "scan"; any other waits on the reconciliation screen of data
entry, with its unclear fields marked '?' and their cut-out images beside them.

What the scanner read is kept as an entry (survey.store.entries, user SCANNER) either way, as
typed entries are, so the stored response can always be traced back to its reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.questionnaire.model import Questionnaire
from survey.returns.doubts import copy_folder, write_doubts
from survey.returns.reconcile import paper_response, verdict
from survey.scan.assemble import ScannedReturn
from survey.store.entries import (
    SCANNER,
    EntryRefused,
    accept,
    paper_submission_id,
    save_scan_entry,
    serial_subject,
)
from survey.store.store import Store


class Outcome:
    STORED = "stored"
    TO_CHECK = "to the reconciliation screen"
    ALREADY = "already stored"
    REFUSED = "not used"


@dataclass(frozen=True)
class StoredReturn:
    copy: ScannedReturn
    outcome: str
    note: str = ""


def _why_not_stored(copy: ScannedReturn, problems: dict[str, str]) -> str:
    if not copy.complete:
        return f"incomplete: page {', '.join(map(str, copy.missing))} not scanned"
    if copy.doubts:
        return f"{len(copy.doubts)} field(s) for a person: {', '.join(copy.doubts)}"
    return "breaks the questionnaire's rules: " + "; ".join(
        f"{name}: {message}" for name, message in problems.items())


def store_return(store: Store, root: Path, questionnaire: Questionnaire,
                 copy: ScannedReturn) -> StoredReturn:
    """Accept the return or leave it for reconciliation; never both, never twice."""
    if store.response(paper_submission_id(copy.questionnaire_id, copy.serial)) is not None:
        return StoredReturn(copy, Outcome.ALREADY, "a copy is stored once; the scan changed "
                            "nothing")
    try:
        entry = save_scan_entry(store, copy.questionnaire_id, copy.serial, copy.language,
                                copy.typed)
    except EntryRefused as refused:
        return StoredReturn(copy, Outcome.REFUSED, str(refused))
    result = verdict(questionnaire, copy.typed)
    if copy.clear and result.accepted:
        accept(store, paper_response(questionnaire, [entry], result.kept, result.validated),
               SCANNER, serial_subject(copy.serial), [])
        return StoredReturn(copy, Outcome.STORED)
    write_doubts(copy_folder(root, copy.questionnaire_id, copy.serial), copy.doubts,
                 {f"{name}.png": data for name, data in copy.images.items()})
    return StoredReturn(copy, Outcome.TO_CHECK, _why_not_stored(copy, result.problems))
