"""Weighted crosstabs and the Rao-Scott corrected chi-square test of independence.

Follows R `survey`'s `svychisq` (compared live with R in the tests): Pearson's X^2 on the
weighted table scaled to the respondents who answered both questions, divided by the mean
generalised design effect (first order, "Chisq"), or referred to an F distribution with
Satterthwaite degrees of freedom (second order, "F", R's default). R scales the table to all
rows, including those with a missing answer; the tests and p-values do not depend on that
scale, only `pearson` and `cramers_v` do. A category whose every respondent skipped the other
question is left out of the table; R keeps it as a row (or column) of zeros and counts it in
the test's degrees of freedom. Cramér's V is not in R `survey`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from survey.stats.design import SampleDesign
from survey.stats.estimate import mean
from survey.stats.levels import ordered_levels


@dataclass(frozen=True)
class RaoScott:
    chisq: float
    """First-order corrected X^2, on which R's statistic = "Chisq" bases its p-value (R prints
    the uncorrected Pearson X^2 as the statistic)."""
    chisq_df: int
    chisq_p: float
    f: float
    """Second-order corrected F (R's default)."""
    f_ndf: float
    f_ddf: float
    f_p: float
    pearson: float
    """Uncorrected Pearson X^2 on the weighted table scaled to the respondents who answered
    both."""
    cramers_v: float


@dataclass(frozen=True)
class Crosstab:
    """A weighted two-way table with its Rao-Scott test (R's svytable and svychisq)."""

    row_levels: tuple[object, ...]
    column_levels: tuple[object, ...]
    weighted: np.ndarray
    """Sum of weights per cell (rows x columns)."""
    unweighted: np.ndarray
    test: RaoScott | None
    """None when the table has fewer than two rows or columns with data, or when empty cells
    leave the design-effect matrix of the correction singular (R's svychisq stops there with
    "system is computationally singular")."""


def crosstab(design: SampleDesign, rows: pd.Series, columns: pd.Series) -> Crosstab:
    """The weighted table of two categorical variables and its Rao-Scott test."""
    known = (rows.notna() & columns.notna()).to_numpy()
    row_levels, column_levels = ordered_levels(rows[known]), ordered_levels(columns[known])
    nr, nc = len(row_levels), len(column_levels)
    row_index = pd.Categorical(rows.where(known), categories=row_levels).codes
    column_index = pd.Categorical(columns.where(known), categories=column_levels).codes
    cell = np.where(known, row_index + nr * column_index, -1)  # rows vary fastest, as in R
    weighted = np.bincount(cell[known], weights=design.weights[known],
                           minlength=nr * nc).reshape(nc, nr).T
    unweighted = np.bincount(cell[known], minlength=nr * nc).reshape(nc, nr).T
    test = None
    if nr >= 2 and nc >= 2:
        test = _rao_scott(design, cell, known, nr, nc, weighted)
    return Crosstab(row_levels, column_levels, weighted, unweighted.astype(int), test)


def _reciprocal_condition(matrix: np.ndarray) -> float:
    """1 / the 1-norm condition number, 0 for a singular matrix."""
    try:
        inverse = np.linalg.inv(matrix)
    except np.linalg.LinAlgError:
        return 0.0
    norm = np.abs(matrix).sum(axis=0).max() * np.abs(inverse).sum(axis=0).max()
    return float(1 / norm) if np.isfinite(norm) and norm > 0 else 0.0


def _rao_scott(design: SampleDesign, cell: np.ndarray, known: np.ndarray, nr: int, nc: int,
               weighted: np.ndarray) -> RaoScott | None:
    cells = nr * nc
    indicators = np.full((design.n, cells), np.nan)
    indicators[known] = np.eye(cells)[cell[known]]
    shares = mean(design, indicators)
    p, v = shares.values, shares.covariance
    n = int(known.sum())
    grid_rows = np.tile(np.arange(nr), nc)
    grid_columns = np.repeat(np.arange(nc), nr)
    main = np.column_stack([np.ones(cells)]
                           + [(grid_rows == r).astype(float) for r in range(1, nr)]
                           + [(grid_columns == c).astype(float) for c in range(1, nc)])
    interaction = np.column_stack([(grid_rows == r) & (grid_columns == c)
                                   for c in range(1, nc) for r in range(1, nr)]).astype(float)
    contrast = interaction - main @ np.linalg.lstsq(main, interaction, rcond=None)[0]
    inverse = np.diag(np.where(p == 0, 0.0, 1.0 / np.where(p == 0, 1.0, p)))
    denominator = contrast.T @ (inverse / n) @ contrast
    numerator = contrast.T @ inverse @ v @ inverse @ contrast
    if _reciprocal_condition(denominator) < np.finfo(float).eps:  # R's solve() test
        return None
    delta = np.linalg.solve(denominator, numerator)
    trace = float(np.trace(delta))
    d0 = trace ** 2 / float(np.trace(delta @ delta))
    scaled = weighted / weighted.sum() * n
    expected = np.outer(scaled.sum(axis=1), scaled.sum(axis=0)) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.nansum((scaled - expected) ** 2 / expected))
    df = (nr - 1) * (nc - 1)
    chisq = pearson * df / trace
    f = pearson / trace
    nu = design.degrees_of_freedom
    cramers_v = float(np.sqrt(pearson / n / min(nr - 1, nc - 1)))
    return RaoScott(
        chisq=chisq, chisq_df=df, chisq_p=float(stats.chi2.sf(chisq, df)),
        f=f, f_ndf=d0, f_ddf=d0 * nu, f_p=float(stats.f.sf(f, d0, d0 * nu)),
        pearson=pearson, cramers_v=cramers_v)
