"""Confidence intervals for proportions, as R `survey`'s `svyciprop` computes them (compared
live with R in the tests, for the whole sample and for domains).

- logit (R method="logit"): symmetric on the logit scale with Student's t on the degrees of
  freedom `df` (the design's; in a domain, the domain's); the standard error on that scale is
  SE(p) / (p (1 - p)).
- Korn-Graubard (R method="beta"): Clopper-Pearson with the effective sample size
  p (1 - p) / Var(p), scaled by (t_{n-1} / t_df)^2. Callers pass the respondents who answered
  as n; R uses nrow(design), which also counts rows whose answer is missing, so the two differ
  slightly where answers are missing.
- Wilson: for unweighted data (no design), the score interval (R: prop.test, correct = FALSE).

All three stay inside [0, 1]. At p = 0 or 1 the logit interval does not exist; there the
Korn-Graubard interval is returned instead (with the unweighted n as effective size when the
variance is zero), so a published 0 % still carries an honest upper bound. R gives no usable
interval there (a glm fitted at the boundary; NaN for method="beta").
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from scipy import stats


class IntervalMethod(StrEnum):
    LOGIT = "logit"
    KORN_GRAUBARD = "korn-graubard"
    WILSON = "wilson"


def _t(level: float, df: float) -> float:
    return float(stats.t.ppf(0.5 + level / 2, max(df, 1)))


def korn_graubard(p: float, se: float, n: int, df: int, level: float = 0.95) -> tuple[float,
                                                                                         float]:
    variance = se ** 2
    effective = p * (1 - p) / variance if variance > 0 else float(n)
    alpha = 1 - level
    effective *= (stats.t.ppf(alpha / 2, max(n - 1, 1)) / stats.t.ppf(alpha / 2, max(df, 1))) ** 2
    low = 0.0 if p <= 0 else float(stats.beta.ppf(alpha / 2, effective * p,
                                                   effective * (1 - p) + 1))
    high = 1.0 if p >= 1 else float(stats.beta.ppf(1 - alpha / 2, effective * p + 1,
                                                    effective * (1 - p)))
    return low, high


def logit(p: float, se: float, n: int, df: int, level: float = 0.95) -> tuple[float, float]:
    if p <= 0 or p >= 1 or se <= 0:
        return korn_graubard(p, se, n, df, level)
    centre = np.log(p / (1 - p))
    half = _t(level, df) * se / (p * (1 - p))
    return float(1 / (1 + np.exp(-(centre - half)))), float(1 / (1 + np.exp(-(centre + half))))


def wilson(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    if n <= 0:
        raise ValueError("a proportion of no respondents has no interval")
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if successes <= 0 else max(0.0, float(centre - half))
    high = 1.0 if successes >= n else min(1.0, float(centre + half))
    return low, high


def proportion_interval(method: IntervalMethod, p: float, se: float, n: int, df: int,
                        level: float = 0.95) -> tuple[float, float]:
    """The interval of a proportion `p` estimated from `n` respondents."""
    if method == IntervalMethod.WILSON:
        return wilson(round(p * n), n, level)
    if method == IntervalMethod.LOGIT:
        return logit(p, se, n, df, level)
    return korn_graubard(p, se, n, df, level)
