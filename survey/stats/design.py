"""The sampling design of a data set: weights, strata, clusters (PSUs) and finite-population
correction, and the Taylor-linearisation variance that every estimate uses.

Variance follows R `survey` (Lumley) for a with-replacement approximation of the first stage
(the "ultimate cluster" estimator): per stratum h with n_h PSUs,
    V = sum_h (1 - f_h) * n_h / (n_h - 1) * sum_j (z_hj - mean_h z)^2
where z_hj are the PSU totals of the linearised scores. A stratum with a single PSU (a
"lonely" PSU) follows one of R's `options(survey.lonely.psu = ...)`, as R's `onestrat()`
computes it (each compared live with R in the tests, means and totals, whole sample and
domains):

- "adjust" (the default): the PSU total is not centred at all (R documents this as centring at
  the grand mean, which is zero for the scores of a mean and of a share; for a total R uses
  the uncentred PSU total too), times the stratum's 1 - f;
- "average": the stratum adds nothing, and the sum over the other strata is scaled by
  (strata with respondents) / (those of them with two PSUs or more);
- "certainty" and "remove": the stratum adds nothing. R tells them apart only below the first
  stage, which this one-stage (ultimate cluster) variance does not have;
- "fail": the design is refused when it is made (R refuses it at the first variance).

In a domain, a stratum that has several PSUs but respondents in only one of them is centred as
usual: R's default `options(survey.adjust.domain.lonely = FALSE)`, which is what is matched.
Everything is vectorised: one sparse product sums scores into PSU totals.

A design with replicate weights (`replicates`, made by survey.stats.replicates) takes its
variance from the statistic recomputed with every replicate weight column instead, as R's
svrep methods do (`replicate_covariance`, R's svrVar).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import linalg, sparse

from survey.user_error import UserError

if TYPE_CHECKING:
    from survey.stats.multistage import SecondStage


CENSUS = 1e-7
"""A stratum or PSU whose 1 - f is below this adds no variance: all its units were sampled
(R's onestrat())."""


RANK_TOLERANCE = 1e-10
"""Calibration columns whose cross-product has eigenvalues below this share of the largest
(singular values below 1e-5 of the largest) are collinear with the others."""


class DesignError(UserError, ValueError):
    """A design that cannot be used; the message says which column and why."""


class LonelyPsu(StrEnum):
    """R's `survey.lonely.psu` rules for a stratum with a single PSU."""

    ADJUST = "adjust"  # adds its uncentred PSU total
    AVERAGE = "average"  # adds nothing; the other strata scaled up to stand in for it
    CERTAINTY = "certainty"  # adds nothing: the PSU was sure to be sampled
    REMOVE = "remove"  # adds nothing
    FAIL = "fail"  # refuse the design


@dataclass(frozen=True)
class Replicates:
    """Replicate weights and how R's svrVar turns replicate estimates into a variance."""

    weights: np.ndarray
    """n x R replicate weights, combined with the sampling weights."""
    scale: float
    rscales: np.ndarray
    """One factor per replicate; replicates with 0 are left out of the centre."""
    mse: bool
    """Centre at the full-sample estimate instead of the mean of the replicates."""
    kind: str
    """JK1, JKn, bootstrap, BRR, Fay or other, as R's svrepdesign `type`."""
    rank: int | None = None
    """The rank of `weights` where it is known without looking at every row: replicates made
    from the design repeat one multiplier row per PSU, so their rank is that of the small
    PSU x R matrix (every PSU has rows, all weights positive)."""


@dataclass(frozen=True)
class SampleDesign:
    """What every estimator needs to know of a sample: weights, PSUs within strata, finite-
    population correction, lonely-PSU rule, calibration and replicate weights."""

    weights: np.ndarray
    """Sampling weights, one per row, all positive."""
    psu: np.ndarray
    """PSU index (0..n_psu-1) of each row; with no clusters, every row is its own PSU."""
    psu_stratum: np.ndarray
    """Stratum index of each PSU."""
    psu_count: np.ndarray
    """Number of PSUs in each stratum."""
    finite_factor: np.ndarray
    """1 - f_h per stratum (1 without finite-population correction)."""
    lonely: LonelyPsu = LonelyPsu.ADJUST
    calibration: np.ndarray | None = None
    """Calibration indicators (n x K) when the weights were raked or post-stratified."""
    calibration_weights: np.ndarray | None = None
    """Weights of the calibration regression (the base weights); None means `weights`."""
    replicates: Replicates | None = field(default=None, compare=False)
    """Replicate weights; with them every variance is a replicate variance."""
    second_stage: SecondStage | None = field(default=None, compare=False)
    """SSUs within PSUs when the design has two stages and a first-stage fpc
    (survey.stats.multistage); their variance is added to the first stage's."""

    @property
    def n(self) -> int:
        return len(self.weights)

    @cached_property
    def degrees_of_freedom(self) -> int:
        """Number of PSUs minus number of strata, as R's degf(); with replicate weights, their
        rank minus 1 (R's degf() of a replicate design)."""
        if self.replicates is not None:
            known = self.replicates.rank
            return (replicate_rank(self.replicates.weights) if known is None else known) - 1
        return int(self.psu_count.sum() - len(self.psu_count))

    def domain_degrees_of_freedom(self, rows: np.ndarray | None) -> int:
        """PSUs with a row in `rows` (a mask) minus the strata they lie in: R's degf() of the
        subset, the degrees of freedom R gives an estimate in a domain (with replicate weights:
        the rank of the subset's replicate weights minus 1)."""
        if rows is None:
            return self.degrees_of_freedom
        if self.replicates is not None:
            return replicate_rank(self.replicates.weights[np.asarray(rows, dtype=bool)]) - 1
        psus = np.unique(self.psu[np.asarray(rows, dtype=bool)])
        return int(len(psus) - len(np.unique(self.psu_stratum[psus])))

    @cached_property
    def _psu_indicator(self) -> sparse.csr_matrix:
        return sparse.csr_matrix((np.ones(self.n), (self.psu, np.arange(self.n))),
                                 shape=(len(self.psu_stratum), self.n))

    @cached_property
    def _rows_are_psus(self) -> bool:
        return len(self.psu_stratum) == self.n and bool(np.all(self.psu == np.arange(self.n)))

    def psu_totals(self, scores: np.ndarray) -> np.ndarray:
        """Sum the rows of `scores` (n x k) within each PSU."""
        if self._rows_are_psus:
            return np.asarray(scores)
        return np.asarray(self._psu_indicator @ scores)

    @cached_property
    def _calibration_basis(self) -> np.ndarray:
        """Factorised once: every variance then needs two products, not a least-squares fit."""
        assert self.calibration is not None
        d = self.weights if self.calibration_weights is None else self.calibration_weights
        return calibration_basis(self.calibration, d)

    def covariance(self, scores: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Design covariance (k x k) of the totals of the linearised `scores` (n x k).

        `rows` (a mask) are the rows the estimate uses (its domain, with an answer); only the
        lonely-PSU rule "average" needs them, to count the strata with respondents as R does.
        A replicate design has no linearised variance: its estimators use
        `replicate_covariance`, and asking this of it is a mistake, never a silent answer."""
        if self.replicates is not None:
            raise DesignError("this design has replicate weights: its variances come from "
                              "the replicates (replicate_covariance), not from linearisation")
        scores = scores.reshape(self.n, -1)
        if self.calibration is not None:
            scores = calibration_residuals(scores, self.weights, self.calibration,
                                           self.calibration_weights, self._calibration_basis)
        covariance = self.covariance_of_psu_totals(self.psu_totals(scores), rows)
        if self.second_stage is not None:
            covariance = covariance + self.second_stage.covariance(
                scores, self.lonely, rows if self.calibration is None else None)
        return covariance

    @cached_property
    def _stratum_indicator(self) -> sparse.csr_matrix:
        psus = len(self.psu_stratum)
        return sparse.csr_matrix((np.ones(psus), (self.psu_stratum, np.arange(psus))),
                                 shape=(len(self.psu_count), psus))

    def covariance_of_psu_totals(self, totals: np.ndarray,
                                 rows: np.ndarray | None = None) -> np.ndarray:
        """Design covariance from scores already summed per PSU (n_psu x k); `rows` as in
        `covariance`."""
        stratum_sum = np.asarray(self._stratum_indicator @ totals)
        centre = stratum_sum / self.psu_count[:, None]
        lonely = self.psu_count[self.psu_stratum] == 1
        centred = totals - centre[self.psu_stratum]  # a lonely PSU centres to zero
        if lonely.any() and self.lonely == LonelyPsu.ADJUST:
            centred[lonely] = totals[lonely]  # R's onestrat() leaves a lonely PSU uncentred
        count = self.psu_count[self.psu_stratum].astype(float)
        scale = np.where(count > 1, count / np.maximum(count - 1, 1), 1.0)
        scale = scale * self.finite_factor[self.psu_stratum]
        covariance: np.ndarray = (centred * scale[:, None]).T @ centred
        if lonely.any() and self.lonely == LonelyPsu.AVERAGE:
            covariance = covariance * self._average_factor(rows)
        return covariance

    def replicate_covariance(self, values: np.ndarray,
                             replicate_values: np.ndarray) -> np.ndarray:
        """Covariance (k x k) of estimates `values` (k) from the same statistic computed with
        each replicate weight column (R x k), as R's svrVar: centred at `values` with `mse`,
        otherwise at the mean of the replicates whose rscale is positive. Replicates with a NaN
        result are left out, as R's na.omit does."""
        if self.replicates is None:
            raise DesignError("this design has no replicate weights; use `covariance`")
        values = np.atleast_1d(np.asarray(values, dtype=float))
        thetas = np.asarray(replicate_values, dtype=float).reshape(-1, len(values))
        rscales = self.replicates.rscales
        usable = ~np.isnan(thetas).any(axis=1)
        if not usable.any():
            raise DesignError("every replicate gave an undefined estimate (no weight left in "
                              "the domain); the estimate has no replicate variance")
        thetas, rscales = thetas[usable], rscales[usable]
        centre = values if self.replicates.mse else thetas[rscales > 0].mean(axis=0)
        deviations = (thetas - centre) * np.sqrt(rscales)[:, None]
        covariance: np.ndarray = self.replicates.scale * (deviations.T @ deviations)
        return covariance

    def _average_factor(self, rows: np.ndarray | None) -> float:
        """R's onestage() under "average": strata with respondents over those of them that
        have more than one PSU. A calibrated design keeps every row in R's subsets."""
        if rows is None or self.calibration is not None:
            present = np.ones(len(self.psu_count), dtype=bool)
        else:
            present = np.zeros(len(self.psu_count), dtype=bool)
            present[self.psu_stratum[self.psu[np.asarray(rows, dtype=bool)]]] = True
        usable = int(np.sum(present & (self.psu_count > 1)))
        if usable == 0:
            raise DesignError("every stratum with respondents has a single PSU, so lonely PSU "
                              "'average' has no stratum to average over; merge strata or use "
                              "lonely PSU 'adjust'")
        return int(present.sum()) / usable


def _unit_columns(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The non-zero columns of `x` scaled to unit length, with the eigenvalues and vectors of
    their k x k cross-product: the rank and a basis of n x k columns from two k x k products,
    where an n x k SVD costs seconds (eigenvalues are the squared singular values, well inside
    double precision at the tolerances used here)."""
    norms = np.linalg.norm(x, axis=0)
    scaled = x[:, norms > 0] / norms[norms > 0]
    values, vectors = np.linalg.eigh(scaled.T @ scaled)
    return scaled, values, vectors


def replicate_rank(weights: np.ndarray) -> int:
    """Rank of replicate weights (n x R) with R's tolerance 1e-5 (`qr(weights, tol = 1e-5)`),
    from the singular values of the columns scaled to unit length; zero columns add nothing."""
    _, squares, _ = _unit_columns(weights)
    if not len(squares):
        return 0
    singular = np.sqrt(np.clip(squares, 0.0, None))
    return int(np.sum(singular > 1e-5 * singular.max()))


def calibration_basis(indicators: np.ndarray, regression_weights: np.ndarray) -> np.ndarray:
    """Orthonormal basis (n x rank) of the calibration columns scaled by sqrt(d), collinear
    columns (several margins) dropped.

    From the eigenvectors of the unit columns' cross-product with an eigenvalue above
    RANK_TOLERANCE of the largest, orthogonalised once more by a Cholesky factor of the
    result's own cross-product, which brings it to machine precision (CholeskyQR2): ten to
    thirty times faster than an SVD or QR, and every calibrated estimate needs the basis."""
    x = np.asarray(indicators, dtype=float) * np.sqrt(regression_weights)[:, None]
    scaled, values, vectors = _unit_columns(x)
    if not len(values):
        return np.zeros((len(x), 0))
    keep = values > RANK_TOLERANCE * values.max()
    first = scaled @ (vectors[:, keep] / np.sqrt(values[keep]))
    factor = np.linalg.cholesky(first.T @ first)
    basis: np.ndarray = linalg.solve_triangular(factor, first.T, lower=True).T
    return basis


def calibration_residuals(scores: np.ndarray, weights: np.ndarray, indicators: np.ndarray,
                          regression_weights: np.ndarray | None = None,
                          basis: np.ndarray | None = None) -> np.ndarray:
    """Residuals of linearised `scores` (n or n x k) after calibration on `indicators`.

    r = z - w * X b, with b the least-squares fit of z / w on X weighted by
    `regression_weights` (default: `weights`), as R `survey` does for post-stratified and
    raked designs. With Q = `calibration_basis(X, d)` the fitted values are
    Q Q' (sqrt(d) z / w) / sqrt(d); pass Q as `basis` to reuse it across calls.
    """
    scores = np.asarray(scores, dtype=float)
    z = scores.reshape(len(scores), -1)
    w = np.asarray(weights, dtype=float)
    d = w if regression_weights is None else np.asarray(regression_weights, dtype=float)
    q = calibration_basis(indicators, d) if basis is None else basis
    root = np.sqrt(d)
    fitted = q @ (q.T @ (z * (root / w)[:, None]))
    residuals: np.ndarray = (z - (w / root)[:, None] * fitted).reshape(scores.shape)
    return residuals


def _codes(values: pd.Series) -> np.ndarray:
    return pd.factorize(values, sort=True)[0]


def _require(data: pd.DataFrame, column: str | None, role: str) -> None:
    if column is not None and column not in data.columns:
        shown = ", ".join(map(str, data.columns[:12]))
        more = ", ..." if len(data.columns) > 12 else ""
        raise DesignError(f"the {role} column '{column}' is not in the data "
                          f"(columns: {shown}{more})")
    if column is not None and data[column].isna().any():
        row = int(np.flatnonzero(data[column].isna().to_numpy())[0])
        raise DesignError(f"the {role} column '{column}' is empty in row {row + 1}; every row "
                          f"needs a {role}")


def make_design(data: pd.DataFrame, weights: str | None = None, strata: str | None = None,
                cluster: str | Sequence[str] | None = None,
                fpc: str | Sequence[str | None] | None = None,
                lonely: LonelyPsu = LonelyPsu.ADJUST, nest: bool = False,
                ultimate_cluster: bool = False) -> SampleDesign:
    """A design from columns of `data`, in the meaning R's `svydesign(ids, strata, weights,
    fpc)` gives them; the columns are checked first, with messages naming the column.

    `cluster` is the PSU column, or the PSU and SSU columns of a two-stage design (see
    survey.stats.multistage: `nest=True` reads SSU ids within each PSU, `ultimate_cluster=True`
    is R's survey.ultimate.cluster). `fpc` has one column per stage, either population counts
    (some value above 1: PSUs in the stratum, SSUs in the PSU) or sampling fractions (values
    up to 1), constant within a stratum (first stage) or a PSU (second stage).
    """
    from survey.stats import multistage  # imported here: it builds on this module

    clusters = multistage.stage_columns(cluster, "cluster")
    fpcs = multistage.stage_columns(fpc, "finite-population")
    multistage.check_stages(clusters, fpcs)
    for column, role in ((weights, "weight"), (strata, "stratum"),
                         *((c, "cluster") for c in clusters),
                         *((c, "finite-population") for c in fpcs)):
        _require(data, column, role)
    n = len(data)
    if n == 0:
        raise DesignError("the data have no rows")
    w = np.ones(n) if weights is None else data[weights].to_numpy(dtype=float)
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        row = int(np.flatnonzero(~np.isfinite(w) | (w <= 0))[0])
        raise DesignError(f"weight '{weights}' must be a positive number in every row; row "
                          f"{row + 1} has {w[row]}")
    stratum = np.zeros(n, dtype=int) if strata is None else _codes(data[strata])
    if not clusters:
        psu = np.arange(n)
    else:
        within = _codes(data[clusters[0]])
        psu = pd.factorize(stratum * (within.max() + 1) + within, sort=True)[0]
    psu_stratum = np.zeros(psu.max() + 1, dtype=int)
    psu_stratum[psu] = stratum
    psu_count = np.bincount(psu_stratum, minlength=stratum.max() + 1)
    counts = multistage.fpc_are_counts(data, [c for c in fpcs if c is not None])
    fraction = np.zeros(len(psu_count))  # no fpc: an infinite population, as R's Inf
    if fpcs and fpcs[0] is not None:
        fraction = _first_stage_fraction(data[fpcs[0]], stratum, psu_count, counts)
        if weights is None:
            w = 1 / fraction[stratum]  # as R's svydesign: weights N_h / n_h from the fpc
    alone = (psu_count == 1) & (1 - fraction >= CENSUS)  # R's fail spares a certainty PSU
    if lonely == LonelyPsu.FAIL and alone.any():
        raise DesignError(f"{int(alone.sum())} stratum/strata have a single PSU; "
                          "merge them with a neighbouring stratum or use lonely PSU 'adjust'")
    second = None
    if len(clusters) == 2:
        second, w = multistage.second_stage(data, clusters, fpcs, psu, psu_stratum, fraction,
                                            counts, nest, w if weights else None)
        if ultimate_cluster:
            second = None
        elif second is not None and lonely == LonelyPsu.FAIL and second.lonely_psus().any():
            raise DesignError(f"{int(second.lonely_psus().sum())} PSU(s) have a single SSU; "
                              "use lonely PSU 'adjust', or give those PSUs' fpc if all their "
                              "SSUs were sampled")
    return SampleDesign(w, psu, psu_stratum, psu_count, 1 - fraction, lonely,
                        second_stage=second)


def _first_stage_fraction(column: pd.Series, stratum: np.ndarray, psu_count: np.ndarray,
                          counts: bool) -> np.ndarray:
    """n_h / N_h per stratum from the first-stage fpc, constant within each stratum."""
    per_stratum = pd.Series(column.to_numpy(dtype=float)).groupby(stratum).agg(["min", "max"])
    if (per_stratum["min"] != per_stratum["max"]).any():
        raise DesignError(f"finite-population column '{column.name}' must be the same within "
                          "each stratum")
    value = per_stratum["min"].to_numpy()
    fraction = psu_count / value if counts else value
    if np.any(fraction > 1) or np.any(fraction <= 0):
        raise DesignError(f"finite-population column '{column.name}' gives a sampling fraction "
                          "outside (0, 1]: the population count must be at least the number "
                          "of PSUs sampled")
    return fraction
