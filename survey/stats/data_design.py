"""A design that holds its data, with the estimators as methods: the object an analyst works
with in a notebook, as R `survey`'s svydesign object is.

    d = Design(df, weights="w", strata="stratum", cluster="psu", fpc="fpc")
    d.mean("api00"); d.total("enroll"); d.mean("needs", by="district")
    d.proportion("x", method="logit"); d.quantile("age", [0.25, 0.5])
    d.subset(d.data["stype"] == "E").mean("api00")

or `Design.from_project(".")` for a project's accepted responses with its analysis plan's
weights and design. Every method calls the same estimators the analysis plans use
(survey.stats.estimate, quantiles, ratio, ...), so a notebook figure and a report figure are
the same figure. Results are labelled by variable, group and category (the questionnaire's
labels where the data come from a project) and groups appear in the order of their codes.

A subset keeps every row of the design, as R's `subset()` does: rows outside it count in no
estimate but keep their PSU, so standard errors reflect the design.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from survey.stats.calibrate import Calfun, calibrate
from survey.stats.compare import GroupComparison, compare_groups
from survey.stats.crosstab import Crosstab, crosstab
from survey.stats.design import LonelyPsu, SampleDesign, make_design
from survey.stats.estimate import Estimate, EstimateError, mean, proportions, total
from survey.stats.intervals import IntervalMethod, proportion_interval
from survey.stats.labelled import Result
from survey.stats.levels import ordered_levels
from survey.stats.ordinal import OrdinalRegression, svyolr
from survey.stats.quantiles import quantiles
from survey.stats.ratio import ratio
from survey.stats.regression import Regression, svyglm
from survey.stats.replicates import replicate_design, supplied_replicates

if TYPE_CHECKING:
    from pandas._typing import IntoColumn

PROPORTION_METHODS = ("logit", "beta", "mean")
"""R's svyciprop methods offered: logit, beta (Korn-Graubard) and mean (Wald on t)."""


class Design:
    """Data and their sampling design (see the module docstring)."""

    def __init__(self, data: pd.DataFrame, weights: str | None = None,
                 strata: str | None = None, cluster: str | Sequence[str] | None = None,
                 fpc: str | Sequence[str] | None = None, lonely: str = "adjust",
                 labels: Mapping[str, Mapping[object, str]] | None = None, nest: bool = False):
        """Columns in the meaning of R's `svydesign(ids, strata, weights, fpc, nest)`, two
        stages as lists (`cluster=["school", "class"]`); `labels` maps a column to the labels
        of its values, for results."""
        frame = data.reset_index(drop=True)
        sample = make_design(frame, weights, strata, cluster, fpc, LonelyPsu(lonely), nest)
        self._set(frame, sample, labels or {}, None)

    def _set(self, data: pd.DataFrame, sample: SampleDesign,
             labels: Mapping[str, Mapping[object, str]], domain: np.ndarray | None) -> None:
        self.data = data
        self.sample = sample
        self.labels = {k: dict(v) for k, v in labels.items()}
        self.domain = domain

    @classmethod
    def of(cls, data: pd.DataFrame, sample: SampleDesign,
           labels: Mapping[str, Mapping[object, str]] | None = None,
           domain: np.ndarray | None = None) -> Design:
        """A design from a SampleDesign made elsewhere (a plan's, a calibrated one)."""
        made = cls.__new__(cls)
        made._set(data, sample, labels or {}, domain)
        return made

    @classmethod
    def with_replicates(cls, data: pd.DataFrame, weights: str | None, columns: Sequence[str],
                        kind: str, scale: float | None = None,
                        rscales: Sequence[float] | float | None = None, mse: bool = False,
                        combined: bool = True, fay_rho: float | None = None,
                        labels: Mapping[str, Mapping[object, str]] | None = None) -> Design:
        """Data delivered with replicate weight columns, as R's `svrepdesign(repweights,
        weights, type, scale, rscales, mse, combined.weights)` (survey.stats.replicates)."""
        return cls.of(data, supplied_replicates(data, weights, columns, kind, scale, rscales,
                                                mse, combined, fay_rho), labels)

    @classmethod
    def from_project(cls, project: Path | str = ".", plan: Path | str | None = None,
                     db_url: str | None = None) -> Design:
        """The project's accepted responses with its analysis plan's weights and design,
        categories labelled in the plan's language (see survey.stats.project_design)."""
        from survey.stats.project_design import project_design
        return project_design(Path(project), None if plan is None else Path(plan), db_url)

    # -- the data -------------------------------------------------------------------------

    @property
    def weights(self) -> pd.Series:
        return pd.Series(self.sample.weights, name="weight")

    def __len__(self) -> int:
        return self.sample.n

    def __repr__(self) -> str:
        inside = self.sample.n if self.domain is None else int(self.domain.sum())
        kind = "" if self.domain is None else f", a subset of {inside}"
        return (f"<Design: {self.sample.n} rows{kind}, {len(self.sample.psu_stratum)} PSUs in "
                f"{len(self.sample.psu_count)} strata, {self.sample.degrees_of_freedom} "
                "degrees of freedom>")

    def column(self, name: str) -> pd.Series:
        if name not in self.data.columns:
            near = difflib.get_close_matches(name, list(map(str, self.data.columns)), 3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise EstimateError(f"there is no column '{name}' in the data{hint}")
        return self.data[name]

    def numbers(self, name: str) -> np.ndarray:
        """A column as numbers (NaN where empty); text is refused, naming a value."""
        column = self.column(name)
        if pd.api.types.is_bool_dtype(column) or (
                pd.api.types.is_numeric_dtype(column)
                and not isinstance(column.dtype, pd.CategoricalDtype)):
            return column.to_numpy(dtype=float, na_value=np.nan)
        converted = pd.to_numeric(column.astype(object), errors="coerce")
        bad = converted.isna() & column.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise EstimateError(f"column '{name}' is not a number in row {row + 1} "
                                f"({column.iloc[row]!r}); estimate shares of it with "
                                "proportion() instead")
        return converted.to_numpy(dtype=float)

    def label(self, name: str, value: object) -> str:
        return str(self.labels.get(name, {}).get(value, value))

    def assign(self, **columns: IntoColumn) -> Design:
        """The design with new or replaced columns (one value per row), as pandas' `assign`:
        a derived indicator such as `needs_help=d.data["imp__housing"] >= 4`."""
        data = self.data.assign(**columns)
        if len(data) != self.sample.n:
            raise EstimateError(f"new columns need one value per row ({self.sample.n})")
        return Design.of(data, self.sample, self.labels, self.domain)

    # -- subsets --------------------------------------------------------------------------

    def subset(self, rows: pd.Series | np.ndarray | str) -> Design:
        """The design restricted to `rows` (a mask, or a pandas query such as "age >= 18");
        all rows stay in the design, as in R."""
        if isinstance(rows, str):
            try:
                chosen = self.data.eval(rows)
            except Exception as error:  # pandas raises many kinds for a bad expression
                raise EstimateError(f"the subset '{rows}' cannot be read: {error}") from None
            mask = np.asarray(chosen, dtype=bool)
        else:
            mask = np.asarray(rows, dtype=bool)
        if mask.shape != (self.sample.n,):
            raise EstimateError(f"the subset marks {mask.size} rows; the data have "
                                f"{self.sample.n}")
        if self.domain is not None:
            mask = mask & self.domain
        if not mask.any():
            raise EstimateError("the subset holds no row")
        return Design.of(self.data, self.sample, self.labels, mask)

    # -- new designs from this one ---------------------------------------------------------

    def replicate(self, kind: str, replicates: int | None = None, fay_rho: float | None = None,
                  mse: bool = False, seed: int | None = None) -> Design:
        """The design with replicate weights: R's `as.svrepdesign(design, type = kind)`;
        kinds JK1, JKn, bootstrap, BRR, Fay (docs/replicate-weights.md)."""
        return Design.of(self.data, replicate_design(self.sample, kind, replicates, fay_rho,
                                                     mse, seed), self.labels, self.domain)

    def calibrate(self, population: Mapping[str, object], *, calfun: Calfun = "linear",
                  **options: object) -> Design:
        """The design calibrated to population totals: R's `calibrate()`, with `population`
        as {numeric variable: total, categorical variable: {category: count}} and the options
        of survey.stats.calibrate.calibrate (bounds, per_psu, size, trim, ...)."""
        done = calibrate(self.sample, self.data, population, calfun=calfun,
                         **options)  # type: ignore[arg-type]
        return Design.of(self.data, done.design, self.labels, self.domain)

    # -- estimates ------------------------------------------------------------------------

    def _groups(self, by: str) -> tuple[pd.Series, tuple[object, ...]]:
        groups = self.column(by)
        inside = groups if self.domain is None else groups[self.domain]
        levels = ordered_levels(inside)
        if not levels:
            raise EstimateError(f"no row has a value of '{by}': there is nothing to estimate by")
        return groups, levels

    def _linear(self, statistic: str, variables: str | Sequence[str],
                by: str | None) -> Result:
        names = [variables] if isinstance(variables, str) else list(variables)
        estimator = mean if statistic == "mean" else total
        values = np.column_stack([self.numbers(v) for v in names])
        if by is None:
            found = estimator(self.sample, values, self.domain, tuple(names))
            index = pd.Index(names, name="variable")
            dfs = np.full(len(names), self._df(None))
            matrix = values
        else:
            groups, levels = self._groups(by)
            columns, keys, dfs_list = [], [], []
            for level in levels:
                member = (groups == level).to_numpy()
                for k, name in enumerate(names):
                    columns.append(np.where(member, values[:, k], np.nan))
                    keys.append((self.label(by, level), name))
                dfs_list += [self._df(member)] * len(names)
            matrix = np.column_stack(columns)
            found = estimator(self.sample, matrix, self.domain,
                              tuple(f"{g}:{v}" for g, v in keys))
            index = pd.MultiIndex.from_tuples(keys, names=[by, "variable"])
            dfs = np.array(dfs_list)
        inside = np.ones(self.sample.n, dtype=bool) if self.domain is None else self.domain
        respondents = (~np.isnan(matrix) & inside[:, None]).sum(axis=0)
        return _combined(statistic, index, [found], respondents, dfs)

    def _df(self, member: np.ndarray | None) -> int:
        rows = member if self.domain is None else (
            self.domain if member is None else member & self.domain)
        return self.sample.domain_degrees_of_freedom(rows)

    def mean(self, variables: str | Sequence[str], by: str | None = None) -> Result:
        """Weighted means (R: svymean, or svyby(..., svymean) with `by`), missing values left
        out as R's na.rm = TRUE; intervals on t with the design's (subset's, group's)
        degrees of freedom."""
        return self._linear("mean", variables, by)

    def total(self, variables: str | Sequence[str], by: str | None = None) -> Result:
        """Weighted totals (R: svytotal, svyby(..., svytotal))."""
        return self._linear("total", variables, by)

    def proportion(self, variable: str, by: str | None = None, method: str = "logit",
                   level: float = 0.95) -> Result:
        """The share of each category of `variable` among rows that answered it, with R's
        svyciprop interval `method`: "logit" (default), "beta" (Korn-Graubard) or "mean"
        (Wald, on t)."""
        if method not in PROPORTION_METHODS:
            raise EstimateError(f"method '{method}' is not one of "
                                f"{', '.join(PROPORTION_METHODS)}")
        values = self.column(variable)
        answers = values.to_numpy(dtype=object)
        levels = ordered_levels(values if self.domain is None else values[self.domain])
        if not levels:
            raise EstimateError(f"no row has an answer to '{variable}'")
        parts: list[tuple[Estimate, list[tuple[object, ...]], int]] = []
        if by is None:
            parts.append((proportions(self.sample, answers, levels,
                                      self.domain),
                          [(variable, self.label(variable, c)) for c in levels],
                          self._df(None)))
            names = ["variable", "category"]
        else:
            groups, group_levels = self._groups(by)
            for g in group_levels:
                member = (groups == g).to_numpy()
                inside = member if self.domain is None else member & self.domain
                parts.append((proportions(self.sample, answers, levels,
                                          inside),
                              [(self.label(by, g), variable, self.label(variable, c))
                               for c in levels], self._df(member)))
            names = [by, "variable", "category"]
        keys = [key for _, part_keys, _ in parts for key in part_keys]
        shares = np.concatenate([e.values for e, _, _ in parts])
        ses = np.concatenate([e.se for e, _, _ in parts])
        bases = np.concatenate([[e.unweighted_n] * len(e.values) for e, _, _ in parts])
        dfs = np.concatenate([[df] * len(e.values) for e, _, df in parts])
        interval_method = {"logit": IntervalMethod.LOGIT,
                           "beta": IntervalMethod.KORN_GRAUBARD}.get(method)

        def interval(at: float) -> np.ndarray:
            if interval_method is None:
                return _t_interval(shares, ses, dfs, at)
            return np.array([proportion_interval(interval_method, p, s, int(n), int(df), at)
                             for p, s, n, df in zip(shares, ses, bases, dfs, strict=True)])

        estimates = [e for e, _, _ in parts]
        return Result("proportion", pd.MultiIndex.from_tuples(keys, names=names), shares, ses,
                      interval, bases, *_design_effects(estimates, bases),
                      estimates[0] if len(estimates) == 1 else None, level)

    def quantile(self, variable: str, probabilities: float | Sequence[float] = 0.5,
                 level: float = 0.95) -> Result:
        """Quantiles with Woodruff intervals (R: svyquantile, its default rule and interval);
        `level` is fixed here because the interval is found with the quantile."""
        ps = ([float(probabilities)] if isinstance(probabilities, float | int)
              else [float(p) for p in probabilities])
        if any(not 0 <= p <= 1 for p in ps):
            raise EstimateError(f"quantile probabilities must lie between 0 and 1: {ps}")
        values = self.numbers(variable)
        found = quantiles(self.sample, values, tuple(ps), self.domain, level)
        index = pd.MultiIndex.from_tuples([(variable, p) for p in ps],
                                          names=["variable", "probability"])
        ends = np.array([[q.ci_low, q.ci_high] for q in found])

        def interval(at: float) -> np.ndarray:
            if abs(at - level) > 1e-12:
                raise EstimateError(f"these quantiles were found with {level:g} intervals; "
                                    f"ask quantile(..., level={at:g}) for others")
            return ends

        answered = ~np.isnan(values)
        if self.domain is not None:
            answered &= self.domain
        nothing = np.full(len(ps), np.nan)
        return Result("quantile", index, np.array([q.value for q in found]),
                      np.array([q.se for q in found]), interval,
                      np.full(len(ps), int(answered.sum())), nothing, nothing, None, level)

    def ratio(self, numerator: str, denominator: str, by: str | None = None) -> Result:
        """sum w y / sum w x (R: svyratio), missing values in either left out."""
        y, x = self.numbers(numerator), self.numbers(denominator)
        name = f"{numerator}/{denominator}"
        if by is None:
            found = ratio(self.sample, y, x, self.domain, name)
            return _combined("ratio", pd.Index([name], name="ratio"), [found],
                             np.array([found.unweighted_n]), np.array([self._df(None)]))
        groups, levels = self._groups(by)
        estimates, dfs = [], []
        for g in levels:
            member = (groups == g).to_numpy()
            inside = member if self.domain is None else member & self.domain
            estimates.append(ratio(self.sample, y, x, inside, name))
            dfs.append(self._df(member))
        index = pd.MultiIndex.from_tuples([(self.label(by, g), name) for g in levels],
                                          names=[by, "ratio"])
        return _combined("ratio", index, estimates,
                         np.array([e.unweighted_n for e in estimates]), np.array(dfs))


    def by(self, group: str, statistic: Callable[[Design], Result]) -> Result:
        """Any estimate per group, as R's `svyby(~x, ~group, design, FUN)`: `statistic` is
        called on each group's subset, e.g. `d.by("area", lambda g: g.quantile("age"))`.
        Groups are domains of the full design, in the order of their codes."""
        groups, levels = self._groups(group)
        parts = []
        for level in levels:
            member = (groups == level).to_numpy()
            if self.domain is not None and not (member & self.domain).any():
                continue
            parts.append((self.label(group, level), statistic(self.subset(member))))
        keys = [(label, *(key if isinstance(key, tuple) else (key,)))
                for label, found in parts for key in found.index]
        names = [group, *parts[0][1].index.names]
        found = [result for _, result in parts]
        return Result(found[0].statistic, pd.MultiIndex.from_tuples(keys, names=names),
                      np.concatenate([r.values for r in found]),
                      np.concatenate([r.standard_errors for r in found]),
                      lambda level: np.concatenate([r.interval(level) for r in found]),
                      np.concatenate([r.respondents for r in found]),
                      np.concatenate([r.design_effects for r in found]),
                      np.concatenate([r.effective_n for r in found]))

    # -- models and tests -------------------------------------------------------------------

    def glm(self, formula: str, family: str = "gaussian",
            event: object | None = None) -> Regression:
        """Linear ("gaussian") or logistic ("binomial", "quasibinomial") regression with
        design-based standard errors: R's `svyglm(formula, design, family)`; odds ratios
        with `.odds_ratios()`, term tests with `.wald_test([...])`. `event` names the value of
        the outcome column that counts as 1 (e.g. event="yes"); without it a category's
        second value does, as R reads a factor, and the model's notes say which."""
        data = self.data
        if event is not None:
            outcome = formula.split("~", 1)[0].strip()
            values = self.column(outcome)
            if not (values == event).any():
                raise EstimateError(f"event {event!r} is not a value of '{outcome}'; its "
                                    f"values are {', '.join(map(str, ordered_levels(values)))}")
            data = data.assign(**{outcome: (values == event).astype(float).where(
                values.notna())})
        return svyglm(self.sample, data, formula, family, self.domain)

    def olr(self, formula: str) -> OrdinalRegression:
        """Proportional-odds model for an ordered rating: R's `svyolr(formula, design)`."""
        return svyolr(self.sample, self.data, formula, self.domain)

    def ttest(self, variable: str, group: str) -> GroupComparison:
        """Design-based t tests of the mean of `variable` between the groups of `group`, each
        pair as R's `svyttest(variable ~ group)` on the pair's rows."""
        groups = self.column(group)
        if self.domain is not None:
            groups = groups.where(self.domain)
        return compare_groups(self.sample, self.numbers(variable), groups)

    def table(self, rows: str, columns: str) -> Crosstab:
        """The weighted table of two categorical variables with its Rao-Scott test: R's
        `svytable` and `svychisq`; rows and columns labelled, in the order of their codes."""
        def labelled(name: str) -> pd.Series:
            values = self.column(name).reset_index(drop=True)
            if self.domain is not None:
                values = values.where(self.domain)
            order = [self.label(name, v) for v in ordered_levels(values)]
            return pd.Series(pd.Categorical(
                [None if pd.isna(v) else self.label(name, v) for v in values],
                categories=list(dict.fromkeys(order))))
        return crosstab(self.sample, labelled(rows), labelled(columns))


def _t_interval(values: np.ndarray, ses: np.ndarray, dfs: np.ndarray, level: float) -> np.ndarray:
    t = stats.t.ppf(0.5 + level / 2, np.maximum(dfs, 1))
    return np.column_stack([values - t * ses, values + t * ses])


def _design_effects(parts: Sequence[Estimate],
                    respondents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Design effect and effective n per estimate as the results table has them (R's deff;
    "replace" where the weights sum to no population, see survey.stats.design_effects)."""
    deff = np.concatenate([e.design_effect(None) for e in parts])
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(deff > 0, respondents / deff, np.nan)
    return deff, effective


def _combined(statistic: str, index: pd.Index, parts: Sequence[Estimate],
              respondents: np.ndarray, dfs: np.ndarray) -> Result:
    """One Result from estimates made one after the other (one per group, say); a single
    estimate keeps its joint covariance."""
    values = np.concatenate([e.values for e in parts])
    ses = np.concatenate([e.se for e in parts])
    return Result(statistic, index, values, ses,
                  lambda level: _t_interval(values, ses, dfs, level), respondents,
                  *_design_effects(parts, respondents), parts[0] if len(parts) == 1 else None)
