"""Estimates labelled by variable, group and category, as an analyst reads them in a notebook.

An `Estimate` of the estimators is positional (labels '0', '1', ...); a `Result` carries the
names and labels the analyst asked by, prints like R `survey` prints an svystat or svyby
object (one row per estimate: the figure and its SE), and gives the columns an analyst pastes
on: `.coef`, `.se`, `.confint()`, `.deff`, `.n_effective`, `.to_frame()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey.stats.estimate import Estimate

Interval = Callable[[float], np.ndarray]
"""level -> (k, 2) lower and upper ends of each estimate's interval."""


@dataclass(frozen=True)
class Result:
    """Labelled estimates of one statistic, as a Design's methods return them."""

    statistic: str
    """What was estimated: "mean", "total", "proportion", "quantile", "ratio"."""
    index: pd.Index
    """One entry per estimate: (group,) variable, (category) — a MultiIndex where several."""
    values: np.ndarray
    standard_errors: np.ndarray
    interval: Interval
    respondents: np.ndarray
    """Respondents with an answer behind each estimate."""
    design_effects: np.ndarray
    """R's deff per estimate (NaN where R gives none, as for quantiles)."""
    effective_n: np.ndarray
    estimate: Estimate | None = None
    """The estimate with its joint covariance where all rows come from one (contrasts between
    the rows take it: survey.stats.contrast); None otherwise."""
    level: float = 0.95
    """The confidence level intervals have unless another is asked for."""

    @property
    def coef(self) -> pd.Series:
        return pd.Series(self.values, index=self.index, name=self.statistic)

    @property
    def se(self) -> pd.Series:
        return pd.Series(self.standard_errors, index=self.index, name="SE")

    @property
    def deff(self) -> pd.Series:
        """Design effect per estimate, as R's `deff = TRUE`."""
        return pd.Series(self.design_effects, index=self.index, name="deff")

    @property
    def n_effective(self) -> pd.Series:
        """Respondents per estimate divided by its design effect."""
        return pd.Series(self.effective_n, index=self.index, name="n_effective")

    @property
    def covariance(self) -> pd.DataFrame:
        if self.estimate is None:
            raise ValueError(f"a {self.statistic} carries no covariance matrix")
        return pd.DataFrame(self.estimate.covariance, index=self.index, columns=self.index)

    def confint(self, level: float | None = None) -> pd.DataFrame:
        """Interval ends per estimate, named as R names them ("2.5 %", "97.5 %")."""
        level = self.level if level is None else level
        if not 0 < level < 1:
            raise ValueError(f"the confidence level must lie between 0 and 1, not {level}")
        ends = self.interval(level)
        low, high = (1 - level) / 2 * 100, (1 + level) / 2 * 100
        return pd.DataFrame(ends, index=self.index, columns=[f"{low:g} %", f"{high:g} %"])

    def to_frame(self, level: float | None = None) -> pd.DataFrame:
        """Estimate, SE, interval, design effect, effective n and respondents per row."""
        frame = pd.concat([self.coef, self.se, self.confint(level), self.deff,
                           self.n_effective], axis=1)
        frame["n"] = self.respondents
        return frame

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        table = pd.concat([self.coef, self.se], axis=1)
        return table.to_string(float_format=lambda v: f"{v:.7g}")
