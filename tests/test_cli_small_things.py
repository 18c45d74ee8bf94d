"""What staff meet every day on the command line: destructive commands ask first, tables fit
an 80-column terminal, outputs land in the project's folders, the project's questionnaire is
found without naming it, and `survey serve` prints links that open the survey."""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import chdir
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import copy_flagship

from survey.cli import cli
from survey.project import Project
from survey.server.app import create_app

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "questionnaires" / "zusammen.yaml"
SECOND = ROOT / "questionnaires" / "examples" / "event-feedback.yaml"
ONLINE = ROOT / "data" / "sample" / "online.jsonl"
DRESDEN = ROOT / "data" / "sample" / "dresden_de.xlsx"
ASKED = "delete 342 responses of batch 1 (file online.jsonl)"


def run(*args: object, columns: int = 200, cwd: Path | None = None) -> Result:
    """The command in-process; CliRunner's standard input is not a terminal, as in CI."""
    with chdir(cwd or Path.cwd()):
        return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": str(columns)})


def make_project(folder: Path, *questionnaires: Path) -> Path:
    (folder / "questionnaires").mkdir(parents=True)
    for questionnaire in questionnaires or (FLAGSHIP,):
        if questionnaire == FLAGSHIP:
            copy_flagship(folder / "questionnaires")
        else:
            shutil.copy(questionnaire, folder / "questionnaires")
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def imported(project: Path) -> Path:
    """A project whose store holds one import batch: the 342 online sample returns."""
    result = run("ingest", project, ONLINE)
    assert result.exit_code in (0, 3), result.output
    return project


def stored(project: Path) -> int:
    store = Project(project).store()
    try:
        return sum(store.count("zusammen").values())
    finally:
        store.close()


# Destructive commands ask first -------------------------------------------------------------


def test_rollback_without_a_terminal_refuses_and_names_yes(imported: Path) -> None:
    result = run("rollback", imported, "1")
    assert result.exit_code == 1
    assert ASKED in result.output and "--yes" in result.output
    assert "not a terminal" in result.output and "nothing was deleted" in result.output
    assert stored(imported) == 342


def test_rollback_with_yes_deletes_without_asking(imported: Path) -> None:
    result = run("rollback", imported, "1", "--yes")
    assert result.exit_code == 0, result.output
    assert "342 responses removed" in result.output and "[y/N]" not in result.output
    assert stored(imported) == 0


def test_rollback_of_an_unknown_batch_says_so_without_asking(imported: Path) -> None:
    result = run("rollback", imported, "7")
    assert result.exit_code == 1
    assert "no import batch 7" in result.output and "--yes" not in result.output


def on_a_terminal(args: list[str], answer: str, cwd: Path) -> tuple[int, str, str]:
    """Run `survey ARGS` with a pseudo-terminal as its standard input and output, as a user
    at a terminal would; answer the question; return the exit code, question and the rest."""
    leader, follower = os.openpty()
    process = subprocess.Popen([sys.executable, "-c", "from survey.cli import main; main()",
                                *args], stdin=follower, stdout=follower, stderr=follower,
                               cwd=cwd, env={**os.environ, "COLUMNS": "200"})
    os.close(follower)
    shown = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in shown and time.monotonic() < deadline:
        if select.select([leader], [], [], 1)[0]:
            shown += os.read(leader, 4096)
    os.write(leader, answer.encode() + b"\n")
    rest = b""
    while True:
        if not select.select([leader], [], [], 30)[0]:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        rest += chunk
    code = process.wait(timeout=30)
    os.close(leader)
    return code, shown.decode(), rest.decode()


def test_rollback_on_a_terminal_asks_and_no_keeps_the_batch(imported: Path) -> None:
    code, question, rest = on_a_terminal(["rollback", "1"], "n", imported)
    assert question.strip() == "Delete 342 responses of batch 1 (file online.jsonl)? [y/N]:"
    assert code == 1 and "nothing was deleted" in rest
    assert stored(imported) == 342


def test_rollback_on_a_terminal_deletes_after_yes(imported: Path) -> None:
    code, question, rest = on_a_terminal(["rollback", "1"], "y", imported)
    assert "[y/N]" in question
    assert code == 0 and "342 responses removed" in rest
    assert stored(imported) == 0


def test_convert_does_not_overwrite_a_questionnaire_unasked(project: Path) -> None:
    xlsform = run("convert", "--to", "xlsform", cwd=project)
    assert xlsform.exit_code == 0, xlsform.output
    questionnaire = project / "questionnaires" / "zusammen.yaml"
    before = questionnaire.read_bytes()
    back = run("convert", project / "questionnaires" / "zusammen.xlsx", "--to", "yaml")
    assert back.exit_code == 1
    assert f"overwrite {questionnaire}" in back.output and "--yes" in back.output
    assert questionnaire.read_bytes() == before
    again = run("convert", project / "questionnaires" / "zusammen.xlsx", "--to", "yaml",
                "--yes")
    assert again.exit_code == 0, again.output


def test_translations_export_does_not_overwrite_a_returned_file_unasked(project: Path) -> None:
    first = run("translations", "export", "--lang", "ar", cwd=project)
    assert first.exit_code == 0, first.output
    returned = project / "translations" / "zusammen.ar.xlsx"
    returned.write_bytes(b"a translator's work")
    refused = run("translations", "export", "--lang", "ar", cwd=project)
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert returned.read_bytes() == b"a translator's work"
    forced = run("translations", "export", "--lang", "ar", "--yes", cwd=project)
    assert forced.exit_code == 0, forced.output
    assert returned.read_bytes() != b"a translator's work"


def test_a_second_dry_run_keeps_a_corrected_mapping_file(project: Path) -> None:
    first = run("ingest", project, DRESDEN, "--dry-run")
    assert first.exit_code in (0, 3), first.output
    mapping = project / "imports" / "dresden_de.mapping.yaml"
    corrected = mapping.read_text(encoding="utf-8") + "# checked with the partner\n"
    mapping.write_text(corrected, encoding="utf-8")
    again = run("ingest", project, DRESDEN, "--dry-run")
    assert again.exit_code in (0, 3), again.output
    assert mapping.read_text(encoding="utf-8") == corrected
    assert "dresden_de.mapping-2.yaml" in again.output and "was kept" in again.output
    assert (project / "imports" / "dresden_de.mapping-2.yaml").is_file()


# Tables fit 80 columns ----------------------------------------------------------------------


def assert_fits(output: str, *whole: str, framed: bool = False) -> None:
    """Every line of the table is at most 80 characters wide (of a framed table: the lines
    of its frame; sentences around it wrap in the terminal like any text)."""
    lines = [line for line in output.splitlines() if not framed or line[:1] in "┏┃┡│└"]
    assert lines
    too_wide = [line for line in lines if len(line) > 80]
    assert not too_wide, "\n".join(too_wide)
    for word in whole:  # neither cut ("quaran…") nor broken over two lines
        assert word in output, word


def test_imports_table_fits_80_columns(imported: Path) -> None:
    assert run("ingest", imported, DRESDEN).exit_code in (0, 3)
    assert run("rollback", imported, "1", "--yes").exit_code == 0
    result = run("imports", imported, columns=80)
    assert result.exit_code == 0
    assert_fits(result.output, "batch", "file", "imported", "accepted", "quarantined",
                "duplicates", "online.jsonl", "dresden_de.xlsx", "rolled back")
    header = next(line for line in result.output.splitlines() if "quarantined" in line)
    assert header.split() == ["batch", "file", "imported", "accepted", "quarantined",
                              "duplicates"]


def test_validate_and_translation_status_tables_fit_80_columns(project: Path) -> None:
    validated = run("validate", columns=80, cwd=project)
    assert validated.exit_code == 0, validated.output
    assert_fits(validated.output, "language", "translated", "coverage", "100.0 %",
                framed=True)
    status = run("translations", "status", columns=80, cwd=project)
    assert status.exit_code == 0, status.output
    assert_fits(status.output, "language", "complete", "missing", "stale", "percent",
                "untracked", framed=True)


# Outputs into the project's folders ---------------------------------------------------------


def test_codebook_without_out_goes_into_the_projects_exports(project: Path,
                                                           tmp_path: Path) -> None:
    inside = run("codebook", "--format", "md", cwd=project)
    assert inside.exit_code == 0, inside.output
    assert (project / "exports" / "zusammen-codebook.md").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    named = run("codebook", project / "questionnaires" / "zusammen.yaml", "--format", "ddi",
                cwd=elsewhere)
    assert named.exit_code == 0, named.output
    assert (project / "exports" / "zusammen-ddi.xml").is_file()
    assert list(elsewhere.iterdir()) == []


def test_codebook_of_a_questionnaire_outside_a_project_stays_in_the_current_folder(
        tmp_path: Path) -> None:
    copy_flagship(tmp_path, "draft.yaml")
    result = run("codebook", "draft.yaml", "--format", "md", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "zusammen-codebook.md").is_file()


def test_paper_and_translations_write_into_the_project_from_anywhere(project: Path,
                                                                     tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    questionnaire = project / "questionnaires" / "zusammen.yaml"
    printed = run("paper", questionnaire, "--lang", "de", cwd=elsewhere)
    assert printed.exit_code == 0, printed.output
    assert list((project / "paper").glob("*-de.pdf"))
    exported = run("translations", "export", questionnaire, "--lang", "uk", cwd=elsewhere)
    assert exported.exit_code == 0, exported.output
    assert (project / "translations" / "zusammen.uk.xlsx").is_file()
    assert list(elsewhere.iterdir()) == []


# The project's questionnaire found by itself ------------------------------------------------


def test_translation_commands_find_the_projects_questionnaire(project: Path) -> None:
    exported = run("translations", "export", "--lang", "ru", cwd=project)
    assert exported.exit_code == 0, exported.output
    returned = Path("translations") / "zusammen.ru.xlsx"
    imported = run("translations", "import", returned, "--dry-run", cwd=project)
    assert imported.exit_code == 0, imported.output
    assert "nothing was written" in imported.output
    named = run("translations", "import", "questionnaires/zusammen.yaml", returned,
                "--dry-run", cwd=project)
    assert named.exit_code == 0, named.output
    status = run("translations", "status", cwd=project)
    assert status.exit_code == 0 and "ru" in status.output
    confirmed = run("translations", "confirm", "--lang", "ru", cwd=project)
    assert confirmed.exit_code == 0, confirmed.output
    no_files = run("translations", "import", "questionnaires/zusammen.yaml", cwd=project)
    assert no_files.exit_code == 2 and "name the translated files" in no_files.output


def test_a_project_with_two_questionnaires_asks_which(tmp_path: Path) -> None:
    project = make_project(tmp_path / "two", FLAGSHIP, SECOND)
    result = run("translations", "status", cwd=project)
    assert result.exit_code == 2 and "name the file to use" in result.output


def test_convert_to_xlsform_finds_the_projects_questionnaire(project: Path) -> None:
    result = run("convert", "--to", "xlsform", cwd=project)
    assert result.exit_code == 0, result.output
    assert (project / "questionnaires" / "zusammen.xlsx").is_file()
    drafted = run("convert", "--to", "yaml", cwd=project)
    assert drafted.exit_code == 2 and "name the XLSForm" in drafted.output


# survey serve: real links, and / leads to the survey ---------------------------------------


def test_front_door_redirects_to_the_only_survey(project: Path) -> None:
    app = create_app(Project(project))
    app.testing = True
    response = app.test_client().get("/")
    assert response.status_code == 302
    assert response.location.endswith("/s/zusammen/")


def test_front_door_lists_several_surveys_in_the_browsers_language(tmp_path: Path) -> None:
    project = make_project(tmp_path / "two", FLAGSHIP, SECOND)
    app = create_app(Project(project))
    app.testing = True
    client = app.test_client()
    page = client.get("/", headers={"Accept-Language": "de"})
    assert page.status_code == 200
    assert "<h1>Umfragen</h1>" in page.text
    assert 'href="/s/zusammen/"' in page.text and 'href="/s/event_feedback/"' in page.text
    assert "Zusammen sind wir stärker" in page.text
    english = client.get("/", headers={"Accept-Language": "en"})
    assert "<h1>Surveys</h1>" in english.text
    assert client.get("/s/event_feedback/").status_code == 200


def test_serve_prints_links_that_open_the_pages(project: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", "from survey.cli import main; main()",
                               "serve", str(project), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines: list[str] = []
        while not any("admin:" in line for line in lines):
            line = server.stdout.readline() if server.stdout else ""
            assert line, server.stderr.read() if server.stderr else "no output"
            lines.append(line)
        printed = "".join(lines)
        base = f"http://127.0.0.1:{port}"
        assert "<questionnaire id>" not in printed
        for link in (f"{base}/s/zusammen/", f"{base}/", f"{base}/entry/", f"{base}/admin/"):
            assert link in printed
        assert urllib.request.urlopen(f"{base}/s/zusammen/", timeout=5).status == 200
        front = urllib.request.urlopen(f"{base}/", timeout=5)  # follows the redirect
        assert front.status == 200 and front.url == f"{base}/s/zusammen/"
        for staff in ("/admin/", "/entry/"):
            try:
                assert urllib.request.urlopen(base + staff, timeout=5).status == 200
            except urllib.error.HTTPError as error:  # a login page answers, not a 404
                assert error.code != 404
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_help_texts_name_the_new_behaviour() -> None:
    assert "--yes" in run("rollback", "--help").output
    assert "Delete N responses of batch B" in run("rollback", "--help").output
    assert "exports/" in run("codebook", "--help").output
    assert "[QUESTIONNAIRE] FILES..." in run("translations", "import", "--help").output
    assert "redirect" in run("serve", "--help").output
