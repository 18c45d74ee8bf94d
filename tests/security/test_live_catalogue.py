"""The staff-session, guessing and erasure cases once more through a real waitress server on
loopback: what the Flask test client shows holds for real HTTP with real cookies too."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid

import pytest
from flask import Flask
from security_helpers import Browser, serving

from survey.project import Project
from survey.server.app import create_app
from survey.store.users import LOCK_AFTER, add_user

SURVEY = "event_feedback"
PASSWORD = "correct horse battery"
ANSWERS = {"overall": "good", "understood": "all", "interpreting": "no", "topics": ["none"]}


@pytest.fixture
def app(feedback_project: Project) -> Flask:
    application = create_app(feedback_project)
    add_user(application.extensions["survey"].store, "ana", PASSWORD)
    return application


def csrf(text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def log_in(browser: Browser, password: str = PASSWORD) -> int:
    _, _, page = browser.request("GET", "/admin/login")
    status, _, _ = browser.request("POST", "/admin/login", {
        "csrf_token": csrf(page), "name": "ana", "password": password})
    return status


def test_a_copied_staff_cookie_dies_at_logout_over_real_http(app):
    with serving(app) as server:
        staff = Browser(server.url)
        assert log_in(staff) == 302
        thief = Browser(server.url, cookie=staff.cookie)
        assert thief.request("GET", f"/admin/{SURVEY}/responses.csv")[0] == 200
        _, _, page = staff.request("GET", f"/admin/{SURVEY}/")
        assert staff.request("POST", "/admin/logout", {"csrf_token": csrf(page)})[0] == 302
        status, headers, _ = thief.request("GET", f"/admin/{SURVEY}/responses.csv")
        assert status == 302 and "/admin/login" in headers["Location"]


def test_a_locked_account_refuses_the_right_password_over_real_http(app):
    with serving(app) as server:
        guesser = Browser(server.url)
        statuses = [log_in(guesser, "wrong password!") for _ in range(LOCK_AFTER)]
        assert statuses[-1] == 429
        assert log_in(Browser(server.url)) == 429


def test_a_withdrawn_response_is_gone_and_stays_gone_over_real_http(app):
    with serving(app) as server:
        submission = {"submission_id": str(uuid.uuid4()), "language": "en",
                      "answers": ANSWERS}

        def post() -> str | int:
            request = urllib.request.Request(
                f"{server.url}/s/{SURVEY}/api/submissions", json.dumps(submission).encode(),
                {"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    body = json.loads(answer.read())
                    return body["withdrawal_code"]
            except urllib.error.HTTPError as error:
                return error.code

        code = post()
        respondent = Browser(server.url)
        _, _, page = respondent.request("GET", f"/s/{SURVEY}/withdraw?lang=en")
        status, _, done = respondent.request("POST", f"/s/{SURVEY}/withdraw?lang=en", {
            "csrf_token": csrf(page), "code": code})
        assert status == 200 and "Your answers have been deleted" in done
        assert app.extensions["survey"].store.response(submission["submission_id"]) is None
        assert post() == 410
