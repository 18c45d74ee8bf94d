"""Bad input to svyglm and svyolr: each refused with ModelError naming the variable, never a
numpy traceback or a silent NaN; and the result's table, frame and notes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survey.stats.design import make_design
from survey.stats.estimate import EstimateError
from survey.stats.model_frame import ModelError
from survey.stats.ordinal import svyolr
from survey.stats.regression import svyglm


@pytest.fixture
def data() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 120
    frame = pd.DataFrame({
        "psu": np.repeat(np.arange(12), 10), "stratum": np.repeat(np.arange(3), 40),
        "w": rng.uniform(1, 3, n), "age": rng.normal(40, 10, n),
        "region": rng.choice(["north", "south", "east"], n),
        "comment": [f"free text {i}" for i in range(n)]})
    frame["income"] = 1000 + 20 * frame["age"] + rng.normal(0, 100, n)
    frame["employed"] = (rng.random(n) < 1 / (1 + np.exp(-(frame["age"] - 40) / 10))).astype(int)
    frame["rating"] = pd.Categorical(rng.choice(["low", "mid", "high"], n),
                                     categories=["low", "mid", "high"], ordered=True)
    return frame


def design(data: pd.DataFrame):
    return make_design(data, "w", "stratum", "psu")


def test_model_error_is_an_estimate_error() -> None:
    assert issubclass(ModelError, EstimateError) and issubclass(ModelError, ValueError)


def test_unknown_column_is_named(data: pd.DataFrame) -> None:
    with pytest.raises(ModelError, match="'agee'"):
        svyglm(design(data), data, "income ~ agee + region")


def test_free_text_predictor_is_refused(data: pd.DataFrame) -> None:
    with pytest.raises(ModelError, match="'comment' is free text"):
        svyglm(design(data), data, "income ~ age + comment")


def test_numbers_typed_as_text_are_refused(data: pd.DataFrame) -> None:
    data["years"] = data["age"].round(1).astype(str)
    data.loc[3, "years"] = "forty"
    with pytest.raises(ModelError, match=r"'years' holds text where a number is expected.*forty"):
        svyglm(design(data), data, "income ~ years")


def test_collinear_columns_are_named(data: pd.DataFrame) -> None:
    data["age_months"] = data["age"] * 12
    with pytest.raises(ModelError, match=r"singular.*'age'.*'age_months'"):
        svyglm(design(data), data, "income ~ age + age_months + region")


def test_level_separation_is_named(data: pd.DataFrame) -> None:
    data.loc[data["region"] == "south", "employed"] = 1
    with pytest.raises(ModelError, match="separation by level 'south' of 'region'"):
        svyglm(design(data), data, "employed ~ age + region", "binomial")


def test_complete_separation_by_a_number_is_named(data: pd.DataFrame) -> None:
    data["employed"] = (data["age"] > 40).astype(int)
    with pytest.raises(ModelError, match="separation by 'age'"):
        svyglm(design(data), data, "employed ~ age", "quasibinomial")


def test_logistic_outcome_must_be_zero_or_one(data: pd.DataFrame) -> None:
    with pytest.raises(ModelError, match="outcome 'income' of a logistic model must be 0 or 1"):
        svyglm(design(data), data, "income ~ age", "binomial")
    with pytest.raises(ModelError, match=r"outcome 'region' .* must have two values"):
        svyglm(design(data), data, "region ~ age", "binomial")


def test_empty_level_is_dropped_with_a_note(data: pd.DataFrame) -> None:
    fit = svyglm(design(data), data, "income ~ age + region",
                 levels={"region": ["east", "north", "south", "west"]})
    assert fit.names == ("(Intercept)", "age", "regionnorth", "regionsouth")
    assert any("'west' of 'region'" in note for note in fit.notes)
    assert "Note: level 'west'" in str(fit)


def test_single_level_in_a_domain_is_refused(data: pd.DataFrame) -> None:
    with pytest.raises(ModelError, match="'region' has a single level"):
        svyglm(design(data), data, "income ~ age + region",
               domain=(data["region"] == "north").to_numpy())


def test_domain_in_one_psu_is_refused(data: pd.DataFrame) -> None:
    with pytest.raises(ModelError, match="single PSU"):
        svyglm(design(data), data, "income ~ age", domain=(data["psu"] == 4).to_numpy())


def test_fewer_rows_than_coefficients(data: pd.DataFrame) -> None:
    data.loc[~data.index.isin([0, 10, 20]), "age"] = np.nan  # three rows in three PSUs
    with pytest.raises(ModelError, match="4 coefficients but only 3 rows"):
        svyglm(design(data), data, "income ~ age + w + psu")


def test_too_few_degrees_of_freedom(data: pd.DataFrame) -> None:
    few = make_design(data, "w", None, "stratum")  # 3 PSUs: 2 degrees of freedom
    with pytest.raises(ModelError, match="only 2 degrees of freedom"):
        svyglm(few, data, "income ~ age + region")


def test_unknown_wald_term_and_odds_ratios_of_a_linear_model(data: pd.DataFrame) -> None:
    fit = svyglm(design(data), data, "income ~ age + region")
    with pytest.raises(ModelError, match="no term 'sex'"):
        fit.wald_test(["sex"])
    with pytest.raises(ModelError, match="odds ratios belong to a logistic model"):
        fit.odds_ratios()


def test_missing_values_leave_rows_out(data: pd.DataFrame) -> None:
    data.loc[:9, "age"] = np.nan
    fit = svyglm(design(data), data, "income ~ age")
    assert fit.unweighted_n == 110


def test_result_frame_and_table(data: pd.DataFrame) -> None:
    fit = svyglm(design(data), data, "employed ~ age + region", "quasibinomial")
    frame = fit.to_frame()
    assert list(frame.columns) == ["estimate", "se", "t", "p", "ci_low", "ci_high"]
    assert list(frame.index) == ["(Intercept)", "age", "regionnorth", "regionsouth"]
    text = str(fit)
    assert "Estimate" in text and "Pr(>|t|)" in text and "regionsouth" in text
    assert fit.wald_test(["region"]).df == 2


def test_ordinal_rating_needs_three_levels(data: pd.DataFrame) -> None:
    with pytest.raises(ModelError, match="rating 'employed' has 2 levels"):
        svyolr(design(data), data, "employed ~ age")
    data["rating"] = data["rating"].cat.add_categories(["top"])
    with pytest.raises(ModelError, match="level 'top' of the rating 'rating' has no case"):
        svyolr(design(data), data, "rating ~ age")


def test_ordinal_fit_prints_cut_points(data: pd.DataFrame) -> None:
    fit = svyolr(design(data), data, "rating ~ age + region")
    assert fit.names[-2:] == ("low|mid", "mid|high")
    assert "low|mid" in str(fit) and len(fit.to_frame()) == 5
