"""What a report needs to know about an analysis run besides the results table: the run's
figures in machine-readable form (run.json), how the returns came in (returns.csv), and
fingerprints of the plan and the store so a report can tell when its results are stale.

Reports never read the store's responses (DESIGN.md); everything they say about the run comes
from here. Returns are counts per mode and language; a language with fewer accepted returns
than the plan's min_cell is counted under "other", as a small group's count is a small cell.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from survey.safe_cells import neutralise
from survey.stats.plan.model import Plan
from survey.stats.plan.result import AnalysisResult
from survey.stats.waves import questionnaire_record
from survey.store.schema import Status
from survey.store.store import Store
from survey.store.summaries import return_counts
from survey.store.tombstones import erasure_count

RUN_FILE = "run.json"
RETURNS_FILE = "returns.csv"
OTHER_LANGUAGE = "other"
UNKNOWN_LANGUAGE = "unknown"
RETURNS_COLUMNS = ("mode", "language", *(s.value for s in Status))


def plan_fingerprint(plan: Plan) -> str:
    """SHA-256 of the plan file and its margins file: results made with another plan are stale."""
    digest = hashlib.sha256(Path(plan.file).read_bytes())
    if plan.weighting is not None:
        digest.update(Path(plan.weighting.margins_file).read_bytes())
    return digest.hexdigest()


def store_fingerprint(store: Store, questionnaire_id: str) -> dict[str, Any]:
    """Counts by status, the newest import batch and the erasures: any import, rollback, web
    submission or erasure after the run changes it."""
    counts = store.count(questionnaire_id)
    batches = [b for b in store.batches() if b["questionnaire_id"] == questionnaire_id]
    latest = batches[-1] if batches else None
    with store.engine.connect() as connection:
        erased = erasure_count(connection, questionnaire_id)
    return {"statuses": {str(k): int(v) for k, v in sorted(counts.items())},
            "batches": len(batches),
            "latest_batch": None if latest is None else int(latest["id"]),
            "rolled_back": sum(1 for b in batches if b["rolled_back_at"] is not None),
            "erased": erased}


def returns_table(store: Store, questionnaire_id: str, min_cell: int) -> pd.DataFrame:
    """Responses per mode and language, one column per status."""
    frame = pd.DataFrame(return_counts(store, questionnaire_id),
                         columns=["mode", "language", "status", "count"])
    frame["language"] = frame["language"].fillna(UNKNOWN_LANGUAGE)
    table = frame.pivot_table(index=["mode", "language"], columns="status", values="count",
                              aggfunc="sum", fill_value=0)
    table = table.reindex(columns=[s.value for s in Status], fill_value=0).reset_index()
    small = table[Status.ACCEPTED.value] < min_cell
    table.loc[small, "language"] = OTHER_LANGUAGE
    table = table.groupby(["mode", "language"], as_index=False, sort=False).sum()
    return table.sort_values(["mode", Status.ACCEPTED.value], ascending=[True, False],
                             kind="stable")[list(RETURNS_COLUMNS)].reset_index(drop=True)


def run_summary(result: AnalysisResult, store_state: dict[str, Any]) -> dict[str, Any]:
    """The run's figures a report states, typed (diagnostics.md has them as prose)."""
    plan, d = result.plan, result.diagnostics
    weighting = plan.weighting
    return {
        "title": plan.title, "plan_file": plan.file, "plan_sha256": plan_fingerprint(plan),
        "questionnaire": plan.questionnaire.id,
        "questionnaire_version": plan.questionnaire.survey.version,
        "language": plan.language, "store": store_state,
        "respondents": d.respondents, "effective_n": d.weights.effective_n,
        "design_effect": d.weights.design_effect, "weighting": d.weighting,
        "weighted": weighting is not None,
        "margins": [] if weighting is None else [list(m.variables) for m in weighting.margins],
        "margins_source": None if weighting is None else weighting.source,
        "illustrative": bool(weighting is not None and weighting.illustrative),
        "design": d.design, "degrees_of_freedom": d.degrees_of_freedom,
        "level": plan.level, "alpha": plan.alpha, "correction": str(plan.correction),
        "min_cell": plan.disclosure.rules.min_cell, "low_base": plan.disclosure.rules.low_base,
        "free_text": str(plan.disclosure.free_text),
        "breakdowns": [b.variable for b in plan.breakdowns],
        "margin_cells": [{k: (float(v) if isinstance(v, float) else v) for k, v in row.items()}
                         for row in d.margins.to_dict("records")],
        "flags": d.flags, "warnings": [str(w) for w in result.warnings],
        # what a later wave compares with: wording and codes of every question
        **questionnaire_record(plan),
    }


def write_run_record(result: AnalysisResult, store_state: dict[str, Any],
                     returns: pd.DataFrame, out_dir: Path | str) -> list[Path]:
    """Write run.json and returns.csv beside the results table; the paths written."""
    out = Path(out_dir)
    run = out / RUN_FILE
    run.write_text(json.dumps(run_summary(result, store_state), ensure_ascii=False, indent=2),
                   encoding="utf-8")
    path = out / RETURNS_FILE
    returns.assign(language=returns["language"].map(neutralise)).to_csv(path, index=False)
    return [run, path]
