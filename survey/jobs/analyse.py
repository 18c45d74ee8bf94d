"""`survey analyse` as a job: the plan run on the store's accepted responses, and its results
table, weights, run record and wave changes written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.jobs.progress import Progress, quietly
from survey.project import Project, ProjectError
from survey.stats.plan import load_plan, read_questionnaire_id
from survey.stats.run_plan import run_plan, write_outputs
from survey.stats.run_record import returns_table, store_fingerprint, write_run_record
from survey.stats.waves import write_changes
from survey.store.dataset import load_dataset


@dataclass(frozen=True)
class Analysis:
    """What `survey analyse` did: how many responses it analysed and the files it wrote."""

    responses: int
    """The accepted responses analysed."""
    written: list[Path]


def analyse(project_dir: Path, plan_file: Path, out_dir: Path, db_url: str | None = None,
            progress: Progress = quietly) -> Analysis:
    """Raises a UserError (the project's, plan's, store's or estimators') before anything is
    written when the analysis cannot be made."""
    project = Project(project_dir)
    questionnaire = project.questionnaire(read_questionnaire_id(plan_file))
    plan = load_plan(plan_file, questionnaire)
    store = project.store(db_url)
    try:
        dataset = load_dataset(store, questionnaire)
        store_state = store_fingerprint(store, questionnaire.id)
        returns = returns_table(store, questionnaire.id, plan.disclosure.rules.min_cell)
    finally:
        store.close()
    if dataset.values.empty:
        raise ProjectError(f"the store of {project_dir} holds no accepted responses to "
                           f"'{questionnaire.id}'; import returns first (survey ingest)")
    result = run_plan(plan, dataset, progress)
    written = write_outputs(result, out_dir)
    written += write_run_record(result, store_state, returns, out_dir)
    written += write_changes(plan, out_dir)
    return Analysis(len(dataset.values), written)
