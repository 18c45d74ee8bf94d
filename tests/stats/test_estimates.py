"""Design-based estimates: domains, invariants and bad designs."""


import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import API, assert_domain_mean_is_ratio_of_totals

from survey.stats.design import DesignError, LonelyPsu, make_design
from survey.stats.estimate import mean, proportions

STRAT = pd.read_csv(API / "apistrat.csv")
CLUS1 = pd.read_csv(API / "apiclus1.csv")


def test_domain_mean_equals_ratio_of_domain_totals_with_its_linearised_variance() -> None:
    design = make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")
    inside = (CLUS1["stype"] == "E").to_numpy()
    assert_domain_mean_is_ratio_of_totals(design, CLUS1["api00"].to_numpy(dtype=float), inside)
    assert mean(design, CLUS1["api00"].to_numpy(), domain=inside).unweighted_n == inside.sum()


def test_domain_keeps_the_whole_design_rather_than_a_smaller_sample() -> None:
    design = make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")
    inside = (CLUS1["stype"] == "H").to_numpy()
    sub = CLUS1[inside]
    naive = mean(make_design(sub, weights="pw", cluster="dnum", fpc="fpc"),
                 sub["api00"].to_numpy())
    domain = mean(design, CLUS1["api00"].to_numpy(), domain=inside)
    assert domain.values[0] == pytest.approx(naive.values[0])
    assert domain.degrees_of_freedom == 14 > naive.degrees_of_freedom


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_estimates_do_not_depend_on_row_order(random) -> None:
    order = list(range(len(STRAT)))
    random.shuffle(order)
    shuffled = STRAT.iloc[order].reset_index(drop=True)
    results = []
    for data in (STRAT, shuffled):
        design = make_design(data, weights="pw", strata="stype", fpc="fpc")
        estimate = mean(design, data[["api00", "api99"]].to_numpy())
        results.append(np.concatenate([estimate.values, estimate.covariance.ravel()]))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


def test_proportions_sum_to_one_and_missing_answers_are_left_out() -> None:
    data = CLUS1.copy()
    data.loc[:9, "stype"] = np.nan
    design = make_design(data, weights="pw", cluster="dnum", fpc="fpc")
    shares = proportions(design, data["stype"].to_numpy(), ("E", "H", "M"))
    assert shares.values.sum() == pytest.approx(1.0)
    assert shares.unweighted_n == len(data) - 10
    assert np.allclose(shares.covariance.sum(axis=0), 0, atol=1e-12)


def test_missing_values_in_y_are_left_out_of_a_mean() -> None:
    design = make_design(STRAT, weights="pw", strata="stype", fpc="fpc")
    y = STRAT["acs.k3"].to_numpy(dtype=float)
    assert np.isnan(y).any()
    known = ~np.isnan(y)
    expected = np.average(y[known], weights=STRAT["pw"].to_numpy()[known])
    assert mean(design, y).values[0] == pytest.approx(expected)


def test_single_psu_strata_are_adjusted_or_refused() -> None:
    data = pd.DataFrame({"y": [1.0, 2, 3, 4, 5], "w": [1.0] * 5, "h": [1, 1, 2, 2, 3],
                         "c": [1, 2, 3, 4, 5]})
    adjusted = mean(make_design(data, weights="w", strata="h", cluster="c"), data["y"])
    assert np.isfinite(adjusted.se[0]) and adjusted.se[0] > 0
    with pytest.raises(DesignError, match="1 stratum/strata have a single PSU"):
        make_design(data, weights="w", strata="h", cluster="c", lonely=LonelyPsu.FAIL)


@pytest.mark.parametrize("change,message", [
    ({"pw": 0.0}, "weight 'pw' must be a positive number in every row; row 1 has 0.0"),
    ({"pw": -2.0}, "weight 'pw' must be a positive number in every row; row 1 has -2.0"),
    ({"dnum": np.nan}, "the cluster column 'dnum' is empty in row 1"),
    ({"fpc": 3.0}, "gives a sampling fraction outside"),
])
def test_bad_designs_are_refused_with_the_column_and_row(change: dict, message: str) -> None:
    data = CLUS1.copy()
    for column, value in change.items():
        data.loc[0, column] = value
        if column == "fpc":
            data[column] = value
    with pytest.raises(DesignError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_design(data, weights="pw", cluster="dnum", fpc="fpc")


def test_unknown_design_column_is_named() -> None:
    with pytest.raises(DesignError, match="the weight column 'weight' is not in the data"):
        make_design(CLUS1, weights="weight")


def test_without_a_weight_column_weights_come_from_the_fpc_as_in_r() -> None:
    data = pd.read_csv(API / "apisrs.csv")
    design = make_design(data, fpc="fpc")
    np.testing.assert_allclose(design.weights, data["pw"].to_numpy(), rtol=1e-6)


def test_fpc_mixing_counts_and_fractions_is_refused() -> None:
    data = STRAT.astype({"fpc": float})
    data.loc[data["stype"] == "E", "fpc"] = 0.1
    with pytest.raises(DesignError, match="mixes population counts"):
        make_design(data, weights="pw", strata="stype", fpc="fpc")


def test_fast_proportions_equal_the_mean_of_indicators_on_a_clustered_design() -> None:
    design = make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")
    levels = ("E", "H", "M")
    inside = (CLUS1["sch.wide"] == "Yes").to_numpy()
    fast = proportions(design, CLUS1["stype"].to_numpy(), levels, domain=inside)
    indicators = np.column_stack([(CLUS1["stype"] == lv).to_numpy(dtype=float) for lv in levels])
    slow = mean(design, indicators, domain=inside)
    np.testing.assert_allclose(fast.values, slow.values, rtol=1e-12)
    np.testing.assert_allclose(fast.covariance, slow.covariance, rtol=1e-10, atol=1e-15)
    assert fast.unweighted_n == slow.unweighted_n
