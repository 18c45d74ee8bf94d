"""Design effects and effective sample sizes: how much the design (weights, clusters, strata)
widens a standard error compared with a simple random sample of the same respondents.

Computed as R `survey`'s `deff = TRUE` does (svymean, svytotal, svyby, svyratio; compared live
with R in the tests): deff = V_design / V_srs, with V_srs the variance under simple random
sampling *without* replacement of n respondents from a population of N = sum of their weights,

    mean:  V_srs = s^2 (N - n) / (N n)          total: V_srs = s^2 N^2 (N - n) / (N n)

where s^2 = n / (n - 1) * sum w (y - ybar)^2 / N is R's `svyvar`. With `replace=True` the
factor (N - n) / N is dropped (R's `deff = "replace"`). A ratio's design effect is that of the
total of its linearised scores, as R's svyratio computes it. The effective sample size is
n / deff, the simple random sample that would give the same standard error.

Where the design effect does not exist the figure is NaN: fewer than two respondents, no
variation (a share of 0 or 1), or, without replacement, weights that sum to no more than the
respondents (they describe no population; R gives NA for a mean there, and Inf or a negative
number for a total).

The results table asks for `replace=None`: R's default where the respondents' weights sum to
more than their number (weights scaled to a population, as raking makes them), and R's
`deff = "replace"` where they do not (an unweighted plan, every weight 1), so that an
unweighted clustered survey still shows what its clusters cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ROUND_OFF = 1e-20
"""A design variance below this share of the simple-random-sampling one is round-off."""


@dataclass(frozen=True)
class SrsReference:
    """What a simple random sample of the same respondents would give, per estimate."""

    variance: np.ndarray
    """Variance under simple random sampling with replacement (R: svyvar / n, times N^2 for a
    total)."""
    respondents: np.ndarray
    """n: the rows each estimate uses."""
    population: np.ndarray
    """N: the sum of their weights."""

    def design_effect(self, design_variance: np.ndarray,
                      replace: bool | None = False) -> np.ndarray:
        """V_design / V_srs; `replace=None` chooses per estimate as the module says."""
        variance = np.asarray(self.variance, dtype=float)
        n, population = self.respondents.astype(float), np.asarray(self.population, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            without = np.where(population > n, variance * (1 - n / population), np.nan)
        if replace is None:
            variance = np.where(population > n, without, variance)
        elif not replace:
            variance = without
        with np.errstate(divide="ignore", invalid="ignore"):
            found = np.asarray(design_variance, dtype=float) / variance
        # round-off of a variance that is zero by construction (the share of a category the
        # weights were calibrated to): no design effect, as where there is no variation
        return np.where(np.isfinite(found) & (found > ROUND_OFF), found, np.nan)

    def effective_n(self, design_variance: np.ndarray,
                    replace: bool | None = False) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            found = self.respondents / self.design_effect(design_variance, replace)
        return np.where(np.isfinite(found), found, np.nan)


def srs_reference(weights: np.ndarray, values: np.ndarray, inside: np.ndarray,
                  total: bool = False) -> SrsReference:
    """The simple-random-sampling reference of the mean (or, with `total`, the total) of each
    column of `values` (n x k) over the rows where `inside` (n x k) holds."""
    used = np.asarray(inside, dtype=bool)
    w = np.where(used, np.asarray(weights, dtype=float)[:, None], 0.0)
    y = np.where(used, values, 0.0)
    n = used.sum(axis=0)
    population = w.sum(axis=0)
    lowest = np.where(used, values, np.inf).min(axis=0, initial=np.inf)
    highest = np.where(used, values, -np.inf).max(axis=0, initial=-np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (w * y).sum(axis=0) / population
        spread = (w * (y - centre) ** 2).sum(axis=0) / population
        # a constant column has no variation; its computed spread would be round-off
        variance = np.where((n > 1) & (highest > lowest), spread / np.maximum(n - 1, 1), np.nan)
    if total:
        variance = variance * population ** 2
    return SrsReference(variance, n, population)


def shares_reference(shares: np.ndarray, counts: np.ndarray, respondents: int,
                     population: float) -> SrsReference:
    """The reference of shares p of categories with `counts` respondents each, out of the same
    `respondents`: s^2 = n p (1 - p) / (n - 1), without building the n x k indicator matrix.
    A category nobody (or everybody) chose has no variation: NaN."""
    p = np.asarray(shares, dtype=float)
    count = np.full(len(p), respondents)
    varies = (np.asarray(counts) > 0) & (np.asarray(counts) < respondents)
    variance = np.where(varies, p * (1 - p) / max(respondents - 1, 1), np.nan)
    return SrsReference(variance, count, np.full(len(p), float(population)))
