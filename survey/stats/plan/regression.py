"""Regression indicators of an analysis plan: "who is more likely to need housing help,
adjusted for age and years in Germany?" as rows of the results table.

    - id: housing_model
      kind: regression
      formula: housing_need ~ age_group + years_de
      family: binomial        # odds ratios; gaussian: differences in the outcome's unit
      event: very_important   # the outcome's category whose odds the model explains

A formula names the plan's variables (the questionnaire's and its derived ones) joined by
`+`, `*` and `:`. The outcome of a binomial model is a category (`event` names the one that
counts as 1, all others 0) or an option of a multiple choice (ticked = 1); of a gaussian model
a number or rating. Categorical predictors take their first category as the reference; ratings
and options enter as numbers. One row per coefficient but the intercept: the estimate is
the odds ratio (binomial) or the coefficient (gaussian) with its interval, `se` the
coefficient's standard error (on the log-odds scale for odds ratios) and `p_value` the t test
that it is zero, as R's `summary(svyglm(...))`. `unweighted_n` is the respondents in the
model with that category of a categorical predictor (all of them for a number), so disclosure
control hides the figure of a category too few people are in.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from survey.questionnaire.model import VariableRole
from survey.stats.design import SampleDesign
from survey.stats.model_frame import ModelError
from survey.stats.plan.data import PlanData
from survey.stats.plan.model import Indicator
from survey.stats.plan.variables import NUMERIC_SCALES, VariableInfo
from survey.stats.regression import Family, svyglm
from survey.stats.results import TOTAL
from survey.user_error import UserError

FAMILIES = ("binomial", "gaussian")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
FORMULA = re.compile(r"\s*([A-Za-z_]\w*)\s*~\s*([A-Za-z_]\w*(?:\s*[+*:]\s*[A-Za-z_]\w*)*)\s*")


class FormulaError(UserError, ValueError):
    """A plan formula that is not `outcome ~ a + b` in the plan's variable names."""


def formula_variables(formula: str) -> tuple[str, tuple[str, ...]]:
    """The outcome and the predictors a plan formula names."""
    match = FORMULA.fullmatch(formula)
    if match is None:
        raise FormulaError(f"the formula {formula!r} must read 'outcome ~ a + b': variable "
                           "names joined by +, * (with interaction) or : (interaction only)")
    predictors = tuple(dict.fromkeys(NAME.findall(match[2])))
    if match[1] in predictors:
        raise FormulaError(f"'{match[1]}' is both the outcome and a predictor of {formula!r}")
    return match[1], predictors


def is_option(info: VariableInfo) -> bool:
    """An option of a multiple choice: 0/1, a number to a model."""
    return info.variable is not None and info.variable.role == VariableRole.OPTION


def _column(data: PlanData, info: VariableInfo) -> pd.Series:
    """Numbers for numbers, ratings and options (0/1); categories in declared order else."""
    if is_option(info) or (info.scale in NUMERIC_SCALES and info.variable is not None):
        return pd.Series(data.numbers(info.name))
    return data.categories(info.name).reset_index(drop=True)


def _labels(data: PlanData, predictors: tuple[str, ...],
            frame: pd.DataFrame) -> dict[str, tuple[str, np.ndarray]]:
    """Coefficient name (as R writes it) -> its label and the rows it counts."""
    found: dict[str, tuple[str, np.ndarray]] = {}
    for name in predictors:
        info = data.plan.variables[name]
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            labels = data.labels(name)
            for level in column.cat.categories:
                found[f"{name}{level}"] = (f"{info.label} – {labels.get(level, level)}",
                                           (column == level).to_numpy())
        else:
            found[name] = (info.label, column.notna().to_numpy())
    return found


def regression_rows(design: SampleDesign, indicator: Indicator, data: PlanData,
                    level: float) -> list[dict[str, Any]]:
    """The indicator's rows (see the module docstring)."""
    assert indicator.formula is not None and indicator.family is not None
    outcome, predictors = formula_variables(indicator.formula)
    frame = pd.DataFrame({name: _column(data, data.plan.variables[name])
                          for name in (outcome, *predictors)})
    if indicator.event is not None:
        categories = data.categories(outcome).reset_index(drop=True)
        frame[outcome] = (categories == indicator.event).astype(float).where(
            categories.notna())
    try:
        model = svyglm(design, frame, indicator.formula, Family(indicator.family))
    except ModelError as error:
        raise indicator.place.error(f"indicator '{indicator.id}': {error}") from None
    low, high = model.confidence_interval(level)
    odds = Family(indicator.family).logistic
    labels = _labels(data, predictors, frame)
    used = frame.notna().all(axis=1).to_numpy()
    rows = []
    for k, name in enumerate(model.names):
        if name == "(Intercept)":
            continue
        parts = [labels.get(part, (part, used)) for part in name.split(":")]
        counted = used.copy()
        for _, rows_of in parts:
            counted &= rows_of
        transform = np.exp if odds else (lambda v: v)
        rows.append({
            "indicator": indicator.id, "indicator_label": indicator.label,
            "kind": indicator.kind.value, "breakdown": TOTAL, "group": TOTAL,
            "category": name, "category_label": " × ".join(label for label, _ in parts),
            "estimate": float(transform(model.coefficients[k])), "se": float(model.se[k]),
            "ci_low": float(transform(low[k])), "ci_high": float(transform(high[k])),
            "unweighted_n": int(counted.sum()),
            "weighted_n": float(design.weights[counted].sum()), "base_n": model.unweighted_n,
            "deff": np.nan, "n_effective": np.nan, "p_value": float(model.p_values[k]),
            "letters": "", "rank": "", "quadrant": "", "flags": "",
        })
    return rows
