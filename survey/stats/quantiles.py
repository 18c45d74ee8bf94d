"""Design-based quantiles (medians, quartiles) with Woodruff confidence intervals.

As R `survey` 4.x's `svyquantile` by default (qrule "math", interval.type "mean"), which the
live comparison with R in the tests checks: the estimate is the smallest value whose weighted
share of rows at or below it reaches p. The interval (Woodruff 1952) is centred at the
estimated share of rows at or below that value (not at p): share +- t * SE(share), carried
back through the weighted distribution function, with Student's t on the degrees of freedom
of the rows that answered (in a domain: the domain's). Where the share's interval leaves
[0, 1], that end of the quantile's interval does not exist and is NaN, as in R.

One difference from R is kept on purpose: where p lies below the weighted share of the
smallest value, R's qrule "math" returns the second-smallest value (its helper `last()`
answers 1 when no share is small enough); this returns the smallest, whose share reaches p.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from survey.stats.design import SampleDesign
from survey.stats.estimate import EstimateError, mean, require_estimable


@dataclass(frozen=True)
class Quantile:
    """One quantile with its Woodruff interval."""

    p: float
    value: float
    ci_low: float
    ci_high: float
    se: float
    """(ci_high - ci_low) / (2 t), as R reports it."""


def _inverse(values: np.ndarray, cumulative: np.ndarray, p: float) -> float:
    """Smallest value whose cumulative weighted share reaches p; NaN outside [0, 1] (R's
    woodruffCI gives no bound there)."""
    if not 0.0 <= p <= 1.0:
        return float("nan")
    index = int(np.searchsorted(cumulative, p - 1e-12, side="left"))
    return float(values[min(index, len(values) - 1)])


def quantiles(design: SampleDesign, y: np.ndarray, probabilities: tuple[float, ...] = (0.5,),
              domain: np.ndarray | None = None, level: float = 0.95) -> list[Quantile]:
    """The quantiles of `y` at `probabilities` (in a domain, if given) with their intervals
    at `level`, as the module docstring describes."""
    values = np.asarray(y, dtype=float)
    inside = ~np.isnan(values) & (np.ones(design.n, dtype=bool) if domain is None
                                  else np.asarray(domain, dtype=bool))
    if not inside.any():
        raise EstimateError("no row with an answer in the domain: quantiles are not defined")
    if domain is not None and design.replicates is None:
        require_estimable(design, inside, domain, "quantile")
    order = np.argsort(values[inside], kind="stable")
    sorted_values = values[inside][order]
    weights = design.weights[inside][order]
    cumulative = np.cumsum(weights) / weights.sum()
    distinct, counts = np.unique(sorted_values, return_counts=True)
    cumulative_at = cumulative[np.cumsum(counts) - 1]  # the share at or below each value
    df = design.domain_degrees_of_freedom(inside)
    t = float(stats.t.ppf(0.5 + level / 2, max(df, 1)))
    results = []
    for p in probabilities:
        value = _inverse(distinct, cumulative_at, p)
        below = np.where(inside, (values <= value).astype(float), np.nan)
        share = mean(design, below)
        centre, share_se = float(share.values[0]), float(share.se[0])
        low = _inverse(distinct, cumulative_at, centre - t * share_se)
        high = _inverse(distinct, cumulative_at, centre + t * share_se)
        results.append(Quantile(p, value, low, high, (high - low) / (2 * t)))
    return results
