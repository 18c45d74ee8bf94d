"""Analysis plans (analysis/*.yaml): load one, checked against its questionnaire.

`load_plan` reports every problem of a plan and of its margins file at once, each as
file:line:column with what to do, so `run_plan` never meets an unknown variable, a wrong kind
or a margin that cannot add up. The format is documented in docs/analysis-plan.md.
"""

from __future__ import annotations

from pathlib import Path

from survey.project import Project, ProjectError
from survey.questionnaire.model import Questionnaire
from survey.staff_texts import staff_text
from survey.stats.plan.checks import check_plan, read_plan_yaml
from survey.stats.plan.model import Place, Plan, PlanError

__all__ = ["Plan", "PlanError", "load_plan", "project_plan_file", "read_questionnaire_id"]


def load_plan(path: Path | str, questionnaire: Questionnaire) -> Plan:
    """The checked plan; raises PlanError listing every problem (warnings stay in the plan)."""
    return check_plan(Path(path), questionnaire)


def read_questionnaire_id(path: Path | str) -> str:
    """The questionnaire a plan is written for, so a caller can load it before the plan."""
    document = read_plan_yaml(Path(path))
    value = document.data.get("questionnaire") if isinstance(document.data, dict) else None
    if not isinstance(value, str):
        place = Place(str(path), document.source.value(("questionnaire",)))
        raise place.error("the plan must name its questionnaire, e.g. 'questionnaire: "
                          "zusammen' (the id under survey: in the questionnaire file)")
    return value


def project_plan_file(project: Project) -> Path:
    """The project's only analysis plan: the file in analysis/ that names its questionnaire
    (margins files do not). A plan that cannot be read is reported at its line, not as "no
    plan"."""
    project.questionnaire_files()  # a folder that is no project says so, not "no plan"
    plans: list[Path] = []
    unreadable: list[PlanError] = []
    for path in sorted(project.analysis_dir.glob("*.y*ml")):
        try:
            document = read_plan_yaml(path)
        except PlanError as error:
            unreadable.append(error)
            continue
        if isinstance(document.data, dict) and "questionnaire" in document.data:
            plans.append(path)
    if len(plans) == 1:
        return plans[0]
    if not plans and unreadable:
        raise ProjectError(str(unreadable[0])) from None
    folder = str(project.analysis_dir)
    if not plans:
        raise ProjectError(staff_text(
            "{folder} holds no analysis plan; write one (see docs/analysis-plan.md) or name "
            "it with --plan", folder=folder))
    raise ProjectError(staff_text(
        "{folder} holds {count} analysis plans ({names}); choose one with --plan",
        folder=folder, count=len(plans), names=", ".join(p.name for p in plans)))
