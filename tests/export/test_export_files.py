"""`survey export`: the files an SPSS, Stata, R or Excel user opens, read back for real."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pyreadstat
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from survey.cli import cli
from survey.export.spss import VALUE_LABEL, VARIABLE_LABEL
from survey.questionnaire import load_questionnaire
from tests.export.projects import LONG_AR, make_project


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("export") / "project")


@pytest.fixture(scope="module")
def questionnaire(project):
    return load_questionnaire(project / "questionnaires" / "small.yaml")


@pytest.fixture(scope="module")
def exported(project):
    """Every format, in Arabic, written once for the module."""
    out = project / "out"
    for file_format in ("sav", "zsav", "dta", "csv", "xlsx"):
        outcome = run("export", project, "--format", file_format, "--lang", "ar", "--out", out)
        assert outcome.exit_code == 0, outcome.output
    return out


def _expected_labels(questionnaire, language="ar"):
    """Variable -> {code: label} for answers and missing values, from the questionnaire."""
    expected = {}
    for variable in questionnaire.variables:
        codes = {c: t.get(language) for c, t in variable.value_labels}
        codes.update({m.code: m.label.get(language) for m in variable.missing})
        if codes and not variable.is_text and variable.question.type != "date":
            expected[variable.name] = codes
    return expected


def test_sav_round_trip_keeps_labels_missing_values_and_measures(exported, questionnaire):
    for name in ("small.sav", "small.zsav"):
        data, meta = pyreadstat.read_sav(exported / name, user_missing=True)
        assert len(data) == 4
        labels = {"with" if v == "with_v" else v: {int(k): t for k, t in codes.items()}
                  for v, codes in meta.variable_value_labels.items()}
        assert labels == _expected_labels(questionnaire)
        assert meta.missing_ranges["gender"] == [{"lo": -2.0, "hi": -2.0}]
        assert sorted(r["lo"] for r in meta.missing_ranges["with_v"]) == [-2.0, -1.0]
        assert meta.missing_ranges["comment"] == [{"lo": "-2", "hi": "-2"}]
        assert meta.variable_measure["gender"] == "nominal"
        assert meta.variable_measure["with_v"] == "scale"
        assert meta.column_names_to_labels["gender"] == "الجنس"
        # the user-missing code stays in the data, declared, not turned into an empty cell
        assert data.loc[2, "gender"] == -2
        assert data.loc[3, "with_v"] == -1
        assert data.loc[1, "comment"] == "-2"
        assert "شكرا جزيلا\nسطر ثان" in set(data["comment"])


def test_sav_dates_are_dates_and_missing_dates_are_empty(exported):
    data, meta = pyreadstat.read_sav(exported / "small.sav")
    assert meta.original_variable_types["arrival"].startswith("DATE")
    assert data.loc[0, "arrival"] == dt.date(2016, 5, 1)
    assert pd.isna(data.loc[1, "arrival"])


def test_sav_labels_longer_than_spss_allows_are_cut_at_a_character(exported):
    _, meta = pyreadstat.read_sav(exported / "small.sav")
    label = meta.column_names_to_labels["with_v"]
    assert len(label.encode()) <= VARIABLE_LABEL and LONG_AR.startswith(label)
    assert all(len(t.encode()) <= VALUE_LABEL for v in meta.variable_value_labels.values()
               for t in v.values())


def test_reserved_names_are_renamed_and_listed(exported):
    _, spss = pyreadstat.read_sav(exported / "small.sav")
    _, stata = pyreadstat.read_dta(exported / "small.dta")
    assert "with" not in spss.column_names and "with_v" in spss.column_names
    assert "with" not in stata.column_names and "with_v" in stata.column_names
    names = pd.read_csv(exported / "small-sav-names.csv")
    assert names.to_dict("records") == [{"variable": "with", "spss_name": "with_v"}]


def test_mr_set_syntax_groups_the_option_variables(exported, questionnaire):
    syntax = (exported / "small.sps").read_text(encoding="utf-8-sig")
    assert "/MDGROUP NAME=$needs LABEL='الاحتياجات'" in syntax
    assert "VARIABLES=needs__housing needs__work needs__other VALUE=1" in syntax


def test_dta_round_trip_uses_extended_missing_values(exported, questionnaire):
    data, meta = pyreadstat.read_dta(exported / "small.dta", user_missing=True)
    letters = {-1: "a", -2: "b"}
    for variable, codes in _expected_labels(questionnaire).items():
        name = "with_v" if variable == "with" else variable
        expected = {letters.get(c, c): t for c, t in codes.items()}
        assert meta.variable_value_labels[name] == expected
    assert data.loc[2, "gender"] == "b"
    assert data.loc[3, "with_v"] == "a"
    assert len(meta.column_names_to_labels["with_v"]) == 80
    assert meta.original_variable_types["arrival"] == "%td"
    assert data.loc[0, "arrival"] == dt.date(2016, 5, 1)


def test_csv_neutralises_formulas_and_the_r_script_labels_every_coded_column(
        exported, questionnaire):
    frame = pd.read_csv(exported / "small.csv", dtype=str, keep_default_na=False)
    assert frame.loc[0, "needs__other_text"] == "'=HYPERLINK(\"http://x\")"
    assert frame.loc[3, "comment"] == "'@SUM(A1:A2)"
    assert frame.loc[2, "gender"] == "-2" and frame.loc[0, "with"] == "3"
    script = (exported / "small.R").read_text(encoding="utf-8")
    assert 'read.csv("small.csv", fileEncoding = "UTF-8"' in script
    for variable in _expected_labels(questionnaire):
        assert f'small[["{variable}"]] <- factor(' in script or variable == "with"
    assert 'small[["gender"]][small[["gender"]] %in% c(-2)] <- NA' in script
    assert 'labels = c("أنثى", "ذكر")' in script


def test_xlsx_holds_data_variables_and_values(exported):
    book = load_workbook(exported / "small.xlsx", read_only=True)
    rows = list(book["data"].values)
    assert rows[0][:3] == ("submission_id", "gender", "with")
    assert len(rows) == 5
    assert "'=HYPERLINK(\"http://x\")" in rows[1]
    values = list(book["values"].values)
    assert ("gender", -2, "لا إجابة", "missing") in values


def test_quarantined_responses_only_on_request(project, tmp_path):
    assert run("export", project, "--format", "csv", "--out", tmp_path / "a").exit_code == 0
    assert len(pd.read_csv(tmp_path / "a" / "small.csv")) == 4
    outcome = run("export", project, "--format", "csv", "--include", "quarantined",
                  "--out", tmp_path / "b")
    assert outcome.exit_code == 0
    frame = pd.read_csv(tmp_path / "b" / "small.csv")
    assert frame["status"].value_counts().to_dict() == {"accepted": 4, "quarantined": 1}


def test_weights_from_the_results_folder_are_included(project, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    (copy / "results").mkdir()
    pd.DataFrame({"submission_id": ["s000", "s001", "s002"], "base_weight": [1.0, 1.0, 1.0],
                  "weight": [0.5, 1.5, 2.0]}).to_csv(copy / "results" / "weights.csv",
                                                     index=False)
    outcome = run("export", copy, "--format", "sav", "--out", tmp_path / "out")
    assert outcome.exit_code == 0
    assert "1 responses have no weight" in outcome.output
    data, meta = pyreadstat.read_sav(tmp_path / "out" / "small.sav")
    assert data["weight"].tolist()[:3] == [0.5, 1.5, 2.0] and pd.isna(data["weight"][3])
    assert meta.variable_measure["weight"] == "scale"


def test_empty_project_gives_every_column_no_rows_and_a_warning(tmp_path):
    project = make_project(tmp_path / "empty", answers=[], quarantined=0)
    for file_format in ("sav", "dta", "csv", "xlsx"):
        outcome = run("export", project, "--format", file_format, "--out", tmp_path / "out")
        assert outcome.exit_code == 0, outcome.output
        assert "no responses to 'small'" in outcome.output
    data, meta = pyreadstat.read_sav(tmp_path / "out" / "small.sav")
    assert len(data) == 0 and "needs__other_text" in meta.column_names
    assert meta.original_variable_types["arrival"].startswith("DATE")
    assert list(pd.read_csv(tmp_path / "out" / "small.csv").columns)[:3] == [
        "submission_id", "gender", "with"]


@pytest.mark.parametrize("args, message", [
    (["--lang", "fr"], "'fr' is not a language of questionnaire 'small'"),
    (["--weights", "missing.csv"], "cannot read the weights file"),
])
def test_bad_options_exit_1_with_a_message(project, tmp_path, args, message):
    outcome = run("export", project, "--format", "sav", "--out", tmp_path, *args)
    assert outcome.exit_code == 1
    assert message in outcome.output
    assert not (tmp_path / "small.sav").exists()


def test_a_folder_that_is_no_project_exits_1(tmp_path):
    outcome = run("export", tmp_path, "--format", "csv")
    assert outcome.exit_code == 1
    assert "no questionnaires/ folder" in outcome.output
