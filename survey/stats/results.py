"""The results table: one row per (indicator, breakdown, group, category), the only thing
reports read (DESIGN.md). Built here from a design; disclosure control runs on it afterwards.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey.stats.compare import Correction, compare_groups
from survey.stats.design import Design
from survey.stats.estimate import mean
from survey.stats.intervals import IntervalMethod, proportion_interval

COLUMNS = ("indicator", "breakdown", "group", "category", "estimate", "se", "ci_low",
           "ci_high", "unweighted_n", "weighted_n", "base_n", "letters", "flags")
TOTAL = "total"
"""The breakdown and group name of whole-sample rows."""


def categorical_rows(design: Design, indicator: str, values: pd.Series,
                     levels: tuple[object, ...], breakdown: str | None = None,
                     groups: pd.Series | None = None,
                     method: IntervalMethod = IntervalMethod.LOGIT, level: float = 0.95,
                     correction: Correction = Correction.HOLM,
                     alpha: float = 0.05) -> list[dict[str, object]]:
    """Shares of each category, for the whole sample or per group of `groups`."""
    known = values.notna().to_numpy()
    group_series = (pd.Series([TOTAL] * design.n) if groups is None
                    else groups.reset_index(drop=True))
    breakdown_name = TOTAL if breakdown is None else breakdown
    rows: list[dict[str, object]] = []
    letters_by_category: dict[object, dict[object, str]] = {}
    if groups is not None:
        for category in levels:
            indicator_values = np.where(known, (values == category).to_numpy(dtype=float),
                                        np.nan)
            comparison = compare_groups(design, indicator_values, group_series, correction,
                                        alpha)
            letters_by_category[category] = dict(zip(comparison.groups, comparison.letters,
                                                     strict=True))
    for group in sorted(group_series.dropna().unique(), key=str):
        inside = (group_series == group).to_numpy() & known
        base = int(inside.sum())
        for category in levels:
            in_cell = inside & (values == category).to_numpy()
            row: dict[str, object] = {
                "indicator": indicator, "breakdown": breakdown_name, "group": group,
                "category": category, "unweighted_n": int(in_cell.sum()),
                "weighted_n": float(design.weights[in_cell].sum()), "base_n": base,
                "letters": letters_by_category.get(category, {}).get(group, ""), "flags": "",
            }
            if base == 0:
                row.update(estimate=np.nan, se=np.nan, ci_low=np.nan, ci_high=np.nan)
            else:
                share = _domain_share(design, values, category, inside)
                low, high = proportion_interval(method, share[0], share[1], base,
                                                design.degrees_of_freedom, level)
                row.update(estimate=share[0], se=share[1], ci_low=low, ci_high=high)
            rows.append(row)
    return rows


def _domain_share(design: Design, values: pd.Series, category: object,
                  inside: np.ndarray) -> tuple[float, float]:
    indicator = (values == category).to_numpy(dtype=float)
    estimate = mean(design, np.where(inside, indicator, np.nan))
    return float(estimate.values[0]), float(estimate.se[0])


def as_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(COLUMNS))
