"""Comparing groups: an estimate per group with their joint design covariance, pairwise
design-based t tests, multiple-comparison correction, and banner-table letters.

The letters follow the market-research convention councils know from banner tables: each group
gets a letter (a, b, c, ...); a group's result carries the letters of the groups it is
significantly higher than.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy import stats

from survey.stats.design import SampleDesign
from survey.stats.estimate import Estimate, by
from survey.stats.levels import ordered_levels


class Correction(StrEnum):
    HOLM = "holm"
    BENJAMINI_HOCHBERG = "bh"
    NONE = "none"


def adjust(p_values: np.ndarray, method: Correction) -> np.ndarray:
    """Adjusted p-values (Holm's step-down, or Benjamini-Hochberg's step-up FDR)."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0 or method == Correction.NONE:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == Correction.HOLM:
        adjusted = np.maximum.accumulate((m - np.arange(m)) * ranked)
    else:
        adjusted = np.minimum.accumulate(m / np.arange(m, 0, -1) * ranked[::-1])[::-1]
    result = np.empty(m)
    result[order] = np.minimum(adjusted, 1.0)
    return result


@dataclass(frozen=True)
class GroupComparison:
    """Estimates per group, their pairwise tests (raw and corrected p-values) and banner
    letters."""

    groups: tuple[object, ...]
    estimate: Estimate
    """One value per group, with their joint covariance."""
    pairs: tuple[tuple[int, int], ...]
    p_values: np.ndarray
    adjusted: np.ndarray
    letters: tuple[str, ...]
    """Per group: the letters of the groups it is significantly higher than."""
    t_values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Per pair (i, j): (mean of group j - mean of group i) / its standard error, the sign R's
    svyttest gives (second level minus the first)."""
    degrees_of_freedom: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    """Per pair: the t test's degrees of freedom, as R's svyttest on the pair's rows."""

    @property
    def group_letters(self) -> tuple[str, ...]:
        return tuple(string.ascii_lowercase[i % 26] for i in range(len(self.groups)))


def compare_groups(design: SampleDesign, y: np.ndarray, groups: pd.Series,
                   correction: Correction = Correction.HOLM,
                   alpha: float = 0.05) -> GroupComparison:
    """Means (or shares, for a 0/1 y) per group, tested pairwise on the full design.

    Each pair is tested as R's `svyttest(y ~ group)` on the rows of the two groups (compared
    live with R in the tests: statistic, degrees of freedom, p-value): Student's t
    with the degrees of freedom of a regression on the group, that is the PSUs holding rows of
    the pair with a known y, minus their strata, minus 1. On a replicate design the t test
    is R's svyttest on it: the replicate variance of the difference, on the rank of the pair's
    replicate weights (rows without a y included, as R's svyglm keeps them) minus 2.
    """
    values = np.asarray(y, dtype=float)
    levels = ordered_levels(groups)
    estimate = by(design, values, groups)
    pairs = tuple((i, j) for i in range(len(levels)) for j in range(i + 1, len(levels)))
    cov = estimate.covariance
    p_values = np.ones(len(pairs))
    t_values = np.zeros(len(pairs))
    dfs = np.zeros(len(pairs), dtype=int)
    answered = ~np.isnan(values)
    for k, (i, j) in enumerate(pairs):
        rows = groups.isin([levels[i], levels[j]]).to_numpy()
        if design.replicates is None:  # R's svyglm on replicates keeps rows without a y
            rows = rows & answered
        dfs[k] = design.domain_degrees_of_freedom(rows) - 1
        difference = estimate.values[i] - estimate.values[j]
        variance = cov[i, i] + cov[j, j] - 2 * cov[i, j]
        if design.replicates is not None:  # replicates undefined elsewhere do not count
            pair = by(design, values, groups.where(groups.isin([levels[i], levels[j]])))
            variance = float(np.array([1, -1]) @ pair.covariance @ np.array([1, -1]))
        if not np.isfinite(variance):  # a group in a single PSU: no test
            t_values[k], p_values[k] = np.nan, np.nan
        elif variance > 0:
            t_values[k] = -difference / np.sqrt(variance)
            p_values[k] = 2 * stats.t.sf(abs(t_values[k]), max(dfs[k], 1))
        elif difference != 0:
            t_values[k] = np.copysign(np.inf, -difference)
            p_values[k] = 0.0
    adjusted = np.full(len(p_values), np.nan)
    tested = np.isfinite(p_values)
    adjusted[tested] = adjust(p_values[tested], correction)
    higher: list[list[str]] = [[] for _ in levels]
    letters = [string.ascii_lowercase[i % 26] for i in range(len(levels))]
    for k, (i, j) in enumerate(pairs):
        if adjusted[k] < alpha:
            winner, loser = (i, j) if estimate.values[i] > estimate.values[j] else (j, i)
            higher[winner].append(letters[loser])
    return GroupComparison(levels, estimate, pairs, p_values, adjusted,
                           tuple("".join(sorted(h)) for h in higher), t_values, dfs)
