"""A respondent's return can be erased completely and stays erased: withdrawn online with the
code from the thank-you page, or erased by staff by id, paper serial or code. Nothing of it
remains in the SQLite file or its WAL, a repeated post answers 410, a repeated import leaves
it out, its paper serial cannot be typed again, and results made before are stale.
Run on questionnaires/examples/event-feedback.yaml, not the flagship."""

from __future__ import annotations

import csv
import re
import uuid

import pytest
from click.testing import CliRunner
from flask import Flask

from survey.cli import cli
from survey.ingest.importer import ingest_file
from survey.project import Project
from survey.server.app import create_app
from survey.stats.run_record import store_fingerprint
from survey.store.entries import (
    EntryRefused,
    audit_trail,
    paper_submission_id,
    save_entry,
    serial_subject,
    start_entry,
)
from survey.store.erasure import submission_of_code

SURVEY = "event_feedback"
SECRET = "Zebra Quokka 4711 mein Nachbar heisst Ibrahim"
ANSWERS = {"overall": "good", "understood": "all", "interpreting": "no", "topics": ["none"],
           "improve": SECRET}


@pytest.fixture
def project(feedback_project: Project) -> Project:
    return feedback_project


@pytest.fixture
def app(project: Project) -> Flask:
    application = create_app(project)
    application.testing = True
    return application


def store_bytes(project: Project) -> bytes:
    files = sorted((project.root / "data").glob("store.sqlite*"))
    return b"".join(f.read_bytes() for f in files)


def post(client, submission_id: str, answers: dict = ANSWERS):
    return client.post(f"/s/{SURVEY}/api/submissions", json={
        "submission_id": submission_id, "language": "en", "answers": answers})


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_a_respondent_withdraws_online_and_nothing_of_the_return_remains(app, project):
    client = app.test_client()
    landing = client.get(f"/s/{SURVEY}/?lang=en")
    token = re.search(r'name="csrf_token" value="([^"]+)"', landing.text).group(1)
    first = client.post(f"/s/{SURVEY}/start", data={"csrf_token": token, "lang": "en"})
    page = client.get(first.location)
    submission_id = re.search(r'name="submission_id" value="([^"]+)"', page.text).group(1)
    fields = {"csrf_token": token, "submission_id": submission_id, "action": "next",
              "overall": "good", "understood": "all", "interpreting": "no", "topics": "none",
              "improve": SECRET}
    step = client.post(first.location, data=fields)
    while "/page/" in step.location:
        step = client.post(step.location, data=fields)
    review = client.get(step.location)
    client.post(f"/s/{SURVEY}/submit", data={"csrf_token": token,
                                             "submission_id": submission_id})
    thanks = client.get(f"/s/{SURVEY}/thanks")
    code = re.search(r'class="resume-code withdrawal-code"[^>]*>([A-Z0-9-]+)<',
                     thanks.text).group(1)
    assert "Withdraw your answers" in thanks.text and review.status_code == 200
    assert "withdrawal-code" not in client.get(f"/s/{SURVEY}/thanks").text, "shown once"
    store = app.extensions["survey"].store
    assert store.response(submission_id)["answers"]["improve"] == SECRET
    assert SECRET.encode() in store_bytes(project), "the test can see the answer before"

    form = client.get(f"/s/{SURVEY}/withdraw")
    wrong = client.post(f"/s/{SURVEY}/withdraw", data={"csrf_token": token, "code": "AAAA"})
    assert wrong.status_code == 422 and form.status_code == 200
    done = client.post(f"/s/{SURVEY}/withdraw", data={"csrf_token": token, "code": code})
    assert done.status_code == 200 and "Your answers have been deleted" in done.text
    assert store.response(submission_id) is None
    assert submission_of_code(store, code) is None
    stored = store_bytes(project)
    assert SECRET.encode() not in stored and submission_id.encode() in stored, \
        "only the tombstone keeps the id"
    assert SECRET.encode("utf-16-le") not in stored
    again = post(client, submission_id)
    assert again.status_code == 410 and store.response(submission_id) is None


def test_staff_erase_by_id_and_a_reimport_leaves_the_row_out(app, project, tmp_path):
    store = app.extensions["survey"].store
    path = tmp_path / "partner.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["overall", "understood", "interpreting", "topics", "improve"])
        writer.writerow(["good", "all", "no", "none", SECRET])
        writer.writerow(["bad", "some", "no", "none", "nothing"])
    ingest_file(store, project.questionnaire(), path, user="eva")
    rows = {r["answers"].get("improve"): sid for sid, r in
            ((sid, store.response(sid)) for sid, _ in store.accepted_answers(SURVEY))}
    before = store_fingerprint(store, SURVEY)
    refused = run("erase", str(project.root), "--submission", rows[SECRET])
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert store.response(rows[SECRET]) is not None
    (project.root / "exports").mkdir()
    (project.root / "exports" / "responses.sav").write_bytes(b"made before")
    erased = run("erase", str(project.root), "--submission", rows[SECRET], "--yes")
    assert erased.exit_code == 0, erased.output
    assert "exports/responses.sav" in erased.output
    assert store.response(rows[SECRET]) is None and store.response(rows["nothing"]) is not None
    assert store_fingerprint(store, SURVEY) != before, "results made before are stale"
    assert SECRET.encode() not in store_bytes(project)
    run("rollback", str(project.root), "1", "--yes")
    again = ingest_file(store, project.questionnaire(), path, user="eva")
    assert again.erased == 1 and again.accepted == 1
    assert store.response(rows[SECRET]) is None
    assert SECRET.encode() not in store_bytes(project)


def test_erasing_a_paper_serial_removes_its_entries_and_blanks_the_audit(app, project):
    store = app.extensions["survey"].store
    typed = start_entry(store, SURVEY, "000042", "de", "anna")
    save_entry(store, typed.id, "anna", {"improve": SECRET, "overall": "4"}, finished=False)
    erased = run("erase", str(project.root), "--serial", "000042", "--yes")
    assert erased.exit_code == 0, erased.output
    trail = audit_trail(store, SURVEY, serial_subject("000042"))
    assert trail and all(SECRET not in (r.old or "") + (r.new or "") for r in trail)
    assert trail[-1].action == "erased on request"
    with pytest.raises(EntryRefused, match="withdrawn and erased"):
        start_entry(store, SURVEY, "000042", "de", "ben")
    assert SECRET.encode() not in store_bytes(project)
    assert paper_submission_id(SURVEY, "000042").encode() in store_bytes(project)


@pytest.mark.parametrize(("args", "message"), [
    (["--code", "AAAA-BBBB-CCCC"], "no return has the withdrawal code"),
    (["--submission", str(uuid.uuid4())], "there is no return"),
    (["--serial", "../x"], "is not a serial number"),
    ([], "exactly one of --submission, --serial or --code"),
    (["--serial", "000001", "--code", "X"], "exactly one of"),
])
def test_erase_refuses_what_it_cannot_find(project, args, message):
    result = run("erase", str(project.root), *args, "--yes")
    assert result.exit_code == 1 and message in result.output
