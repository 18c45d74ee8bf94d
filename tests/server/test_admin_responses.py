"""The admin's view of single responses (finding one, its answers as labels, provenance,
status, problems and history) and the labelled downloads beside the coded ones."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from server_helpers import SURVEY, api_post, hidden, new_id
from support import copy_flagship

from survey.paper.serials import REGISTRY_FILE, PrintRun, register_runs
from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.model import Questionnaire
from survey.returns.reconcile import verdict
from survey.returns.typed import BLANK, entry_fields, typed_answers
from survey.server.app import create_app
from survey.server.entry.views import FIELD_PREFIX
from survey.store.entries import paper_submission_id
from survey.store.schema import Mode, Status
from survey.store.store import Problem, Response, Store, today
from survey.store.users import Role, add_user, set_language

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"
HOSTILE = '=HYPERLINK("http://evil.example","click")'
SERIAL = "000011"


def make_project(folder: Path, hostile: bool = False) -> Project:
    text = (ROOT / "questionnaires" / f"{SURVEY}.yaml").read_text("utf-8")
    if hostile:  # a choice label a spreadsheet would run as a formula
        assert "en: Female," in text
        text = text.replace("en: Female,", f"en: '{HOSTILE}',", 1)
    copy_flagship(folder / "questionnaires", text=text)
    (folder / "paper").mkdir()
    register_runs(folder / "paper" / REGISTRY_FILE,
                  [PrintRun(SURVEY, "2026.1", "de", "000001", "000050")])
    return Project(folder)


def accepted_samples(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in
            (ROOT / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines()]
    return [r["answers"] for r in rows if check_answers(questionnaire, r["answers"]).accepted]


def log_in(client: FlaskClient, name: str, area: str = "admin") -> str:
    page = client.get(f"/{area}/login")
    response = client.post(f"/{area}/login", data={
        "csrf_token": hidden(page.text, "csrf_token"), "name": name, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return hidden(client.get(f"/{area}/").text, "csrf_token")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, Questionnaire]:
    folder = tmp_path_factory.mktemp("responses")
    project = make_project(folder, hostile=True)
    app = create_app(project, f"sqlite:///{folder / 'store.sqlite'}")
    app.testing = True
    store: Store = app.extensions["survey"].store
    for name, role in (("ana", Role.ADMIN), ("dora", Role.ADMIN), ("anna", Role.ENTRY),
                       ("ben", Role.ENTRY)):
        add_user(store, name, PASSWORD, role)
    set_language(store, "dora", "de")
    return app, project.questionnaire(SURVEY)


def store_of(app: Flask) -> Store:
    return app.extensions["survey"].store


def typed_copy(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, str]:
    typed = dict(typed_answers(questionnaire, answers))
    asked = verdict(questionnaire, typed).asked
    for item in entry_fields(questionnaire):
        if item.question.id in asked and not item.other_text and item.name not in typed:
            typed[item.name] = BLANK
    return typed


def enter(app: Flask, name: str, serial: str, typed: dict[str, str]) -> None:
    client = app.test_client()
    token = log_in(client, name, "entry")
    started = client.post(f"/entry/{SURVEY}/start", data={"csrf_token": token, "serial": serial})
    data = {"csrf_token": token, "action": "finish"} | {
        FIELD_PREFIX + n: v for n, v in typed.items()}
    assert client.post(started.location, data=data).status_code == 302


def choice_label(questionnaire: Questionnaire, question: str, name: str, language: str) -> str:
    found = next(c for c in questionnaire.question(question).choices.choices if c.name == name)
    return found.label.get(language, questionnaire.default_language)


@pytest.fixture(scope="module")
def web_answers(site) -> tuple[str, dict[str, Any]]:
    """One online response with a declared missing value and several ticks."""
    app, questionnaire = site
    answers = next(a for a in accepted_samples(questionnaire)
                   if isinstance(a.get("info"), list) and len(a["info"]) >= 2
                   and a.get("gender") == "female" and "birth_year" in a)
    answers = answers | {"problem": "=1+2 wrote the respondent", "discrim": {"missing":
                                                                             "dont_know"}}
    answers = {k: v for k, v in answers.items() if not k.startswith("discrim_")}
    assert check_answers(questionnaire, answers).accepted
    submission = new_id()
    assert api_post(app.test_client(), {"submission_id": submission, "language": "ar",
                                        "answers": answers}).status_code == 201
    return submission, answers


def test_the_response_shows_numbers_questions_and_labels(site, web_answers):
    app, questionnaire = site
    submission, answers = web_answers
    client = app.test_client()
    log_in(client, "ana")
    page = client.get(f"/admin/{SURVEY}/responses/{submission}")
    assert page.status_code == 200
    rows = dict(re.findall(r'<tr data-answer="([^"]+)">(.*?)</tr>', page.text, re.S))
    gender = questionnaire.question("gender")
    assert f'<td class="number">{gender.number}</td>' in rows["gender"]
    assert gender.label.get("en") in rows["gender"].replace("&#39;", "'")
    assert HOSTILE.replace('"', "&#34;") in rows["gender"]  # its English label, escaped
    info = [choice_label(questionnaire, "info", n, "en") for n in answers["info"]]
    assert " · ".join(info) in rows["info"].replace("&#39;", "'")
    assert 'class="missing">Don&#39;t know<' in rows["discrim"]
    assert "=1+2 wrote the respondent" in rows["problem"]
    assert "online" in page.text and "accepted" in page.text
    german = app.test_client()
    log_in(german, "dora")
    page = german.get(f"/admin/{SURVEY}/responses/{submission}").text
    assert choice_label(questionnaire, "gender", "female", "de") in page  # Weiblich
    assert "Weiß nicht" in page or "Weiß ich nicht" in page
    assert "Antworten" in page and "Herkunft" in page


def test_a_paper_copy_shows_who_entered_it_and_its_history(site):
    app, questionnaire = site
    answers = accepted_samples(questionnaire)[1]
    typed = typed_copy(questionnaire, answers)
    enter(app, "anna", SERIAL, typed)
    enter(app, "ben", SERIAL, typed | {"household": str(int(typed.get("household", "2")) + 1)})
    reconciler = app.test_client()
    token = log_in(reconciler, "ana", "entry")
    decided = reconciler.post(f"/entry/{SURVEY}/reconcile/{SERIAL}", data={
        "csrf_token": token, FIELD_PREFIX + "household": typed.get("household", "2")})
    assert decided.status_code == 302, decided.text
    submission = paper_submission_id(SURVEY, SERIAL)
    client = app.test_client()
    log_in(client, "ana")
    found = client.get(f"/admin/{SURVEY}/responses/find", query_string={"q": "11"})
    assert found.status_code == 302
    assert found.location.endswith(f"/admin/{SURVEY}/responses/{submission}")
    page = client.get(found.location).text
    assert "paper serial 000011" in page
    assert "anna, ben; reconciled by ana" in page  # who entered it
    entries = re.search(r'id="entries">(.*?)</table>', page, re.S).group(1)
    assert "anna" in entries and "ben" in entries
    history = re.search(r'id="history">(.*?)</table>', page, re.S).group(1)
    assert "decided" in history and "household" in history and "accepted" in history
    assert history.index("decided") < history.rindex("accepted")
    survey_page = client.get(f"/admin/{SURVEY}/").text
    latest = re.search(r'id="latest">(.*?)</table>', survey_page, re.S).group(1)
    assert f"/admin/{SURVEY}/responses/{submission}" in latest and "paper" in latest


def test_an_imported_row_shows_its_file_row_and_problems(site):
    app, _ = site
    submission = new_id()
    store_of(app).add([Response(
        submission, SURVEY, "2026.1", Mode.IMPORT, Status.QUARANTINED,
        raw={"Geschlecht": "7", "note": "<script>alert(1)</script>"}, answers={},
        language="de", source_file="partner.xlsx", source_sheet="Rückläufe", source_row=12,
        entered_by="ana", received_on=today(),
        problems=(Problem("choice", "7 is not a choice of question 3 (gender)", "error",
                          "Geschlecht", "7", "use one of the codes 1, 2, 3"),))])
    client = app.test_client()
    log_in(client, "ana")
    page = client.get(f"/admin/{SURVEY}/responses/{submission}").text
    provenance = re.search(r'id="provenance">(.*?)</table>', page, re.S).group(1)
    for shown in ("partner.xlsx", "Rückläufe", "<td>12</td>", "quarantined", "import"):
        assert shown in provenance
    assert "7 is not a choice of question 3 (gender)" in page  # stored in English, shown so
    assert f"/entry/{SURVEY}/fix/{submission}" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "No entries or decisions are recorded" in page


def test_unknown_and_malformed_ids_are_not_found(site, web_answers):
    app, _ = site
    other = new_id()
    store_of(app).add([Response(other, "nachbarn", "3", Mode.WEB, Status.ACCEPTED, raw={},
                                answers={})])
    client = app.test_client()
    log_in(client, "ana")
    submission, _ = web_answers
    for wrong in (new_id(), "not-an-id", submission.upper(), submission + "0", other,
                  "..%2F..%2Fetc", "1" * 36):
        assert client.get(f"/admin/{SURVEY}/responses/{wrong}").status_code == 404, wrong
    assert client.get(f"/admin/nachbarn/responses/{other}").status_code == 404
    missing = client.get(f"/admin/{SURVEY}/responses/find", query_string={"q": "000049"})
    assert missing.status_code == 404 and "No response of this survey" in missing.text
    assert client.get(f"/admin/{SURVEY}/responses/find",
                      query_string={"q": other}).status_code == 404
    by_id = client.get(f"/admin/{SURVEY}/responses/find", query_string={"q": submission})
    assert by_id.status_code == 302 and by_id.location.endswith(submission)
    short = client.get(f"/admin/{SURVEY}/responses/find", query_string={"q": submission[:8]})
    assert short.status_code == 302 and short.location.endswith(submission), \
        "the short id the pages show finds the response"
    for wildcard in ("%%%%%%%%", "________"):  # LIKE patterns are not patterns here
        assert client.get(f"/admin/{SURVEY}/responses/find",
                          query_string={"q": wildcard}).status_code == 404


def test_only_admins_see_responses(site, web_answers):
    app, _ = site
    submission, _ = web_answers
    paths = (f"/admin/{SURVEY}/responses/{submission}", f"/admin/{SURVEY}/responses/find?q=1",
             f"/admin/{SURVEY}/responses-labelled.csv", f"/admin/{SURVEY}/responses-labelled.xlsx")
    anonymous = app.test_client()
    typist = app.test_client()
    log_in(typist, "anna", "entry")
    for path in paths:
        response = anonymous.get(path)
        assert response.status_code == 302 and "/admin/login" in response.location
        refused = typist.get(path)
        assert refused.status_code == 403 and "whose role (entry)" in refused.text


# -- labelled downloads ----------------------------------------------------------------------

def test_labelled_downloads_carry_labels_and_missing_labels(site, web_answers):
    app, _ = site
    submission, answers = web_answers
    client = app.test_client()
    log_in(client, "ana")
    survey_page = client.get(f"/admin/{SURVEY}/").text
    assert f"/admin/{SURVEY}/responses-labelled.csv" in survey_page
    assert f"/admin/{SURVEY}/responses-labelled.xlsx" in survey_page
    response = client.get(f"/admin/{SURVEY}/responses-labelled.csv")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{SURVEY}-responses-labelled-en.csv"')
    rows = {r["submission_id"]: r for r in csv.DictReader(io.StringIO(response.text))}
    row = rows[submission]
    assert row["gender"] == "'" + HOSTILE  # the label, neutralised like a respondent's text
    assert row["discrim"] == "Don't know"  # a missing value by its label
    assert row["problem"] == "'=1+2 wrote the respondent"
    assert row["birth_year"] == str(answers["birth_year"])  # numbers stay numbers
    picked = answers["info"][0]
    assert row[f"info__{picked}"] == "selected"  # in the staff language (English here)
    coded = {r["submission_id"]: r for r in csv.DictReader(io.StringIO(
        client.get(f"/admin/{SURVEY}/responses.csv").text))}
    assert coded[submission]["gender"] == "1" and coded[submission]["discrim"] == "-1"
    assert set(coded) == set(rows)  # the same responses, in both
    sheet = load_workbook(io.BytesIO(client.get(
        f"/admin/{SURVEY}/responses-labelled.xlsx").data))["data"]
    header = [c.value for c in sheet[1]]
    by_id = {r[0]: dict(zip(header, r, strict=True))
             for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_id[submission]["gender"] == "'" + HOSTILE
    assert by_id[submission]["discrim"] == "Don't know"
    assert by_id[submission]["birth_year"] == answers["birth_year"]
    assert all(not str(v).startswith(("=", "+", "@")) for r in by_id.values()
               for v in r.values() if v is not None)


def test_labelled_downloads_in_the_staff_language(site, web_answers):
    app, questionnaire = site
    submission, _ = web_answers
    client = app.test_client()
    log_in(client, "dora")  # her pages are German, and the questionnaire has German
    response = client.get(f"/admin/{SURVEY}/responses-labelled.csv")
    assert response.headers["Content-Disposition"].endswith('-labelled-de.csv"')
    row = next(r for r in csv.DictReader(io.StringIO(response.text))
               if r["submission_id"] == submission)
    assert row["gender"] == choice_label(questionnaire, "gender", "female", "de")
    assert row["discrim"] == next(m.label.get("de") for m in questionnaire.question(
        "discrim").missing if m.name == "dont_know")
    assert "Antworttexten auf Deutsch" in client.get(f"/admin/{SURVEY}/").text


def test_labels_fall_back_to_the_default_language(site):
    """A staff language the questionnaire lacks: its default language's labels."""
    from survey.server.downloads import label_language

    _, questionnaire = site
    assert label_language(questionnaire, "de") == "de"
    assert label_language(questionnaire, "en") == "en"
    assert label_language(questionnaire, "xx") == questionnaire.default_language
