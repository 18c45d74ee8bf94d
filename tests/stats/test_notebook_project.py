"""A project's responses as a notebook Design: the plan's respondents, weights and labels, and
the same figures `survey analyse` writes to the results table (a project made with
`survey init`, not the flagship)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from starter_project import RATINGS, starter_project
from support import run

from survey.project import ProjectError
from survey.stats import Design


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = starter_project(tmp_path_factory.mktemp("notebook") / "project")
    analysed = run("analyse", root, "--out", root / "results")
    assert analysed.exit_code == 0, analysed.output
    return root


def test_categories_carry_the_questionnaires_labels_in_code_order(project) -> None:
    d = Design.from_project(project)
    assert len(d) == 400
    shares = d.proportion("area")
    assert [c for _, c in shares.index] == ["Nord", "Zentrum", "Süd", "Woanders"]
    by_area = d.mean("needs__housing", by="area")
    assert [g for g, _ in by_area.index] == ["Nord", "Zentrum", "Süd", "Woanders"]
    assert d.data["needs__housing"].dropna().isin([0, 1]).all()  # NaN: nothing ticked


def test_figures_are_those_of_the_results_table(project) -> None:
    d = Design.from_project(project)
    results = pd.read_csv(project / "results" / "results.csv")
    rows = results[(results["indicator"] == "counselling_rating")
                   & (results["breakdown"] == "area")].dropna(subset=["estimate"])
    assert len(rows) > 5
    found = d.proportion("counselling_rating", by="area").to_frame()
    labels = d.labels
    for row in rows.itertuples():
        key = (labels["area"][row.group], "counselling_rating",
               labels["counselling_rating"][RATINGS.index(row.category) + 1.0])
        assert found.loc[key, "proportion"] == pytest.approx(row.estimate, rel=1e-12)
        assert found.loc[key, "SE"] == pytest.approx(row.se, rel=1e-12)
        assert found.loc[key, "2.5 %"] == pytest.approx(row.ci_low, rel=1e-12)


def test_a_project_without_responses_says_so(tmp_path) -> None:
    root = tmp_path / "empty"
    assert run("init", root).exit_code == 0
    with pytest.raises(ProjectError, match=r"no accepted responses.*survey ingest"):
        Design.from_project(root)


def test_a_project_design_subsets_like_any_design(project) -> None:
    d = Design.from_project(project)
    north = d.subset(d.data["area"] == "north")
    whole = d.mean("arrival_year", by="area").coef.iloc[0]
    assert north.mean("arrival_year").coef.iloc[0] == pytest.approx(whole, rel=1e-12)
    assert np.isfinite(north.mean("arrival_year").se.iloc[0])
