"""Design-based linear and logistic regression, as R `survey`'s `svyglm`.

Coefficients solve the weighted score equations (R's glm with the sampling weights); their
covariance is the sandwich A^-1 V A^-1 with V the design covariance of the estimating functions
x_i w_i (y_i - mu_i) (R's `svy.varcoef`). t statistics, p-values and Wald intervals use R's
residual degrees of freedom for svyglm, degf(design) + 1 - p (`summary.svyglm`,
`confint.svyglm`); `wald_test` is R's `regTermTest`. Every figure is compared live with R in
tests/stats/test_r_regression.py.

Logistic models take an outcome coded 0/1 (numbers or True/False) or a category with two
levels, the second counting as 1 (R's rule for a factor). A model that cannot be estimated is
refused with ModelError naming the variable: collinear columns, separation (a level or a
variable that predicts the outcome exactly), a domain in one PSU, fewer rows than coefficients.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy import linalg, optimize, special, stats

from survey.stats.design import SampleDesign
from survey.stats.estimate import domain_mask
from survey.stats.model_frame import (
    ModelError,
    ModelFrame,
    model_frame,
    require_full_rank,
    require_rows,
    term_key,
)

MAX_ITERATIONS = 100
QR_RANK = 1e-7
"""R's qr() tolerance: a replicate whose weighted model matrix has a pivot below this share of
the largest has lost a column (a level without weight) and has no fit."""
CERTAIN = 30.0
"""A linear predictor beyond this (a fitted probability within 1e-13 of 0 or 1) marks a fit
running off to separation: checked for the full sample, and a replicate's fit beyond it is
left out of the variance."""


class Family(StrEnum):
    """R's glm families that svyglm is used with here."""

    GAUSSIAN = "gaussian"
    BINOMIAL = "binomial"
    QUASIBINOMIAL = "quasibinomial"  # the same estimates and SEs as binomial in svyglm

    @property
    def logistic(self) -> bool:
        return self is not Family.GAUSSIAN


@dataclass(frozen=True)
class WaldTest:
    """Wald test that a set of coefficients is zero: R's `regTermTest`."""

    terms: tuple[str, ...]
    chisq: float
    df: int
    """Number of coefficients tested."""
    ddf: float
    """Denominator degrees of freedom; infinite for the chi-square form."""

    @property
    def f(self) -> float:
        return self.chisq / self.df

    @property
    def p(self) -> float:
        """F test on (df, ddf) degrees of freedom, or chi-square on df when ddf is infinite."""
        if math.isinf(self.ddf):
            return float(stats.chi2.sf(self.chisq, self.df))
        return float(stats.f.sf(self.f, self.df, self.ddf))

    def __str__(self) -> str:
        if math.isinf(self.ddf):
            return (f"Wald test for {' '.join(self.terms)}: Chisq = {self.chisq:.6g} on "
                    f"{self.df} df, p = {self.p:.4g}")
        return (f"Wald test for {' '.join(self.terms)}: F = {self.f:.6g} on {self.df} and "
                f"{self.ddf:g} df, p = {self.p:.4g}")


@dataclass(frozen=True)
class Regression:
    """A fitted design-based regression: coefficients, their design covariance and tests."""

    formula: str
    family: Family
    names: tuple[str, ...]
    coefficients: np.ndarray
    covariance: np.ndarray
    degrees_of_freedom: int
    """Residual degrees of freedom as R's svyglm: degf(design) + 1 - coefficients."""
    unweighted_n: int
    weighted_n: float
    terms: dict[str, tuple[int, ...]]
    notes: tuple[str, ...]
    """What was done that the user should know, e.g. an empty level left out."""

    @property
    def coef(self) -> pd.Series:
        """Coefficients by name, as R's coef(fit) and a Design result's .coef."""
        return pd.Series(self.coefficients, index=list(self.names), name="estimate")

    def confint(self, level: float = 0.95) -> pd.DataFrame:
        """Interval ends by name, as R's confint(fit) names them ("2.5 %", "97.5 %")."""
        low, high = self.confidence_interval(level)
        return pd.DataFrame({f"{(1 - level) / 2 * 100:g} %": low,
                             f"{(1 + level) / 2 * 100:g} %": high}, index=list(self.names))

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.covariance))

    @property
    def t(self) -> np.ndarray:
        """Coefficient over its SE; infinite where the design gives an SE of zero, as R."""
        with np.errstate(divide="ignore"):
            t: np.ndarray = self.coefficients / self.se
            return t

    @property
    def p_values(self) -> np.ndarray:
        """Two-sided p-values of Student's t on the residual degrees of freedom."""
        p_values: np.ndarray = 2 * stats.t.sf(np.abs(self.t), self.degrees_of_freedom)
        return p_values

    def confidence_interval(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Wald intervals with Student's t on the residual degrees of freedom, as R's
        `confint(fit)` for svyglm."""
        quantile = stats.t.ppf(0.5 + level / 2, self.degrees_of_freedom)
        return self.coefficients - quantile * self.se, self.coefficients + quantile * self.se

    def odds_ratios(self, level: float = 0.95) -> pd.DataFrame:
        """exp(coefficient) with its interval, for a logistic model."""
        if not self.family.logistic:
            raise ModelError("odds ratios belong to a logistic model; this one is linear")
        low, high = self.confidence_interval(level)
        return pd.DataFrame({"odds_ratio": np.exp(self.coefficients), "low": np.exp(low),
                             "high": np.exp(high)}, index=list(self.names))

    def wald_test(self, terms: Sequence[str], df: float | None = None) -> WaldTest:
        """Test that every coefficient of `terms` (e.g. ["x"] or ["x", "x:z"]) is zero, as R's
        `regTermTest(fit, ~x)`: F on the residual degrees of freedom, or chi-square with
        `df=math.inf`."""
        index: list[int] = []
        for term in terms:
            key = term_key(term)
            if key not in self.terms:
                known = ", ".join(sorted(self.terms))
                raise ModelError(f"the model has no term '{term}' (terms: {known})")
            index += self.terms[key]
        beta = self.coefficients[index]
        covariance = self.covariance[np.ix_(index, index)]
        if np.linalg.cond(covariance) * np.finfo(float).eps >= 1:
            raise ModelError(f"the covariance of the coefficients of {', '.join(terms)} is "
                             "singular (the design has too few PSUs to tell them apart); "
                             "test fewer terms or merge levels")
        chisq = float(beta @ np.linalg.solve(covariance, beta))
        return WaldTest(tuple(terms), chisq, len(index),
                        float(self.degrees_of_freedom if df is None else df))

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """The coefficient table: estimate, se, t, p and the interval bounds."""
        low, high = self.confidence_interval(level)
        return pd.DataFrame({"estimate": self.coefficients, "se": self.se, "t": self.t,
                             "p": self.p_values, "ci_low": low, "ci_high": high},
                            index=list(self.names))

    def __str__(self) -> str:
        return coefficient_table(
            f"Survey-weighted {self.family.value} regression: {self.formula}", self.names,
            self.coefficients, self.se, self.degrees_of_freedom, self.unweighted_n, self.notes)


def coefficient_table(title: str, names: Sequence[str], values: np.ndarray, se: np.ndarray,
                      df: int, n: int, notes: Sequence[str]) -> str:
    """R's summary layout: Estimate, Std. Error, t value, Pr(>|t|), in fixed text."""
    with np.errstate(divide="ignore"):
        t = values / se
    p = 2 * stats.t.sf(np.abs(t), df)
    rows = [("", "Estimate", "Std. Error", "t value", "Pr(>|t|)")]
    rows += [(name, f"{v:.6g}", f"{s:.6g}", f"{tv:.3f}", "<2e-16" if pv < 2e-16 else f"{pv:.3g}")
             for name, v, s, tv, pv in zip(names, values, se, t, p, strict=True)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [title, ""]
    lines += [row[0].ljust(widths[0]) + "".join(cell.rjust(w + 2) for cell, w in
                                                zip(row[1:], widths[1:], strict=True))
              for row in rows]
    lines += ["", f"Residual degrees of freedom: {df}; rows used: {n}"]
    lines += [f"Note: {note}" for note in notes]
    return "\n".join(lines)


def _outcome(frame: ModelFrame, family: Family) -> tuple[np.ndarray, str | None]:
    """The outcome on the rows used, as numbers (0/1 for a logistic model), and for a
    category a note saying which of its two values is modelled."""
    values = frame.outcome[frame.rows]
    name = frame.outcome_name
    if not family.logistic:
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise ModelError(f"the outcome '{name}' of a linear model must be a number")
        return values.to_numpy(dtype=float), None
    if pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float), None
    if pd.api.types.is_numeric_dtype(values):
        y = values.to_numpy(dtype=float)
        wrong = ~np.isin(y, (0.0, 1.0))
        if wrong.any():
            raise ModelError(f"the outcome '{name}' of a logistic model must be 0 or 1; it "
                             f"has the value {y[wrong][0]:g}. Code it as 0/1 first, e.g. "
                             f"I({name} > value), or name the value that counts as 1 with "
                             "event=")
        return y, None
    levels = (list(values.cat.categories) if isinstance(values.dtype, pd.CategoricalDtype)
              else sorted(values.unique()))
    if len(levels) != 2:
        raise ModelError(f"the outcome '{name}' of a logistic model must have two values; it "
                         f"has {len(levels)} ({', '.join(map(str, levels[:5]))})")
    note = (f"the outcome '{name}' is a category: the model explains the odds of "
            f"'{levels[1]}' against '{levels[0]}' (the second of its values, as R reads a "
            "factor); event= chooses another")
    return (values == levels[1]).to_numpy(dtype=float), note


def _solve(x: np.ndarray, root: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares by QR (as R's glm): coefficients and R of sqrt(W) X."""
    q, r = linalg.qr(x * root[:, None], mode="economic")
    return linalg.solve_triangular(r, q.T @ (root * z)), r


def _deviance(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-2 * np.sum(w * (special.xlogy(y, mu) + special.xlogy(1 - y, 1 - mu))))


def _fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray,
                  start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, bool]:
    """Newton-Raphson (IRLS) with step halving: coefficients, R factor, converged."""
    beta = np.zeros(x.shape[1]) if start is None else start.copy()
    deviance = _deviance(y, special.expit(x @ beta), w)
    for _ in range(MAX_ITERATIONS):
        mu = special.expit(x @ beta)
        variance = mu * (1 - mu)
        root = np.sqrt(w * variance)
        q, r = linalg.qr(x * root[:, None], mode="economic")
        with np.errstate(divide="ignore", invalid="ignore"):
            working = np.where(root > 0, w * (y - mu) / root, 0.0)
        try:
            step = linalg.solve_triangular(r, q.T @ working)
        except np.linalg.LinAlgError:  # fitted probabilities of exactly 0 or 1: diverging
            return beta, r, False
        for _ in range(30):
            new = _deviance(y, special.expit(x @ (beta + step)), w)
            if np.isfinite(new) and new <= deviance * (1 + 1e-12):
                break
            step = step / 2
        beta = beta + step
        deviance = new
        if np.max(np.abs(step)) <= 1e-11 * (1 + np.max(np.abs(beta))):
            mu = special.expit(x @ beta)
            root = np.sqrt(w * mu * (1 - mu))
            return beta, linalg.qr(x * root[:, None], mode="r")[0][: x.shape[1]], True
    return beta, r, False


def _level_separation(frame: ModelFrame, x: np.ndarray, y: np.ndarray) -> str | None:
    """A 0/1 column (a level) whose rows all have the same outcome, in words, or None."""
    for j, description in enumerate(frame.described):
        column = x[:, j]
        if frame.names[j] != "(Intercept)" and np.isin(column, (0.0, 1.0)).all():
            outcomes = np.unique(y[column == 1])
            if len(outcomes) == 1:
                return (f"{description}: the outcome is {int(outcomes[0])} in every one of its "
                        f"{int((column == 1).sum())} rows")
    return None


def _direction_separation(frame: ModelFrame, x: np.ndarray, y: np.ndarray) -> str | None:
    """The columns of a direction b with x b >= 0 where y = 1 and x b <= 0 where y = 0, not
    zero everywhere (a linear programme), in words, or None when there is none."""
    signed = np.unique(x * (2 * y - 1)[:, None], axis=0)
    found = optimize.linprog(-signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(signed)),
                             bounds=(-1, 1), method="highs")
    if not found.success or -found.fun <= 1e-7 * max(1.0, np.abs(signed).max()):
        return None
    involved = [j for j in np.flatnonzero(np.abs(found.x) > 1e-7)
                if frame.names[j] != "(Intercept)"] or list(np.flatnonzero(found.x))
    return " and ".join(frame.described[j] for j in involved) + \
        ": together they predict the outcome exactly in some rows"


def _sandwich(design: SampleDesign, frame: ModelFrame, estfun: np.ndarray,
              r: np.ndarray) -> np.ndarray:
    """R's svy.varcoef: design covariance of estfun A^-1, A^-1 = (R'R)^-1."""
    inverse = linalg.solve_triangular(r, np.eye(r.shape[0]))
    influence = np.zeros((design.n, r.shape[0]))
    influence[frame.rows] = estfun @ (inverse @ inverse.T)
    return design.covariance(influence, frame.rows)


def svyglm(design: SampleDesign, data: pd.DataFrame, formula: str,
           family: Family | str = Family.GAUSSIAN, domain: np.ndarray | None = None,
           levels: Mapping[str, Sequence[object]] | None = None) -> Regression:
    """Fit `formula` (e.g. "income ~ age + region") to `data` under `design`, as R's
    `svyglm(formula, design, family)` (in `subset(design, domain)` when a domain is given).

    `levels` orders a categorical variable's levels, the first being the reference."""
    if family not in tuple(Family):
        raise ModelError(f"family '{family}' is not one of {', '.join(Family)}")
    family = Family(family)
    frame = model_frame(design, data, formula, domain, levels)
    p = len(frame.names)
    require_rows(frame, design, domain, p)
    y, outcome_note = _outcome(frame, family)
    require_full_rank(frame)
    x = frame.matrix[frame.rows]
    w = design.weights[frame.rows]
    # R's svyglm on a replicate design counts the rows of its domain whether or not their
    # answers are missing; on a linearised design only the rows the model uses
    counted = frame.rows if design.replicates is None else domain_mask(design, domain)
    df = design.domain_degrees_of_freedom(counted) + 1 - p
    if df <= 0:
        raise ModelError(f"{formula!r} has {p} coefficients but the design's PSUs give only "
                         f"{df + p - 1} degrees of freedom; use fewer predictors")
    if family.logistic:
        separated = _level_separation(frame, x, y)
        if separated is None:
            beta, r, converged = _fit_logistic(x, y, w)
            if not converged or np.max(np.abs(x @ beta)) > CERTAIN:
                separated = _separation_after_fit(frame, x, y, converged)
        if separated is not None:
            raise ModelError(f"the logistic model {formula!r} has complete or quasi-complete "
                             f"separation by {separated}, so its coefficients are infinite; "
                             "merge that level with another or leave the variable out")
        mu = special.expit(x @ beta)
    else:
        root = np.sqrt(w)
        beta, r = _solve(x, root, y)
        mu = x @ beta
    notes = frame.notes + ((outcome_note,) if outcome_note else ())
    if design.replicates is None:
        covariance = _sandwich(design, frame, x * (w * (y - mu))[:, None], r)
    else:
        fits = _replicate_fits(design.replicates.weights[frame.rows], x, y, beta, family)
        covariance = design.replicate_covariance(beta, fits)
        failed = int(np.isnan(fits).any(axis=1).sum())
        if failed:
            notes = (*notes, f"{failed} of {len(fits)} replicate fits did not converge "
                     "(separation within the replicate) and are left out of the variance")
    return Regression(formula, family, frame.names, beta, covariance, df,
                      int(frame.rows.sum()), float(w.sum()), frame.terms, notes)


def _replicate_fits(weights: np.ndarray, x: np.ndarray, y: np.ndarray, start: np.ndarray,
                    family: Family) -> np.ndarray:
    """The coefficients refitted with each replicate weight column (R x p), starting from the
    full-sample fit, as R's svyglm on a replicate design; a replicate whose fit does not
    exist (a level left without weight) is NaN, which R's variance leaves out."""
    fits = np.full((weights.shape[1], len(start)), np.nan)
    for k in range(weights.shape[1]):
        w = weights[:, k]
        try:
            if family.logistic:
                beta, r, converged = _fit_logistic(x, y, w, start)
                if not converged or np.max(np.abs(x[w > 0] @ beta)) > CERTAIN:
                    continue
            else:
                beta, r = _solve(x, np.sqrt(w), y)
        except (np.linalg.LinAlgError, ValueError):
            continue
        diagonal = np.abs(np.diag(r))  # a column without weight in the replicate: no fit
        if np.all(np.isfinite(beta)) and diagonal.min() > QR_RANK * diagonal.max():
            fits[k] = beta
    return fits


def _separation_after_fit(frame: ModelFrame, x: np.ndarray, y: np.ndarray,
                          converged: bool) -> str | None:
    """A fit with fitted probabilities at 0 or 1 is checked for separation; one that did not
    converge without separation is refused as such."""
    found = _direction_separation(frame, x, y)
    if found is None and not converged:
        raise ModelError(f"the logistic model {frame.formula!r} did not converge in "
                         f"{MAX_ITERATIONS} iterations (near separation: some fitted "
                         "probabilities approach 0 or 1); simplify the model or merge levels")
    return found
