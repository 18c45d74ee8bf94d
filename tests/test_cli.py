"""The `survey` command as staff use it: validate, show, schema."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from support import QUESTIONNAIRES, ROOT

from survey.cli import cli
from survey.questionnaire.json_schema import questionnaire_schema
from survey.questionnaire.yaml_source import load_yaml

ALL_TYPES = QUESTIONNAIRES / "examples" / "all-types.yaml"
GOOD = sorted(QUESTIONNAIRES.rglob("*.yaml"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_every_bundled_questionnaire_validates_cleanly() -> None:
    code, output = run("validate", str(QUESTIONNAIRES))
    assert code == 0, output
    assert output.count(": OK ·") == len(GOOD)
    warnings = [line for line in output.splitlines() if "warning:" in line]
    # the flagship's easy-German variant is a draft for its most important texts, on purpose
    assert all("'de-x-easy' has its own text for" in line for line in warnings), warnings


def test_validate_prints_coverage_table_per_language() -> None:
    code, output = run("validate", str(ALL_TYPES))
    assert code == 0
    assert "Translation coverage" in output
    assert "100.0 %" in output


def test_missing_translation_is_an_error_unless_allowed(write_questionnaire) -> None:
    text = ALL_TYPES.read_text(encoding="utf-8").replace(
        "          en: Thank you for taking part.\n", "")
    path = write_questionnaire(text)
    code, output = run("validate", str(path))
    assert code == 1
    assert f"{path}:53:11: error: 'label' of question 'welcome' has no 'en' translation" in output
    assert "97.9 %" in output
    code, output = run("validate", "--allow-incomplete", str(path))
    assert code == 0
    assert f"{path}:53:11: warning: 'label' of question 'welcome' has no 'en' translation" \
        in output


def test_every_problem_is_reported_at_once_in_file_order(write_questionnaire) -> None:
    text = (ALL_TYPES.read_text(encoding="utf-8")
            .replace("        min: 1920\n", "        min: 1920\n        mni: 3\n")
            .replace("relevant: ${has_work} = 'yes'", "relevant: ${has_work} = 'ys'")
            .replace("id: satisfaction", "id: household"))
    code, output = run("validate", "--no-coverage", str(write_questionnaire(text)))
    assert code == 1
    messages = [line.split(": error: ")[1] for line in output.splitlines() if ": error: " in line]
    assert messages == [
        "unknown key 'mni' in question 'birth_year'; did you mean 'min'?",
        "'ys' is not a choice of ${has_work}; did you mean 'yes'?",
        "duplicate question id 'household' (first used at line 91)",
    ]
    assert "3 errors" in output


def test_show_prints_numbered_outline_with_codes_and_routing() -> None:
    code, output = run("show", str(ALL_TYPES), "--lang", "en")
    assert code == 0
    assert "9. What is your job?" in output
    assert "only if: ${has_work} = 'yes'  (see question 8)" in output
    assert " 98  None of these (exclusive)" in output
    assert " -1  Don't know" in output
    assert "= age := year(today()) - ${birth_year}" in output
    assert "16 questions, 21 variables" in output
    assert "Cover letter:\n  This questionnaire shows every question type." in output
    assert "Privacy notice:\n  Taking part is voluntary and anonymous." in output


def test_show_in_another_language_and_refuses_undeclared_one() -> None:
    code, output = run("show", str(ALL_TYPES), "--lang", "de")
    assert code == 0 and "9. Was ist Ihre Tätigkeit?" in output
    code, output = run("show", str(ALL_TYPES), "--lang", "fr")
    assert code == 1
    assert "cannot show in 'fr'" in output and "de, en" in output


def test_show_of_a_broken_file_lists_errors_and_exits_1() -> None:
    code, output = run("show", str(ROOT / "tests" / "bad_questionnaires" / "duplicate-key.yaml"))
    assert code == 1
    assert "duplicate key 'label'" in output


def test_validate_without_questionnaires_in_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("validate", str(tmp_path))
    assert code == 2
    assert "no questionnaire files" in output


def test_questionnaire_text_is_not_read_as_terminal_markup(write_questionnaire) -> None:
    text = ALL_TYPES.read_text(encoding="utf-8").replace(
        "en: What is your job?", "en: '[bold red]What[/] is your job?'")
    code, output = run("show", str(write_questionnaire(text)), "--lang", "en")
    assert code == 0
    assert "[bold red]What[/] is your job?" in output


def test_published_schema_is_current_and_accepts_every_bundled_questionnaire() -> None:
    published = json.loads((ROOT / "docs" / "questionnaire.schema.json").read_text("utf-8"))
    assert published == questionnaire_schema(), "run: survey schema --out " \
        "docs/questionnaire.schema.json"
    validator = jsonschema.Draft7Validator(published)
    for path in GOOD:
        errors = list(validator.iter_errors(load_yaml(path).data))
        assert errors == [], f"{path}: {errors[0].message}"


@pytest.mark.parametrize("mistake,fragment", [
    ({"lable": "x"}, "Additional properties are not allowed ('lable' was unexpected)"),
    ({"type": "singel_choice"}, "'singel_choice' is not one of"),
    ({"min": 3}, "'min' is not one of"),
])
def test_schema_catches_shape_mistakes_for_editors(mistake: dict, fragment: str) -> None:
    data = load_yaml(ALL_TYPES).data
    data["sections"][2]["questions"][0].update(mistake)
    validator = jsonschema.Draft7Validator(questionnaire_schema())
    messages = [e.message for e in validator.iter_errors(data)]
    messages += [c.message for e in validator.iter_errors(data) for c in e.context or []]
    assert any(fragment in m for m in messages), messages


def test_console_script_runs_without_traceback() -> None:
    bad = ROOT / "tests" / "bad_questionnaires" / "alias-bomb.yaml"
    survey = Path(sys.executable).parent / "survey"
    result = subprocess.run([str(survey), "validate", str(bad)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "YAML alias '*a' is not allowed" in result.stdout
