"""`survey codebook`: every variable documented, in every language, in every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from frictionless import validate
from openpyxl import load_workbook

from survey.cli import cli
from tests.export.projects import make_project
from tests.support import QUESTIONNAIRES

DDI = "{ddi:codebook:2_5}"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("codebook") / "project")


@pytest.fixture(scope="module")
def questionnaire(project):
    return project / "questionnaires" / "small.yaml"


def write(questionnaire, file_format, out, *extra):
    outcome = run("codebook", questionnaire, "--format", file_format, "--out", out, *extra)
    assert outcome.exit_code == 0, outcome.output
    return out


def test_markdown_has_every_variable_language_routing_and_rename(questionnaire, tmp_path):
    text = write(questionnaire, "md", tmp_path / "c.md").read_text(encoding="utf-8")
    for name in ("gender", "with", "arrival", "needs__housing", "needs__other_text",
                 "comment"):
        assert f" {name}\n" in text
    assert "- question (ar): الجنس" in text and "- question (de): Geschlecht" in text
    assert "- asked only if: `${gender} = 'female' (question 1)`" in text
    assert "| with | with_v | with_v |" in text
    assert "| -2 | Keine Angabe | لا إجابة | yes |" in text


def test_frequencies_count_answers_and_missing_codes(questionnaire, project, tmp_path):
    text = write(questionnaire, "md", tmp_path / "c.md", "--project", project).read_text(
        encoding="utf-8")
    assert "Frequencies count 4 responses." in text
    gender = text.split("## 1. gender", 1)[1].split("##", 1)[0]
    assert "| 1 | Weiblich | أنثى |  | 2 |" in gender
    assert "| 2 | Männlich | ذكر |  | 1 |" in gender
    assert "| -2 | Keine Angabe | لا إجابة | yes | 1 |" in gender


def test_html_is_escaped_and_marks_right_to_left_texts(questionnaire, tmp_path):
    html = write(questionnaire, "html", tmp_path / "c.html").read_text(encoding="utf-8")
    assert 'lang="ar" dir="rtl">الجنس' in html
    assert "${gender} = &#39;female&#39;" in html


def test_pdf_is_written(questionnaire, tmp_path):
    pdf = write(questionnaire, "pdf", tmp_path / "c.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")


def test_xlsx_lists_variables_and_codes(questionnaire, project, tmp_path):
    book = load_workbook(write(questionnaire, "xlsx", tmp_path / "c.xlsx", "--project",
                               project))
    variables = list(book["variables"].values)
    assert variables[0][:3] == ("variable", "SPSS name", "Stata name")
    assert ("with", "with_v", "with_v") in [row[:3] for row in variables]
    codes = list(book["codes"].values)
    assert ("gender", -2, "missing", "Keine Angabe", "لا إجابة", 1) in codes


def test_datapackage_validates_with_frictionless_against_the_csv_export(
        questionnaire, project, tmp_path):
    out = tmp_path / "package"
    assert run("export", project, "--format", "csv", "--out", out).exit_code == 0
    path = write(questionnaire, "datapackage", out / "datapackage.json")
    package = json.loads(path.read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["gender"]["categories"] == [{"value": 1, "label": "Weiblich"},
                                              {"value": 2, "label": "Männlich"}]
    assert {"value": "-2", "label": "Keine Angabe"} in fields["gender"]["missingValues"]
    assert fields["arrival"]["type"] == "date"
    report = validate(path)
    assert report.valid, report.flatten(["fieldName", "cell", "note"])


def test_datapackage_catches_a_csv_that_does_not_match(questionnaire, project, tmp_path):
    """The validation above can fail: a column the package does not describe is an error."""
    out = tmp_path / "package"
    assert run("export", project, "--format", "csv", "--include", "quarantined",
               "--out", out).exit_code == 0
    report = validate(write(questionnaire, "datapackage", out / "datapackage.json"))
    assert not report.valid


def test_ddi_codebook(questionnaire, project, tmp_path):
    root = ET.parse(write(questionnaire, "ddi", tmp_path / "c.xml", "--project",
                          project)).getroot()
    assert root.tag == f"{DDI}codeBook" and root.get("version") == "2.5"
    variables = {v.get("name"): v for v in root.iter(f"{DDI}var")}
    gender = variables["gender"]
    texts = {q.get("{http://www.w3.org/XML/1998/namespace}lang"): q.text
             for q in gender.iter(f"{DDI}qstnLit")}
    assert texts == {"de": "Geschlecht", "ar": "الجنس"}
    missing = [c for c in gender.iter(f"{DDI}catgry") if c.get("missing") == "Y"]
    assert [c.find(f"{DDI}catValu").text for c in missing] == ["-2"]
    assert missing[0].find(f"{DDI}catStat").text == "1"
    assert variables["with"].find(f"{DDI}universe").text == "${gender} = 'female' (question 1)"
    group = root.find(f"{DDI}dataDscr/{DDI}varGrp")
    assert group.get("type") == "multipleResp" and len(group.get("var").split()) == 3


def test_flagship_codebook_in_seven_languages(tmp_path):
    text = write(QUESTIONNAIRES / "zusammen.yaml", "md", tmp_path / "z.md").read_text(
        encoding="utf-8")
    for language in ("de", "en", "ru", "uk", "ar", "fa", "vi"):
        assert f"- question ({language}):" in text


def test_a_questionnaire_with_errors_exits_1(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("survey: {id: x}\n", encoding="utf-8")
    outcome = run("codebook", broken, "--format", "md", "--out", tmp_path / "c.md")
    assert outcome.exit_code == 1
    assert "does not validate" in outcome.output and "broken.yaml:" in outcome.output
    assert not (tmp_path / "c.md").exists()


def test_codebook_pdf_is_tagged_with_language_title_headings_and_table_headers(questionnaire,
                                                                              tmp_path):
    import subprocess

    from pypdf import PdfReader

    pdf = write(questionnaire, "pdf", tmp_path / "c.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True,
                          text=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Codebook: " in info
    catalog = PdfReader(pdf).trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict) and "/S" in node:
            found.append(node["/S"])
            if "/K" in node:
                walk(node["/K"])

    walk(catalog["/StructTreeRoot"]["/K"])
    assert found.count("/H1") == 1 and "/H2" in found and "/TH" in found and "/Table" in found
