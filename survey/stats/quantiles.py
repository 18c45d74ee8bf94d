"""Design-based quantiles (medians, quartiles) with Woodruff confidence intervals.

As R `survey`'s `svyquantile` by default (qrule "math", interval.type "mean"): the estimate is
the smallest value whose weighted share of rows at or below it reaches p; the interval comes
from the design standard error of that share, carried back through the weighted distribution
function (Woodruff 1952), with Student's t on the design degrees of freedom.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from survey.stats.design import Design
from survey.stats.estimate import mean


@dataclass(frozen=True)
class Quantile:
    p: float
    value: float
    ci_low: float
    ci_high: float
    se: float
    """(ci_high - ci_low) / (2 t), as R reports it."""


def _inverse(values: np.ndarray, cumulative: np.ndarray, p: float) -> float:
    """Smallest value whose cumulative weighted share reaches p (clipped to the data)."""
    index = int(np.searchsorted(cumulative, min(max(p, 0.0), 1.0) - 1e-12, side="left"))
    return float(values[min(index, len(values) - 1)])


def quantiles(design: Design, y: np.ndarray, probabilities: tuple[float, ...] = (0.5,),
              domain: np.ndarray | None = None, level: float = 0.95) -> list[Quantile]:
    values = np.asarray(y, dtype=float)
    inside = ~np.isnan(values) & (np.ones(design.n, dtype=bool) if domain is None
                                  else np.asarray(domain, dtype=bool))
    if not inside.any():
        raise ValueError("no row with an answer in the domain: quantiles are not defined")
    order = np.argsort(values[inside], kind="stable")
    sorted_values = values[inside][order]
    weights = design.weights[inside][order]
    cumulative = np.cumsum(weights) / weights.sum()
    distinct, counts = np.unique(sorted_values, return_counts=True)
    cumulative_at = cumulative[np.cumsum(counts) - 1]  # the share at or below each value
    t = float(stats.t.ppf(0.5 + level / 2, max(design.degrees_of_freedom, 1)))
    results = []
    for p in probabilities:
        value = _inverse(distinct, cumulative_at, p)
        below = np.where(inside, (values <= value).astype(float), np.nan)
        share_se = float(mean(design, below).se[0])
        low = _inverse(distinct, cumulative_at, p - t * share_se)
        high = _inverse(distinct, cumulative_at, p + t * share_se)
        results.append(Quantile(p, value, low, high, (high - low) / (2 * t)))
    return results
