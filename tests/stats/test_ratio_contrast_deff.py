"""Ratios, contrasts, design effects and lonely-PSU rules: what R cannot check (bad input, the
messages the analyst sees, the results table's columns). Their figures are compared with R
in test_against_r.py."""

import numpy as np
import pandas as pd
import pytest
from support import API

from survey.stats.contrast import contrast
from survey.stats.design import DesignError, LonelyPsu, make_design
from survey.stats.estimate import EstimateError, by, mean, proportions, total
from survey.stats.ratio import ratio
from survey.stats.result_columns import ESTIMATE_COLUMNS, FIGURES, RESULT_COLUMNS
from survey.stats.results import categorical_rows
from survey.user_error import UserError

CLUS1 = pd.read_csv(API / "apiclus1.csv")


def clus1():
    return make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")


def test_estimate_errors_are_shown_by_the_command_line_as_messages() -> None:
    assert issubclass(EstimateError, UserError) and issubclass(DesignError, UserError)


def test_a_domain_in_a_single_psu_is_refused_with_a_message() -> None:
    design = clus1()
    one_district = (CLUS1["dnum"] == CLUS1["dnum"].iloc[0]).to_numpy()
    y = CLUS1["api00"].to_numpy(dtype=float)
    for estimator in (lambda: mean(design, y, one_district),
                      lambda: total(design, y, one_district),
                      lambda: proportions(design, CLUS1["stype"].to_numpy(), ("E", "H", "M"),
                                          one_district),
                      lambda: ratio(design, y, CLUS1["api99"].to_numpy(), one_district)):
        with pytest.raises(EstimateError, match="lie in a single PSU"):
            estimator()
    nobody = np.zeros(len(CLUS1), dtype=bool)
    with pytest.raises(EstimateError, match="no row with an answer in the domain"):
        mean(design, y, nobody)


def test_a_ratio_whose_denominator_totals_zero_is_refused() -> None:
    design = clus1()
    zero = np.zeros(len(CLUS1))
    with pytest.raises(EstimateError, match="denominator of 'ratio' totals 0"):
        ratio(design, CLUS1["api00"].to_numpy(), zero)
    stype = (CLUS1["stype"] == "H").to_numpy()
    with pytest.raises(EstimateError, match="totals 0 in the domain, so the ratio is not "
                                            "defined"):
        ratio(design, CLUS1["api00"].to_numpy(), np.where(stype, 0.0, 1.0), stype)


def test_a_contrast_naming_an_unknown_estimate_is_refused_with_the_known_ones() -> None:
    means = by(clus1(), CLUS1["api00"].to_numpy(), CLUS1["stype"])
    with pytest.raises(EstimateError, match="names 'X', which is not one of the estimates; "
                                            "they are: E, H, M"):
        contrast(means, {"E": 1, "X": -1})
    with pytest.raises(EstimateError, match="no coefficient"):
        contrast(means, {"gap": {}, "other": {"E": 1}})
    with pytest.raises(EstimateError, match="finite"):
        contrast(means, {"E": float("nan")})


def test_a_difference_of_domain_means_is_the_difference_with_the_joint_covariance() -> None:
    means = by(clus1(), CLUS1["api00"].to_numpy(), CLUS1["stype"])
    gap = contrast(means, {"H": 1, "E": -1})
    assert gap.labels == ("contrast",)
    assert gap.values[0] == pytest.approx(means.values[1] - means.values[0])
    cov = means.covariance
    assert gap.se[0] == pytest.approx(np.sqrt(cov[1, 1] + cov[0, 0] - 2 * cov[0, 1]))
    assert np.isnan(gap.deff[0])  # R gives no design effect for a contrast


def test_effective_n_is_the_respondents_over_the_design_effect() -> None:
    estimate = mean(clus1(), CLUS1["api00"].to_numpy())
    assert estimate.n_effective[0] == pytest.approx(len(CLUS1) / estimate.deff[0])
    assert estimate.deff[0] > estimate.design_effect(replace=True)[0] > 1


def test_weights_that_describe_no_population_have_no_design_effect_without_replacement() -> None:
    design = make_design(CLUS1, cluster="dnum")  # every weight 1: N = n
    estimate = mean(design, CLUS1["api00"].to_numpy())
    assert np.isnan(estimate.deff[0])
    assert estimate.design_effect(replace=True)[0] > 1


def test_average_with_only_lonely_strata_is_refused() -> None:
    data = pd.DataFrame({"h": ["a", "b", "b"], "psu": [1, 2, 3], "w": [2.0, 3.0, 4.0],
                         "y": [1.0, 2.0, 4.0]})
    design = make_design(data, "w", "h", "psu", lonely=LonelyPsu.AVERAGE)
    assert mean(design, data["y"].to_numpy()).se[0] > 0
    only_a = np.array([True, False, False])
    with pytest.raises(DesignError, match="no stratum to average over"):
        design.covariance(np.ones((3, 1)), only_a)


def test_the_results_table_lists_design_effects_everywhere_its_columns_are_named() -> None:
    for columns in (ESTIMATE_COLUMNS, RESULT_COLUMNS, FIGURES):
        assert {"deff", "n_effective"} <= set(columns)
    rows = categorical_rows(clus1(), "stype", CLUS1["stype"], ("E", "H", "M"), "awards",
                            CLUS1["awards"])
    for row in rows:
        assert row["deff"] > 0
        assert row["n_effective"] == pytest.approx(row["base_n"] / row["deff"])


def test_the_results_table_falls_back_to_sampling_with_replacement_without_a_population() -> None:
    unweighted = make_design(CLUS1, cluster="dnum")
    estimate = mean(unweighted, CLUS1["api00"].to_numpy())
    assert estimate.design_effect(None)[0] == estimate.design_effect(replace=True)[0]
    weighted = mean(clus1(), CLUS1["api00"].to_numpy())
    assert weighted.design_effect(None)[0] == weighted.deff[0]
    rows = categorical_rows(unweighted, "stype", CLUS1["stype"], ("E", "H", "M"))
    assert all(np.isfinite(row["deff"]) for row in rows)
