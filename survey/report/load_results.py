"""Reading what `survey analyse` wrote, and refusing results that are missing or stale.

This is the report's only door to the data (DESIGN.md): the results table with disclosure
control applied, run.json (the run's figures and the fingerprints of plan and store),
returns.csv and, when the plan publishes it, open-answers.csv. Text is cleaned on the way in
(survey.report.safe_text) so no format has to remember it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from survey.report.errors import ReportError
from survey.report.safe_text import clean
from survey.stats.disclosure import LOW_BASE, SUPPRESSED
from survey.stats.plan.model import Plan
from survey.stats.result_columns import FIGURES as RESULT_FIGURES
from survey.stats.result_columns import RESULT_COLUMNS
from survey.stats.run_record import RETURNS_FILE, RUN_FILE, plan_fingerprint
from survey.stats.waves import CHANGES_FILE, FIGURES

RESULTS_FILE = "results.csv"
OPEN_ANSWERS_FILE = "open-answers.csv"
NUMBERS = RESULT_FIGURES
TEXTS = tuple(c for c in RESULT_COLUMNS if c not in NUMBERS)


@dataclass(frozen=True)
class Results:
    folder: Path
    table: pd.DataFrame
    """The results table: text columns as str ('' when empty), figures as float (NaN)."""
    run: dict[str, Any]
    returns: pd.DataFrame
    open_answers: pd.DataFrame | None
    changes: pd.DataFrame | None = None
    """changes.csv: the changes since the plan's previous wave (survey.stats.waves); None
    when the plan names none."""

    def is_suppressed(self, row: Any) -> bool:
        return SUPPRESSED in str(row["flags"])

    @staticmethod
    def is_low_base(row: Any) -> bool:
        return LOW_BASE in str(row["flags"]).split(",")


def _read_csv(path: Path, numbers: tuple[str, ...], command: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise ReportError(f"{path} cannot be read ({error}); make it again: {command}") from None
    for column in frame.columns:
        if column in numbers:
            frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
        else:
            frame[column] = frame[column].map(clean)
    return frame


def analyse_command(project: Path, plan_file: Path, folder: Path, db_url: str | None) -> str:
    """The command that makes (or remakes) the results a report needs."""
    db = f" --db {db_url}" if db_url else ""
    return f"survey analyse {project} --plan {plan_file} --out {folder}{db}"


def load_results(folder: Path, plan: Plan, store_state: dict[str, Any] | None,
                 command: str) -> Results:
    """The results in `folder`, checked to be made from this plan and the current store.

    `store_state` is survey.stats.run_record.store_fingerprint of the store now, or None when
    the store is not at hand (results copied elsewhere): then only the plan is compared."""
    run_file = folder / RUN_FILE
    results_file = folder / RESULTS_FILE
    if not results_file.is_file() or not run_file.is_file():
        missing = results_file if not results_file.is_file() else run_file
        raise ReportError(f"no results to report: {missing} does not exist. Run the analysis "
                          f"first: {command}")
    try:
        run = json.loads(run_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportError(f"{run_file} cannot be read ({error}); make it again: "
                          f"{command}") from None
    if run.get("questionnaire") != plan.questionnaire.id:
        raise ReportError(f"the results in {folder} are for questionnaire "
                          f"'{run.get('questionnaire')}', the plan for "
                          f"'{plan.questionnaire.id}': {command}")
    if run.get("plan_sha256") != plan_fingerprint(plan):
        raise ReportError(f"the results in {folder} are stale: {plan.file} (or its margins file) "
                          f"changed after they were made. Run the analysis again: {command}")
    if store_state is not None and run.get("store") != store_state:
        raise ReportError(f"the results in {folder} are stale: the store changed after they "
                          f"were made (returns imported, rolled back or submitted). Run the "
                          f"analysis again: {command}")
    table = _read_csv(results_file, NUMBERS, command)
    lacking = [c for c in RESULT_COLUMNS if c not in table.columns]
    if lacking:
        raise ReportError(f"{results_file} lacks the columns {', '.join(lacking)}; it was "
                          f"written by another version. Make it again: {command}")
    returns_file = folder / RETURNS_FILE
    returns = (_read_csv(returns_file, ("accepted", "quarantined", "duplicate", "withdrawn"),
                         command) if returns_file.is_file() else pd.DataFrame())
    answers_file = folder / OPEN_ANSWERS_FILE
    answers = (_read_csv(answers_file, (), command)
               if answers_file.is_file() and run.get("free_text") == "scrub" else None)
    changes = None
    if plan.previous_wave is not None:
        changes_file = folder / CHANGES_FILE
        if not changes_file.is_file():
            raise ReportError(f"the results in {folder} have no {CHANGES_FILE}, though "
                              f"{plan.file} names a previous wave: run the analysis again: "
                              f"{command}")
        changes = _read_csv(changes_file, FIGURES, command)
    return Results(folder, table, run, returns, answers, changes)
