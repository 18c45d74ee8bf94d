"""Calibration of design weights to population totals (GREG, raking, logit), as R `survey`'s
`calibrate()`, and the design whose standard errors then account for the calibration.

The calibrated weight of row i is d_i * g_i, with d the base weights and g = F(x_i' eta): F is
linear (GREG), exponential (raking) or logit-shaped, each optionally held within bounds on g.
eta is found by R's Newton iteration (`grake`), step for step, so that R and we agree to
rounding error. Unbounded linear calibration is solved in one step as R's `regcalibrate` does.

Population totals are given per variable: a number for a numeric variable (its population
total) and a mapping category -> population count for a categorical one. The model matrix is
R's `model.matrix(~ v1 + v2 + ...)`: an intercept (the population size), one column per numeric
variable and one per category but the first of each categorical variable; `columns` names them
as R does, so `dict(zip(columns, targets))` is R's `population` vector.

Standard errors: the calibrated design replaces an estimate's linearised scores by their
residuals from the calibration regression (survey.stats.design), as R's `svyrecvar` does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from survey.stats.design import SampleDesign
from survey.stats.weighting import (
    TOTAL_AGREEMENT,
    WeightDiagnostics,
    WeightingError,
    _category,
    _column,
    _match,
    _number,
    diagnostics,
)

Calfun = Literal["linear", "raking", "logit"]

RESCALE_ABOVE = 20.0
"""As R's grake: when every target exceeds its sample total this many times, the base weights
are first scaled up by the mean ratio, and bounds on g are relative to the scaled weights."""

PSU_WEIGHT_AGREEMENT = 1e-9
"""Per-PSU calibration needs base weights equal within a PSU up to this relative difference."""


@dataclass(frozen=True)
class Calibration:
    """Calibrated weights, the design that carries them, and how the calibration went."""

    weights: np.ndarray
    """Calibrated weights d * g, one per row."""
    design: SampleDesign
    """The input design with these weights; its estimates have calibration-aware SEs."""
    factors: np.ndarray
    """g: calibrated weight / base weight."""
    columns: tuple[str, ...]
    """Model-matrix columns as R names them: '(Intercept)', 'age', 'sexm', ..."""
    targets: np.ndarray
    """Population total of each column (R's `population` vector)."""
    iterations: int
    """Newton steps taken (1 for unbounded linear calibration)."""
    largest_misfit: float
    """max |achieved - target| / (1 + |target|) over the columns, R's convergence measure."""

    @property
    def diagnostics(self) -> WeightDiagnostics:
        return diagnostics(self.weights)


@dataclass(frozen=True)
class _Term:
    """One variable of the calibration model: its full indicator (or value) columns."""

    name: str
    labels: tuple[object, ...]
    """Categories with respondents; () for a numeric variable."""
    values: np.ndarray
    """n x len(labels) indicators, or n x 1 values for a numeric variable."""
    targets: np.ndarray


def _describe(name: str, label: object) -> str:
    if name == "":
        return "the population size"
    if label is None:
        return f"the total of '{name}'"
    return f"the count of {name} {_category(label)}"


def _terms(data: pd.DataFrame, population: Mapping[str, object],
           size: float | None) -> tuple[list[_Term], float]:
    if not population:
        raise WeightingError("calibration needs at least one variable with its population total")
    terms = []
    for name, target in population.items():
        column = _column(data, name, "calibration")
        if isinstance(target, Mapping | pd.Series):
            coded = _match(name, column, target)
            values = np.zeros((len(data), len(coded.labels)))
            values[np.arange(len(data)), coded.codes] = 1.0
            terms.append(_Term(name, coded.labels, values, coded.targets))
            continue
        if not pd.api.types.is_numeric_dtype(column):
            raise WeightingError(f"the population gives one number for '{name}', but '{name}' "
                                 "holds categories: give a count per category, e.g. "
                                 f"{{'{column.iloc[0]}': ...}}")
        total = float(target)  # type: ignore[arg-type]
        x = column.to_numpy(dtype=float)
        if not math.isfinite(total):
            raise WeightingError(f"the total of '{name}' is {target}, not a number")
        if total < 0 and np.all(x >= 0):
            raise WeightingError(f"the total of '{name}' is {_number(total)} but {name} is never "
                                 "negative: correct the total")
        if np.all(x == 0) and total != 0:
            raise WeightingError(f"{name} is 0 for every respondent, so its total cannot be "
                                 f"{_number(total)}")
        if np.all(x == 0):
            continue  # R drops a column with no sample and no population total
        terms.append(_Term(name, (), x[:, None], np.array([total])))
    total = _population_size(terms, size)
    return [replace(t, targets=t.targets * (total / t.targets.sum())) if t.labels else t
            for t in terms], total


def _population_size(terms: list[_Term], size: float | None) -> float:
    """The intercept's target: `size`, else the total of the first categorical variable; every
    categorical variable must agree with it (within 0.1%, as raking margins)."""
    sizes = [(t.name, float(t.targets.sum())) for t in terms if t.labels]
    if size is not None:
        if not math.isfinite(size) or size <= 0:
            raise WeightingError(f"the population size must be a positive number, not {size}")
        sizes.insert(0, ("size=", float(size)))
    if not sizes:
        raise WeightingError("with numeric variables only, give the population size as size=")
    first, total = sizes[0]
    verb = "is" if first == "size=" else "sums to"
    for name, other in sizes[1:]:
        if abs(other - total) > TOTAL_AGREEMENT * total:
            raise WeightingError(
                f"the totals disagree on the population size: {first} {verb} {_number(total)} "
                f"but {name} sums to {_number(other)}; at most 0.1% apart is allowed")
    return total


def _model(terms: list[_Term], n: int, size: float
           ) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """R's treatment-coded model matrix, its targets and column names."""
    blocks, targets, names = [np.ones((n, 1))], [size], ["(Intercept)"]
    for term in terms:
        if term.labels:
            blocks.append(term.values[:, 1:])
            targets.extend(term.targets[1:])
            names.extend(f"{term.name}{label}" for label in term.labels[1:])
        else:
            blocks.append(term.values)
            targets.append(float(term.targets[0]))
            names.append(term.name)
    return np.hstack(blocks), np.array(targets), tuple(names)


# ---------------------------------------------------------------------------------------------
# Calibration functions: F(u) - 1 and its derivative, as R's cal.linear, cal.raking, cal.logit
# ---------------------------------------------------------------------------------------------


def _f_minus_one(calfun: Calfun, u: np.ndarray, lower: np.ndarray, upper: np.ndarray
                 ) -> np.ndarray:
    f: np.ndarray
    if calfun == "linear":
        f = np.minimum(np.maximum(u + 1, lower), upper) - 1
        return f
    if calfun == "raking":
        f = np.minimum(np.maximum(np.exp(u), lower), upper) - 1
        return f
    a = (upper - lower) / ((upper - 1) * (1 - lower))
    e = np.exp(a * u)
    f = (lower * (upper - 1) + upper * (1 - lower) * e) / (upper - 1 + (1 - lower) * e) - 1
    return f


def _derivative(calfun: Calfun, u: np.ndarray, lower: np.ndarray, upper: np.ndarray
                ) -> np.ndarray:
    inside = (u < upper - 1) & (u > lower - 1)
    if calfun == "linear":
        return inside.astype(float)
    if calfun == "raking":
        return np.where(inside, np.exp(u), 0.0)
    a = (upper - lower) / ((upper - 1) * (1 - lower))
    e = np.exp(a * u)
    denominator = upper - 1 + (1 - lower) * e
    derivative: np.ndarray = (upper * (1 - lower) * e * a / denominator
                              - (lower * (upper - 1) + upper * (1 - lower) * e)
                              * ((1 - lower) * e * a) / denominator**2)
    return derivative


def _check_reachable(terms: list[_Term], size: float, d: np.ndarray, calfun: Calfun,
                     lower: np.ndarray, upper: np.ndarray, on_weights: bool) -> None:
    """Each total alone must be reachable with g within the bounds (raking: g > 0)."""
    floor = np.maximum(lower, 0.0) if calfun == "raking" else lower
    checks: list[tuple[str, object, np.ndarray, float]] = [("", None, np.ones(len(d)), size)]
    for term in terms:
        labels = term.labels or (None,)
        checks += [(term.name, label, term.values[:, k], term.targets[k])
                   for k, label in enumerate(labels)]
    with np.errstate(invalid="ignore"):
        for name, label, x, target in checks:
            dx = d * x
            low = np.sum(np.where(dx > 0, dx * floor, 0) + np.where(dx < 0, dx * upper, 0))
            high = np.sum(np.where(dx > 0, dx * upper, 0) + np.where(dx < 0, dx * floor, 0))
            slack = 1e-12 * max(abs(target), 1.0)
            if low - slack <= target <= high + slack:
                continue
            what = _describe(name, label)
            if on_weights or np.any(x < 0):
                raise WeightingError(
                    f"{what} ({_number(target)}) cannot be reached with weights within the "
                    f"bounds: the reachable range is {_number(low)} to {_number(high)}; widen "
                    "the bounds or check the target")
            needed = target / dx.sum()
            side, bound = ("upper", upper[0]) if target > high else ("lower", floor[0])
            raise WeightingError(
                f"{what} ({_number(target)}) needs weights of {needed:.3g} times the base "
                f"weight on average, but the {side} bound is {bound:g}: widen the bounds, "
                "check the target or merge small categories")


def _newton(x: np.ndarray, d: np.ndarray, targets: np.ndarray, calfun: Calfun,
            lower: np.ndarray, upper: np.ndarray, max_iterations: int, tolerance: float
            ) -> tuple[np.ndarray, int, np.ndarray]:
    """R's grake: g, the iterations used and the final misfit per column."""
    sample_total = x.T @ d
    eta = np.zeros(x.shape[1])
    u = x @ eta
    iteration = 1
    with np.errstate(over="ignore", invalid="ignore"):
        while True:
            step_matrix = (x * (d * _derivative(calfun, u, lower, upper))[:, None]).T @ x
            misfit = targets - sample_total - x.T @ (d * _f_minus_one(calfun, u, lower, upper))
            step = np.linalg.pinv(step_matrix, rcond=256 * np.finfo(float).eps) @ misfit
            eta = eta + step
            u = x @ eta
            while iteration < max_iterations and not (
                    np.all(np.isfinite(_f_minus_one(calfun, u, lower, upper)))
                    and np.all(np.isfinite(_derivative(calfun, u, lower, upper)))):
                iteration += 1
                step = step / 2
                eta = eta - step
                u = x @ eta
            misfit = targets - sample_total - x.T @ (d * _f_minus_one(calfun, u, lower, upper))
            if np.all(np.abs(misfit) / (1 + np.abs(targets)) < tolerance):
                break
            iteration += 1
            if iteration > max_iterations:
                break
        return 1 + _f_minus_one(calfun, u, lower, upper), iteration, misfit


def _per_psu(design: SampleDesign, x: np.ndarray, d: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """Model matrix averaged within each PSU (R's aggregate.stage = 1)."""
    psus = len(design.psu_stratum)
    counts = np.bincount(design.psu, minlength=psus)
    high = np.zeros(psus)
    np.maximum.at(high, design.psu, d)
    low = np.full(psus, np.inf)
    np.minimum.at(low, design.psu, d)
    if np.any(high - low > PSU_WEIGHT_AGREEMENT * high):
        psu = int(np.argmax((high - low) / high))
        raise WeightingError(
            f"per-PSU calibration needs the same base weight for every row of a PSU, but PSU "
            f"{psu + 1} (in the design's order) has weights from {_number(low[psu])} to "
            f"{_number(high[psu])}; calibrate rows instead (per_psu=False)")
    sums = np.stack([np.bincount(design.psu, x[:, k], minlength=psus)
                     for k in range(x.shape[1])], axis=1)
    return (sums / counts[:, None])[design.psu], d


def _bounds(bounds: tuple[float, float], calfun: Calfun, on_weights: bool
            ) -> tuple[float, float]:
    lower, upper = (float(b) for b in bounds)
    if on_weights:
        if calfun == "logit" and not (math.isfinite(lower) and math.isfinite(upper)):
            raise WeightingError("logit calibration needs finite bounds, e.g. bounds=(5, 50) "
                                 "for weights between 5 and 50")
        if not lower < upper:
            raise WeightingError(f"calibration bounds must satisfy lower < upper; got {lower:g} "
                                 f"and {upper:g}")
        return lower, upper
    if not lower <= 1 <= upper or lower == upper:
        raise WeightingError(f"calibration bounds must satisfy lower <= 1 <= upper (as multiples "
                             f"of the base weight); got {lower:g} and {upper:g}")
    if calfun == "logit" and not (math.isfinite(lower) and math.isfinite(upper)
                                  and lower < 1 < upper):
        raise WeightingError("logit calibration needs finite bounds with lower < 1 < upper, "
                             "e.g. bounds=(0.5, 2)")
    return lower, upper


def calibrate(design: SampleDesign, data: pd.DataFrame, population: Mapping[str, object], *,
              size: float | None = None, calfun: Calfun = "linear",
              bounds: tuple[float, float] = (-math.inf, math.inf),
              bounds_on_weights: bool = False, per_psu: bool = False, max_iterations: int = 50,
              tolerance: float = 1e-7, trim: tuple[float, float] | None = None) -> Calibration:
    """Calibrate the weights of `design` (rows of `data`) to `population`, as R's
    `calibrate(design, ~ v1 + v2 + ..., population, calfun, bounds, maxit, epsilon)`.

    `population` maps each variable to its population total (numeric variable) or to
    {category: population count} (categorical); `size` is the population size, needed only
    when no variable is categorical. `bounds` hold g = weight / base weight (R's `bounds`), or
    the weights themselves with `bounds_on_weights` (R's `bounds.const = TRUE`; here relative
    to the base weights after R's rescaling, see RESCALE_ABOVE, so the stated bounds always
    hold). `per_psu` gives every row of a PSU the same g, from PSU-averaged variables (R's
    `aggregate.stage = 1`). Converged when every column's |misfit| / (1 + |target|) is below
    `tolerance` (R's `epsilon`). `trim=(lo, hi)` then clips g as R's `trim` does, sharing what
    was cut off over the other rows in proportion to their base weight; the targets then hold
    only approximately, and, as in R, a calibration that did not converge is accepted.
    """
    if calfun not in ("linear", "raking", "logit"):
        raise WeightingError(f"calfun must be 'linear', 'raking' or 'logit', not '{calfun}'")
    if design.replicates is not None:
        raise WeightingError("the design has replicate weights: calibrate the design first "
                             "and make no replicates (its linearised variance accounts for "
                             "the calibration); calibrated replicates are not supported")
    if design.calibration is not None:
        raise WeightingError("the design is already calibrated: calibrate the uncalibrated "
                             "design once, on all the variables together")
    if design.n != len(data):
        raise WeightingError(f"the design has {design.n} rows but the data have {len(data)}")
    lower, upper = _bounds(bounds, calfun, bounds_on_weights)
    terms, population_size = _terms(data, population, size)
    x, targets, columns = _model(terms, design.n, population_size)
    d = design.weights
    if per_psu:
        x, d = _per_psu(design, x, d)
        terms = [replace(t, values=_per_psu(design, t.values, d)[0]) for t in terms]
    unbounded_linear = calfun == "linear" and lower == -math.inf and upper == math.inf
    scale = 1.0
    ratios = targets / (x.T @ d)
    if not unbounded_linear and np.min(ratios) > RESCALE_ABOVE:
        scale = float(np.mean(ratios))
    low = np.full(design.n, lower) / (d * scale if bounds_on_weights else 1.0)
    high = np.full(design.n, upper) / (d * scale if bounds_on_weights else 1.0)
    _check_reachable(terms, population_size, d * scale, calfun, low, high, bounds_on_weights)
    g, iterations, misfit = _newton(x, d * scale, targets, calfun, low, high,
                                    1 if unbounded_linear else max_iterations, tolerance)
    g = g * scale
    gaps = np.abs(misfit) / (1 + np.abs(targets))
    if trim is not None:
        g = _trimmed(g, d, trim)
    elif not np.all(gaps < tolerance) and not unbounded_linear:
        worst = int(np.argmax(gaps))
        achieved = targets[worst] - misfit[worst]
        raise WeightingError(
            f"calibration did not converge after {max_iterations} iterations: column "
            f"'{columns[worst]}' reaches {_number(achieved)} against a target of "
            f"{_number(targets[worst])}; the targets may not be reachable together within the "
            "bounds: widen them, merge small categories or allow more iterations")
    weights = design.weights * g
    calibrated = replace(design, weights=weights, calibration=x, calibration_weights=d)
    return Calibration(weights, calibrated, g, columns, targets, min(iterations, max_iterations),
                       float(gaps.max()))


def _trimmed(g: np.ndarray, d: np.ndarray, trim: tuple[float, float]) -> np.ndarray:
    """R's `trim`: g clipped to [lo, hi]; what was cut off is shared by the other rows."""
    lo, hi = (float(t) for t in trim)
    if not 0 <= lo <= 1 <= hi:
        raise WeightingError(f"trim must satisfy 0 <= lower <= 1 <= upper; got {lo:g}, {hi:g}")
    clipped: np.ndarray = np.clip(g, lo, hi)
    outside = (g < lo) | (g > hi)
    if outside.any() and not outside.all():
        clipped[~outside] += ((g - clipped) * d).sum() / d[~outside].sum()
    return clipped
