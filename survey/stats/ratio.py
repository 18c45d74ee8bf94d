"""Ratio estimates: the ratio of two weighted totals (income per household member, visits per
person) with its Taylor-linearised standard error, as R `survey`'s `svyratio` (compared live
with R in the tests, whole sample and domains, with its design effect).

R = sum w y / sum w x over the rows (of the domain) where both y and x are known; its
linearised score is w (y - R x) / X, X = sum w x. A denominator that totals zero has no ratio:
EstimateError says so instead of returning an infinite or NaN figure.

On a replicate design the ratio is recomputed with every replicate weight column (R's
svyratio.svyrep.design). Its design effect there is the one R's code means to give,
deff(svytotal(y - R x)) on the replicate design (R's own svyratio stops with an error when asked
for it); the tests compare it with that svytotal.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from survey.stats.design import SampleDesign
from survey.stats.design_effects import srs_reference
from survey.stats.estimate import (
    Estimate,
    EstimateError,
    domain_mask,
    replicated,
    require_estimable,
)


def ratio(design: SampleDesign, numerator: np.ndarray, denominator: np.ndarray,
          domain: np.ndarray | None = None, label: str = "ratio") -> Estimate:
    """sum w y / sum w x, with rows missing either value left out (R's na.rm = TRUE)."""
    y = np.asarray(numerator, dtype=float).ravel()
    x = np.asarray(denominator, dtype=float).ravel()
    if len(y) != design.n or len(x) != design.n:
        raise EstimateError(f"numerator and denominator need one value per row of the design "
                            f"({design.n}); they have {len(y)} and {len(x)}")
    rows = domain_mask(design, domain) & ~np.isnan(y) & ~np.isnan(x)
    require_estimable(design, rows, domain, "ratio")
    w = np.where(rows, design.weights, 0.0)
    y, x = np.where(rows, y, 0.0), np.where(rows, x, 0.0)
    denominator_total = float(w @ x)
    if denominator_total == 0 or not np.isfinite(denominator_total):
        where = " in the domain" if domain is not None else ""
        raise EstimateError(f"the denominator of '{label}' totals {denominator_total:g}"
                            f"{where}, so the ratio is not defined; choose a denominator that "
                            "is not zero for everyone")
    value = float(w @ y) / denominator_total
    linearised = (y - value * x) / denominator_total
    scores = (w * linearised)[:, None]
    srs = srs_reference(design.weights, linearised[:, None], rows[:, None], total=True)
    if design.replicates is None:
        return Estimate((label,), np.array([value]), design.covariance(scores, rows),
                        design.degrees_of_freedom, int(rows.sum()),
                        float(design.weights[rows].sum()), srs)
    covariance = replicated(design, np.array([value]),
                            lambda weights: (weights.T @ y) / (weights.T @ x))
    linear = replicated(design, scores.sum(axis=0), lambda weights: weights.T @ linearised)
    with np.errstate(divide="ignore", invalid="ignore"):
        # the reference that gives deff = V(total of the linearised scores) / V_srs, as R means
        srs = replace(srs, variance=srs.variance * covariance[0, 0] / linear[0, 0])
    return Estimate((label,), np.array([value]), covariance, design.degrees_of_freedom,
                    int(rows.sum()), float(design.weights[rows].sum()), srs)
