"""The results table: one row per (indicator, breakdown, group, category), the only thing
reports read (DESIGN.md). Built here from a design; disclosure control runs on it afterwards.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from survey.stats.compare import Correction, compare_groups
from survey.stats.design import SampleDesign
from survey.stats.estimate import mean
from survey.stats.intervals import IntervalMethod, proportion_interval
from survey.stats.levels import ordered_levels
from survey.stats.result_columns import ESTIMATE_COLUMNS

TOTAL = "total"
"""The breakdown and group name of whole-sample rows."""


def categorical_rows(design: SampleDesign, indicator: str, values: pd.Series,
                     levels: tuple[object, ...], breakdown: str | None = None,
                     groups: pd.Series | None = None,
                     method: IntervalMethod = IntervalMethod.LOGIT, level: float = 0.95,
                     correction: Correction = Correction.HOLM,
                     alpha: float = 0.05) -> list[dict[str, Any]]:
    """Shares of each category, for the whole sample or per group of `groups`.

    The shares of all groups come from one joint estimate per category (the one the
    significance letters are computed from), so each figure is computed once. A group's
    intervals use the group's own degrees of freedom (its PSUs minus its strata), as R's
    `svyciprop` on `subset(design, group)` does. `deff` is R's design effect of the share
    (`deff = TRUE`, or "replace" for weights that sum to no population: see
    survey.stats.design_effects) and `n_effective` the base divided by it.
    """
    known = values.notna().to_numpy()
    indicators = np.column_stack([np.where(known, (values == c).to_numpy(dtype=float), np.nan)
                                  for c in levels])
    group_series = (pd.Series([TOTAL] * design.n) if groups is None
                    else groups.reset_index(drop=True))
    answering = group_series.where(known)
    breakdown_name = TOTAL if breakdown is None else breakdown
    estimates: dict[tuple[object, object], tuple[float, float, str, float]] = {}
    if groups is None:
        whole = mean(design, indicators)
        for k, category in enumerate(levels):
            estimates[TOTAL, category] = (float(whole.values[k]), float(whole.se[k]), "",
                                          float(whole.design_effect(None)[k]))
    elif answering.notna().any():
        for k, category in enumerate(levels):
            comparison = compare_groups(design, indicators[:, k], answering, correction, alpha)
            for g, group in enumerate(comparison.groups):
                estimates[group, category] = (float(comparison.estimate.values[g]),
                                              float(comparison.estimate.se[g]),
                                              comparison.letters[g],
                                              float(comparison.estimate.design_effect(
                                                  None)[g]))
    rows: list[dict[str, Any]] = []
    for group in ordered_levels(group_series):
        in_group = (group_series == group).to_numpy()
        df = design.domain_degrees_of_freedom(None if groups is None else in_group)
        inside = in_group & known
        base = int(inside.sum())
        for category in levels:
            in_cell = inside & (values == category).to_numpy()
            share, se, letters, deff = estimates.get((group, category),
                                                     (np.nan, np.nan, "", np.nan))
            low, high = (np.nan, np.nan) if base == 0 else proportion_interval(
                method, share, se, base, df, level)
            rows.append({
                "indicator": indicator, "breakdown": breakdown_name, "group": group,
                "category": category, "estimate": share, "se": se, "ci_low": low,
                "ci_high": high, "unweighted_n": int(in_cell.sum()),
                "weighted_n": float(design.weights[in_cell].sum()), "base_n": base,
                "deff": deff, "n_effective": effective_n(base, deff),
                "letters": letters, "flags": "",
            })
    return rows


def effective_n(base: int, deff: float) -> float:
    """The base divided by the design effect; NaN where the design effect is not defined."""
    return float(base / deff) if np.isfinite(deff) and deff > 0 else float("nan")


def as_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))
