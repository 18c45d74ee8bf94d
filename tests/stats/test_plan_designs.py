"""The plan's design block and weighting with what survey.stats offers beyond raking (a project
made with `survey init`): replicate weights, two stages of clusters, and calibration; the
figures are those of the notebook Design built the same way (whose parts are compared with R
in test_r_replicates, test_against_r and test_r_calibrate), and a plan asking for what cannot
be done is refused at its line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from starter_project import starter_project
from support import run

from survey.stats import Design

MARGINS = """source: counts for the tests
population: 10000
margins:
  - variables: [area]
    counts: {north: 4500, centre: 2500, south: 2000, elsewhere: 1000}
"""


def with_section(root: Path, text: str) -> Path:
    plan = root / "analysis" / "needs.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "\nbreakdowns:", f"\n{text}\nbreakdowns:", 1), encoding="utf-8")
    (root / "analysis" / "margins.yaml").write_text(MARGINS, encoding="utf-8")
    return plan


def shares(root: Path) -> pd.DataFrame:
    results = pd.read_csv(root / "results" / "results.csv")
    return results[(results["indicator"] == "used_counselling")
                   & (results["breakdown"] == "total")].set_index("category")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Design:
    root = starter_project(tmp_path_factory.mktemp("plain") / "project")
    return Design.from_project(root)


def analysed(root: Path, section: str) -> Path:
    with_section(root, section)
    done = run("analyse", root, "--out", root / "results")
    assert done.exit_code == 0, done.output
    return root


def test_replicate_weights_from_the_design_block(tmp_path, plain) -> None:
    root = analysed(starter_project(tmp_path / "p"), "design:\n  strata: area\n"
                    "  replicates: {kind: JKn}")
    found = shares(root)
    notebook = Design(plain.data, weights="weight", strata="area",
                      labels=plain.labels).replicate("JKn")
    expected = notebook.proportion("used_counselling").to_frame()
    for category, label in (("yes", "Ja"), ("no", "Nein")):
        row = expected.loc[("used_counselling", label)]
        assert found.loc[category, "se"] == pytest.approx(row["SE"], rel=1e-12)
        assert found.loc[category, "ci_low"] == pytest.approx(row["2.5 %"], rel=1e-12)
    replicates = Design.from_project(root).sample.replicates
    assert replicates is not None and replicates.kind == "JKn"
    assert "JKn replicate weights" in (root / "results" / "diagnostics.md").read_text("utf-8")


def test_two_stages_of_clusters(tmp_path, plain) -> None:
    root = analysed(starter_project(tmp_path / "p"), "design:\n  cluster: [area, arrival_year]")
    found = shares(root)
    notebook = Design(plain.data, weights="weight", cluster=["area", "arrival_year"],
                      labels=plain.labels, nest=True).proportion("used_counselling")
    assert found.loc["yes", "se"] == pytest.approx(notebook.se.iloc[0], rel=1e-12)


@pytest.mark.parametrize("calfun, bounds", [("linear", None), ("logit", (0.5, 2.5))])
def test_calibration_in_the_weighting_block(tmp_path, plain, calfun, bounds) -> None:
    extra = f"\n  bounds: {{lower: {bounds[0]}, upper: {bounds[1]}}}" if bounds else ""
    root = analysed(starter_project(tmp_path / "p"), "weighting:\n  method: calibrate\n"
                    f"  margins: margins.yaml\n  calfun: {calfun}{extra}")
    weights = pd.read_csv(root / "results" / "weights.csv")["weight"].to_numpy()
    targets = {"north": 4500.0, "centre": 2500.0, "south": 2000.0, "elsewhere": 1000.0}
    options = {"bounds": bounds} if bounds else {}
    notebook = Design(plain.data, labels=plain.labels).calibrate({"area": targets},
                                                                 calfun=calfun, **options)
    np.testing.assert_allclose(weights, notebook.sample.weights, rtol=1e-9)
    found = shares(root)
    expected = notebook.proportion("used_counselling")
    assert found.loc["yes", "se"] == pytest.approx(expected.se.iloc[0], rel=1e-9)
    assert weights.sum() == pytest.approx(10000)


@pytest.mark.parametrize("section, message", [
    ("design:\n  replicates: {kind: JK2}", r"kind of replicates must be one of JK1, JKn"),
    ("design:\n  replicates: {kind: JKn, replicates: 80}", r"applies to kind bootstrap"),
    ("design:\n  cluster: [area, arrival_year, used_counselling]", r"at most two stages"),
    ("weighting:\n  method: rake\n  margins: margins.yaml\n  calfun: linear",
     r"'calfun' only applies to method: calibrate"),
    ("weighting:\n  method: calibrate\n  margins: margins.yaml\n  calfun: logit",
     r"calfun: logit needs bounds"),
    ("weighting:\n  method: calibrate\n  margins: margins.yaml\n"
     "design:\n  replicates: {kind: JKn}", r"weighted replicates are not supported"),
    ("weighting:\n  method: calibrate\n  margins: margins.yaml\n  calfun: linear\n"
     "  bounds: {lower: 0.99, upper: 1.01}", r"upper bound is 1.01: widen the bounds"),
])
def test_a_design_the_plan_cannot_use_is_refused(tmp_path, section, message) -> None:
    root = starter_project(tmp_path / "p")
    with_section(root, section)
    done = run("analyse", root, "--out", root / "results")
    assert done.exit_code != 0
    text = " ".join(done.output.split())
    assert "Traceback" not in text
    assert re.search(r"needs\.yaml:\d+:\d+", text), text
    assert re.search(message, text), text


def test_a_group_in_a_single_psu_has_no_standard_error_and_no_test(tmp_path) -> None:
    """Every area is one PSU: its share stands, but with no standard error, no interval, no
    banner letters, and a flag saying why (zero variance would claim significance)."""
    root = analysed(starter_project(tmp_path / "p"), "design:\n  cluster: area")
    results = pd.read_csv(root / "results" / "results.csv", dtype={"letters": str})
    groups = results[(results["indicator"] == "used_counselling")
                     & (results["breakdown"] == "area")]
    assert len(groups) == 8 and groups["estimate"].notna().all()
    assert groups[["se", "ci_low", "ci_high"]].isna().all().all()
    assert groups["letters"].isna().all()
    assert (groups["flags"] == "not_computable").all()
    whole = shares(root)
    assert whole["se"].notna().all() and (whole["se"] > 0).all()


def test_linear_calibration_to_weights_below_zero_asks_for_bounds(tmp_path) -> None:
    root = starter_project(tmp_path / "p")
    with_section(root, "weighting:\n  method: calibrate\n  margins: margins.yaml\n"
                 "  calfun: linear")
    (root / "analysis" / "margins.yaml").write_text(
        "source: counts for the tests\npopulation: 10000\nmargins:\n  - variables: [area]\n"
        "    counts: {north: 9700, centre: 100, south: 100, elsewhere: 100}\n"
        "  - variables: [used_counselling]\n    counts: {\"yes\": 200, \"no\": 9800}\n",
        encoding="utf-8")
    done = run("analyse", root, "--out", root / "results")
    text = " ".join(done.output.split())
    assert done.exit_code != 0 and "Traceback" not in text
    assert re.search(r"needs\.yaml:\d+:\d+.*weight of zero or below.*give bounds", text), text


def test_a_plan_with_a_syntax_error_is_named_where_it_breaks(tmp_path) -> None:
    """The project's only plan with a YAML error: the message is the error at its line, not
    "no analysis plan" (a plan that cannot be read still is the plan)."""
    root = starter_project(tmp_path / "p")
    plan = root / "analysis" / "needs.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "  - broken: [\n", encoding="utf-8")
    done = run("analyse", root)
    text = " ".join(done.output.split())
    assert done.exit_code != 0 and "Traceback" not in text
    assert re.search(r"needs\.yaml:\d+:\d+: error: YAML syntax error", text), text
    assert "no analysis plan" not in text
