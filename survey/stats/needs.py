"""Needs-assessment indicators: how common each need is (ranked honestly), the gap between
importance and satisfaction per support area with its quadrant, top-3 rankings, and which
needs come together.

Ranks are given as ranges: a need's best rank counts only the needs whose interval lies wholly
above its own, its worst rank only those wholly below, so needs whose intervals overlap share
a range ("2-4") instead of pretending to an order the data cannot support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from survey.stats.design import SampleDesign
from survey.stats.estimate import mean
from survey.stats.intervals import IntervalMethod, proportion_interval


@dataclass(frozen=True)
class RankedNeed:
    area: str
    share: float
    se: float
    ci_low: float
    ci_high: float
    rank_low: int
    rank_high: int
    base_n: int
    deff: float = float("nan")
    """The share's design effect as the results table gives it (survey.stats.design_effects)."""

    @property
    def rank(self) -> str:
        return str(self.rank_low) if self.rank_low == self.rank_high else \
            f"{self.rank_low}-{self.rank_high}"


def rank_needs(design: SampleDesign, indicators: Mapping[str, np.ndarray],
               method: IntervalMethod = IntervalMethod.LOGIT,
               level: float = 0.95, domain: np.ndarray | None = None) -> list[RankedNeed]:
    """Share of respondents with each need (0/1, NaN unknown), highest first, with rank ranges.

    With `domain` (the rows of a group; indicators are NaN outside it), the intervals use the
    group's degrees of freedom, as R's `svyciprop` on the subset does."""
    areas = list(indicators)
    estimate = mean(design, np.column_stack([indicators[a] for a in areas]), labels=tuple(areas))
    bases = [int((~np.isnan(np.asarray(indicators[a], dtype=float))).sum()) for a in areas]
    df = design.domain_degrees_of_freedom(domain)
    intervals = [proportion_interval(method, p, se, n, df, level)
                 for p, se, n in zip(estimate.values, estimate.se, bases, strict=True)]
    low = np.array([i[0] for i in intervals])
    high = np.array([i[1] for i in intervals])
    needs = []
    for k, area in enumerate(areas):
        above = int(np.sum(low > high[k]))
        below = int(np.sum(high < low[k]))
        needs.append(RankedNeed(area, float(estimate.values[k]), float(estimate.se[k]),
                                float(low[k]), float(high[k]), 1 + above, len(areas) - below,
                                bases[k], float(estimate.design_effect(None)[k])))
    return sorted(needs, key=lambda n: (-n.share, n.area))


class Quadrant(StrEnum):
    """Importance-performance analysis (Martilla and James)."""

    CONCENTRATE = "concentrate here"  # important, unsatisfying
    KEEP_UP = "keep up the good work"  # important, satisfying
    LOW_PRIORITY = "low priority"  # less important, unsatisfying
    POSSIBLE_OVERKILL = "possible overkill"  # less important, satisfying


def importance_satisfaction(design: SampleDesign, importance: Mapping[str, np.ndarray],
                            satisfaction: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Mean importance and satisfaction per area (same scale) with their standard errors, their
    gap with its standard error (from the joint design covariance), and the quadrant against
    the grand means."""
    areas = [a for a in importance if a in satisfaction]
    if not areas:
        raise ValueError("no support area is rated for both importance and satisfaction")
    columns = [importance[a] for a in areas] + [satisfaction[a] for a in areas]
    estimate = mean(design, np.column_stack(columns))
    k = len(areas)
    imp, sat = estimate.values[:k], estimate.values[k:]
    cov = estimate.covariance
    gap_se = np.sqrt(np.clip(np.diag(cov)[:k] + np.diag(cov)[k:]
                             - 2 * np.diag(cov[:k, k:]), 0, None))
    imp_centre, sat_centre = imp.mean(), sat.mean()
    quadrants = [
        (Quadrant.CONCENTRATE if s < sat_centre else Quadrant.KEEP_UP) if i >= imp_centre
        else (Quadrant.LOW_PRIORITY if s < sat_centre else Quadrant.POSSIBLE_OVERKILL)
        for i, s in zip(imp, sat, strict=True)]
    se, deff = estimate.se, estimate.design_effect(None)
    return pd.DataFrame({"area": areas, "importance": imp, "importance_se": se[:k],
                         "importance_deff": deff[:k],
                         "satisfaction": sat, "satisfaction_se": se[k:],
                         "satisfaction_deff": deff[k:],
                         "gap": imp - sat, "gap_se": gap_se,
                         "quadrant": [q.value for q in quadrants]}).sort_values(
        "gap", ascending=False, kind="stable").reset_index(drop=True)


def top_ranked(design: SampleDesign, ranks: Sequence[pd.Series],
               areas: Sequence[str]) -> pd.DataFrame:
    """Share of those who ranked anything that put each area first, and in their top k
    (k = number of rank positions), with standard errors."""
    first = ranks[0]
    answered = pd.concat(ranks, axis=1).notna().any(axis=1).to_numpy()
    rows = []
    for area in areas:
        is_first = (first == area).to_numpy(dtype=float)
        in_top = np.logical_or.reduce([(r == area).to_numpy() for r in ranks]).astype(float)
        both = np.column_stack([is_first, in_top])
        both[~answered] = np.nan
        estimate = mean(design, both)
        rows.append({"area": area, "first": estimate.values[0], "first_se": estimate.se[0],
                     "top": estimate.values[1], "top_se": estimate.se[1]})
    return pd.DataFrame(rows).sort_values(["top", "first"], ascending=False,
                                          kind="stable").reset_index(drop=True)


def co_occurrence(design: SampleDesign, indicators: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Weighted share of respondents having both needs, for every pair (diagonal: the need)."""
    areas = list(indicators)
    matrix = np.column_stack([np.asarray(indicators[a], dtype=float) for a in areas])
    known = ~np.isnan(matrix).any(axis=1)
    values = np.nan_to_num(matrix[known])
    weights = design.weights[known]
    joint = (values * weights[:, None]).T @ values / weights.sum()
    return pd.DataFrame(joint, index=areas, columns=areas)
