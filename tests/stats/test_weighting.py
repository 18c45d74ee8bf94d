"""Raking, post-stratification, trimming, weight diagnostics and calibration-aware variance."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import API, assert_domain_mean_is_ratio_of_totals

from survey.stats.design import calibration_residuals, make_design
from survey.stats.estimate import mean, total
from survey.stats.weighting import (
    Margin,
    WeightingError,
    diagnostics,
    poststratify,
    rake,
    trim,
)

POPULATION = pd.read_csv(API / "apipop.csv")
STYPE = POPULATION["stype"].value_counts().to_dict()  # E 4421, H 755, M 1018


def printed(value: float, digits: int) -> float:
    """The value as R prints it with `digits` significant digits."""
    return float(f"{value:.{digits}g}")


def survey_data() -> pd.DataFrame:
    """A small migrant survey in three districts with two regions of origin."""
    district = ["Dresden"] * 6 + ["Leipzig"] * 5 + ["Görlitz"] * 3
    origin = ["Syria", "Ukraine", "Ukraine", "Syria", "Ukraine", "Vietnam",
              "Syria", "Ukraine", "Vietnam", "Ukraine", "Syria",
              "Ukraine", "Syria", "Ukraine"]
    return pd.DataFrame({"district": district, "origin": origin,
                         "weight": np.linspace(1.0, 2.3, 14),
                         "employed": [1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1.0]})


DISTRICTS = Margin("district", {"Dresden": 60_000, "Leipzig": 50_000, "Görlitz": 10_000})
ORIGINS = Margin("origin", {"Syria": 45_000, "Ukraine": 60_000, "Vietnam": 15_000})


# --- R's figures and closed forms -----------------------------------------------------------


def test_post_stratifying_the_stratified_sample_on_its_strata_gives_r_printed_figures() -> None:
    # R: svymean(~api00, svydesign(id=~1, strata=~stype, fpc=~fpc, data=apistrat)) prints
    # 662.29 (SE 9.4089). Post-stratifying that design on stype to the apipop counts must leave
    # it unchanged: the weights already are N_h / n_h and the residuals are the within-stratum
    # deviations the stratified variance already uses.
    data = pd.read_csv(API / "apistrat.csv")
    base = make_design(data, weights="pw", strata="stype", fpc="fpc")
    result = poststratify(data, "pw", "stype", STYPE)
    estimate = mean(result.design(base), data["api00"].to_numpy())
    assert printed(estimate.values[0], 5) == 662.29
    assert printed(estimate.se[0], 5) == 9.4089


def test_post_stratified_simple_random_sample_matches_the_textbook_estimator() -> None:
    # R: postStratify(svydesign(id=~1, fpc=~fpc, data=apisrs), ~stype, pop.types). The
    # estimate is sum_h N_h ybar_h / N; its linearised variance (Lohr, Cochran) is
    # (1 - n/N) n/(n-1) sum_i (w_i (y_i - ybar_h) / N)^2 with w_i = N_h / n_h.
    data = pd.read_csv(API / "apisrs.csv")
    base = make_design(data, weights="pw", fpc="fpc")
    result = poststratify(data, None, "stype", STYPE)  # base weights' scale does not matter
    estimate = mean(result.design(base), data["api00"].to_numpy())

    counts = pd.Series(STYPE)
    cell_mean = data.groupby("stype")["api00"].mean()
    expected = float((counts * cell_mean).sum() / counts.sum())
    n, big_n = len(data), counts.sum()
    w = (counts / data["stype"].value_counts())[data["stype"]].to_numpy()
    z = w * (data["api00"] - cell_mean[data["stype"]].to_numpy()) / big_n
    variance = (1 - n / big_n) * n / (n - 1) * np.sum(z.to_numpy() ** 2)

    assert estimate.values[0] == pytest.approx(expected, rel=1e-12)
    assert printed(estimate.values[0], 5) == 656.78
    assert estimate.se[0] == pytest.approx(math.sqrt(variance), rel=1e-10)
    assert printed(estimate.se[0], 5) == 9.1565
    uncalibrated = mean(base, data["api00"].to_numpy())
    assert printed(uncalibrated.se[0], 5) == 9.2497  # R: svymean(~api00, dsrs)


def test_a_variable_fixed_by_the_post_strata_has_no_variance_after_calibration() -> None:
    data = pd.read_csv(API / "apisrs.csv")
    base = make_design(data, weights="pw", fpc="fpc")
    design = poststratify(data, "pw", "stype", STYPE).design(base)
    elementary = (data["stype"] == "E").to_numpy(dtype=float)
    before = mean(base, elementary)
    after = mean(design, elementary)
    assert before.se[0] > 0.02
    assert after.values[0] == pytest.approx(4421 / 6194, rel=1e-12)
    assert after.se[0] < 1e-12
    count = total(design, elementary)
    assert count.values[0] == pytest.approx(4421, rel=1e-12) and count.se[0] < 1e-8


def test_calibrated_domain_mean_is_the_ratio_of_calibrated_domain_totals() -> None:
    data = pd.read_csv(API / "apiclus1.csv")
    base = make_design(data, weights="pw", cluster="dnum", fpc="fpc")
    design = poststratify(data, "pw", "stype", STYPE).design(base)
    inside = (data["sch.wide"] == "Yes").to_numpy()
    assert_domain_mean_is_ratio_of_totals(design, data["api00"].to_numpy(dtype=float), inside)


def test_post_stratification_residuals_are_score_minus_weight_times_cell_mean() -> None:
    data = survey_data()
    result = poststratify(data, "weight", "district", DISTRICTS.targets)
    scores = result.weights * data["employed"].to_numpy()
    residuals = calibration_residuals(scores, result.weights, result.indicators)
    cells = data["district"]
    cell_mean = (pd.Series(scores).groupby(cells).sum()
                 / pd.Series(result.weights).groupby(cells).sum())
    expected = scores - result.weights * cell_mean[cells].to_numpy()
    np.testing.assert_allclose(residuals, expected, rtol=1e-12, atol=1e-12)


def test_raking_residuals_equal_r_backfitting_when_base_weights_are_equal() -> None:
    # R's rake() variance sweeps x <- x - w * ave(x / w, margin) over the margins until it
    # settles; with equal base weights that is the projection calibration_residuals makes.
    data = survey_data()
    result = rake(data, None, [DISTRICTS, ORIGINS])
    x = result.weights * (data["employed"].to_numpy() - 0.5)
    expected = x.copy()
    for _ in range(500):
        for variable in ("district", "origin"):
            ratio = pd.Series(expected / result.weights)
            expected = expected - result.weights * ratio.groupby(
                data[variable]).transform("mean").to_numpy()
    residuals = calibration_residuals(x, result.weights, result.indicators, result.base_weights)
    np.testing.assert_allclose(residuals, expected, rtol=1e-9, atol=1e-9)


def test_every_margin_share_has_no_variance_after_raking() -> None:
    data = survey_data()
    base = make_design(data, weights="weight")
    design = rake(data, "weight", [DISTRICTS, ORIGINS]).design(base)
    shares = np.column_stack([(data["district"] == "Görlitz"), (data["origin"] == "Syria")])
    before = mean(base, shares.astype(float))
    after = mean(design, shares.astype(float))
    assert np.all(before.se > 0.05)
    np.testing.assert_allclose(after.values, [10_000 / 120_000, 45_000 / 120_000], rtol=1e-8)
    assert np.all(after.se < 1e-10)
    assert mean(design, data["employed"].to_numpy()).se[0] > 0.05


# --- raking, post-stratification and trimming ---------------------------------------------


def test_raked_weights_are_base_weights_times_one_factor_per_category() -> None:
    data = survey_data()
    result = rake(data, "weight", [DISTRICTS, ORIGINS])
    for margin in (DISTRICTS, ORIGINS):
        sums = pd.Series(result.weights).groupby(data[margin.variable]).sum()
        for category, target in margin.targets.items():
            assert sums[category] == pytest.approx(target, rel=1e-8)
    log_ratio = np.log(result.weights / data["weight"].to_numpy())
    fitted = result.indicators @ np.linalg.lstsq(result.indicators, log_ratio, rcond=None)[0]
    np.testing.assert_allclose(log_ratio, fitted, atol=1e-8)
    assert result.columns == (("district", "Dresden"), ("district", "Leipzig"),
                              ("district", "Görlitz"), ("origin", "Syria"),
                              ("origin", "Ukraine"), ("origin", "Vietnam"))
    assert result.largest_gap <= 1e-8 and result.iterations >= 2


def test_margins_given_as_shares_are_counts_of_the_population_total() -> None:
    margin = Margin.from_shares("origin", {"Syria": 0.375, "Ukraine": 0.5, "Vietnam": 0.125},
                                120_000)
    assert margin.targets == {"Syria": 45_000, "Ukraine": 60_000, "Vietnam": 15_000}
    series = pd.Series({"Syria": 0.375, "Ukraine": 0.5, "Vietnam": 0.125})
    assert Margin.from_shares("origin", series, 120_000).targets == margin.targets
    data = survey_data()
    np.testing.assert_allclose(rake(data, None, [DISTRICTS, margin]).weights,
                               rake(data, None, [DISTRICTS, ORIGINS]).weights, rtol=1e-12)


def test_margins_within_a_tenth_of_a_percent_are_scaled_to_the_first_total() -> None:
    data = survey_data()
    close = Margin("origin", {"Syria": 45_030, "Ukraine": 60_040, "Vietnam": 15_010})
    result = rake(data, None, [DISTRICTS, close])
    assert result.weights.sum() == pytest.approx(120_000, rel=1e-10)
    syria = result.weights[(data["origin"] == "Syria").to_numpy()].sum()
    assert syria == pytest.approx(45_030 * 120_000 / 120_080, rel=1e-8)


def test_post_stratification_on_two_variables_uses_tuples_of_their_values() -> None:
    data = survey_data()
    targets = {("Dresden", "Syria"): 20_000, ("Dresden", "Ukraine"): 30_000,
               ("Dresden", "Vietnam"): 10_000, ("Leipzig", "Syria"): 20_000,
               ("Leipzig", "Ukraine"): 25_000, ("Leipzig", "Vietnam"): 5_000,
               ("Görlitz", "Syria"): 4_000, ("Görlitz", "Ukraine"): 6_000}
    both = poststratify(data, "weight", ["district", "origin"], targets)
    combined = data.assign(cell=list(zip(data["district"], data["origin"], strict=True)))
    one = poststratify(combined, "weight", "cell", targets)
    np.testing.assert_allclose(both.weights, one.weights, rtol=1e-14)
    cells = pd.Series(both.weights).groupby([data["district"], data["origin"]]).sum()
    assert cells[("Görlitz", "Syria")] == pytest.approx(4_000)
    assert both.iterations == 0 and both.indicators.shape == (14, 8)


def test_trim_keeps_the_total_and_the_bounds() -> None:
    weights = np.array([1.0] * 19 + [41.0])  # mean 3: the last is 13.7 times the mean
    trimmed = trim(weights, 0.3, 3.0)
    assert trimmed.sum() == pytest.approx(weights.sum(), rel=1e-12)
    assert trimmed.max() == pytest.approx(9.0)  # 3 x the mean of 3
    np.testing.assert_allclose(trimmed[:19], 51 / 19, rtol=1e-12)  # 60 - 9 shared evenly
    spread = np.random.default_rng(7).lognormal(0, 1.5, 1000)
    trimmed = trim(spread, 0.3, 3.0, strict=True)
    ratio = trimmed / trimmed.mean()
    assert trimmed.sum() == pytest.approx(spread.sum(), rel=1e-12)
    assert ratio.min() >= 0.3 - 1e-12 and ratio.max() <= 3.0 + 1e-12
    assert ratio.max() == pytest.approx(3.0)  # the lowest were raised, then lifted by the
    assert ratio.min() > 0.3  # weight spread from the top, as R's trimWeights lifts them


def test_trim_spreads_the_excess_equally_as_rs_trimweights() -> None:
    """R: trimWeights(dstrat, upper = 1.2 * m, lower = 0.4 * m) with m the mean of apistrat's
    weights gives 37.16399974823 (E), 27.4059999465942 (M) and 22.1459997177124 (H): the
    trimmed weight is added equally to every untrimmed one, not in proportion to it."""
    data = pd.read_csv(API / "apistrat.csv")
    trimmed = trim(data["pw"].to_numpy(), 0.4, 1.2)
    expected = data["stype"].map({"E": 37.16399974823, "M": 27.4059999465942,
                                  "H": 22.1459997177124})
    np.testing.assert_allclose(trimmed, expected, rtol=1e-12)


def test_trim_once_may_leave_weights_over_a_bound_and_strict_repeats() -> None:
    """As R's trimWeights: spreading can push an untrimmed weight over the upper bound; with
    strict the step repeats until none is; with every weight outside nothing can be spread
    and the clipped weights are returned (the total then changes, as in R)."""
    weights = np.array([1.0, 1.0, 3.5, 3.5, 11.0])  # mean 4: upper bound 1.2 x 4 = 4.8
    once = trim(weights, 0.1, 1.2)
    np.testing.assert_allclose(once, [2.55, 2.55, 5.05, 5.05, 4.8], rtol=1e-12)
    strict = trim(weights, 0.1, 1.2, strict=True)  # R: 2.8 2.8 4.8 4.8 4.8
    np.testing.assert_allclose(strict, [2.8, 2.8, 4.8, 4.8, 4.8], rtol=1e-12)
    np.testing.assert_allclose(trim(np.array([1.0, 5.0]), 0.9, 1.1), [2.7, 3.3])
    # R: trimWeights(lower = 0.87 m, upper = 2.04 m, strict = TRUE) gives 1.764 1.218 1.218
    np.testing.assert_allclose(trim(np.array([2.1, 0.6, 1.5]), 0.87, 2.04, strict=True),
                               [1.764, 1.218, 1.218], rtol=1e-12)


def test_trimmed_raking_keeps_both_the_margins_and_the_bounds() -> None:
    data = survey_data()
    plain = rake(data, "weight", [DISTRICTS, ORIGINS])
    assert plain.weights.max() / plain.weights.mean() > 1.4
    result = rake(data, "weight", [DISTRICTS, ORIGINS], trim=(0.3, 1.3))
    ratio = result.weights / result.weights.mean()
    assert ratio.max() == pytest.approx(1.3) and ratio.min() >= 0.3
    for margin in (DISTRICTS, ORIGINS):
        sums = pd.Series(result.weights).groupby(data[margin.variable]).sum()
        for category, target in margin.targets.items():
            assert sums[category] == pytest.approx(target, rel=1e-7)


def test_kish_diagnostics() -> None:
    result = diagnostics(np.array([1.0] * 19 + [21.0]))  # n 20, sum 40, sum of squares 460
    assert result.design_effect == pytest.approx(20 * 460 / 40**2)
    assert result.effective_n == pytest.approx(20 / 5.75)
    assert (result.minimum, result.maximum, result.ratio) == (1.0, 21.0, 21.0)
    assert result.top_share == pytest.approx(21 / 40)  # the top 5% of 20 is one respondent
    equal = diagnostics(np.full(7, 3.0))
    assert equal.design_effect == pytest.approx(1.0) and equal.effective_n == pytest.approx(7)
    assert equal.top_share == pytest.approx(1 / 7)
    thirty = diagnostics(np.arange(1.0, 31.0))  # the top 5% of 30 is 2 respondents (1.5 up)
    assert thirty.top_share == pytest.approx((30 + 29) / 465)


# --- properties --------------------------------------------------------------------------------


@st.composite
def raking_problems(draw):
    """Rows with two or three categorical variables and targets that a weighting can meet."""
    n = draw(st.integers(8, 40))
    k = draw(st.integers(1, 3))
    levels = [draw(st.integers(1, 4)) for _ in range(k)]
    columns = {f"v{j}": draw(st.lists(st.integers(0, levels[j] - 1), min_size=n, max_size=n))
               for j in range(k)}
    data = pd.DataFrame(columns)
    base = np.array(draw(st.lists(st.floats(0.5, 5.0), min_size=n, max_size=n)))
    truth = np.array(draw(st.lists(st.floats(0.2, 20.0), min_size=n, max_size=n)))
    margins = []
    for column in data.columns:
        sums = pd.Series(truth).groupby(data[column]).sum()
        margins.append(Margin(column, {int(level): float(s) * 100 for level, s in sums.items()}))
    return data, base, margins


@settings(max_examples=50, deadline=None)
@given(raking_problems())
def test_raked_weights_sum_to_every_margin(problem) -> None:
    data, base, margins = problem
    result = rake(data, base, margins, max_iterations=5000, tolerance=1e-9)
    for margin in margins:
        sums = pd.Series(result.weights).groupby(data[margin.variable]).sum()
        for category, target in margin.targets.items():
            assert sums[category] == pytest.approx(target, rel=1e-8)


@settings(max_examples=50, deadline=None)
@given(raking_problems(), st.randoms(use_true_random=False))
def test_raking_does_not_depend_on_row_order(problem, random) -> None:
    data, base, margins = problem
    order = list(range(len(data)))
    random.shuffle(order)
    shuffled = data.iloc[order].reset_index(drop=True)
    first = rake(data, base, margins, max_iterations=5000, tolerance=1e-10)
    second = rake(shuffled, base[order], margins, max_iterations=5000, tolerance=1e-10)
    np.testing.assert_allclose(second.weights, first.weights[order], rtol=1e-8)
    y = np.arange(len(data), dtype=float) % 3
    variances = [mean(r.design(make_design(d)), v).covariance[0, 0]
                 for r, d, v in ((first, data, y), (second, shuffled, y[order]))]
    assert variances[1] == pytest.approx(variances[0], rel=1e-6, abs=1e-14)


@settings(max_examples=50, deadline=None)
@given(raking_problems())
def test_raking_on_one_margin_is_post_stratification(problem) -> None:
    data, base, margins = problem
    raked = rake(data, base, margins[:1])
    cells = poststratify(data, base, margins[0].variable, margins[0].targets)
    np.testing.assert_allclose(raked.weights, cells.weights, rtol=1e-12)
    y = np.sin(np.arange(len(data), dtype=float))
    design = make_design(data)
    assert (mean(raked.design(design), y).covariance[0, 0]
            == pytest.approx(mean(cells.design(design), y).covariance[0, 0],
                             rel=1e-9, abs=1e-15))


# --- refusals ------------------------------------------------------------------------------


def refusal(call) -> str:
    with pytest.raises(WeightingError) as error:
        call()
    return str(error.value)


def test_a_category_with_a_target_but_no_respondent_is_refused() -> None:
    data = survey_data()
    data = data[data["district"] != "Görlitz"]
    districts = Margin("district", {"Dresden": 98_000, "Leipzig": 10_000, "Görlitz": 12_000})
    assert refusal(lambda: rake(data, None, [districts])) == (
        "no respondent in district 'Görlitz' but the target is 12,000: merge it with a "
        "neighbour")


def test_respondents_in_a_category_without_a_target_are_refused() -> None:
    data = survey_data()
    data.loc[[0, 1], "district"] = "Meißen"
    data.loc[2, "district"] = "Bautzen"
    assert refusal(lambda: rake(data, None, [DISTRICTS])) == (
        "1 respondent in district 'Bautzen', which has no target (and 1 other category): add "
        "its population count or recode it into a category that has one")


def test_several_empty_categories_are_counted() -> None:
    data = survey_data()
    districts = Margin("district", {**DISTRICTS.targets, "Bautzen": 5, "Zwickau": 7, "Meißen": 1})
    assert refusal(lambda: rake(data, None, [districts])) == (
        "no respondent in district 'Bautzen' but the target is 5 (and 2 other categories): "
        "merge it with a neighbour")


def test_respondents_in_a_category_with_target_zero_are_refused() -> None:
    origins = Margin("origin", {"Syria": 45_000, "Ukraine": 75_000, "Vietnam": 0})
    assert refusal(lambda: rake(survey_data(), None, [origins])) == (
        "2 respondents in origin 'Vietnam' but the target is 0: drop them or correct the "
        "target")


def test_margins_with_different_totals_are_refused_with_both_totals() -> None:
    origins = Margin("origin", {"Syria": 45_000, "Ukraine": 61_500, "Vietnam": 15_000})
    assert refusal(lambda: rake(survey_data(), None, [DISTRICTS, origins])) == (
        "the margins disagree on the population total: district sums to 120,000 but origin "
        "sums to 121,500 (1.25% apart; at most 0.1% is allowed)")


def test_raking_that_cannot_converge_names_the_largest_gap() -> None:
    # Everyone from Syria lives in Dresden and everyone from Ukraine in Leipzig, but the
    # margins say otherwise: each sweep undoes the other margin.
    data = pd.DataFrame({"district": ["Dresden", "Dresden", "Leipzig", "Leipzig"],
                         "origin": ["Syria", "Syria", "Ukraine", "Ukraine"]})
    margins = [Margin("district", {"Dresden": 60, "Leipzig": 40}),
               Margin("origin", {"Syria": 40, "Ukraine": 60})]
    assert refusal(lambda: rake(data, None, margins)) == (
        "raking did not converge after 100 iterations: the largest remaining gap is in "
        "district 'Leipzig': weighted 60 against a target of 40 (50% off); look for "
        "categories of different margins that only occur together, or allow more iterations")


def test_trimming_that_cannot_hold_with_the_margins_is_refused() -> None:
    # Görlitz needs a weight of 60, six times the mean of 10, to reach its target.
    data = pd.DataFrame({"district": ["Dresden"] * 9 + ["Görlitz"]})
    margins = [Margin("district", {"Dresden": 40, "Görlitz": 60})]
    assert refusal(lambda: rake(data, None, margins, trim=(0.3, 3.0))) == (
        "weights cannot stay within 0.3 and 3 times the mean weight while matching the "
        "margins: after 100 iterations the largest remaining gap is in district 'Dresden': "
        "weighted 70 against a target of 40 (75% off); widen the bounds or merge small "
        "categories")


def test_missing_values_in_a_margin_variable_are_refused() -> None:
    data = survey_data()
    data.loc[[4, 9], "origin"] = None
    assert refusal(lambda: rake(data, None, [DISTRICTS, ORIGINS])) == (
        "origin is missing for 2 respondents (first in row 5): impute it or leave those rows "
        "out before weighting")
    assert refusal(lambda: poststratify(data, None, ["district", "origin"], {})) == (
        "origin is missing for 2 respondents (first in row 5): impute it or leave those rows "
        "out before weighting")


@pytest.mark.parametrize("value,message", [
    (0.0, "base weights must be positive numbers; row 3 has 0.0 (1 row in all)"),
    (-1.5, "base weights must be positive numbers; row 3 has -1.5 (1 row in all)"),
    (np.nan, "base weights must be positive numbers; row 3 has nan (1 row in all)"),
])
def test_bad_base_weights_are_refused_with_the_row(value: float, message: str) -> None:
    data = survey_data()
    data.loc[2, "weight"] = value
    assert refusal(lambda: rake(data, "weight", [DISTRICTS])) == message
    assert refusal(lambda: poststratify(data, "weight", "district", DISTRICTS.targets)) == (
        message)


@pytest.mark.parametrize("call,message", [
    (lambda d: rake(d, None, [Margin("region", {"A": 1})]),
     "the margin variable 'region' is not in the data"),
    (lambda d: rake(d, "w", [DISTRICTS]), "the base weight column 'w' is not in the data"),
    (lambda d: rake(d, np.ones(3), [DISTRICTS]), "there are 3 base weights for 14 rows of data"),
    (lambda d: rake(d, None, []), "raking needs at least one margin"),
    (lambda d: rake(d, None, [DISTRICTS, DISTRICTS]),
     "district has more than one margin; give one per variable"),
    (lambda d: rake(d, None, [Margin("district", {"Dresden": -5, "Leipzig": 9})]),
     "the target for district 'Dresden' is -5: targets must be population counts of 0 or "
     "more"),
    (lambda d: rake(d, None, [DISTRICTS], trim=(1.5, 3.0)),
     "trimming bounds must satisfy 0 <= lower <= 1 <= upper (as multiples of the mean "
     "weight); got 1.5 and 3"),
    (lambda d: rake(d.iloc[:0], None, [DISTRICTS]), "the data have no rows"),
    (lambda d: poststratify(d, None, "district", {"Dresden": 5, "Leipzig": 5}),
     "3 respondents in district 'Görlitz', which has no target: add its population count or "
     "recode it into a category that has one"),
    (lambda d: poststratify(d, None, ["district", "origin"],
                            {("Dresden", "Syria"): 1, ("Dresden", "Ukraine"): 1,
                             ("Dresden", "Vietnam"): 1, ("Leipzig", "Syria"): 1,
                             ("Leipzig", "Ukraine"): 1, ("Leipzig", "Vietnam"): 1,
                             ("Görlitz", "Syria"): 1, ("Görlitz", "Ukraine"): 1,
                             ("Görlitz", "Vietnam"): 1_500}),
     "no respondent in cell (district 'Görlitz', origin 'Vietnam') but the target is 1,500: "
     "merge it with a neighbour"),
])
def test_unusable_requests_are_refused(call, message: str) -> None:
    assert refusal(lambda: call(survey_data())) == message


def test_unusable_shares_bounds_weights_and_designs_are_refused() -> None:
    assert refusal(lambda: Margin.from_shares("origin", {"Syria": 37.5, "Ukraine": 62.5},
                                              1000)) == (
        "the shares for origin sum to 100, not 1; give them as fractions of the population "
        "(0.25 for 25%)")
    assert refusal(lambda: trim(np.ones(4), 0.3, 0.9)) == (
        "trimming bounds must satisfy 0 <= lower <= 1 <= upper (as multiples of the mean "
        "weight); got 0.3 and 0.9")
    assert refusal(lambda: diagnostics(np.array([1.0, 0.0]))) == (
        "weights must be positive numbers; row 2 has 0.0")
    data = survey_data()
    result = rake(data, None, [DISTRICTS])
    assert refusal(lambda: result.design(make_design(data.iloc[:10]))) == (
        "the design has 10 rows but there are 14 weights")
