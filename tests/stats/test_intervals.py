"""Proportion intervals against their definitions (R svyciprop) and scipy's own versions."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from support import API

from survey.stats.design import make_design
from survey.stats.estimate import mean
from survey.stats.intervals import IntervalMethod, korn_graubard, logit, proportion_interval, wilson


@pytest.mark.parametrize("successes,n", [(0, 10), (3, 10), (10, 10), (17, 200), (150, 151)])
def test_wilson_matches_scipy(successes: int, n: int) -> None:
    expected = stats.binomtest(successes, n).proportion_ci(0.95, method="wilson")
    assert wilson(successes, n) == pytest.approx((expected.low, expected.high), abs=1e-12)


@pytest.mark.parametrize("successes,n", [(0, 30), (4, 30), (15, 30), (30, 30), (7, 250)])
def test_korn_graubard_is_clopper_pearson_for_simple_random_samples(successes: int,
                                                                     n: int) -> None:
    # With no design effect and df = n - 1 the effective size is n: Clopper-Pearson.
    p = successes / n
    se = math.sqrt(p * (1 - p) / n)
    expected = stats.binomtest(successes, n).proportion_ci(0.95, method="exact")
    assert korn_graubard(p, se, n, n - 1) == pytest.approx((expected.low, expected.high),
                                                            abs=1e-9)


def test_logit_interval_is_symmetric_on_the_logit_scale_with_design_t() -> None:
    data = pd.read_csv(API / "apiclus1.csv")
    design = make_design(data, weights="pw", cluster="dnum", fpc="fpc")
    share = mean(design, (data["ell"] == 0).to_numpy(dtype=float))
    p, se = share.values[0], share.se[0]
    low, high = logit(p, se, design.n, design.degrees_of_freedom)
    to_logit = lambda x: math.log(x / (1 - x))  # noqa: E731
    half = stats.t.ppf(0.975, 14) * se / (p * (1 - p))
    assert to_logit(low) == pytest.approx(to_logit(p) - half, rel=1e-12)
    assert to_logit(high) == pytest.approx(to_logit(p) + half, rel=1e-12)
    assert 0 < low < p < high < 1


def test_a_design_effect_widens_korn_graubard() -> None:
    p, n = 0.2, 400
    srs_se = math.sqrt(p * (1 - p) / n)
    narrow = korn_graubard(p, srs_se, n, n - 1)
    wide = korn_graubard(p, srs_se * 2, n, 30)
    assert wide[0] < narrow[0] and wide[1] > narrow[1]


@pytest.mark.parametrize("method", list(IntervalMethod))
def test_zero_percent_keeps_an_honest_upper_bound(method: IntervalMethod) -> None:
    low, high = proportion_interval(method, 0.0, 0.0, 40, 39)
    assert low == 0.0
    assert 0.05 < high < 0.12


@pytest.mark.parametrize("method", list(IntervalMethod))
def test_intervals_stay_in_the_unit_interval(method: IntervalMethod) -> None:
    for p in np.linspace(0, 1, 21):
        low, high = proportion_interval(method, p, math.sqrt(p * (1 - p) / 25), 25, 10)
        assert 0 <= low <= p <= high <= 1
