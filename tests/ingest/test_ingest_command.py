"""`survey ingest`, `survey imports` and `survey rollback` as staff use them."""

import shutil

import pytest
from click.testing import CliRunner

from survey.cli import cli
from tests.support import QUESTIONNAIRES, ROOT

SAMPLE = ROOT / "data" / "sample"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "questionnaires").mkdir()
    shutil.copy(QUESTIONNAIRES / "zusammen.yaml", tmp_path / "questionnaires")
    return tmp_path


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_import_with_quarantined_rows_exits_3_and_writes_a_report(project):
    result = run("ingest", project, SAMPLE / "leipzig_ru.csv", "--user", "olga")
    assert result.exit_code == 3
    assert "282 rows read (csv, cp1251)" in result.output
    # The planted typo "Женскй" is read as "Женский", with a warning.
    assert "274 were accepted (1 with warnings)" in result.output
    assert "6 quarantined, 2 duplicates" in result.output
    assert (project / "imports" / "leipzig_ru-batch1-report.xlsx").is_file()
    assert (project / "data" / "store.sqlite").is_file()


def test_second_import_of_the_same_file_says_so_and_changes_nothing(project):
    run("ingest", project, SAMPLE / "online.jsonl")
    again = run("ingest", project, SAMPLE / "online.jsonl")
    assert again.exit_code == 0
    assert "was already imported as batch 1" in again.output
    listing = run("imports", project)
    assert listing.output.count("online.jsonl") == 1


def test_rollback_then_reimport(project):
    run("ingest", project, SAMPLE / "online.jsonl")
    rolled = run("rollback", project, 1, "--yes")
    assert rolled.exit_code == 0
    assert "342 responses removed" in rolled.output
    assert run("rollback", project, 1, "--yes").exit_code == 1
    assert run("rollback", project, 7, "--yes").exit_code == 1
    assert "batch 2" in run("ingest", project, SAMPLE / "online.jsonl").output


def test_dry_run_writes_a_draft_mapping_and_stores_nothing(project):
    result = run("ingest", project, SAMPLE / "dresden_de.xlsx", "--dry-run")
    assert "would be accepted" in result.output
    draft = project / "imports" / "dresden_de.mapping.yaml"
    assert "columns:" in draft.read_text(encoding="utf-8")
    assert "no batches" not in run("imports", project).output
    listed = run("ingest", project, SAMPLE / "dresden_de.xlsx", "--mapping", draft)
    # The planted typo "Weiblch" is read as "Weiblich", with a warning.
    assert listed.exit_code == 3 and "313 were accepted" in listed.output


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"a;b\n1;\x002\n", "NUL byte"),
    (b"PK\x03\x04broken", "not a readable"),
])
def test_broken_files_exit_1_with_a_message_and_store_nothing(project, tmp_path, content,
                                                              message):
    suffix = ".xlsx" if content.startswith(b"PK") else ".csv"
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(content)
    result = run("ingest", project, path)
    assert result.exit_code == 1
    assert message in result.output
    assert "Nothing of broken" in result.output
    assert "Traceback" not in result.output


def test_undetectable_encoding_asks_for_encoding_option(project, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"gender;birth_year\n\xc5;1980\n")  # Å, Е or е: nothing to tell
    result = run("ingest", project, path)
    assert result.exit_code == 1
    assert "--encoding" in result.output


def test_unknown_questionnaire_and_missing_project_are_explained(project, tmp_path):
    result = run("ingest", project, SAMPLE / "online.jsonl", "--questionnaire", "nope")
    assert result.exit_code == 1 and "no questionnaire 'nope'" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("ingest", empty, SAMPLE / "online.jsonl")
    assert result.exit_code == 1 and "has no questionnaires/ folder" in result.output


def test_broken_mapping_file_is_located(project, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  gender: [a, b]\n", encoding="utf-8")
    result = run("ingest", project, SAMPLE / "online.jsonl", "--mapping", mapping)
    assert result.exit_code == 1
    assert "m.yaml:2:11" in result.output
