"""Figures R `survey` 4.1 computes on its api data, recorded from Rscript, for the places where
this library once differed from R's defaults. They run without R; test_against_r.py checks the
same estimators live on many more designs.
"""

import numpy as np
import pandas as pd
import pytest
from support import API

from survey.stats.compare import compare_groups
from survey.stats.design import make_design
from survey.stats.estimate import mean, total
from survey.stats.intervals import IntervalMethod
from survey.stats.quantiles import quantiles
from survey.stats.results import categorical_rows

STRAT = pd.read_csv(API / "apistrat.csv")
CLUS1 = pd.read_csv(API / "apiclus1.csv")


def test_median_interval_is_centred_at_the_estimated_share() -> None:
    """svyquantile(~api00, dstrat, 0.5, ci = TRUE): 668, interval 642 to 694, SE
    13.1840557881618 (centred at p instead, the SE was 10.90)."""
    design = make_design(STRAT, weights="pw", strata="stype", fpc="fpc")
    (median,) = quantiles(design, STRAT["api00"].to_numpy())
    assert (median.value, median.ci_low, median.ci_high) == (668.0, 642.0, 694.0)
    assert median.se == pytest.approx(13.1840557881618, rel=1e-12)


def test_lonely_psu_adjust_leaves_a_total_uncentred() -> None:
    """District 413 alone in a stratum of apiclus1, survey.lonely.psu = "adjust":
    svytotal(~enroll) SE 914640.93294932 (centred at the mean of all PSU totals, it was
    940,152) and svymean(~enroll) SE 45.75895."""
    data = CLUS1.assign(lone=CLUS1["dnum"] == 413)
    design = make_design(data, weights="pw", strata="lone", cluster="dnum")
    assert total(design, data["enroll"].to_numpy()).se[0] == pytest.approx(914640.93294932,
                                                                           rel=1e-12)
    assert mean(design, data["enroll"].to_numpy()).se[0] == pytest.approx(45.75895, rel=1e-6)


def test_a_domain_share_interval_uses_the_domains_degrees_of_freedom() -> None:
    """svyciprop(~I(sch.wide == "Yes"), subset(dclus1, stype == "M")): the 12 districts with
    middle schools give 11 degrees of freedom, not the design's 14. logit: 0.412455444697252
    to 0.865456261651120; beta: 0.405708991672240 to 0.885241289543765."""
    design = make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")
    inside = (CLUS1["stype"] == "M").to_numpy()
    assert design.domain_degrees_of_freedom(inside) == 11
    expected = {IntervalMethod.LOGIT: (0.412455444697252, 0.865456261651120),
                IntervalMethod.KORN_GRAUBARD: (0.405708991672240, 0.885241289543765)}
    for method, interval in expected.items():
        rows = categorical_rows(design, "sch.wide", CLUS1["sch.wide"], ("No", "Yes"), "stype",
                                CLUS1["stype"], method)
        (row,) = [r for r in rows if r["group"] == "M" and r["category"] == "Yes"]
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(interval, rel=1e-10)


def test_two_group_t_test_uses_degf_minus_one() -> None:
    """svyttest(api00 ~ sch.wide, dclus1): t = 2.108989847793, df = 13, p = 0.0549088170890467
    (on the design's 14 degrees of freedom the p-value was 0.0534)."""
    design = make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")
    comparison = compare_groups(design, CLUS1["api00"].to_numpy(), CLUS1["sch.wide"])
    assert comparison.degrees_of_freedom.tolist() == [13]
    assert comparison.t_values[0] == pytest.approx(2.108989847793, rel=1e-11)
    assert comparison.p_values[0] == pytest.approx(0.0549088170890467, rel=1e-10)
    np.testing.assert_array_equal(comparison.pairs, [(0, 1)])


def test_weights_from_the_fpc_alone() -> None:
    """svydesign(id = ~1, strata = ~stype, fpc = ~fpc, data = apistrat) without weights:
    svymean(~api00) 662.2873635777 (SE 9.40894087943401), svytotal(~enroll) 3687177.52
    (SE 114641.715190394)."""
    design = make_design(STRAT, strata="stype", fpc="fpc")
    api00 = mean(design, STRAT["api00"].to_numpy())
    enroll = total(design, STRAT["enroll"].to_numpy())
    assert api00.values[0] == pytest.approx(662.2873635777, rel=1e-12)
    assert api00.se[0] == pytest.approx(9.40894087943401, rel=1e-12)
    assert enroll.values[0] == pytest.approx(3687177.52, rel=1e-12)
    assert enroll.se[0] == pytest.approx(114641.715190394, rel=1e-12)
