"""survey users add, survey invitations create and survey serve, run as staff would, and the
one-time invitation links they make."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from server_helpers import SURVEY, Respondent, free_port, shown_ids, store_of

from survey.cli import cli
from survey.project import Project
from survey.server.app import create_app
from survey.server.form_fields import field_state
from survey.store.users import authenticate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A project with the flagship questionnaire and its own store."""
    shutil.copytree(ROOT / "questionnaires", tmp_path / "questionnaires",
                    ignore=shutil.ignore_patterns("examples"))
    return tmp_path


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_users_add_reads_the_password_from_stdin_and_stores_a_hash(project_copy):
    result = run("users", "add", str(project_copy), "ana", "--password-stdin",
                 stdin="a long password\n")
    assert result.exit_code == 0, result.output
    store = Project(project_copy).store()
    assert authenticate(store, "ana", "a long password") == "admin"
    again = run("users", "add", str(project_copy), "ana", "--password-stdin",
                stdin="another password\n")
    assert again.exit_code == 1 and "already a user 'ana'" in again.output


def test_users_add_asks_twice_and_refuses_a_mismatch(project_copy):
    result = run("users", "add", str(project_copy), "ben", stdin="first password\nsecond one\n"
                 "first password\nfirst password\n")
    assert result.exit_code == 0
    assert "match" in result.output  # click asked again after the mismatch


def test_users_add_refuses_a_short_password(project_copy):
    result = run("users", "add", str(project_copy), "ana", "--password-stdin", stdin="short\n")
    assert result.exit_code == 1 and "at least 10 characters" in result.output


def test_users_language_sets_and_clears_the_staff_pages_language(project_copy):
    run("users", "add", str(project_copy), "ana", "--password-stdin", stdin="a long password\n")
    result = run("users", "language", str(project_copy), "ana", "de")
    assert result.exit_code == 0 and "'ana' now sees the staff pages in de" in result.output
    assert "│ de " in run("users", "list", str(project_copy)).output
    assert run("users", "language", str(project_copy), "ana", "browser").exit_code == 0
    assert "│ browser " in run("users", "list", str(project_copy)).output


@pytest.mark.parametrize(("args", "message"), [
    (("ana", "fr"), "there are no staff texts in 'fr'; the languages available are de, en "
                    "(or browser: the browser's language)"),
    (("nobody", "de"), "there is no user 'nobody'; survey users list shows them"),
])
def test_users_language_refuses_an_unknown_language_or_user(project_copy, args, message):
    run("users", "add", str(project_copy), "ana", "--password-stdin", stdin="a long password\n")
    result = run("users", "language", str(project_copy), *args)
    assert result.exit_code == 1 and message in result.output, result.output


def test_invitations_create_writes_links_that_work_once(project_copy, tmp_path):
    out = tmp_path / "links.csv"
    result = run("invitations", "create", str(project_copy), "--count", "3", "--out", str(out),
                 "--base-url", "https://survey.example.org/")
    assert result.exit_code == 0, result.output
    links = [row["link"] for row in csv.DictReader(out.open(encoding="utf-8"))]
    assert len(links) == 3 and len(set(links)) == 3
    assert all(link.startswith(f"https://survey.example.org/s/{SURVEY}/?invitation=")
               for link in links)
    app = create_app(Project(project_copy), invitation_only=True)
    app.testing = True
    token = urlsplit(links[0]).query.removeprefix("invitation=")
    assert token not in (project_copy / "data" / "store.sqlite").read_bytes().decode("latin-1")
    client = app.test_client()
    assert client.get(f"/s/{SURVEY}/").status_code == 403  # invitation only
    assert client.get(f"/s/{SURVEY}/?invitation=forged").status_code == 403
    assert client.get(f"/s/{SURVEY}/?invitation={token}").status_code == 200


def test_an_invitation_is_used_up_by_its_form_and_not_linked_to_it(
        project_copy, tmp_path, sample_submissions):
    out = tmp_path / "links.csv"
    run("invitations", "create", str(project_copy), "--count", "1", "--out", str(out))
    token = urlsplit(next(csv.DictReader(out.open()))["link"]).query.split("=", 1)[1]
    app = create_app(Project(project_copy), invitation_only=True)
    app.testing = True
    sample = next(s for s in sample_submissions if s["language"] == "de")
    first = Respondent(app.test_client(), "de")
    assert "/page/" in first.start(invitation=token).location
    second = Respondent(app.test_client(), "de")  # the same link opened on a second phone
    refused = second.start(invitation=token)
    assert "/page/" not in refused.location
    assert "Dieser Einladungslink ist ungültig oder wurde schon benutzt." in \
        second.client.get(refused.location).text
    _finish(first, sample["answers"])
    assert first.submit().location.endswith("/thanks")
    assert store_of(app).count(SURVEY) == {"accepted": 1}
    with store_of(app).engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("invitations")}
    assert columns == {"token_hash", "questionnaire_id", "created_on", "used", "partner"}
    # the partner is an organisation, the same for many links: nothing ties a link to a response


def _finish(respondent: Respondent, answers: dict) -> None:
    """Answer every page from where the form was started (invitation already in the draft)."""
    location = f"/s/{SURVEY}/page/1"
    while "/page/" in location:
        page = respondent.open(location)
        ids = set(shown_ids(page.text))
        own = {k: v for k, v in answers.items() if k.split("__")[0] in ids}
        location = respondent.post_page(location, field_state(own)).location


@pytest.mark.parametrize(("args", "message"), [
    (["--count", "0"], "between 1 and"),
    (["--count", "2", "--base-url", "javascript:alert(1)"], "must start with https://"),
    (["--count", "2", "--questionnaire", "nope"], "no questionnaire 'nope'"),
])
def test_invitations_create_refuses_bad_options(project_copy, tmp_path, args, message):
    out = tmp_path / "links.csv"
    result = run("invitations", "create", str(project_copy), "--out", str(out), *args)
    assert result.exit_code == 1 and message in result.output
    assert not out.exists()


def test_invitations_create_does_not_overwrite_a_file(project_copy, tmp_path):
    out = tmp_path / "links.csv"
    out.write_text("earlier links")
    result = run("invitations", "create", str(project_copy), "--count", "1", "--out", str(out))
    assert result.exit_code == 1 and "exists already" in result.output
    assert out.read_text() == "earlier links"


def test_serve_runs_the_site_and_says_so_when_the_port_is_taken(project_copy):
    port = free_port()
    command = [sys.executable, "-c", "from survey.cli import main; main()", "serve",
               str(project_copy), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = None
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{SURVEY}/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        assert page is not None and page.status == 200
        headers = page.headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Lax" in headers["Set-Cookie"]
        second = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1 and f"port {port}" in second.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_help_names_every_option():
    result = run("serve", "--help")
    for option in ("--host", "--port", "--db", "--threads", "--behind-proxy",
                   "--invitation-only"):
        assert option in result.output
