"""Design-based quantiles against their definition."""

import numpy as np
import pandas as pd
import pytest
from support import API

from survey.stats.design import make_design
from survey.stats.quantiles import quantiles

CLUS1 = pd.read_csv(API / "apiclus1.csv")


def test_unweighted_median_is_the_lower_middle_value_by_the_math_rule() -> None:
    data = pd.DataFrame({"y": [5.0, 1, 4, 2, 3, 6]})
    (median,) = quantiles(make_design(data), data["y"].to_numpy())
    assert median.value == 3.0  # smallest value with at least half of the rows at or below


def test_weights_move_the_median() -> None:
    data = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 1, 7]})
    (median,) = quantiles(make_design(data, weights="w"), data["y"].to_numpy())
    assert median.value == 4.0


def test_quartiles_are_ordered_and_intervals_contain_them() -> None:
    design = make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")
    result = quantiles(design, CLUS1["api00"].to_numpy(), (0.25, 0.5, 0.75))
    values = [q.value for q in result]
    assert values == sorted(values)
    weights = CLUS1["pw"].to_numpy()
    for q in result:
        assert q.ci_low <= q.value <= q.ci_high
        assert np.sum(weights[CLUS1["api00"] <= q.value]) / weights.sum() >= q.p
        assert np.sum(weights[CLUS1["api00"] < q.value]) / weights.sum() < q.p
        assert q.se > 0


def test_a_domain_median_uses_only_its_rows() -> None:
    design = make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")
    inside = (CLUS1["stype"] == "H").to_numpy()
    (median,) = quantiles(design, CLUS1["api00"].to_numpy(), domain=inside)
    assert median.value in set(CLUS1.loc[inside, "api00"])
    with pytest.raises(ValueError, match="no row with an answer"):
        quantiles(design, np.full(len(CLUS1), np.nan))
