"""Design-based estimates: totals, means and proportions, for the whole sample or a domain.

Domains (subgroups) are estimated without dropping rows from the design: rows outside the
domain keep their PSU and contribute zero scores, as R `survey`'s `subset()`/`svyby()` do, so
the standard errors reflect the design and not a smaller sample. A domain asked for by name
must hold respondents in at least two PSUs (one PSU has no design-based variance): otherwise
EstimateError says so, as it does for a domain where nobody answered.

Every estimate carries its design effect and effective n (survey.stats.design_effects), as R's
`deff = TRUE` computes them.

On a design with replicate weights every estimator recomputes its statistic with each replicate
weight column (one matrix product for all of them) and takes R's svrVar of the results, as R's
svrep methods do; a domain is then the rows whose weights are kept, as R's subset of a
replicate design.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from survey.stats.design import SampleDesign
from survey.stats.design_effects import SrsReference, shares_reference, srs_reference
from survey.stats.levels import ordered_levels
from survey.user_error import UserError


class EstimateError(UserError, ValueError):
    """An estimate that cannot be made from these data; the message says why and what to do."""


@dataclass(frozen=True)
class Estimate:
    """One or more estimates with their design covariance."""

    labels: tuple[str, ...]
    values: np.ndarray
    covariance: np.ndarray
    degrees_of_freedom: int
    unweighted_n: int
    weighted_n: float
    srs: SrsReference | None = None
    """The simple-random-sampling reference of each estimate; None where R gives no design
    effect (contrasts)."""

    @property
    def se(self) -> np.ndarray:
        se: np.ndarray = np.sqrt(np.clip(np.diag(self.covariance), 0, None))
        return se

    def design_effect(self, replace: bool | None = False) -> np.ndarray:
        """Per estimate: R's deff (`deff = TRUE`; `deff = "replace"` with `replace`; None:
        the results table's choice, see survey.stats.design_effects)."""
        if self.srs is None:
            return np.full(len(self.values), np.nan)
        return self.srs.design_effect(np.diag(self.covariance), replace)

    @property
    def deff(self) -> np.ndarray:
        """Design effect per estimate, as R's `deff(svymean(..., deff = TRUE))`."""
        return self.design_effect()

    @property
    def n_effective(self) -> np.ndarray:
        """Respondents per estimate divided by its design effect."""
        if self.srs is None:
            return np.full(len(self.values), np.nan)
        return self.srs.effective_n(np.diag(self.covariance))

    def confidence_interval(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Symmetric interval with Student's t on the design degrees of freedom: R's
        `confint(estimate, df = degf(design))` (R's own default is the normal quantile)."""
        quantile = stats.t.ppf(0.5 + level / 2, max(self.degrees_of_freedom, 1))
        return self.values - quantile * self.se, self.values + quantile * self.se


def domain_mask(design: SampleDesign, domain: np.ndarray | None) -> np.ndarray:
    if domain is None:
        return np.ones(design.n, dtype=bool)
    mask = np.asarray(domain, dtype=bool)
    if mask.shape != (design.n,):
        raise EstimateError(f"the domain marks {mask.size} rows but the design has {design.n}")
    return mask


def require_estimable(design: SampleDesign, rows: np.ndarray, domain: np.ndarray | None,
                      what: str) -> None:
    """Refuse an estimate nobody answered, and one in a domain whose respondents lie in fewer
    than two PSUs (R gives a figure there, but its standard error has nothing to rest on)."""
    if not rows.any():
        where = "in the domain" if domain is not None else "in the data"
        raise EstimateError(f"no row with an answer {where}: the {what} is not defined")
    if domain is not None:
        psus = len(np.unique(design.psu[rows]))
        if psus < 2:
            raise EstimateError(
                f"the domain's {int(rows.sum())} respondent(s) with an answer lie in a single "
                f"PSU, so the {what} has no design-based standard error; merge the group with "
                "a neighbouring one or leave it out")


def replicated(design: SampleDesign, values: np.ndarray,
               statistic: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Replicate covariance of the estimates `values`: `statistic` maps weights (n x R, one
    column per replicate) to the estimates of each replicate (R x k)."""
    assert design.replicates is not None
    if design.calibration is not None:
        raise EstimateError("the weights were calibrated after the replicate weights were made; "
                            "replicate variances of calibrated weights are not supported")
    with np.errstate(divide="ignore", invalid="ignore"):
        found = statistic(design.replicates.weights)
    return design.replicate_covariance(values, np.asarray(found))


def _matrix(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    return y.reshape(len(y), -1)


def total(design: SampleDesign, y: np.ndarray, domain: np.ndarray | None = None,
          labels: tuple[str, ...] = ()) -> Estimate:
    """Weighted totals of the columns of `y`; rows with a missing y are left out of the sum."""
    values = _matrix(y)
    inside = domain_mask(design, domain)[:, None] & ~np.isnan(values)
    rows = inside.any(axis=1)
    require_estimable(design, rows, domain, "total")
    scores = np.where(inside, design.weights[:, None] * np.nan_to_num(values), 0.0)
    summed = scores.sum(axis=0)
    if design.replicates is None:
        covariance = design.covariance(scores, rows)
    else:
        known = np.where(inside, values, 0.0)
        covariance = replicated(design, summed, lambda weights: weights.T @ known)
    return Estimate(labels or tuple(map(str, range(values.shape[1]))), summed,
                    covariance, design.degrees_of_freedom,
                    int(rows.sum()), float(design.weights[rows].sum()),
                    srs_reference(design.weights, values, inside, total=True))


def mean(design: SampleDesign, y: np.ndarray, domain: np.ndarray | None = None,
         labels: tuple[str, ...] = ()) -> Estimate:
    """Weighted means (ratio estimators) of the columns of `y` among rows where y is known.

    Linearised score of the ratio sum(w y) / sum(w): w (y - mean) / sum(w).
    """
    values = _matrix(y)
    inside = domain_mask(design, domain)[:, None] & ~np.isnan(values)
    rows = inside.any(axis=1)
    require_estimable(design, rows, domain, "mean")
    w = np.where(inside, design.weights[:, None], 0.0)
    weight_sum = w.sum(axis=0)
    if np.any(weight_sum == 0):
        empty = labels[int(np.argmax(weight_sum == 0))] if labels else "a column"
        raise EstimateError(f"no row with an answer for {empty}: the mean is not defined")
    known = np.where(inside, values, 0.0)
    estimate = (w * known).sum(axis=0) / weight_sum
    if design.replicates is None:
        covariance = design.covariance(w * (known - estimate) / weight_sum, rows)
    else:
        used = inside.astype(float)
        covariance = replicated(design, estimate,
                                lambda weights: (weights.T @ known) / (weights.T @ used))
    return Estimate(labels or tuple(map(str, range(values.shape[1]))), estimate,
                    covariance, design.degrees_of_freedom, int(rows.sum()),
                    float(design.weights[rows].sum()),
                    srs_reference(design.weights, values, inside))


def proportions(design: SampleDesign, categories: np.ndarray, levels: tuple[object, ...],
                domain: np.ndarray | None = None) -> Estimate:
    """The share of each level among rows whose category is one of `levels` (a mean of
    indicators); other values and missing ones are left out of the base.

    The full covariance matrix is kept: the Rao-Scott tests need it. Without calibration, a
    second stage or replicate weights the scores are summed straight into PSU totals, never as
    an n x k matrix.
    """
    row_codes, uniques = pd.factorize(pd.Series(categories, dtype=object))
    mapping = pd.Index(list(levels), dtype=object).get_indexer(uniques)
    codes = np.where(row_codes >= 0, mapping[np.maximum(row_codes, 0)], -1)
    inside = (codes >= 0) & domain_mask(design, domain)
    require_estimable(design, inside, domain, "share")
    if (design.calibration is not None or design.second_stage is not None
            or design.replicates is not None):
        indicators = np.full((design.n, len(levels)), np.nan)
        indicators[inside] = np.eye(len(levels))[codes[inside]]
        return mean(design, indicators, None, tuple(map(str, levels)))
    weights = design.weights[inside]
    weight_sum = weights.sum()
    k, psus = len(levels), len(design.psu_stratum)
    shares = np.bincount(codes[inside], weights, minlength=k) / weight_sum
    cell_weights = np.bincount(design.psu[inside] * k + codes[inside], weights,
                               minlength=psus * k).reshape(psus, k)
    psu_weights = np.bincount(design.psu[inside], weights, minlength=psus)
    totals = (cell_weights - psu_weights[:, None] * shares) / weight_sum
    return Estimate(tuple(map(str, levels)), shares,
                    design.covariance_of_psu_totals(totals, inside), design.degrees_of_freedom,
                    int(inside.sum()), float(weight_sum),
                    shares_reference(shares, np.bincount(codes[inside], minlength=k),
                                     int(inside.sum()), float(weight_sum)))


def by(design: SampleDesign, y: np.ndarray, groups: pd.Series, statistic: str = "mean") -> Estimate:
    """The mean (or "total") of `y` in each group of `groups`, one estimate per group with
    their joint covariance: R's `svyby(~y, ~g, design, svymean, covmat = TRUE)`. Groups are
    domains of the full design; rows with no group are in none. Labels are the groups as
    text, in the order of survey.stats.levels (codes by value, a Categorical's own order).

    A group whose answers lie in a single PSU has no design-based standard error: its row and
    column of the covariance are NaN (the estimate stands), so it is never tested as if its
    variance were zero. With replicate weights the replicates decide, as in R."""
    if statistic not in ("mean", "total"):
        raise EstimateError(f"by() estimates a 'mean' or a 'total', not '{statistic}'")
    values = np.asarray(y, dtype=float).ravel()
    group_values = pd.Series(groups).reset_index(drop=True)
    if len(values) != design.n or len(group_values) != design.n:
        raise EstimateError(f"y and the groups need one value per row of the design "
                            f"({design.n}); they have {len(values)} and {len(group_values)}")
    levels = ordered_levels(group_values)
    if not levels:
        raise EstimateError("no row has a group: there is nothing to estimate by")
    columns = np.column_stack([np.where((group_values == level).to_numpy(), values, np.nan)
                               for level in levels])
    estimator = mean if statistic == "mean" else total
    found = estimator(design, columns, labels=tuple(map(str, levels)))
    if design.replicates is None:
        alone = [k for k in range(columns.shape[1])
                 if len(np.unique(design.psu[~np.isnan(columns[:, k])])) < 2]
        if alone:
            covariance = found.covariance.copy()
            covariance[alone, :] = np.nan
            covariance[:, alone] = np.nan
            found = replace(found, covariance=covariance)
    return found
