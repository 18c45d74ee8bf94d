"""The weighting step of a plan: rake or calibrate to the margins file, with unknown weighting
variables imputed when the plan allows it, and the diagnostics an analyst checks before
trusting weights.

Imputation draws a cell in proportion to the population targets among the cells that agree
with what the respondent did answer. The draw comes from a hash of the submission id, so it is
the same on every run and in any row order, and it is used for weighting only: the results
still show the respondent's answer as unknown.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey.stats import weighting
from survey.stats.calibrate import calibrate
from survey.stats.design import make_design
from survey.stats.plan.data import PlanData
from survey.stats.plan.model import Margin, Weighting
from survey.stats.plan.reader import plural

SEPARATOR = " × "


@dataclass(frozen=True)
class WeightingOutcome:
    base_weights: np.ndarray
    weights: np.ndarray
    raked: weighting.WeightingResult | None
    margins: pd.DataFrame
    """margin, category, target, achieved, respondents, imputed: one row per cell."""
    trimmed: int
    """Weights left at a trimming bound."""


def _uniform(margin: str, submission_ids: pd.Index) -> np.ndarray:
    """A reproducible number in [0, 1) per respondent and margin."""
    return np.array([int.from_bytes(hashlib.blake2b(f"{margin}\x1f{sid}".encode(),
                                                    digest_size=8).digest(), "big") / 2 ** 64
                     for sid in submission_ids])


def _cells(margin: Margin, data: PlanData, impute: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each respondent's cell of the margin (as text) and whether it was imputed."""
    table = pd.DataFrame({k: data.categories(v).astype(object)
                          for k, v in enumerate(margin.variables)})
    unknown = table.isna().any(axis=1).to_numpy()
    joined = table[0].astype(str)
    for k in range(1, len(margin.variables)):
        joined = joined + SEPARATOR + table[k].astype(str)
    keys = np.where(unknown, np.array(None, dtype=object), joined.to_numpy(dtype=object))
    if not unknown.any():
        return keys, unknown
    if not impute:
        first = data.submission_ids[int(np.flatnonzero(unknown)[0])]
        raise margin.place.error(
            f"{plural(int(unknown.sum()), 'respondent')} have no answer for {margin.name} "
            f"(the first is submission {first}), so they cannot be weighted: set "
            "'unknown: impute' under weighting, or recode the missing answers into a category "
            "with a target")
    rows_by_pattern: dict[tuple[object, ...], list[int]] = {}
    for position, row in zip(np.flatnonzero(unknown),
                             table[unknown].itertuples(index=False), strict=True):
        pattern = tuple(None if pd.isna(value) else value for value in row)
        rows_by_pattern.setdefault(pattern, []).append(int(position))
    for pattern, positions in rows_by_pattern.items():
        cells = [(cell, target) for cell, target in margin.targets.items() if target > 0
                 and all(p is None or p == c for p, c in zip(pattern, cell, strict=True))]
        if not cells:
            continue  # a known category without a target: raking says which
        shares = np.cumsum([t for _, t in cells]) / sum(t for _, t in cells)
        drawn = np.searchsorted(shares, _uniform(margin.name, data.submission_ids[positions]),
                                side="right")
        names = [SEPARATOR.join(cell) for cell, _ in cells]
        keys[positions] = [names[min(k, len(names) - 1)] for k in drawn]
    return keys, unknown


def weight(plan_weighting: Weighting, data: PlanData) -> WeightingOutcome:
    """Raked weights summing to the population total of the margins."""
    frame = {}
    imputed = {}
    for margin in plan_weighting.margins:
        frame[margin.name], imputed[margin.name] = _cells(margin, data,
                                                          plan_weighting.impute_unknown)
    margins = [weighting.Margin(m.name, {SEPARATOR.join(c): t for c, t in m.targets.items()})
               for m in plan_weighting.margins]
    try:
        if plan_weighting.method == "calibrate":
            raked = _calibrated(plan_weighting, pd.DataFrame(frame), margins)
        else:
            raked = weighting.rake(pd.DataFrame(frame), None, margins,
                                   max_iterations=plan_weighting.max_iterations,
                                   trim=plan_weighting.trim)
    except weighting.WeightingError as error:
        raise plan_weighting.place.error(f"the weights cannot be computed: {error}") from None
    rows = []
    for raked_margin in margins:
        keys = frame[raked_margin.variable]
        for cell, target in raked_margin.targets.items():
            inside = keys == cell
            rows.append({"margin": raked_margin.variable, "category": cell, "target": target,
                         "achieved": float(raked.weights[inside].sum()),
                         "respondents": int(inside.sum()),
                         "imputed": int((inside & imputed[raked_margin.variable]).sum())})
    trimmed = 0
    if plan_weighting.trim is not None:
        mean = raked.weights.mean()
        lower, upper = plan_weighting.trim
        trimmed = int(np.sum((raked.weights <= lower * mean * (1 + 1e-9))
                             | (raked.weights >= upper * mean * (1 - 1e-9))))
    return WeightingOutcome(raked.base_weights, raked.weights, raked, pd.DataFrame(rows),
                            trimmed)


def _calibrated(plan_weighting: Weighting, cells: pd.DataFrame,
                margins: list[weighting.Margin]) -> weighting.WeightingResult:
    """Calibration (survey.stats.calibrate) to the same margins, as a WeightingResult: the
    weights and the columns whose residuals give the variance (R's calibrate())."""
    base = make_design(cells)
    bounds = plan_weighting.bounds or (-math.inf, math.inf)
    done = calibrate(base, cells, {m.variable: dict(m.targets) for m in margins},
                     calfun=plan_weighting.calfun, bounds=bounds,  # type: ignore[arg-type]
                     max_iterations=plan_weighting.max_iterations, trim=plan_weighting.trim)
    assert done.design.calibration is not None
    negative = done.weights <= 0
    if negative.any():
        raise weighting.WeightingError(
            f"linear calibration gave {plural(int(negative.sum()), 'respondent')} a weight of "
            f"zero or below (the lowest {done.weights.min():.3g}): give bounds (e.g. bounds: "
            "{lower: 0.2, upper: 5}) or use calfun: raking, whose weights stay positive")
    columns = tuple(("calibration", name) for name in done.columns)
    gaps = np.abs(done.design.calibration.T @ done.weights / done.targets - 1)
    return weighting.WeightingResult(done.weights, base.weights, done.design.calibration,
                                     columns, done.iterations, float(gaps.max()))


def unweighted(n: int) -> WeightingOutcome:
    ones = np.ones(n)
    return WeightingOutcome(ones, ones, None,
                            pd.DataFrame(columns=["margin", "category", "target", "achieved",
                                                  "respondents", "imputed"]), 0)
