"""Rows of the results table for each kind of indicator, for the whole sample and every group.

The figures come from the statistics library: shares with banner letters from
`categorical_rows`, means from `compare_groups`, need ranks from `rank_needs`, gaps from
`importance_satisfaction`, quantiles from `quantiles`. Groups are domains of the full design,
never a subset of its rows. A group in which nobody answered still gets its rows, blank and
flagged `no_data`, so an estimate is never missing without a reason.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from survey.stats.compare import Correction, compare_groups
from survey.stats.design import SampleDesign
from survey.stats.estimate import mean
from survey.stats.intervals import proportion_interval
from survey.stats.levels import ordered_levels
from survey.stats.needs import importance_satisfaction, rank_needs
from survey.stats.plan.data import PlanData
from survey.stats.plan.model import Indicator, Item, Kind
from survey.stats.plan.regression import regression_rows
from survey.stats.quantiles import quantiles
from survey.stats.results import TOTAL, categorical_rows, effective_n

NO_DATA = "no_data"
CHUNK = 16
"""Columns estimated together when only their variances are needed."""
MAX_LETTERED_GROUPS = len(string.ascii_lowercase)


@dataclass(frozen=True)
class Split:
    """The whole sample, or a breakdown: the group of every respondent (NaN: in none)."""

    name: str
    groups: pd.Series
    levels: tuple[str, ...]
    """Groups with respondents, in the plan's order; they get the letters a, b, c, ..."""

    @property
    def lettered(self) -> bool:
        return self.name != TOTAL and len(self.levels) <= MAX_LETTERED_GROUPS

    def domains(self) -> Iterator[tuple[str, np.ndarray]]:
        codes = self.groups.cat.codes.to_numpy()
        for level in self.levels:
            yield level, codes == self.groups.cat.categories.get_loc(level)

    def letter(self, group: object) -> str:
        return string.ascii_lowercase[self.levels.index(group)] if self.lettered else ""


def whole_sample(n: int) -> Split:
    return Split(TOTAL, pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=int),
                                                            pd.Index([TOTAL]))),
                 (TOTAL,))


@dataclass(frozen=True)
class Settings:
    design: SampleDesign
    level: float
    alpha: float
    correction: Correction

    @cached_property
    def _t(self) -> float:
        return float(stats.t.ppf(0.5 + self.level / 2, max(self.design.degrees_of_freedom, 1)))

    def t_interval(self, value: float, se: float) -> tuple[float, float]:
        """Symmetric interval on the design's degrees of freedom (means, gaps)."""
        return value - self._t * se, value + self._t * se


def _row(indicator: Indicator, split: Split, group: str, category: str, label: str,
         suffix: tuple[str, str] | None = None, *, estimate: float = np.nan,
         se: float = np.nan, low: float = np.nan, high: float = np.nan, unweighted: int = 0,
         weighted: float = 0.0, base: int = 0, deff: float = np.nan, letters: str = "",
         rank: str = "", quadrant: str = "", flags: str | None = None) -> dict[str, Any]:
    """One row; `suffix` names a part of an indicator with several (id suffix, label suffix)."""
    return {
        "indicator": indicator.id + (f".{suffix[0]}" if suffix else ""),
        "indicator_label": indicator.label + (f" – {suffix[1]}" if suffix else ""),
        "kind": indicator.kind.value, "breakdown": split.name, "group": group,
        "category": category, "category_label": label, "estimate": estimate, "se": se,
        "ci_low": low, "ci_high": high, "unweighted_n": unweighted, "weighted_n": weighted,
        "base_n": base, "deff": deff, "n_effective": effective_n(base, deff),
        "letters": letters, "rank": rank, "quadrant": quadrant,
        "flags": (NO_DATA if base == 0 else "") if flags is None else flags,
    }


def _banner(letters: str, compared: Sequence[object], split: Split) -> str:
    """Letters of a comparison among the groups that answered, as the split's own letters."""
    if not split.lettered:
        return ""
    return "".join(sorted(split.letter(compared[string.ascii_lowercase.index(ch)])
                          for ch in letters))


def _answering(split: Split, known: np.ndarray) -> list[object]:
    """The groups a comparison on answers `known` letters, in its order."""
    return list(ordered_levels(split.groups[known]))


# ---------------------------------------------------------------------------------------------
# Shares and means, with banner letters
# ---------------------------------------------------------------------------------------------


def _category_rows(s: Settings, indicator: Indicator, values: pd.Series,
                   categories: Sequence[tuple[object, str, str]], split: Split,
                   ) -> list[dict[str, Any]]:
    """`categorical_rows` of `values` for (value, category, label) triples, relabelled."""
    by_value = {value: (name, label) for value, name, label in categories}
    known = values.notna().to_numpy()
    if not known.any():
        return [_row(indicator, split, group, name, label)
                for group in split.levels for name, label in by_value.values()]
    compared = _answering(split, known)
    rows = categorical_rows(
        s.design, indicator.id, values, tuple(by_value), None if split.name == TOTAL
        else split.name, None if split.name == TOTAL else split.groups, indicator.method,
        s.level, s.correction, s.alpha)
    return [_row(indicator, split, r["group"], *by_value[r["category"]], estimate=r["estimate"],
                 se=r["se"], low=r["ci_low"], high=r["ci_high"], unweighted=r["unweighted_n"],
                 weighted=r["weighted_n"], base=r["base_n"], deff=r["deff"],
                 letters=_banner(r["letters"], compared, split)) for r in rows]


def share_rows(s: Settings, indicator: Indicator, data: PlanData,
               splits: Sequence[Split]) -> list[dict[str, Any]]:
    assert indicator.variable is not None
    values = data.categories(indicator.variable)
    labels = data.labels(indicator.variable)
    categories = [(c, c, labels.get(c, c)) for c in data.levels(indicator.variable)]
    return [row for split in splits
            for row in _category_rows(s, indicator, values, categories, split)]


def multi_rows(s: Settings, indicator: Indicator, items: list[tuple[Item, np.ndarray]],
               splits: Sequence[Split]) -> list[dict[str, Any]]:
    """The share choosing each option, as the share of code 1 among those who answered."""
    return [row for item, y in items for split in splits
            for row in _category_rows(s, indicator, pd.Series(y), [(1.0, item.name,
                                                                     item.label)], split)]


def mean_rows(s: Settings, indicator: Indicator, data: PlanData,
              splits: Sequence[Split]) -> list[dict[str, Any]]:
    assert indicator.variable is not None
    y = data.numbers(indicator.variable)
    known = ~np.isnan(y)
    w = s.design.weights
    rows = []
    for split in splits:
        if not known.any():
            rows += [_row(indicator, split, group, "mean", "mean") for group in split.levels]
            continue
        comparison = compare_groups(s.design, y, split.groups.where(known), s.correction,
                                    s.alpha)
        compared = list(comparison.groups)
        for group, mask in split.domains():
            inside = mask & known
            if group not in compared:
                rows.append(_row(indicator, split, group, "mean", "mean"))
                continue
            g = compared.index(group)
            value, se = float(comparison.estimate.values[g]), float(comparison.estimate.se[g])
            low, high = s.t_interval(value, se)
            rows.append(_row(indicator, split, group, "mean", "mean", estimate=value, se=se,
                             low=low, high=high, unweighted=int(inside.sum()),
                             weighted=float(w[inside].sum()), base=int(inside.sum()),
                             deff=float(comparison.estimate.design_effect(None)[g]),
                             letters=_banner(comparison.letters[g], compared, split)))
    return rows


def quantile_rows(s: Settings, indicator: Indicator, data: PlanData,
                  splits: Sequence[Split]) -> list[dict[str, Any]]:
    assert indicator.variable is not None
    y = data.numbers(indicator.variable)
    known = ~np.isnan(y)
    names = [(f"p{100 * p:g}", "median" if p == 0.5 else f"percentile {100 * p:g}")
             for p in indicator.probabilities]
    rows = []
    for split in splits:
        for group, mask in split.domains():
            inside = mask & known
            base = int(inside.sum())
            if base == 0:
                rows += [_row(indicator, split, group, *name) for name in names]
                continue
            found = quantiles(s.design, y, indicator.probabilities, mask, s.level)
            rows += [_row(indicator, split, group, *name, estimate=q.value, se=q.se,
                          low=q.ci_low, high=q.ci_high, unweighted=base,
                          weighted=float(s.design.weights[inside].sum()), base=base)
                     for name, q in zip(names, found, strict=True)]
    return rows


# ---------------------------------------------------------------------------------------------
# Needs: ranked prevalence, gaps, rankings, co-occurrence (compared within a group)
# ---------------------------------------------------------------------------------------------


def item_indicators(data: PlanData, indicator: Indicator) -> list[tuple[Item, np.ndarray]]:
    """Each item as 0/1 per respondent, NaN where the question was not answered."""
    if indicator.ranks:
        codes = np.column_stack([data.numbers(r) for r in indicator.ranks])
        answered = ~np.isnan(codes).all(axis=1)
        return [(item, np.where(answered, (codes == item.code).any(axis=1), np.nan))
                for item in indicator.items]
    found = []
    for item in indicator.items:
        assert item.variable is not None
        y = data.numbers(item.variable)
        if indicator.at_least is not None:
            y = np.where(np.isnan(y), np.nan, (y >= indicator.at_least).astype(float))
        found.append((item, y))
    return found


def needs_rows(s: Settings, indicator: Indicator, items: list[tuple[Item, np.ndarray]],
               splits: Sequence[Split]) -> list[dict[str, Any]]:
    """Prevalence of each need in each group, with its rank range within the group."""
    w = s.design.weights
    rows = []
    for split in splits:
        for group, mask in split.domains():
            inside = {item.name: np.where(mask, y, np.nan) for item, y in items}
            present = {name: y for name, y in inside.items() if (~np.isnan(y)).any()}
            ranked = {need.area: need for need in rank_needs(
                s.design, present, indicator.method, s.level,
                None if split.name == TOTAL else mask)} if present else {}
            for item, y in items:
                need = ranked.get(item.name)
                if need is None:
                    rows.append(_row(indicator, split, group, item.name, item.label))
                    continue
                yes = mask & (y == 1)
                rows.append(_row(indicator, split, group, item.name, item.label,
                                 estimate=need.share, se=need.se, low=need.ci_low,
                                 high=need.ci_high, unweighted=int(yes.sum()),
                                 weighted=float(w[yes].sum()), base=need.base_n,
                                 deff=need.deff, rank=need.rank))
    return rows


Column = tuple[tuple[str, str] | None, str, str, np.ndarray]
"""(suffix, category, category label, 0/1 values with NaN where unknown)."""


def _domain_shares(design: SampleDesign, matrix: np.ndarray, mask: np.ndarray,
                   columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares, standard errors and design effects of `columns` of `matrix` in one domain. Only
    the variances are needed, so the columns go in chunks: the cost of a covariance grows with
    its square. The domain is given as missing values outside it (not as `domain`), so a group
    in a single PSU still gets its figures, as every other table cell does: disclosure control
    and the base decide what is published."""
    shares, errors, effects = [], [], []
    for start in range(0, len(columns), CHUNK):
        chunk = columns[start:start + CHUNK]
        estimate = mean(design, np.where(mask[:, None], matrix[:, chunk], np.nan))
        shares.append(estimate.values)
        errors.append(estimate.se)
        effects.append(estimate.design_effect(None))
    return np.concatenate(shares), np.concatenate(errors), np.concatenate(effects)


def _shares_by_group(s: Settings, indicator: Indicator, columns: list[Column],
                     splits: Sequence[Split]) -> list[dict[str, Any]]:
    """Shares of several 0/1 indicators in each group, with intervals and counts."""
    matrix = np.column_stack([y for *_, y in columns])
    known = ~np.isnan(matrix)
    w = s.design.weights
    rows = []
    for split in splits:
        for group, mask in split.domains():
            bases = (known & mask[:, None]).sum(axis=0)
            df = s.design.domain_degrees_of_freedom(None if split.name == TOTAL else mask)
            with_data = np.flatnonzero(bases > 0)
            shares, errors, effects = _domain_shares(s.design, matrix, mask, with_data)
            position = {int(j): k for k, j in enumerate(with_data)}
            for j, (suffix, category, label, y) in enumerate(columns):
                if j not in position:
                    rows.append(_row(indicator, split, group, category, label, suffix))
                    continue
                share, se = float(shares[position[j]]), float(errors[position[j]])
                low, high = proportion_interval(indicator.method, share, se, int(bases[j]),
                                                df, s.level)
                yes = mask & (y == 1)
                rows.append(_row(indicator, split, group, category, label, suffix,
                                 estimate=share, se=se, low=low, high=high,
                                 unweighted=int(yes.sum()), weighted=float(w[yes].sum()),
                                 base=int(bases[j]), deff=float(effects[position[j]])))
    return rows


def top_ranked_rows(s: Settings, indicator: Indicator, data: PlanData,
                    splits: Sequence[Split]) -> list[dict[str, Any]]:
    """Among those who ranked anything: the share ranking each item first, and in their top
    k (the shares of `needs.top_ranked`, with intervals and counts)."""
    codes = np.column_stack([data.numbers(r) for r in indicator.ranks])
    answered = ~np.isnan(codes).all(axis=1)
    top = ("top", f"ranked among the first {len(indicator.ranks)}")
    columns: list[Column] = []
    hits: tuple[tuple[tuple[str, str], Callable[[float | None], np.ndarray]], ...] = (
        (("first", "ranked first"), lambda c: codes[:, 0] == c),
        (top, lambda c: (codes == c).any(axis=1)))
    for suffix, hit in hits:
        columns += [(suffix, item.name, item.label,
                     np.where(answered, hit(item.code), np.nan)) for item in indicator.items]
    return _shares_by_group(s, indicator, columns, splits)


def co_occurrence_rows(s: Settings, indicator: Indicator, items: list[tuple[Item, np.ndarray]],
                       splits: Sequence[Split]) -> list[dict[str, Any]]:
    """The share having both needs of every pair (and each need alone), among respondents
    known on all of them: the figures of `needs.co_occurrence`, with intervals and counts."""
    matrix = np.column_stack([y for _, y in items])
    known = ~np.isnan(matrix).any(axis=1)
    columns: list[Column] = []
    for i, (first, x) in enumerate(items):
        for second, y in items[i:]:
            same = first is second
            columns.append((None, first.name if same else f"{first.name} & {second.name}",
                            first.label if same else f"{first.label} & {second.label}",
                            np.where(known, x * y, np.nan)))
    return _shares_by_group(s, indicator, columns, splits)


def gap_rows(s: Settings, indicator: Indicator, data: PlanData,
             splits: Sequence[Split]) -> list[dict[str, Any]]:
    """Mean importance and satisfaction per area, and their gap with its quadrant. The gap's
    base is the respondents who rated the area on both."""
    importance = {i.name: data.numbers(i.variable) for i in indicator.items if i.variable}
    satisfaction = {i.name: data.numbers(i.satisfaction) for i in indicator.items
                    if i.satisfaction}
    parts = (("importance", "importance"), ("satisfaction", "satisfaction"), ("gap", "gap"))
    w = s.design.weights
    rows = []
    for split in splits:
        for group, mask in split.domains():
            rated = {a: (mask & ~np.isnan(importance[a]), mask & ~np.isnan(satisfaction[a]))
                     for a in importance}
            present = [a for a, (i, j) in rated.items() if i.any() and j.any()]
            table = importance_satisfaction(
                s.design, {a: np.where(mask, importance[a], np.nan) for a in present},
                {a: np.where(mask, satisfaction[a], np.nan) for a in present}
            ).set_index("area") if present else None
            for item in indicator.items:
                on_importance, on_satisfaction = rated[item.name]
                both = on_importance & on_satisfaction
                bases = (on_importance, on_satisfaction, both)
                if table is None or item.name not in table.index:
                    rows += [_row(indicator, split, group, item.name, item.label, part,
                                  base=int(b.sum()), flags=NO_DATA)
                             for part, b in zip(parts, bases, strict=True)]
                    continue
                found = table.loc[item.name]
                assert isinstance(found, pd.Series)  # one row: areas are unique
                for part, inside in zip(parts, bases, strict=True):
                    value = float(found[part[0]])
                    se = float(found[f"{part[0]}_se"])
                    deff = float(found.get(f"{part[0]}_deff", np.nan))
                    low, high = s.t_interval(value, se)
                    rows.append(_row(indicator, split, group, item.name, item.label, part,
                                     estimate=value, se=se, low=low, high=high,
                                     unweighted=int(inside.sum()),
                                     weighted=float(w[inside].sum()), base=int(inside.sum()),
                                     deff=deff, quadrant=str(found["quadrant"]) if part[0] == "gap"
                                     else ""))
    return rows


def indicator_rows(s: Settings, indicator: Indicator, data: PlanData,
                   splits: Sequence[Split]) -> list[dict[str, Any]]:
    match indicator.kind:
        case Kind.SHARE:
            return share_rows(s, indicator, data, splits)
        case Kind.MEAN:
            return mean_rows(s, indicator, data, splits)
        case Kind.MEDIAN | Kind.QUANTILES:
            return quantile_rows(s, indicator, data, splits)
        case Kind.MULTI:
            return multi_rows(s, indicator, item_indicators(data, indicator), splits)
        case Kind.NEEDS:
            return needs_rows(s, indicator, item_indicators(data, indicator), splits)
        case Kind.GAP:
            return gap_rows(s, indicator, data, splits)
        case Kind.TOP_RANKED:
            return top_ranked_rows(s, indicator, data, splits)
        case Kind.CO_OCCURRENCE:
            return co_occurrence_rows(s, indicator, item_indicators(data, indicator), splits)
        case Kind.REGRESSION:
            return regression_rows(s.design, indicator, data, s.level)
