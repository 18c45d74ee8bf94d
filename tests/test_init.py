"""survey init, and survey commands run inside a project without naming paths: the path of
an organisation starting its own survey, outside the toolkit's repository."""

import csv
import random

import pytest
from support import run

from survey.project import split_project_and_files

NEEDS = ["german", "work", "housing", "authorities", "health"]


def write_returns(path, rows: int) -> None:
    """Returns as a partner's CSV would hold them: variable names, choice names; each row
    different, so none is taken for a duplicate."""
    draw = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["consent", "area", "arrival_year", "needs", "used_counselling",
                      "counselling_rating", "comments"])
        for number in range(rows):
            used = draw.choice(["yes", "no"])
            out.writerow(["yes", draw.choice(["north", "centre", "south", "elsewhere"]),
                          draw.randint(1990, 2024), " ".join(draw.sample(NEEDS, 2)), used,
                          draw.choice(["ok", "good", "very_good"]) if used == "yes" else "",
                          f"Antwort {number}"])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A new project, worked on from inside as staff would: no paths named."""
    folder = tmp_path_factory.mktemp("organisation") / "our-survey"
    made = run("init", folder)
    assert made.exit_code == 0, made.output
    return folder


def test_init_makes_a_project_staff_can_start_from(project):
    assert (project / "questionnaires" / "our-survey.yaml").is_file()
    assert (project / "analysis" / "needs.yaml").is_file()
    readme = (project / "README.md").read_text(encoding="utf-8")
    for step in ("survey validate", "survey paper", "survey serve", "survey ingest",
                 "survey analyse", "survey report"):
        assert step in readme
    assert "report.css" in (project / "reports" / "README.md").read_text(encoding="utf-8")


def test_the_whole_path_runs_inside_the_project(project, monkeypatch):
    monkeypatch.chdir(project)
    validated = run("validate")
    assert validated.exit_code == 0, validated.output
    assert "2 languages" in validated.output
    printed = run("paper", "--lang", "de")
    assert printed.exit_code == 0, printed.output
    assert list((project / "paper").glob("our_survey-*-de.pdf"))
    write_returns(project / "returns.csv", 80)
    ingested = run("ingest", "returns.csv")
    assert ingested.exit_code == 0, ingested.output
    assert "80 were accepted" in ingested.output
    listed = run("imports")
    assert listed.exit_code == 0 and "returns.csv" in listed.output
    analysed = run("analyse")
    assert analysed.exit_code == 0, analysed.output
    assert (project / "results" / "results.csv").is_file()
    reported = run("report", "--format", "html,xlsx")
    assert reported.exit_code == 0, reported.output
    assert (project / "published" / "council-de" / "report.html").is_file()
    assert (project / "published" / "council-de" / "tables.xlsx").is_file()
    shown = run("show", "--lang", "en")
    assert shown.exit_code == 0 and "counselling" in shown.output


def test_init_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    outcome = run("init", tmp_path)
    assert outcome.exit_code == 1 and "not empty" in outcome.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_into_a_file_is_refused(tmp_path):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    outcome = run("init", tmp_path / "taken")
    assert outcome.exit_code == 1 and "is a file" in outcome.output


@pytest.mark.parametrize("args", [["analyse"], ["report"], ["imports"], ["export", "--format",
                                  "csv"], ["ingest", "returns.csv"], ["rollback", "1"],
                                  ["paper"], ["validate"]])
def test_outside_a_project_the_message_says_what_to_do(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "returns.csv").write_text("a\n1\n", encoding="utf-8")
    outcome = run(*args)
    assert outcome.exit_code == 2
    assert "not a survey project" in outcome.output and "survey init DIR" in outcome.output


def test_first_argument_is_the_project_only_when_it_is_a_folder(project, tmp_path,
                                                                monkeypatch):
    data = tmp_path / "a.csv"
    data.write_text("x\n", encoding="utf-8")
    assert split_project_and_files([str(project), str(data)], "") == (project, [data])
    monkeypatch.chdir(project)
    assert split_project_and_files([str(data)], "")[1] == [data]
    outcome = run("ingest", project)
    assert outcome.exit_code == 2 and "name the files to read after it" in outcome.output
    outcome = run("ingest", "missing.csv")
    assert outcome.exit_code == 2 and "missing.csv: no such file" in outcome.output


def test_rollback_takes_the_project_before_the_batch(project, monkeypatch):
    monkeypatch.chdir(project.parent)
    outcome = run("rollback", project.name, "99")
    assert outcome.exit_code == 1 and "99" in outcome.output
    outcome = run("rollback", project.name, "one")
    assert outcome.exit_code == 2 and "not a batch number" in outcome.output


def test_a_project_with_two_plans_asks_for_one(project, monkeypatch):
    monkeypatch.chdir(project)
    plan = (project / "analysis" / "needs.yaml").read_text(encoding="utf-8")
    (project / "analysis" / "second.yaml").write_text(plan, encoding="utf-8")
    try:
        outcome = run("analyse")
    finally:
        (project / "analysis" / "second.yaml").unlink()
    assert outcome.exit_code == 2 and "choose one with --plan" in outcome.output
