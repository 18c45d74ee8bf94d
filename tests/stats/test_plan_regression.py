"""Regression indicators in an analysis plan (a project made with `survey init`): the results
table carries odds ratios with their intervals and p-values, the same as the notebook's
`Design.glm` (itself compared with R's svyglm in test_r_regression.py); a plan that asks for
what cannot be modelled is refused at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from starter_project import MODEL, starter_project, with_indicator
from support import run

from survey.stats import Design


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = starter_project(tmp_path_factory.mktemp("regression") / "project")
    with_indicator(root, MODEL)
    analysed = run("analyse", root, "--out", root / "results")
    assert analysed.exit_code == 0, analysed.output
    return root


def test_odds_ratios_are_in_the_results_table(project) -> None:
    results = pd.read_csv(project / "results" / "results.csv")
    rows = results[results["indicator"] == "counselling_model"].set_index("category")
    assert list(rows.index) == ["areacentre", "areasouth", "areaelsewhere", "arrival_year"]
    assert set(rows["kind"]) == {"regression"}
    assert rows.loc["areacentre", "category_label"].endswith(" – Zentrum")
    d = Design.from_project(project)
    used = (d.data["used_counselling"] == "yes").astype(float).where(
        d.data["used_counselling"].notna())
    model = d.assign(used=used).glm("used ~ area + arrival_year", family="binomial")
    odds = model.odds_ratios()
    for name in rows.index:
        assert rows.loc[name, "estimate"] == pytest.approx(odds.loc[name, "odds_ratio"],
                                                           rel=1e-10)
        assert rows.loc[name, "ci_low"] == pytest.approx(odds.loc[name, "low"], rel=1e-10)
        k = model.names.index(name)
        assert rows.loc[name, "p_value"] == pytest.approx(model.p_values[k], rel=1e-10)
    assert rows.loc["arrival_year", "estimate"] > 1  # newer arrivals use counselling more
    assert rows.loc["arrival_year", "p_value"] < 0.05
    assert rows["base_n"].nunique() == 1
    assert rows.loc["areacentre", "unweighted_n"] < rows.loc["arrival_year", "unweighted_n"]
    others = results[results["kind"] != "regression"]
    assert others["p_value"].isna().all()


@pytest.mark.parametrize("text, message", [
    ("""
  - id: m
    kind: regression
    formula: used_counselling ~ area
""", r"needs 'event'.*one of yes, no"),
    ("""
  - id: m
    kind: regression
    formula: used_counselling ~ area + comments
    event: "yes"
""", r"predictor needs categories or numbers, but 'comments' is free text"),
    ("""
  - id: m
    kind: regression
    formula: used_counselling ~ aera
    event: "yes"
""", r"unknown variable 'aera'.*area"),
    ("""
  - id: m
    kind: regression
    formula: used_counselling ~ log(arrival_year)
    event: "yes"
""", r"must read 'outcome ~ a \+ b'"),
    ("""
  - id: m
    kind: regression
    formula: arrival_year ~ area
    family: binomial
""", r"outcome of a binomial model needs categories.*'arrival_year' is a number"),
    ("""
  - id: m
    kind: regression
    formula: used_counselling ~ area
    event: "yes"
    breakdowns: [area]
""", r"estimated for all respondents"),
])
def test_a_model_the_plan_cannot_fit_is_refused_at_its_line(tmp_path, text, message) -> None:
    root = starter_project(tmp_path / "project")
    plan = with_indicator(root, text)
    line = plan.read_text(encoding="utf-8").splitlines().index("  - id: m") + 1
    outcome = run("analyse", root, "--out", root / "results")
    assert outcome.exit_code != 0
    assert "Traceback" not in outcome.output
    found = " ".join(outcome.output.split())
    assert any(f"needs.yaml:{line + k}:" in found for k in range(6)), found
    assert re.search(message, found), found
