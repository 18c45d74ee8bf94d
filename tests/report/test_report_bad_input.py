"""Bad input gets a message saying what to do and a non-zero exit: results missing or stale,
a language without texts, an unknown format; a chart with every figure suppressed becomes a
note; the PDF renderer fetches nothing but the report's own files."""

import shutil

import pandas as pd
import pytest
from html_pages import read_page
from report_project import PLAN
from support import run

from survey.report.pdf import write_pdf


def report(project, *args):
    return run("report", project, "--plan", project / PLAN, *args)


def test_missing_results_name_the_command_to_run(project, tmp_path):
    outcome = report(project, "--results", tmp_path / "nothing", "--out", tmp_path / "out")
    assert outcome.exit_code == 1
    assert "survey analyse" in outcome.output and "--plan" in outcome.output
    assert not (tmp_path / "out").exists()


def test_results_of_an_older_plan_are_stale(project, tmp_path):
    changed = tmp_path / "project"
    shutil.copytree(project / "questionnaires", changed / "questionnaires")
    shutil.copytree(project / "analysis", changed / "analysis")
    shutil.copytree(project / "results", changed / "results")
    plan = changed / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace("low_base: 30", "low_base: 40"),
                    encoding="utf-8")
    outcome = run("report", changed, "--plan", plan, "--format", "html")
    assert outcome.exit_code == 1
    assert "stale" in outcome.output and "survey analyse" in outcome.output


def test_results_older_than_the_store_are_stale(project, tmp_path):
    store = tmp_path / "store.sqlite"
    shutil.copyfile(project / "data" / "store.sqlite", store)
    assert run("rollback", project, "6", "--yes", "--db", f"sqlite:///{store}").exit_code == 0
    outcome = report(project, "--db", f"sqlite:///{store}", "--format", "html",
                     "--out", tmp_path / "out")
    assert outcome.exit_code == 1
    assert "store changed" in outcome.output and f"--db sqlite:///{store}" in outcome.output


@pytest.mark.parametrize("option, value, message", [
    ("--lang", "fr", "no report texts in 'fr'"),
    ("--lang", "de-x-easy", "reports are written in a language itself: use --lang de"),
    ("--format", "html,docx", "unknown report format docx"),
])
def test_bad_options_are_explained(project, tmp_path, option, value, message):
    outcome = report(project, option, value, "--out", tmp_path / "out")
    assert outcome.exit_code == 1
    assert message in outcome.output


def test_a_chart_with_every_figure_suppressed_is_a_note(project, tmp_path):
    """Results in which one area has no published figure: its chart is a note, not an axis."""
    copy = tmp_path / "results"
    shutil.copytree(project / "results", copy)
    table = pd.read_csv(copy / "results.csv", dtype=str, keep_default_na=False)
    chemnitz = (table["breakdown"] == "district_group") & (table["group"] == "chemnitz")
    for column in ("estimate", "se", "ci_low", "ci_high", "unweighted_n", "weighted_n",
                   "base_n", "letters", "rank", "quadrant"):
        table.loc[chemnitz, column] = ""
    table.loc[chemnitz, "flags"] = "suppressed"
    table.to_csv(copy / "results.csv", index=False)
    outcome = report(project, "--results", copy, "--format", "html", "--out", tmp_path / "out")
    assert outcome.exit_code == 0, outcome.output
    page = read_page(tmp_path / "out" / "one-pagers.html")
    text = " ".join(page.text)
    assert "Zu wenige Befragte in Chemnitz" in text
    assert not any("chemnitz" in a.get("src", "") for t, a in page.tags if t == "img")
    assert not any("|district_group|chemnitz|" in ref for ref, _ in page.figures)


def test_pdf_renderer_fetches_only_the_reports_own_files(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "report.css").write_text("body { color: black }", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="assets/report.css">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body>'
        '<img src="http://127.0.0.1:9/leak.png"><img src="secret.txt">'
        '<img src="file:///etc/hostname"><img src="../../etc/passwd"></body></html>',
        encoding="utf-8")
    refused = write_pdf(page, tmp_path / "page.pdf")
    assert (tmp_path / "page.pdf").stat().st_size > 0
    assert len(refused) == 5
    assert not any("report.css" in url for url in refused)
