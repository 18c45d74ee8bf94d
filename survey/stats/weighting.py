"""Weighting a sample to population margins: raking, post-stratification, trimming, diagnostics,
and the calibration-aware variance that goes with the calibrated weights.

Raking (iterative proportional fitting) multiplies the weights of every respondent in a
category by target / weighted count, margin after margin, until every margin holds. Targets
that cannot be met are refused with a message naming the variable and the category.

Variance after calibration follows R `survey`: the linearised scores z_i of an estimate are
replaced by their residuals from a regression of z_i / w_i on the calibration indicators
(one column per category of every margin), weighted by the base weights, times w_i:

    r_i = z_i - w_i * x_i' b,   b = argmin sum_i d_i (z_i / w_i - x_i' b)^2

with w the calibrated and d the base weights. For post-stratification this is R's
`postStratify` (score minus weight times the cell mean of score / weight); for raking it is
the projection onto all margins together that R's `calibrate(..., calfun = "raking")` uses
(R's `rake` approximates it with ten rounds of backfitting, so its SEs can differ slightly).
Both are compared live with R in the tests. A quantity fixed by the margins (the total or
share of a calibration category) then has variance 0.

Everything is vectorised: each raking step is one `bincount` per margin.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from survey.stats.design import SampleDesign
from survey.user_error import UserError

TOTAL_AGREEMENT = 1e-3
"""Margins whose population totals differ by more than this share of the first are refused."""

STRICT_TRIM_ROUNDS = 100_000
"""Rounds of strict trimming before giving up (R's trimWeights recurses without a limit)."""

STRICT_TRIM_SLACK = 1e-13
"""Strict trimming stops once no weight is beyond a bound by more than this (relative)."""

TOP_SHARE = 0.05
"""The diagnostics report the share of weight carried by this top fraction of respondents."""


class WeightingError(UserError, ValueError):
    """Weights that cannot be computed; the message names the variable, category and why."""


def _number(value: float) -> str:
    """A count as an analyst reads it: 12,000 or 11,950.3 or 0.5."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if abs(value - round(value)) <= 1e-9 * max(1.0, abs(value)) and abs(value) < 1e15:
        return f"{round(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    return f"{value:.4g}"


def _percent(share: float) -> str:
    return f"{100 * share:.3g}%"


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


def _others(count: int) -> str:
    """How many further categories have the same problem, if any."""
    return f" (and {_plural(count, 'other category', 'other categories')})" if count else ""


def _category(value: object) -> str:
    return f"'{value}'"


# ---------------------------------------------------------------------------------------------
# Margins and targets
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Margin:
    """Population counts per category of one variable.

    `targets` maps each category (as it appears in the data) to its population count.
    Categories with a target of 0 may be listed; they must then have no respondent.
    """

    variable: str
    targets: Mapping[Any, float]

    @classmethod
    def from_shares(cls, variable: str, shares: Mapping[Any, float],
                    population: float) -> Margin:
        """A margin given as shares (fractions summing to 1) of a population total."""
        population = float(population)
        if not math.isfinite(population) or population <= 0:
            raise WeightingError(f"the population total for {variable} must be a positive "
                                 f"number, not {population}")
        shares = dict(shares.items())  # a dict or a pandas Series
        values = np.array([float(v) for v in shares.values()])
        total = values.sum()
        if not np.all(np.isfinite(values)) or abs(total - 1) > 1e-6:
            raise WeightingError(f"the shares for {variable} sum to {total:.6g}, not 1; give "
                                 "them as fractions of the population (0.25 for 25%)")
        return cls(variable, {key: float(share) * population for key, share in shares.items()})


@dataclass(frozen=True)
class _Coded:
    """One margin (or the post-stratification cells) matched against the data."""

    name: str
    """How the variable is named in messages."""
    labels: tuple[object, ...]
    """The categories with respondents, one per calibration column."""
    codes: np.ndarray
    """Index into `labels` for every row."""
    targets: np.ndarray
    """Population count for each of `labels`."""

    @property
    def total(self) -> float:
        return float(self.targets.sum())


def _base_weights(data: pd.DataFrame, base_weights: np.ndarray | str | None) -> np.ndarray:
    n = len(data)
    if n == 0:
        raise WeightingError("the data have no rows")
    if base_weights is None:
        return np.ones(n)
    if isinstance(base_weights, str):
        if base_weights not in data.columns:
            raise WeightingError(f"the base weight column '{base_weights}' is not in the data")
        values = pd.to_numeric(data[base_weights], errors="coerce").to_numpy(dtype=float)
    else:
        values = np.asarray(base_weights, dtype=float).reshape(-1)
    if len(values) != n:
        raise WeightingError(f"there are {len(values)} base weights for {n} rows of data")
    bad = ~np.isfinite(values) | (values <= 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise WeightingError(f"base weights must be positive numbers; row {row + 1} has "
                             f"{values[row]} ({_plural(int(bad.sum()), 'row')} in all)")
    return values


def _clean_targets(name: str, targets: Mapping[Any, float] | pd.Series) -> dict[Any, float]:
    items = dict(targets.items())
    if not items:
        raise WeightingError(f"the margin for {name} has no targets")
    clean = {}
    for key, value in items.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or number < 0:
            raise WeightingError(f"the target for {name} {_category(key)} is {value}: targets "
                                 "must be population counts of 0 or more")
        clean[key] = number
    if sum(clean.values()) <= 0:
        raise WeightingError(f"the targets for {name} sum to 0")
    return clean


def _match(name: str, values: pd.Series | pd.Index, targets: Mapping[Any, float] | pd.Series,
           shown: Callable[[object], str] | None = None) -> _Coded:
    """Match the rows' categories against the targets and refuse impossible targets.

    `values` has one entry per row (tuples for several cell variables); `shown` turns a
    category into its text in messages.
    """
    shown = shown or _category
    targets = _clean_targets(name, targets)
    keys = pd.Index(list(targets), tupleize_cols=False)
    if not keys.is_unique:
        raise WeightingError(f"the targets for {name} list a category twice")
    positions = keys.get_indexer(pd.Index(values, tupleize_cols=False))
    counts = np.bincount(positions[positions >= 0], minlength=len(keys))
    unknown = positions < 0
    if unknown.any():
        extra = pd.Series(np.asarray(values, dtype=object)[unknown]).value_counts()
        extra = extra.iloc[np.argsort([str(k) for k in extra.index], kind="stable")]
        first, count = extra.index[0], int(extra.iloc[0])
        more = _others(len(extra) - 1)
        raise WeightingError(f"{_plural(count, 'respondent')} in {name} {shown(first)}, which "
                             f"has no target{more}: add its population count or recode it into "
                             "a category that has one")
    target = np.array(list(targets.values()))
    empty = np.flatnonzero((counts == 0) & (target > 0))
    if len(empty):
        where = int(empty[np.argmin([str(keys[i]) for i in empty])])
        more = _others(len(empty) - 1)
        raise WeightingError(f"no respondent in {name} {shown(keys[where])} but the target is "
                             f"{_number(target[where])}{more}: merge it with a neighbour")
    zero = np.flatnonzero((counts > 0) & (target == 0))
    if len(zero):
        where = int(zero[np.argmin([str(keys[i]) for i in zero])])
        raise WeightingError(f"{_plural(int(counts[where]), 'respondent')} in {name} "
                             f"{shown(keys[where])} but the target is 0: drop them or correct "
                             "the target")
    used = np.flatnonzero(counts > 0)
    remap = np.full(len(keys), -1)
    remap[used] = np.arange(len(used))
    return _Coded(name, tuple(keys[i] for i in used), remap[positions], target[used])


def _column(data: pd.DataFrame, variable: str, role: str) -> pd.Series:
    if variable not in data.columns:
        raise WeightingError(f"the {role} variable '{variable}' is not in the data")
    column = data[variable]
    missing = column.isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise WeightingError(f"{variable} is missing for "
                             f"{_plural(int(missing.sum()), 'respondent')} (first in row "
                             f"{row + 1}): impute it or leave those rows out before weighting")
    return column


def _indicators(coded: Sequence[_Coded], n: int) -> np.ndarray:
    """One 0/1 column per category with respondents, margin after margin."""
    widths = [len(c.labels) for c in coded]
    offsets = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(int)
    matrix = np.zeros((n, int(sum(widths))))
    rows = np.arange(n)
    for margin, offset in zip(coded, offsets, strict=True):
        matrix[rows, offset + margin.codes] = 1.0
    return matrix


# ---------------------------------------------------------------------------------------------
# Results and diagnostics
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightDiagnostics:
    n: int
    design_effect: float
    """Kish's design effect due to weighting: 1 + CV^2 = n sum(w^2) / sum(w)^2."""
    effective_n: float
    """n / design_effect."""
    minimum: float
    maximum: float
    ratio: float
    """maximum / minimum."""
    top_share: float
    """Share of the total weight carried by the ceil(5% of n) respondents weighted most."""


def diagnostics(weights: np.ndarray) -> WeightDiagnostics:
    """Kish's design effect, effective sample size and the spread of the weights."""
    w = np.asarray(weights, dtype=float).reshape(-1)
    if len(w) == 0:
        raise WeightingError("there are no weights to describe")
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise WeightingError(f"weights must be positive numbers; row {row + 1} has {w[row]}")
    n = len(w)
    total = w.sum()
    deff = float(n * np.sum(w * w) / total**2)
    top = math.ceil(TOP_SHARE * n)
    heaviest = np.partition(w, n - top)[n - top:]
    return WeightDiagnostics(n, deff, n / deff, float(w.min()), float(w.max()),
                             float(w.max() / w.min()), float(heaviest.sum() / total))


@dataclass(frozen=True)
class WeightingResult:
    weights: np.ndarray
    """The calibrated weights, one per row."""
    base_weights: np.ndarray
    indicators: np.ndarray
    """Calibration indicators (n x K): one column per category with respondents."""
    columns: tuple[tuple[str, object], ...]
    """(variable, category) of each indicator column."""
    iterations: int
    """Raking sweeps over all margins (0 for post-stratification)."""
    largest_gap: float
    """Largest relative gap |weighted count / target - 1| left in any category."""

    @property
    def diagnostics(self) -> WeightDiagnostics:
        return diagnostics(self.weights)

    def design(self, base: SampleDesign) -> SampleDesign:
        """`base` (PSUs, strata, fpc of the same rows) with these weights, calibration-aware."""
        if base.n != len(self.weights):
            raise WeightingError(f"the design has {base.n} rows but there are "
                                 f"{len(self.weights)} weights")
        return replace(base, weights=self.weights, calibration=self.indicators,
                       calibration_weights=self.base_weights)


# ---------------------------------------------------------------------------------------------
# Trimming
# ---------------------------------------------------------------------------------------------


def _check_bounds(lower: float, upper: float) -> None:
    if not (0 <= lower <= 1 <= upper) or not math.isfinite(upper):
        raise WeightingError(f"trimming bounds must satisfy 0 <= lower <= 1 <= upper (as "
                             f"multiples of the mean weight); got {lower:g} and {upper:g}")


def _trim_to(w: np.ndarray, low: float, high: float, total: float) -> np.ndarray:
    """clip(c * w, low, high) with c chosen so that the weights sum to `total`.

    sum(clip(c w)) is piecewise linear and increasing in c; the kinks are at low / w_i and
    high / w_i. Sorting them gives the segment with the solution, where c is exact.
    """
    if np.all((w >= low) & (w <= high)) and abs(w.sum() - total) <= 1e-12 * total:
        return w
    s = np.sort(w)
    prefix = np.concatenate([[0.0], np.cumsum(s)])
    n = len(s)

    def pieces(c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        below = np.searchsorted(s, low / c, side="left")
        above = n - np.searchsorted(s, high / c, side="right")
        free = prefix[n - above] - prefix[below]
        return below, above, free

    kinks = np.unique(np.concatenate([low / s, high / s]))
    kinks = kinks[np.isfinite(kinks) & (kinks > 0)]
    below, above, free = pieces(kinks)
    reached = np.flatnonzero(low * below + high * above + kinks * free >= total)
    if len(reached) == 0:  # only when upper == 1 and rounding: every weight at the top
        return np.full(n, high)
    j = int(reached[0])
    start = kinks[j - 1] if j > 0 else kinks[0] / 2
    middle = np.array([(start + kinks[j]) / 2])
    below, above, free = (v[0] for v in pieces(middle))
    c = kinks[j] if free == 0 else (total - low * below - high * above) / free
    clipped: np.ndarray = np.clip(c * w, low, high)
    return clipped


def _spread(w: np.ndarray, low: float, high: float, slack: float) -> np.ndarray | None:
    """One step of R's trimWeights: weights beyond a bound (by more than `slack`, relative)
    are set to it and the difference is shared equally by all the others; None when no
    weight is beyond a bound."""
    outside = (w < low * (1 - slack)) | (w > high * (1 + slack))
    if not outside.any():
        return None
    clipped = np.where(outside, np.clip(w, low, high), w)
    if outside.all():  # nothing to spread over: R keeps the clipped weights
        return clipped
    clipped[~outside] += (w - clipped).sum() / np.count_nonzero(~outside)
    return clipped


def trim(weights: np.ndarray, lower: float = 0.3, upper: float = 3.0,
         strict: bool = False) -> np.ndarray:
    """Weights trimmed to [lower, upper] times their mean, with the same total, as R's
    `trimWeights(design, upper = upper * mean, lower = lower * mean, strict)`.

    Weights beyond a bound are set to it, and what was cut off (or added) is spread equally
    over all the other weights. That can push some of them over a bound, as in R. With
    `strict=True` the step repeats, as R's recursion does, until no weight is beyond a bound.
    Where the steps only approach their limit (a weight pushed off its bound by ever smaller
    amounts; R's recursion then never ends), they stop once every weight is within a relative
    1e-13 of the bounds, and the weights are put exactly on the bounds. With every weight
    outside the bounds nothing can be spread, and the clipped weights are returned: their
    total then differs, as in R. Margins are not kept: use `rake(..., trim=...)` for that.
    """
    _check_bounds(lower, upper)
    w = np.asarray(weights, dtype=float).reshape(-1)
    bad = ~np.isfinite(w) | (w <= 0)
    if len(w) == 0 or bad.any():
        row = int(np.flatnonzero(bad)[0]) if bad.any() else 0
        raise WeightingError("weights must be positive numbers" + (
            f"; row {row + 1} has {w[row]}" if bad.any() else ", and there are none"))
    mean = float(w.sum()) / len(w)
    low, high = lower * mean, upper * mean
    step = _spread(w, low, high, 0.0)
    if step is None or not strict:
        return w if step is None else step
    w = step
    for _ in range(STRICT_TRIM_ROUNDS):
        step = _spread(w, low, high, STRICT_TRIM_SLACK)
        if step is None:
            clipped: np.ndarray = np.clip(w, low, high)
            return clipped
        w = step
    raise WeightingError(
        f"trimming to {lower:g} and {upper:g} times the mean weight did not settle after "
        f"{STRICT_TRIM_ROUNDS:,} rounds; widen the bounds or trim once (strict off)")


# ---------------------------------------------------------------------------------------------
# Raking and post-stratification
# ---------------------------------------------------------------------------------------------


def _gaps(w: np.ndarray, coded: Sequence[_Coded]) -> tuple[float, str]:
    """The largest relative gap between weighted counts and targets, and where it is."""
    worst, where = 0.0, ""
    for margin in coded:
        achieved = np.bincount(margin.codes, weights=w, minlength=len(margin.labels))
        gap = np.abs(achieved / margin.targets - 1)
        i = int(np.argmax(gap))
        if gap[i] > worst:
            worst = float(gap[i])
            where = (f"{margin.name} {_category(margin.labels[i])}: weighted "
                     f"{_number(achieved[i])} against a target of {_number(margin.targets[i])} "
                     f"({_percent(gap[i])} off)")
    return worst, where


def rake(data: pd.DataFrame, base_weights: np.ndarray | str | None,
         margins: Sequence[Margin], max_iterations: int = 100, tolerance: float = 1e-8,
         trim: tuple[float, float] | None = None) -> WeightingResult:
    """Rake `base_weights` to every margin by iterative proportional fitting.

    Converged when every category's weighted count is within `tolerance` (relative) of its
    target. Margins whose totals agree within 0.1% are scaled to the first margin's total.
    With `trim=(lower, upper)`, each sweep ends by trimming the weights to [lower, upper]
    times the mean weight (population total / n), so both the bounds and the margins hold
    at convergence; a WeightingError says so when they cannot.
    """
    w0 = _base_weights(data, base_weights)
    if not margins:
        raise WeightingError("raking needs at least one margin")
    names = [m.variable for m in margins]
    twice = sorted({v for v in names if names.count(v) > 1})
    if twice:
        raise WeightingError(f"{twice[0]} has more than one margin; give one per variable")
    if trim is not None:
        _check_bounds(*trim)
    coded = [_match(m.variable, _column(data, m.variable, "margin"), m.targets)
             for m in margins]
    first = coded[0]
    for other in coded[1:]:
        if abs(other.total - first.total) > TOTAL_AGREEMENT * first.total:
            raise WeightingError(
                f"the margins disagree on the population total: {first.name} sums to "
                f"{_number(first.total)} but {other.name} sums to {_number(other.total)} "
                f"({_percent(abs(other.total / first.total - 1))} apart; at most 0.1% is "
                "allowed)")
    coded = [_Coded(c.name, c.labels, c.codes, c.targets * (first.total / c.total))
             for c in coded]
    n = len(w0)
    w = w0.copy()
    bounds = None
    if trim is not None:
        mean = first.total / n
        bounds = (trim[0] * mean, trim[1] * mean)
    gap, where = _gaps(w, coded)
    iterations = 0
    while gap > tolerance and iterations < max_iterations:
        for margin in coded:
            achieved = np.bincount(margin.codes, weights=w, minlength=len(margin.labels))
            w = w * (margin.targets / achieved)[margin.codes]
        if bounds is not None:
            w = _trim_to(w, bounds[0], bounds[1], first.total)
        iterations += 1
        gap, where = _gaps(w, coded)
    if gap > tolerance:
        if trim is not None:
            raise WeightingError(
                f"weights cannot stay within {trim[0]:g} and {trim[1]:g} times the mean weight "
                f"while matching the margins: after {iterations} iterations the largest "
                f"remaining gap is in {where}; widen the bounds or merge small categories")
        raise WeightingError(
            f"raking did not converge after {iterations} iterations: the largest remaining gap "
            f"is in {where}; look for categories of different margins that only occur together, "
            "or allow more iterations")
    columns = tuple((c.name, label) for c in coded for label in c.labels)
    return WeightingResult(w, w0, _indicators(coded, n), columns, iterations, gap)


def poststratify(data: pd.DataFrame, base_weights: np.ndarray | str | None,
                 cells: str | Sequence[str], targets: Mapping[Any, float] | pd.Series
                 ) -> WeightingResult:
    """Scale the weights in each cell so that they sum to the cell's population count.

    `cells` is one variable or several; with several, the keys of `targets` are tuples of
    their values in the same order (a Series with a MultiIndex works too).
    """
    w0 = _base_weights(data, base_weights)
    variables = [cells] if isinstance(cells, str) else list(cells)
    if not variables:
        raise WeightingError("post-stratification needs at least one cell variable")
    columns = [_column(data, v, "cell") for v in variables]
    if len(variables) == 1:
        values: pd.Series | pd.Index = columns[0]
        name, shown = variables[0], _category
    else:
        values = pd.MultiIndex.from_arrays([c.to_numpy(dtype=object) for c in columns])
        values = pd.Index(values.to_flat_index(), tupleize_cols=False)
        name = "cell"

        def shown(value: object) -> str:
            parts = value if isinstance(value, tuple) else (value,)
            return "(" + ", ".join(f"{v} {_category(p)}"
                                   for v, p in zip(variables, parts, strict=False)) + ")"

    coded = _match(name, values, targets, shown)
    achieved = np.bincount(coded.codes, weights=w0, minlength=len(coded.labels))
    w = w0 * (coded.targets / achieved)[coded.codes]
    gap, _ = _gaps(w, [coded])
    labels = tuple((name, label) for label in coded.labels)
    return WeightingResult(w, w0, _indicators([coded], len(w)), labels, 0, gap)
