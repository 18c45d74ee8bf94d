"""Two-stage designs: primary sampling units (PSUs, e.g. migrant organisations) drawn per
stratum, then secondary units (SSUs, e.g. their members) drawn within each sampled PSU.

Given as `make_design(data, weights, strata, cluster=["psu", "ssu"], fpc=["fpc1", "fpc2"])`,
in the meaning of R's `svydesign(id = ~psu + ssu, strata = ~stratum, fpc = ~fpc1 + fpc2,
weights = ~w)`. The variance is R's `svyrecvar()` (its `multistage()` and `onestage()`), as
the tests compare live with R:

    V = V_1 + sum_i (n_h / N_h) * V_2i

V_1 is the one-stage (ultimate cluster) variance of the PSU totals that `SampleDesign` computes.
V_2i is the same formula one stage down, inside PSU i: the SSU totals centred at their PSU's
mean, times (1 - m_i / M_i) * m_i / (m_i - 1) for m_i SSUs sampled out of M_i. It is weighted
by the sampling fraction n_h / N_h of the PSU's stratum, so it only exists when the first stage
has an fpc: without one, PSUs count as drawn with replacement and V_1 alone is unbiased.

- fpc per stage: population counts (N_h PSUs in the stratum, M_i SSUs in the PSU) or sampling
  fractions, one kind for both stages as R decides it (counts when any value is above 1). A
  second stage without an fpc is taken as drawn with replacement (R's fpc2 = Inf); R's help
  says "complete" there, but its code refuses an fpc for fewer stages than ids.
- Weights, when none are given, are (N_h / n_h) * (M_i / m_i), as R derives them.
- A PSU with a single SSU is a lonely unit of the second stage, under the same
  `survey.lonely.psu` rule: "adjust" adds its uncentred total, "certainty" and "remove" add
  nothing (R's code treats them alike; its help says "remove" ignores the PSU, yet the PSU's
  first-stage variance and any deeper stage are still counted), "average" has no other SSU to
  average over (R gives NaN; the variance is refused), "fail" refuses the design. A PSU whose
  SSUs were all sampled (M_i = m_i) adds nothing under any rule, as in R.
- `ultimate_cluster=True` is R's `options(survey.ultimate.cluster = TRUE)`: V_1 only.
- Degrees of freedom stay PSUs minus strata (R's degf()); domains give rows outside them zero
  scores (R pads the missing SSUs with zeros); calibration residuals come before both stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse

from survey.stats.design import CENSUS, DesignError, LonelyPsu


@dataclass(frozen=True)
class SecondStage:
    """The SSUs within the PSUs of a design and what their variance needs."""

    ssu: np.ndarray
    """SSU index (0..n_ssu-1) of each row."""
    ssu_psu: np.ndarray
    """PSU index of each SSU."""
    ssu_count: np.ndarray
    """SSUs sampled in each PSU (m_i)."""
    finite_factor: np.ndarray
    """1 - m_i / M_i per PSU (1 when the second stage has no fpc)."""
    first_fraction: np.ndarray
    """Sampling fraction n_h / N_h of each PSU's stratum: the weight of its V_2i."""

    @cached_property
    def _ssu_indicator(self) -> sparse.csr_matrix:
        n = len(self.ssu)
        return sparse.csr_matrix((np.ones(n), (self.ssu, np.arange(n))),
                                 shape=(len(self.ssu_psu), n))

    @cached_property
    def _psu_indicator(self) -> sparse.csr_matrix:
        units = len(self.ssu_psu)
        return sparse.csr_matrix((np.ones(units), (self.ssu_psu, np.arange(units))),
                                 shape=(len(self.ssu_count), units))

    @cached_property
    def _scale(self) -> np.ndarray:
        """(n_h / N_h) * (1 - f_i) * m_i / (m_i - 1) per PSU, zero for a census of SSUs."""
        m = self.ssu_count.astype(float)
        factor = np.where(self.finite_factor < CENSUS, 0.0, self.finite_factor)
        return self.first_fraction * factor * np.where(m > 1, m / np.maximum(m - 1, 1), 1.0)

    def covariance(self, scores: np.ndarray, lonely: LonelyPsu,
                   rows: np.ndarray | None) -> np.ndarray:
        """sum_i (n_h / N_h) V_2i of the linearised `scores` (n x k); `rows` (a mask, None for
        all) are the rows R would keep, which decide the PSUs "average" looks at."""
        if lonely == LonelyPsu.AVERAGE:
            self._refuse_lonely_average(rows)
        totals = np.asarray(self._ssu_indicator @ scores)
        means = np.asarray(self._psu_indicator @ totals) / self.ssu_count[:, None]
        centred = totals - means[self.ssu_psu]
        if lonely == LonelyPsu.ADJUST:
            alone = self.ssu_count[self.ssu_psu] == 1
            centred[alone] = totals[alone]  # R leaves a lonely SSU uncentred
        covariance: np.ndarray = (centred * self._scale[self.ssu_psu][:, None]).T @ centred
        return covariance

    def lonely_psus(self) -> np.ndarray:
        """Mask of the PSUs with a single SSU whose second stage has a variance."""
        lonely: np.ndarray = (self.ssu_count == 1) & (self._scale > 0)
        return lonely

    def _refuse_lonely_average(self, rows: np.ndarray | None) -> None:
        present = np.ones(len(self.ssu_count), dtype=bool)
        if rows is not None:
            present[:] = False
            present[self.ssu_psu[self.ssu[np.asarray(rows, dtype=bool)]]] = True
        if np.any(present & self.lonely_psus()):
            raise DesignError(
                f"{int(np.sum(present & self.lonely_psus()))} PSU(s) have a single SSU, so "
                "lonely PSU 'average' has no SSU to average over at the second stage (R gives "
                "NaN); use lonely PSU 'adjust', 'certainty' or 'remove'")


def stage_columns(value: str | Sequence[str | None] | None, role: str) -> list[str | None]:
    """`cluster` or `fpc` as a list of one column per stage (a single string is one stage)."""
    if value is None:
        return []
    columns: list[str | None] = [value] if isinstance(value, str) else list(value)
    if len(columns) > 2:
        raise DesignError(f"{len(columns)} {role} columns given ({', '.join(map(str, columns))}"
                          "): designs have one or two stages; for deeper designs give the "
                          "first two stages")
    return columns


def check_stages(clusters: list[str | None], fpcs: list[str | None]) -> None:
    """One cluster column per stage, an fpc for at most as many stages, and a second-stage
    fpc only with a first-stage one."""
    if any(c is None for c in clusters):
        raise DesignError("every stage needs a cluster column: give cluster=['psu', 'ssu']")
    if len(fpcs) > max(len(clusters), 1):
        raise DesignError(f"{len(fpcs)} finite-population columns for {max(len(clusters), 1)} "
                          "stage(s): give one fpc column per cluster column")
    if len(fpcs) == 2 and fpcs[0] is None and fpcs[1] is not None:
        raise DesignError(f"the second-stage finite-population column '{fpcs[1]}' has no "
                          "first-stage one: the second stage's variance is weighted by the "
                          "first stage's sampling fraction, so give the first-stage fpc too "
                          "(without it PSUs count as drawn with replacement and the second "
                          "stage adds nothing)")


def second_stage(data: pd.DataFrame, clusters: list[str | None], fpcs: list[str | None],
                 psu: np.ndarray, psu_stratum: np.ndarray, first_fraction: np.ndarray,
                 counts: bool, nest: bool,
                 weights: np.ndarray | None) -> tuple[SecondStage | None, np.ndarray]:
    """The second stage of a design (None without a first-stage fpc, as in R) and its weights:
    `weights` when given, else derived from both stages' fpc as R's svydesign does."""
    ssu = ssu_codes(data, str(clusters[1]), psu, clusters[0], nest)
    ssu_psu = np.zeros(ssu.max() + 1, dtype=int)
    ssu_psu[ssu] = psu
    ssu_count = np.bincount(ssu_psu, minlength=len(psu_stratum))
    fpc = fpcs[1] if len(fpcs) == 2 else None
    fraction = (np.ones(len(ssu_count)) if fpc is None else
                second_stage_fraction(data, fpc, psu, ssu_count, counts, clusters[0]))
    if weights is None and fpcs and fpcs[0] is not None:
        if fpc is None:
            raise DesignError(f"no weight column, and the second stage has no fpc: give the "
                              f"weights, or the population of SSUs per PSU as the second fpc "
                              f"column so weights can come from fpc '{fpcs[0]}' and it")
        weights = 1 / (first_fraction[psu_stratum[psu]] * fraction[psu])
    elif weights is None:
        weights = np.ones(len(psu))
    if not fpcs or fpcs[0] is None:
        return None, weights
    finite = np.ones(len(ssu_count)) if fpc is None else 1 - fraction
    return SecondStage(ssu, ssu_psu, ssu_count, finite, first_fraction[psu_stratum]), weights


def fpc_are_counts(data: pd.DataFrame, columns: list[str]) -> bool:
    """R's as.fpc(): population counts when any value is above 1, else sampling fractions;
    counts and fractions below 1 are not mixed."""
    if not columns:
        return False
    values = np.concatenate([data[c].to_numpy(dtype=float) for c in columns])
    counts = bool(np.any(values > 1))
    if counts and np.any(values < 1):
        raise DesignError(f"finite-population column {' / '.join(map(repr, columns))} mixes "
                          "population counts (above 1) and sampling fractions (below 1); use "
                          "one kind for every stage")
    return counts


def ssu_codes(data: pd.DataFrame, column: str, psu: np.ndarray, psu_column: str | None,
              nest: bool) -> np.ndarray:
    """SSU index of each row; an SSU id in two PSUs is refused unless `nest` says ids are
    numbered within each PSU."""
    within = pd.factorize(data[column], sort=True)[0]
    if not nest:
        psus_per_id = pd.Series(psu).groupby(within).nunique()
        if (psus_per_id > 1).any():
            code = int(psus_per_id.index[int(np.argmax(psus_per_id.to_numpy() > 1))])
            rows = np.flatnonzero(within == code)
            shown = data[column].iloc[rows[0]]
            labels = sorted({str(data[psu_column].iloc[r]) for r in rows})[:2]
            raise DesignError(
                f"the second-stage cluster column '{column}' has id {shown} in more than one "
                f"PSU ('{psu_column}' {' and '.join(labels)}): SSU ids are read as unique "
                "across the sample. If they are numbered within each PSU (nested, as R's "
                "nest=TRUE), pass nest=True; otherwise correct the id")
    codes: np.ndarray = pd.factorize(psu * (within.max() + 1) + within, sort=True)[0]
    return codes


def second_stage_fraction(data: pd.DataFrame, column: str, psu: np.ndarray,
                          ssu_count: np.ndarray, counts: bool,
                          psu_column: str | None) -> np.ndarray:
    """m_i / M_i per PSU from the second-stage fpc, constant within each PSU."""
    values = pd.Series(data[column].to_numpy(dtype=float)).groupby(psu).agg(["min", "max"])
    varies = (values["min"] != values["max"]).to_numpy()
    if varies.any():
        label = data[psu_column].iloc[int(np.flatnonzero(psu == np.argmax(varies))[0])]
        raise DesignError(f"second-stage finite-population column '{column}' must be the same "
                          f"within each PSU; it varies within PSU {label} of '{psu_column}'")
    value = values["min"].to_numpy()
    fraction = ssu_count / value if counts else value
    wrong = (fraction > 1) | (fraction <= 0)
    if wrong.any():
        i = int(np.argmax(wrong))
        label = data[psu_column].iloc[int(np.flatnonzero(psu == i)[0])]
        what = (f"a population of {value[i]:g} SSUs" if counts
                else f"a sampling fraction of {value[i]:g}")
        raise DesignError(f"second-stage finite-population column '{column}' gives PSU "
                          f"{label} {what}, but {ssu_count[i]} were sampled: a population "
                          "count must be at least the number of SSUs sampled, a fraction in "
                          "(0, 1]")
    return fraction
