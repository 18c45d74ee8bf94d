"""Resume codes and invitation tokens cannot be guessed quickly: a client with too many wrong
ones waits, told so in the respondent's language with 429, and other clients are not held up.
Run on a project other than the flagship (questionnaires/examples/event-feedback.yaml)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.interface_texts import interface_text
from survey.project import Project
from survey.server.app import create_app
from survey.server.respondent import WRONG_GUESSES_PER_CLIENT
from survey.store.drafts import create_draft

SURVEY = "event_feedback"


@pytest.fixture
def app(feedback_project: Project) -> Flask:
    application = create_app(feedback_project)
    application.testing = True
    return application


def client_at(app: Flask, address: str, language: str = "en") -> FlaskClient:
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    return client


def resume(client: FlaskClient, code: str):
    landing = client.get(f"/s/{SURVEY}/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', landing.text).group(1)
    return client.post(f"/s/{SURVEY}/resume", data={"csrf_token": token, "code": code})


def test_wrong_resume_codes_make_the_client_wait_and_say_so_in_its_language(app):
    guesser = client_at(app, "127.0.0.5", "ar")
    for i in range(WRONG_GUESSES_PER_CLIENT):
        assert resume(guesser, f"AAAA-BBBB-{i:04d}").status_code == 302
    blocked = resume(guesser, "AAAA-BBBB-CCCC")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert interface_text("web.error.too_many", "ar") in blocked.text
    draft = create_draft(app.extensions["survey"].store, SURVEY, "de")
    assert resume(guesser, draft.code).status_code == 429, "no guess is checked while waiting"
    other = client_at(app, "127.0.0.6")
    resumed = resume(other, draft.code)
    assert resumed.status_code == 302 and "/page/" in resumed.location


def test_wrong_invitation_tokens_make_the_client_wait_on_pages_and_the_api(app):
    guesser = client_at(app, "127.0.0.7", "de")
    for i in range(WRONG_GUESSES_PER_CLIENT):
        assert guesser.get(f"/s/{SURVEY}/?invitation=guess{i}").status_code == 403
    page = guesser.get(f"/s/{SURVEY}/?invitation=another")
    assert page.status_code == 429 and interface_text("web.error.too_many", "de") in page.text
    api = guesser.post(f"/s/{SURVEY}/api/submissions", json={
        "submission_id": "5d0c1c3e-8a8b-4b8e-9a51-0a4f3c2b9e10", "language": "de",
        "answers": {}, "invitation": "yet-another"})
    assert api.status_code == 429 and "Retry-After" in api.headers
    assert client_at(app, "127.0.0.8").get(f"/s/{SURVEY}/").status_code == 200
