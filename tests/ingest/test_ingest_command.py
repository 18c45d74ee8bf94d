"""`survey ingest`, `survey imports` and `survey rollback` as staff use them."""


import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from survey.cli import cli
from tests.support import ROOT, copy_flagship

SAMPLE = ROOT / "data" / "sample"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "questionnaires").mkdir()
    copy_flagship(tmp_path / "questionnaires")
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


def test_an_export_of_another_form_exits_1_naming_the_file_and_stores_nothing(project, tmp_path,
                                                                               stored):
    run("ingest", project, SAMPLE / "online.jsonl")
    before = stored(project)
    other = tmp_path / "catering.csv"
    other.write_text("Zufriedenheit Catering;Raum;Anreise\n1;2;3\n", encoding="utf-8")
    result = run("ingest", project, other)
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert ("catering.csv: none of its 3 columns matches a question of 'zusammen' (first "
            "columns: Zufriedenheit Catering, Raum, Anreise)") in output
    assert "Is it a file of another survey?" in output
    assert "--questionnaire" in output and "--mapping" in output
    assert "Nothing of catering.csv was stored." in output
    assert stored(project) == before
    assert not list(project.glob("imports/catering*"))


def test_a_dry_run_of_an_imported_file_still_reads_it_and_says_so(project, stored):
    """The report and the draft mapping show how the file is read (as after rolling its batch
    back: its rows are no duplicates of themselves); the store is not touched, and a real
    import of the same file still changes nothing."""
    first = run("ingest", project, SAMPLE / "leipzig_ru.csv")
    assert first.exit_code == 3
    before = stored(project)
    dry = run("ingest", project, SAMPLE / "leipzig_ru.csv", "--dry-run")
    assert dry.exit_code == 3
    output = " ".join(dry.output.split())
    assert "leipzig_ru.csv: 282 rows read (csv, cp1251)" in output
    assert "274 would be accepted (1 with warnings), 6 quarantined, 2 duplicates" in output
    assert "already imported as batch 1 on " in output
    assert ("a real import would change nothing unless that batch is rolled back first "
            f"(survey rollback {project} 1)") in output  # the command as it can be typed here
    assert "row 162, В каком году вы родились?" in output
    report = project / "imports" / "leipzig_ru-dry-run-report.xlsx"
    draft = project / "imports" / "leipzig_ru.mapping.yaml"
    assert f"report: {report}" in output and f"draft mapping file: {draft}" in output
    assert "columns:" in draft.read_text(encoding="utf-8")
    summary = [row[0] for row in load_workbook(report)["Summary"].iter_rows(values_only=True)]
    assert any(line.startswith("already imported as batch 1") for line in summary)
    assert stored(project) == before

    again = run("ingest", project, SAMPLE / "leipzig_ru.csv")
    assert again.exit_code == 0
    assert "was already imported as batch 1" in again.output
    assert "nothing changed" in again.output
    assert stored(project) == before
    assert not (project / "imports" / "leipzig_ru-batch2-report.xlsx").exists()


def test_the_rollback_command_named_leaves_the_project_out_inside_it(tmp_path, monkeypatch):
    from survey.ingest.report import rollback_command

    assert rollback_command(4, tmp_path) == f"survey rollback {tmp_path} 4"
    monkeypatch.chdir(tmp_path)
    assert rollback_command(4, tmp_path) == "survey rollback 4"
