"""Analysis plans (analysis/*.yaml): load one, checked against its questionnaire.

`load_plan` reports every problem of a plan and of its margins file at once, each as
file:line:column with what to do, so `run_plan` never meets an unknown variable, a wrong kind
or a margin that cannot add up. The format is documented in docs/analysis-plan.md.
"""

from __future__ import annotations

from pathlib import Path

from survey.questionnaire.model import Questionnaire
from survey.stats.plan_checks import check_plan, read_plan_yaml
from survey.stats.plan_model import Place, Plan, PlanError

__all__ = ["Plan", "PlanError", "load_plan", "read_questionnaire_id"]


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
