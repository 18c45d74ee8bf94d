"""calibrate(): impossible targets and bad input are refused with a message naming the variable
(agreement with R on good input is in test_r_calibrate.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survey.stats.calibrate import calibrate
from survey.stats.design import make_design
from survey.stats.weighting import WeightingError


@pytest.fixture
def data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 60
    return pd.DataFrame({"w": rng.uniform(5, 15, n), "age": rng.uniform(18, 80, n),
                         "sex": rng.choice(["f", "m"], n), "region": rng.choice(["n", "s"], n),
                         "psu": np.repeat(np.arange(12), 5)})


def _population(data: pd.DataFrame, scale: float = 1.0) -> dict[str, object]:
    w = data["w"]
    return {"sex": {"f": w[data["sex"] == "f"].sum() * scale,
                    "m": w[data["sex"] == "m"].sum() * scale},
            "age": float((w * data["age"]).sum()) * scale}


def _run(data: pd.DataFrame, population: dict[str, object], **options: object):
    return calibrate(make_design(data, weights="w"), data, population, **options)


def test_good_input_meets_the_targets(data: pd.DataFrame) -> None:
    population = _population(data, 1.1)
    result = _run(data, population, calfun="raking")
    w = result.weights
    assert np.isclose((w * data["age"]).sum(), population["age"], rtol=1e-7)
    assert np.isclose(w[data["sex"] == "f"].sum(), population["sex"]["f"], rtol=1e-7)
    assert result.columns == ("(Intercept)", "sexm", "age")


def test_target_beyond_the_upper_bound_names_the_variable_and_the_factor(data) -> None:
    population = _population(data)
    population["age"] = float((data["w"] * data["age"]).sum()) * 4.2
    with pytest.raises(WeightingError, match=r"total of 'age' .* 4\.2 times .* upper bound is 3"):
        _run(data, population, calfun="linear", bounds=(0.5, 3))


def test_count_below_the_lower_bound_names_the_category(data) -> None:
    population = _population(data)
    population["sex"]["m"] *= 0.2
    with pytest.raises(WeightingError, match=r"sex 'm' .* lower bound is 0\.5"):
        _run(data, population, calfun="raking", bounds=(0.5, 2))


def test_bounds_on_the_weights_themselves(data) -> None:
    with pytest.raises(WeightingError, match="reachable"):
        _run(data, _population(data, 3.0), calfun="linear", bounds=(1, 20),
             bounds_on_weights=True)


def test_non_convergence_says_where_the_gap_is(data) -> None:
    with pytest.raises(WeightingError, match=r"did not converge after 2 iterations.*'age'|sex"):
        _run(data, _population(data, 1.3), calfun="logit", bounds=(0.5, 2.5),
             max_iterations=2, tolerance=1e-14)


def test_target_for_a_level_without_respondents(data) -> None:
    population = _population(data)
    population["sex"]["x"] = 50.0
    with pytest.raises(WeightingError, match="no respondent in sex 'x'"):
        _run(data, population)


def test_a_level_with_a_zero_target_and_no_respondents_is_dropped(data) -> None:
    population = _population(data)
    population["sex"]["x"] = 0.0
    assert _run(data, population).columns == ("(Intercept)", "sexm", "age")


def test_respondents_in_a_level_without_a_target(data) -> None:
    population = _population(data)
    del population["sex"]["m"]
    with pytest.raises(WeightingError, match="in sex 'm', which has no target"):
        _run(data, population)


def test_missing_values_in_a_calibration_variable(data) -> None:
    data.loc[3, "age"] = np.nan
    with pytest.raises(WeightingError, match=r"age is missing for 1 respondent \(first in row 4"):
        _run(data, _population(data.fillna(0)))


def test_population_sizes_that_disagree(data) -> None:
    population = _population(data)
    population["region"] = {"n": 100.0, "s": 100.0}
    with pytest.raises(WeightingError, match="disagree on the population size: sex sums to"):
        _run(data, population)


def test_size_that_disagrees_with_a_margin(data) -> None:
    with pytest.raises(WeightingError, match="disagree on the population size"):
        _run(data, _population(data), size=10.0)


def test_unknown_variable(data) -> None:
    with pytest.raises(WeightingError, match="calibration variable 'income' is not in the data"):
        _run(data, {**_population(data), "income": 5.0})


def test_negative_totals(data) -> None:
    population = _population(data)
    population["sex"]["f"] = -3.0
    with pytest.raises(WeightingError, match="sex 'f' is -3"):
        _run(data, population)
    population = _population(data)
    population["age"] = -10.0
    with pytest.raises(WeightingError, match="total of 'age' is -10 but age is never negative"):
        _run(data, population)
    with pytest.raises(WeightingError, match="population size must be a positive number"):
        _run(data, {"age": 10.0}, size=-5.0)


def test_numeric_variables_alone_need_the_population_size(data) -> None:
    with pytest.raises(WeightingError, match="size="):
        _run(data, {"age": 1000.0})


def test_a_number_for_a_text_variable(data) -> None:
    with pytest.raises(WeightingError, match="'sex' holds categories"):
        _run(data, {"sex": 100.0}, size=500.0)


def test_unknown_calfun_and_bad_bounds(data) -> None:
    with pytest.raises(WeightingError, match="'linear', 'raking' or 'logit'"):
        _run(data, _population(data), calfun="probit")
    with pytest.raises(WeightingError, match="logit calibration needs finite bounds"):
        _run(data, _population(data), calfun="logit")
    with pytest.raises(WeightingError, match="bounds must satisfy"):
        _run(data, _population(data), bounds=(2, 3))


def test_per_psu_needs_constant_weights_within_a_psu(data) -> None:
    design = make_design(data, weights="w", cluster="psu")
    with pytest.raises(WeightingError, match=r"same base weight .* PSU"):
        calibrate(design, data, _population(data), per_psu=True)


def test_already_calibrated_and_mismatched_designs(data) -> None:
    once = _run(data, _population(data))
    with pytest.raises(WeightingError, match="already calibrated"):
        calibrate(once.design, data, _population(data))
    with pytest.raises(WeightingError, match=r"60 rows .* 59"):
        calibrate(make_design(data, weights="w"), data.iloc[:59], _population(data))
