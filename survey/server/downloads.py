"""The accepted responses as CSV or XLSX for the admin pages: the same table, with the same
formula neutralisation, as `survey export` writes."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from survey.export.table import ExportTable, build_table, read_records
from survey.export.tables import write_csv, write_xlsx
from survey.questionnaire.model import Questionnaire
from survey.store.schema import Status
from survey.store.store import Store

WRITERS: dict[str, Callable[[ExportTable, Path], list[Path]]] = {
    "csv": write_csv, "xlsx": write_xlsx}


def accepted_responses(store: Store, questionnaire: Questionnaire, file_format: str) -> bytes:
    """The file's bytes; the writers stream to disk, so they write into a temporary folder."""
    table = build_table(questionnaire, read_records(store, questionnaire.id, [Status.ACCEPTED]))
    with tempfile.TemporaryDirectory(prefix="survey-download-") as folder:
        path = Path(folder) / f"{questionnaire.id}.{file_format}"
        WRITERS[file_format](table, path)
        return path.read_bytes()
