"""A project's accepted responses as a notebook Design: the same respondents, weights and
design the project's analysis plan uses, so a figure an analyst checks in a notebook is the
figure the report prints.

Columns are the plan's variables (the questionnaire's and the plan's derived ones): numbers,
rating codes and the 0/1 of each option of a multiple choice as numbers (so a model can take
them), categories as pandas categoricals of their names in declared order, free texts as
text; labels in the plan's language.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from survey.project import Project, ProjectError
from survey.questionnaire.measurement import Scale
from survey.stats.data_design import Design
from survey.stats.plan import load_plan, project_plan_file, read_questionnaire_id
from survey.stats.plan.data import PlanData
from survey.stats.plan.model import Plan
from survey.stats.plan.regression import is_option
from survey.stats.plan.variables import NUMERIC_SCALES
from survey.stats.plan.weighting import unweighted, weight
from survey.stats.run_plan import plan_design
from survey.store.dataset import load_dataset

WEIGHT_COLUMN = "weight"


def _frame(plan: Plan, data: PlanData) -> tuple[pd.DataFrame, dict[str, dict[object, str]]]:
    columns: dict[str, object] = {}
    labels: dict[str, dict[object, str]] = {}
    for name, info in plan.variables.items():
        if is_option(info) or (info.scale in NUMERIC_SCALES and info.variable is not None):
            columns[name] = data.numbers(name)
            if info.categories:
                labels[name] = {c.code: c.label for c in info.categories
                                if c.code is not None}
        elif info.scale in (Scale.FREE_TEXT, Scale.DATE):
            columns[name] = data.values[name].to_numpy(dtype=object)
        else:
            columns[name] = data.categories(name).array
            # a copy: dict keys are invariant, so dict[str, str] is no dict[object, str]
            labels[name] = {code: label for code, label in data.labels(name).items()}
    return pd.DataFrame(columns), labels


def project_design(project_dir: Path, plan_file: Path | None = None,
                   db_url: str | None = None) -> Design:
    """The Design of the project's accepted responses under its plan (the project's only
    plan unless `plan_file` names one)."""
    project = Project(project_dir)
    plan_path = plan_file or project_plan_file(project)
    questionnaire = project.questionnaire(read_questionnaire_id(plan_path))
    plan = load_plan(plan_path, questionnaire)
    store = project.store(db_url)
    try:
        dataset = load_dataset(store, questionnaire)
    finally:
        store.close()
    if dataset.values.empty:
        raise ProjectError(f"the store of {project_dir} holds no accepted responses to "
                           f"'{questionnaire.id}'; import returns first (survey ingest)")
    data = PlanData(plan, dataset)
    outcome = weight(plan.weighting, data) if plan.weighting else unweighted(data.n)
    frame, labels = _frame(plan, data)
    frame[WEIGHT_COLUMN] = outcome.weights
    frame.index = pd.Index(dataset.values.index, name="submission_id")
    return Design.of(frame, plan_design(plan, data, outcome), labels)
