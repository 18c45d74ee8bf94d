"""One export: read the project's responses, build the table, write the chosen format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from survey.atomic_write import write_atomically
from survey.export.names import Target, safe_names
from survey.export.r_script import write_r_script
from survey.export.spss import write_sav
from survey.export.stata import write_dta
from survey.export.table import ExportError, ExportTable, build_table, read_weights
from survey.export.tables import write_csv, write_xlsx
from survey.project import Project
from survey.stats.run_record import RUN_FILE
from survey.store.schema import Status

DEFAULT_WEIGHTS = Path("results") / "weights.csv"
"""Where `survey analyse` writes weights by default; used when present."""

_WRITERS: dict[str, Callable[[ExportTable, Path], list[Path]]] = {
    "sav": write_sav,
    "zsav": lambda table, path: write_sav(table, path, compress=True),
    "dta": write_dta,
    "csv": lambda table, path: [*write_csv(table, path), *write_r_script(table, path)],
    "xlsx": write_xlsx,
}
FORMATS = tuple(_WRITERS)
_TARGETS = {"sav": Target.SPSS, "zsav": Target.SPSS, "dta": Target.STATA}


@dataclass(frozen=True)
class ExportResult:
    """What an export made: the table, the files written, and the weights file used (None:
    unweighted)."""

    table: ExportTable
    written: list[Path]
    weights: Path | None


def _names_file(table: ExportTable, target: Target, path: Path) -> list[Path]:
    """The renamed variables, for analysts matching the file against the codebook."""
    names = safe_names([c.name for c in table.columns], target)
    renamed = {old: new for old, new in names.items() if old != new}
    if not renamed:
        return []
    table.warnings.append(f"{len(renamed)} variable names are not allowed in {target.name} and "
                          f"were renamed ({path.name} lists them)")
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["variable", f"{target.value}_name"])
    writer.writerows(renamed.items())
    write_atomically(path, text.getvalue().encode("utf-8"))
    return [path]


def write_export(table: ExportTable, file_format: str, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{table.questionnaire.id}.{file_format}"
    written = _WRITERS[file_format](table, path)
    if file_format in _TARGETS:
        written += _names_file(table, _TARGETS[file_format],
                               out_dir / f"{table.questionnaire.id}-{file_format}-names.csv")
    return written


def _weights_of(path: Path, questionnaire_id: str) -> bool:
    """Whether `path` holds the weights of `questionnaire_id`: results/ is the last analysis
    run, which may have been of another questionnaire of the project (its run.json says)."""
    if not path.is_file():
        return False
    try:
        run = json.loads((path.parent / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True  # weights without their run record: as before, the user put them there
    return not isinstance(run, dict) or run.get("questionnaire") in (None, questionnaire_id)


def read_project_data(project: Project, questionnaire_id: str, statuses: list[Status],
                      db_url: str | None = None, weights_file: Path | None = None
                      ) -> tuple[list[tuple[str, str, dict[str, Any]]], pd.DataFrame | None,
                                 Path | None]:
    """The stored records of `questionnaire_id` with `statuses`; the weights from
    `weights_file`, else from DEFAULT_WEIGHTS when present; and the weights file read."""
    store = project.store(db_url)
    try:
        records = store.answers_with_status(questionnaire_id, statuses)
    finally:
        store.close()
    if weights_file is None and _weights_of(project.root / DEFAULT_WEIGHTS, questionnaire_id):
        weights_file = project.root / DEFAULT_WEIGHTS
    weights = read_weights(weights_file) if weights_file is not None else None
    return records, weights, weights_file


def export_project(project_dir: Path, file_format: str, *, survey_id: str | None = None,
                   language: str | None = None, include_quarantined: bool = False,
                   out_dir: Path | None = None, db_url: str | None = None,
                   weights_file: Path | None = None) -> ExportResult:
    """Write the accepted responses of a project's questionnaire (with the quarantined ones when
    asked) in one format, under PROJECT/exports unless `out_dir` says otherwise, weighted when
    a weights file is given or found."""
    if file_format not in FORMATS:
        raise ExportError(f"unknown export format '{file_format}'; choose one of "
                          f"{', '.join(FORMATS)}")
    project = Project(project_dir)
    questionnaire = project.questionnaire(survey_id)
    statuses = [Status.ACCEPTED] + ([Status.QUARANTINED] if include_quarantined else [])
    records, weights, weights_file = read_project_data(project, questionnaire.id, statuses,
                                                       db_url, weights_file)
    table = build_table(questionnaire, records, language, weights, include_quarantined)
    written = write_export(table, file_format, out_dir or project_dir / "exports")
    return ExportResult(table, written, weights_file)
