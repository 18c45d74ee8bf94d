"""R `survey`'s published figures on the California API data, reproduced to the printed digit.

Source: ../shared/reference/api/README.md (R `survey` documentation, Lumley).
"""


import numpy as np
import pandas as pd
import pytest
from support import API

from survey.stats.crosstab import crosstab
from survey.stats.design import make_design
from survey.stats.estimate import mean, total


def printed(value: float, digits: int) -> float:
    """The value as R prints it with `digits` significant digits."""
    return float(f"{value:.{digits}g}")


@pytest.fixture(scope="module")
def apiclus1() -> pd.DataFrame:
    return pd.read_csv(API / "apiclus1.csv")


@pytest.fixture(scope="module")
def dclus1(apiclus1: pd.DataFrame):
    return make_design(apiclus1, weights="pw", cluster="dnum", fpc="fpc")


def test_mean_of_api00_in_one_stage_cluster_sample(apiclus1, dclus1) -> None:
    estimate = mean(dclus1, apiclus1["api00"].to_numpy())
    assert printed(estimate.values[0], 5) == 644.17
    assert printed(estimate.se[0], 5) == 23.542
    assert estimate.degrees_of_freedom == 14


def test_total_of_enroll_in_one_stage_cluster_sample(apiclus1, dclus1) -> None:
    estimate = total(dclus1, apiclus1["enroll"].to_numpy())
    assert round(estimate.values[0]) == 3404940
    assert round(estimate.se[0]) == 932235


def test_mean_of_a_difference_in_stratified_sample() -> None:
    data = pd.read_csv(API / "apistrat.csv")
    design = make_design(data, weights="pw", strata="stype", fpc="fpc")
    estimate = mean(design, (data["api00"] - data["api99"]).to_numpy())
    assert printed(estimate.values[0], 5) == 32.893
    assert printed(estimate.se[0], 5) == 2.0511


def test_weighted_table_of_sch_wide_by_stype(apiclus1, dclus1) -> None:
    table = crosstab(dclus1, apiclus1["sch.wide"], apiclus1["stype"])
    assert table.row_levels == ("No", "Yes") and table.column_levels == ("E", "H", "M")
    assert np.round(table.weighted[0], 3).tolist() == [406.164, 101.541, 270.776]
    assert table.unweighted.sum() == len(apiclus1)


def test_rao_scott_second_order_f_is_rs_default(apiclus1, dclus1) -> None:
    test = crosstab(dclus1, apiclus1["sch.wide"], apiclus1["stype"]).test
    assert printed(test.f, 5) == 5.1934
    assert printed(test.f_ndf, 4) == 1.495
    assert printed(test.f_ddf, 5) == 20.925
    assert printed(test.f_p, 4) == 0.02175


def test_rao_scott_first_order_chisq(apiclus1, dclus1) -> None:
    # R prints Pearson's X^2 on the table scaled to the sample size beside the p-value of the
    # design-corrected statistic (X^2 divided by the mean generalised design effect).
    test = crosstab(dclus1, apiclus1["sch.wide"], apiclus1["stype"]).test
    assert printed(test.pearson, 6) == 11.9409
    assert test.chisq_df == 2
    assert printed(test.chisq_p, 4) == 0.005553
    assert test.chisq < test.pearson
