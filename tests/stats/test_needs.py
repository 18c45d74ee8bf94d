"""Needs indicators on generated respondents whose true structure is known."""

import numpy as np
import pandas as pd
import pytest

from survey.stats.design import make_design
from survey.stats.needs import (
    Quadrant,
    co_occurrence,
    importance_satisfaction,
    rank_needs,
    top_ranked,
)

RNG = np.random.default_rng(11)
N = 2000
DESIGN = make_design(pd.DataFrame({"w": RNG.uniform(0.5, 2.0, N)}), weights="w")


def test_clearly_different_needs_get_single_ranks_and_close_ones_share_a_range() -> None:
    needs = {"housing": RNG.binomial(1, 0.60, N), "german": RNG.binomial(1, 0.40, N),
             "jobs": RNG.binomial(1, 0.41, N), "legal": RNG.binomial(1, 0.10, N)}
    ranked = rank_needs(DESIGN, {k: v.astype(float) for k, v in needs.items()})
    by_area = {n.area: n for n in ranked}
    assert ranked[0].area == "housing" and by_area["housing"].rank == "1"
    assert by_area["legal"].rank == "4"
    assert by_area["german"].rank == by_area["jobs"].rank == "2-3"
    assert all(n.ci_low < n.share < n.ci_high for n in ranked)


def test_unknown_answers_are_left_out_of_the_base() -> None:
    values = RNG.binomial(1, 0.5, N).astype(float)
    values[:500] = np.nan
    (need,) = rank_needs(DESIGN, {"housing": values})
    assert need.base_n == N - 500


def test_importance_satisfaction_gap_and_quadrants() -> None:
    importance = {"housing": RNG.integers(3, 5, N), "sports": RNG.integers(1, 3, N),
                  "german": RNG.integers(3, 5, N), "culture": RNG.integers(1, 3, N)}
    satisfaction = {"housing": RNG.integers(1, 3, N), "sports": RNG.integers(3, 5, N),
                    "german": RNG.integers(3, 5, N), "culture": RNG.integers(1, 3, N)}
    table = importance_satisfaction(DESIGN, {k: v.astype(float) for k, v in importance.items()},
                                    {k: v.astype(float) for k, v in satisfaction.items()})
    quadrant = dict(zip(table["area"], table["quadrant"], strict=True))
    assert quadrant == {"housing": Quadrant.CONCENTRATE, "german": Quadrant.KEEP_UP,
                        "culture": Quadrant.LOW_PRIORITY, "sports": Quadrant.POSSIBLE_OVERKILL}
    assert table["area"].iloc[0] == "housing"
    housing = table.set_index("area").loc["housing"]
    assert housing["gap"] == pytest.approx(housing["importance"] - housing["satisfaction"])
    assert 0 < housing["gap_se"] < 0.05


def test_top_ranked_shares() -> None:
    first = pd.Series(["housing"] * 6 + ["german"] * 4 + [None] * 2)
    second = pd.Series(["german"] * 6 + ["jobs"] * 4 + [None] * 2)
    design = make_design(pd.DataFrame({"w": np.ones(12)}), weights="w")
    table = top_ranked(design, [first, second], ["housing", "german", "jobs"]).set_index("area")
    assert table.loc["housing", "first"] == pytest.approx(0.6)
    assert table.loc["german", "top"] == pytest.approx(1.0)
    assert table.loc["jobs", "top"] == pytest.approx(0.4)


def test_co_occurrence_is_symmetric_with_prevalence_on_the_diagonal() -> None:
    a = RNG.binomial(1, 0.5, N).astype(float)
    b = np.where(a == 1, 1.0, RNG.binomial(1, 0.1, N))
    matrix = co_occurrence(DESIGN, {"a": a, "b": b})
    weights = DESIGN.weights
    assert matrix.loc["a", "a"] == pytest.approx(np.average(a, weights=weights))
    assert matrix.loc["a", "b"] == matrix.loc["b", "a"] == pytest.approx(
        np.average(a * b, weights=weights))
