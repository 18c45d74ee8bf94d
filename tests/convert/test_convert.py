"""`survey convert`: questionnaires to XLSForm and back, fixture XLSForms and SPSS/Stata files
to drafts that pass `survey validate`."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from pyxform.xls2xform import convert as pyxform_convert

from survey.cli import cli
from survey.convert.files import convert_file
from survey.convert.report import ConvertError
from survey.questionnaire import load_questionnaire, validate_file
from tests.support import QUESTIONNAIRES, ROOT

FIXTURES = ROOT.parent / "shared" / "fixtures"
XLSFORMS = sorted((FIXTURES / "xlsform").glob("*.xls*"))
STATISTICAL = sorted(p for p in (FIXTURES / "spss").iterdir() if p.suffix in (".sav", ".zsav",
                                                                               ".dta"))
OURS = [QUESTIONNAIRES / "zusammen.yaml", QUESTIONNAIRES / "examples" / "all-types.yaml",
        QUESTIONNAIRES / "examples" / "event-feedback.yaml"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200"})


def _variables(questionnaire):
    return [(v.name, tuple(code for code, _ in v.value_labels)) for v in questionnaire.variables]


@pytest.mark.parametrize("source", OURS, ids=lambda p: p.stem)
def test_questionnaire_to_xlsform_to_pyxform_and_back(source, tmp_path):
    original = load_questionnaire(source)
    form, _ = convert_file(source, "xlsform", tmp_path / "form.xlsx")
    result = pyxform_convert(xlsform=str(form), validate=False)
    # pyxform checks language codes against ISO 639 and warns of a private-use variant such
    # as de-x-easy (Easy German), which KoboToolbox and ODK show by its name all the same
    warnings = [w for w in result.warnings if "-x-" not in w]
    assert "<h:html" in result.xform and not warnings, warnings
    for language in original.languages:
        assert f"({language})\"" in result.xform
    back, _ = convert_file(form, "yaml", tmp_path / "back.yaml")
    again = load_questionnaire(back)
    assert again.languages == original.languages
    assert again.default_language == original.default_language
    assert _variables(again) == _variables(original)
    assert [q.type for q in again.questions] == [q.type for q in original.questions]
    assert [(q.relevant.source if q.relevant else None) for q in again.questions] == [
        (q.relevant.source if q.relevant else None) for q in original.questions]


def test_what_xlsform_cannot_hold_is_reported(tmp_path):
    _, report = convert_file(QUESTIONNAIRES / "examples" / "all-types.yaml", "xlsform",
                             tmp_path / "form.xlsx")
    notes = [str(n) for n in report.notes]
    assert ("question birth_year: missing values (no_answer) not carried over: XLSForm "
            "cannot offer them on a question without choices") in notes
    assert any(n.startswith("question rent_share: unit not carried over") for n in notes)


def test_ratings_compare_as_numbers_in_odk(tmp_path):
    """Scale points are named by their codes, so ODK reads `${x} >= 4` as our rules do."""
    form, _ = convert_file(QUESTIONNAIRES / "examples" / "all-types.yaml", "xlsform",
                           tmp_path / "form.xlsx")
    xform = pyxform_convert(xlsform=str(form), validate=False).xform
    assert "<name>5</name>" in xform and "<toolkit_name>agree_strongly</toolkit_name>" in xform


@pytest.mark.parametrize("form", XLSFORMS, ids=lambda p: p.name)
def test_every_fixture_xlsform_converts_or_reports_what_it_cannot(form, tmp_path):
    out = tmp_path / "form.yaml"
    outcome = run("convert", form, "--to", "yaml", "--out", out)
    assert "Traceback" not in outcome.output
    if outcome.exit_code == 0:
        assert validate_file(out).questionnaire is not None
    else:
        assert outcome.exit_code == 1
        assert "not carried over" in outcome.output and "error:" in outcome.output


def test_spec_form_reports_each_construct(tmp_path):
    outcome = run("convert", FIXTURES / "xlsform" / "xlsform_spec_test.xlsx", "--to", "yaml",
                  "--out", tmp_path / "spec.yaml")
    assert outcome.exit_code == 0, outcome.output
    for expected in ("repeat everything/repeat_test: repeated groups have no counterpart",
                     "question everything/geopoint_test: type 'geopoint' has no counterpart",
                     "question everything/start: metadata field 'start' not carried over",
                     "relevant 'regex(${address}",
                     "unknown function 'regex()'"):
        assert expected in outcome.output
    questionnaire = load_questionnaire(tmp_path / "spec.yaml")
    assert questionnaire.languages == ("en", "zh")
    assert questionnaire.survey.translation_status["zh"] == "draft"


def test_or_other_becomes_please_specify(tmp_path):
    path, _ = convert_file(FIXTURES / "xlsform" / "or_other.xlsx", "yaml", tmp_path / "o.yaml")
    names = [v.name for v in load_questionnaire(path).variables]
    assert "fav_color__other_text" in names and "fav_color_other" not in names


def test_xlsform_paths_and_choice_names_are_translated(tmp_path):
    path, _ = convert_file(FIXTURES / "xlsform" / "specify_other.xlsx", "yaml",
                           tmp_path / "s.yaml")
    questionnaire = load_questionnaire(path)
    assert questionnaire.languages == ("en",)
    assert [c.name for c in questionnaire.question("sex").choices.choices] == [
        "male", "female", "other"]


@pytest.mark.parametrize("source", STATISTICAL, ids=lambda p: p.name)
def test_spss_and_stata_dictionaries_become_valid_drafts(source, tmp_path):
    outcome = run("convert", source, "--to", "yaml", "--out", tmp_path / "d.yaml", "--lang",
                  "de")
    assert outcome.exit_code == 0, outcome.output
    assert validate_file(tmp_path / "d.yaml").questionnaire is not None


def test_sav_value_labels_and_missing_values_are_carried(tmp_path):
    path, _ = convert_file(FIXTURES / "spss" / "sample_missing.sav", "yaml", tmp_path / "m.yaml")
    questionnaire = load_questionnaire(path)
    assert questionnaire.question("mylabl").type == "single_choice"
    assert [(c.code, c.label.get("en")) for c in questionnaire.question("mylabl").choices.choices
            ] == [(1, "Male"), (2, "Female")]
    assert questionnaire.question("mydate").type == "date"


def test_exported_sav_converts_back_to_the_same_codes(tmp_path):
    """An export of ours read as an old survey: same choices and missing codes."""
    from tests.export.projects import make_project

    project = make_project(tmp_path / "p")
    assert run("export", project, "--format", "sav", "--out", tmp_path / "x").exit_code == 0
    path, _ = convert_file(tmp_path / "x" / "small.sav", "yaml", tmp_path / "d.yaml", "de")
    draft = load_questionnaire(path)
    gender = draft.question("gender")
    assert [(c.code, c.label.get("de")) for c in gender.choices.choices] == [
        (1, "Weiblich"), (2, "Männlich")]
    assert [(m.code, m.label.get("de")) for m in gender.missing] == [(-2, "Keine Angabe")]


@pytest.mark.parametrize("content, message", [
    (b"$FL2@(#) not really spss" + b"\0" * 200, "is not a readable SPSS or PSPP file"),
    (b"", "is not a readable SPSS or PSPP file"),
])
def test_corrupt_sav_exits_1_with_a_message(tmp_path, content, message):
    broken = tmp_path / "old.sav"
    broken.write_bytes(content)
    outcome = run("convert", broken, "--to", "yaml")
    assert outcome.exit_code == 1
    assert message in outcome.output and "old.sav" in outcome.output
    assert not (tmp_path / "old.yaml").exists()


def test_broken_xlsform_exits_1_with_a_message(tmp_path):
    broken = tmp_path / "form.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is no workbook")
    outcome = run("convert", broken, "--to", "yaml")
    assert outcome.exit_code == 1
    assert "form.xlsx is not a usable XLSForm" in outcome.output


def test_xlsform_without_a_survey_sheet_exits_1(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "answers"
    book.save(tmp_path / "form.xlsx")
    outcome = run("convert", tmp_path / "form.xlsx", "--to", "yaml")
    assert outcome.exit_code == 1 and "is not a usable XLSForm" in outcome.output


def test_broken_expression_is_dropped_and_reported(tmp_path):
    source = tmp_path / "form.xlsx"
    shutil.copy(FIXTURES / "xlsform" / "text_and_integer.xlsx", source)
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheet = book["survey"]
    sheet.cell(1, sheet.max_column + 1, "relevant")
    sheet.cell(3, sheet.max_column, "${your_name} = = 'x' or pulldata('a')")
    book.save(source)
    outcome = run("convert", source, "--to", "yaml", "--out", tmp_path / "f.yaml")
    assert outcome.exit_code == 0, outcome.output
    assert "relevant '${your_name} = = 'x' or pulldata('a')' not carried over" in outcome.output
    assert load_questionnaire(tmp_path / "f.yaml").question("your_age").relevant is None


def test_wrong_direction_exits_1(tmp_path):
    with pytest.raises(ConvertError, match="takes a questionnaire"):
        convert_file(FIXTURES / "xlsform" / "group.xlsx", "xlsform", tmp_path / "x.xlsx")
    outcome = run("convert", QUESTIONNAIRES / "zusammen.yaml", "--to", "yaml")
    assert outcome.exit_code == 1 and "takes an XLSForm" in outcome.output
