"""Design-based estimates: totals, means and proportions, for the whole sample or a domain.

Domains (subgroups) are estimated without dropping rows from the design: rows outside the
domain keep their PSU and contribute zero scores, as R `survey`'s `subset()`/`svyby()` do, so
the standard errors reflect the design and not a smaller sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from survey.stats.design import Design


@dataclass(frozen=True)
class Estimate:
    """One or more estimates with their design covariance."""

    labels: tuple[str, ...]
    values: np.ndarray
    covariance: np.ndarray
    degrees_of_freedom: int
    unweighted_n: int
    weighted_n: float

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.clip(np.diag(self.covariance), 0, None))

    def confidence_interval(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Symmetric interval with Student's t on the design degrees of freedom: R's
        `confint(estimate, df = degf(design))` (R's own default is the normal quantile)."""
        quantile = stats.t.ppf(0.5 + level / 2, max(self.degrees_of_freedom, 1))
        return self.values - quantile * self.se, self.values + quantile * self.se


def _domain_mask(design: Design, domain: np.ndarray | None) -> np.ndarray:
    if domain is None:
        return np.ones(design.n, dtype=bool)
    return np.asarray(domain, dtype=bool)


def _matrix(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    return y.reshape(len(y), -1)


def total(design: Design, y: np.ndarray, domain: np.ndarray | None = None,
          labels: tuple[str, ...] = ()) -> Estimate:
    """Weighted totals of the columns of `y`; rows with a missing y are left out of the sum."""
    values = _matrix(y)
    inside = _domain_mask(design, domain)[:, None] & ~np.isnan(values)
    scores = np.where(inside, design.weights[:, None] * np.nan_to_num(values), 0.0)
    return Estimate(labels or tuple(map(str, range(values.shape[1]))), scores.sum(axis=0),
                    design.covariance(scores), design.degrees_of_freedom,
                    int(inside.any(axis=1).sum()),
                    float(design.weights[inside.any(axis=1)].sum()))


def mean(design: Design, y: np.ndarray, domain: np.ndarray | None = None,
         labels: tuple[str, ...] = ()) -> Estimate:
    """Weighted means (ratio estimators) of the columns of `y` among rows where y is known.

    Linearised score of the ratio sum(w y) / sum(w): w (y - mean) / sum(w).
    """
    values = _matrix(y)
    inside = _domain_mask(design, domain)[:, None] & ~np.isnan(values)
    w = np.where(inside, design.weights[:, None], 0.0)
    weight_sum = w.sum(axis=0)
    if np.any(weight_sum == 0):
        raise ValueError("no row with an answer in the domain: the mean is not defined")
    known = np.where(inside, values, 0.0)
    estimate = (w * known).sum(axis=0) / weight_sum
    scores = w * (known - estimate) / weight_sum
    rows = inside.any(axis=1)
    return Estimate(labels or tuple(map(str, range(values.shape[1]))), estimate,
                    design.covariance(scores), design.degrees_of_freedom, int(rows.sum()),
                    float(design.weights[rows].sum()))


def proportions(design: Design, categories: np.ndarray, levels: tuple[object, ...],
                domain: np.ndarray | None = None) -> Estimate:
    """The share of each level among rows whose category is one of `levels` (a mean of
    indicators); other values and missing ones are left out of the base.

    The full covariance matrix is kept: the Rao-Scott tests need it. Without calibration the
    scores are summed straight into PSU totals, never as an n x k matrix.
    """
    row_codes, uniques = pd.factorize(pd.Series(categories, dtype=object))
    mapping = pd.Index(list(levels), dtype=object).get_indexer(uniques)
    codes = np.where(row_codes >= 0, mapping[np.maximum(row_codes, 0)], -1)
    inside = (codes >= 0) & _domain_mask(design, domain)
    if design.calibration is not None:
        indicators = np.full((design.n, len(levels)), np.nan)
        indicators[inside] = np.eye(len(levels))[codes[inside]]
        return mean(design, indicators, None, tuple(map(str, levels)))
    weights = design.weights[inside]
    weight_sum = weights.sum()
    if weight_sum == 0:
        raise ValueError("no row with an answer in the domain: the shares are not defined")
    k, psus = len(levels), len(design.psu_stratum)
    shares = np.bincount(codes[inside], weights, minlength=k) / weight_sum
    cell_weights = np.bincount(design.psu[inside] * k + codes[inside], weights,
                               minlength=psus * k).reshape(psus, k)
    psu_weights = np.bincount(design.psu[inside], weights, minlength=psus)
    totals = (cell_weights - psu_weights[:, None] * shares) / weight_sum
    return Estimate(tuple(map(str, levels)), shares, design.covariance_of_psu_totals(totals),
                    design.degrees_of_freedom, int(inside.sum()), float(weight_sum))
