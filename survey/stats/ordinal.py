"""Proportional-odds (ordered logistic) regression of a rating, as R `survey`'s `svyolr`.

P(Y <= j) = expit(zeta_j - x b) for the levels j of the rating but the last. The weighted
log-likelihood is maximised by Newton-Raphson with the exact Hessian; R maximises it with
optim(BFGS) and takes a numerical Hessian, which is why the test compares with R at the
tolerance R's optimiser reaches (tests/stats/test_r_regression.py names it). The covariance of
(b, zeta) is the design covariance of the per-row scores times the inverse Hessian, as svyolr
computes it. The model has no intercept: the cut-points take its place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import special

from survey.stats.design import SampleDesign
from survey.stats.model_frame import (
    ModelError,
    model_frame,
    require_full_rank,
    require_rows,
)
from survey.stats.regression import MAX_ITERATIONS, coefficient_table


@dataclass(frozen=True)
class OrdinalRegression:
    """A fitted proportional-odds model: slopes, cut-points and their design covariance."""

    formula: str
    levels: tuple[str, ...]
    names: tuple[str, ...]
    """Slopes first, then the cut-points named 'low|high' as R names them."""
    values: np.ndarray
    covariance: np.ndarray
    slopes: int
    """How many of `values` are slopes (the rest are cut-points)."""
    degrees_of_freedom: int
    """degf(design) minus the slopes, as R's svyolr."""
    unweighted_n: int
    weighted_n: float
    notes: tuple[str, ...]

    @property
    def coefficients(self) -> np.ndarray:
        return self.values[: self.slopes]

    @property
    def cutpoints(self) -> np.ndarray:
        """R's zeta: the logits of P(Y <= j) at x = 0."""
        return self.values[self.slopes:]

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.covariance))

    def to_frame(self) -> pd.DataFrame:
        """Slopes and cut-points with their standard errors and t values."""
        return pd.DataFrame({"estimate": self.values, "se": self.se,
                             "t": self.values / self.se}, index=list(self.names))

    def __str__(self) -> str:
        return coefficient_table(f"Survey-weighted proportional-odds regression: {self.formula}",
                                 self.names, self.values, self.se, self.degrees_of_freedom,
                                 self.unweighted_n, self.notes)


def _outcome_codes(values: pd.Series, name: str, given: Sequence[object] | None,
                   ) -> tuple[np.ndarray, list[object]]:
    if given is not None:
        order = list(given)
    elif isinstance(values.dtype, pd.CategoricalDtype):
        order = list(values.cat.categories)
    else:
        order = sorted(values.unique())
    codes = pd.Index(order).get_indexer(pd.Index(values))
    if np.any(codes < 0):
        raise ModelError(f"the rating '{name}' has the value {values[codes < 0].iloc[0]!r}, "
                         "which is not among its levels")
    empty = [level for k, level in enumerate(order) if not np.any(codes == k)]
    if empty:
        raise ModelError(f"level {empty[0]!r} of the rating '{name}' has no case in the rows "
                         "used; merge it with a neighbouring level")
    if len(order) < 3:
        raise ModelError(f"the rating '{name}' has {len(order)} levels; a proportional-odds "
                         "model needs three or more (use a logistic model for two)")
    if len(order) > MAX_LEVELS and given is None and not isinstance(values.dtype,
                                                                    pd.CategoricalDtype):
        raise ModelError(f"'{name}' has {len(order)} different values: free text or a number, "
                         "not a rating; a proportional-odds model needs an ordered rating (code "
                         "it into categories first, or use a linear model for a number)")
    return codes, [_whole(level) for level in order]


def _whole(level: object) -> object:
    """A rating code read as a float (3.0) named as written (3)."""
    return int(level) if isinstance(level, float) and level.is_integer() else level


def _derivatives(theta: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray,
                 ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Weighted log-likelihood, its gradient and Hessian, and the per-row gradients."""
    p = x.shape[1]
    q = len(theta) - p
    eta = x @ theta[:p]
    cuts = np.concatenate(([-np.inf], theta[p:], [np.inf]))
    upper, lower = cuts[y + 1] - eta, cuts[y] - eta
    big_f = special.expit
    pr = big_f(upper) - big_f(lower)
    if np.any(pr <= 0):
        return -np.inf, np.empty(0), np.empty(0), np.empty(0)
    density_u, density_l = big_f(upper) * big_f(-upper), big_f(lower) * big_f(-lower)
    slope_u = density_u * (1 - 2 * big_f(upper))
    slope_l = density_l * (1 - 2 * big_f(lower))
    d_upper = np.hstack([-x, (np.arange(q) == y[:, None]).astype(float)])
    d_lower = np.hstack([-x, (np.arange(q) == (y - 1)[:, None]).astype(float)])
    d_upper[y == q, :p] = 0.0
    d_lower[y == 0, :p] = 0.0
    rows = (d_upper * density_u[:, None] - d_lower * density_l[:, None]) / pr[:, None]
    hessian = ((d_upper * (w * slope_u / pr)[:, None]).T @ d_upper
               - (d_lower * (w * slope_l / pr)[:, None]).T @ d_lower
               - (rows * w[:, None]).T @ rows)
    return float(np.sum(w * np.log(pr))), (rows * w[:, None]).sum(axis=0), hessian, rows


def _start(y: np.ndarray, w: np.ndarray, p: int, q: int) -> np.ndarray:
    """Slopes zero and cut-points at the logits of the weighted cumulative shares."""
    shares = np.cumsum(np.bincount(y, w, minlength=q + 1))[:q] / w.sum()
    return np.concatenate((np.zeros(p), special.logit(shares)))


MAX_LEVELS = 20
"""More different values than this is no rating scale."""
CERTAIN = 30.0
"""A row whose rating lies further than this (on the logit scale) inside its category's bounds
is predicted with certainty: the likelihood has no maximum (separation), and any optimiser's
stopping point, R's or ours, is arbitrary."""


def _certain(theta: np.ndarray, x: np.ndarray, y: np.ndarray, p: int) -> float:
    """How far, at most, a row lies inside the bounds of its own rating category (the nearer
    bound; a category open at one end counts only its closed bound)."""
    cuts = np.concatenate([[-np.inf], theta[p:], [np.inf]])
    eta = x @ theta[:p] if p else np.zeros(len(y))
    above = eta - cuts[y]        # distance above the category's lower cut-point
    below = cuts[y + 1] - eta    # distance below its upper cut-point
    return float(np.max(np.minimum(above, below)))


def svyolr(design: SampleDesign, data: pd.DataFrame, formula: str,
           domain: np.ndarray | None = None,
           levels: Mapping[str, Sequence[object]] | None = None) -> OrdinalRegression:
    """Fit the proportional-odds model `formula` ("rating ~ x1 + x2") under `design`, as R's
    `svyolr(formula, design)` (in `subset(design, domain)` when a domain is given).

    The rating's levels are ordered as a pandas Categorical's categories, as `levels[rating]`,
    or else sorted; predictor levels as in survey.stats.regression."""
    if design.replicates is not None:
        raise ModelError("the proportional-odds model has no replicate-weight variance here "
                         "yet: fit it on the design without replicate weights (its standard "
                         "errors are then linearised, as R's svyolr on a svydesign)")
    frame = model_frame(design, data, formula, domain, levels, intercept=False)
    y, order = _outcome_codes(frame.outcome[frame.rows].reset_index(drop=True),
                              frame.outcome_name, (levels or {}).get(frame.outcome_name))
    p, q = len(frame.names), len(order) - 1
    require_rows(frame, design, domain, p + q)
    if p:
        require_full_rank(frame)
    x = frame.matrix[frame.rows]
    w = design.weights[frame.rows]
    theta = _start(y, w, p, q)
    value, gradient, hessian, _ = _derivatives(theta, x, y, w)
    separated = (f"the proportional-odds model {formula!r} did not converge: complete or "
                 "quasi-complete separation (a level or a predictor that puts its rows all in "
                 "the lowest or all in the highest rating); merge levels or leave it out")
    for _ in range(MAX_ITERATIONS):
        try:
            step = np.linalg.solve(hessian, -gradient)
        except np.linalg.LinAlgError:
            raise ModelError(separated) from None
        for _ in range(50):
            trial = theta + step
            if np.all(np.diff(trial[p:]) > 0):
                new = _derivatives(trial, x, y, w)
                if new[0] >= value - 1e-12 * abs(value):
                    break
            step = step / 2
        else:
            raise ModelError(separated)
        theta = trial
        value, gradient, hessian, rows = new
        if np.max(np.abs(step)) <= 1e-11 * (1 + np.max(np.abs(theta))):
            break
    else:
        raise ModelError(separated)
    if _certain(theta, x, y, p) > CERTAIN:
        raise ModelError(separated)
    influence = np.zeros((design.n, p + q))
    influence[frame.rows] = (rows * w[:, None]) @ np.linalg.inv(-hessian)
    covariance = design.covariance(influence, frame.rows)
    names = (*frame.names, *(f"{a}|{b}" for a, b in pairwise(order)))
    return OrdinalRegression(formula, tuple(map(str, order)), names, theta, covariance, p,
                             design.domain_degrees_of_freedom(frame.rows) - p,
                             int(frame.rows.sum()), float(w.sum()), frame.notes)
