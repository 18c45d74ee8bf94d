"""`survey analyse` on the imported sample returns: the results table a council would see."""

import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook
from support import ROOT, SAMPLE, copy_flagship, run

MIN_CELL = 10  # the flagship's privacy notice promises groups of at least ten


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "questionnaires").mkdir()
    copy_flagship(root / "questionnaires")
    shutil.copytree(ROOT / "analysis", root / "analysis")
    assert run("ingest", root, *SAMPLE).exit_code == 3  # the samples plant faulty rows
    return root


@pytest.fixture(scope="module")
def results(project):
    outcome = run("analyse", project, "--plan", project / "analysis" / "needs-assessment.yaml",
                  "--out", project / "results")
    assert outcome.exit_code == 0, outcome.output
    assert "analysed 1468 accepted responses" in outcome.output
    return pd.read_csv(project / "results" / "results.csv")


def test_suppressed_cells_are_blank_and_flagged(results):
    flags = results["flags"].fillna("")
    suppressed = results[flags.str.contains("suppressed")]
    assert len(suppressed) > 0
    assert suppressed[["estimate", "se", "ci_low", "ci_high", "unweighted_n"]].isna().all().all()


def test_no_published_cell_rests_on_fewer_than_the_threshold(results):
    published = results[results["estimate"].notna()]
    assert published["base_n"].min() >= MIN_CELL
    counts = published["unweighted_n"]
    assert not ((counts > 0) & (counts < MIN_CELL)).any()


def test_no_blank_figure_without_a_reason(results):
    blank = results["estimate"].isna()
    assert (results.loc[blank, "flags"].fillna("") != "").all()


def test_outputs_open_and_agree(project, results):
    book = load_workbook(project / "results" / "results.xlsx", read_only=True)
    assert book["results"].max_row == len(results) + 1
    weights = pd.read_csv(project / "results" / "weights.csv")
    assert len(weights) == 1468
    assert weights["weight"].sum() == pytest.approx(330_000)
    assert "ILLUSTRATIVE" in (project / "results" / "diagnostics.md").read_text(encoding="utf-8")


def test_plan_with_an_unknown_variable_exits_1_with_its_place(project, tmp_path):
    plan = (project / "analysis" / "needs-assessment.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "plan.yaml"
    broken.write_text(plan.replace("variable: insurance", "variable: insurence"),
                      encoding="utf-8")
    shutil.copy(project / "analysis" / "saxony-margins.yaml", tmp_path)
    outcome = run("analyse", project, "--plan", broken, "--out", tmp_path / "out")
    assert outcome.exit_code == 1
    assert "plan.yaml:" in outcome.output and "insurence" in outcome.output
    assert not (tmp_path / "out").exists()


def test_empty_store_is_explained(tmp_path):
    (tmp_path / "questionnaires").mkdir()
    copy_flagship(tmp_path / "questionnaires")
    outcome = run("analyse", tmp_path, "--plan", ROOT / "analysis" / "needs-assessment.yaml")
    assert outcome.exit_code == 1
    assert "no accepted responses" in outcome.output and "survey ingest" in outcome.output
