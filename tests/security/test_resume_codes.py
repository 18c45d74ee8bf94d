"""Resume codes cannot be used to read someone else's answers, and a shared computer keeps
nothing: a code changes on every resume, a code in a link is only applied by the respondent on
a page that says whose answers it continues, the form lives in a session cookie, and review and
thank-you pages clear the device. Run on questionnaires/examples/event-feedback.yaml."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from server_helpers import Respondent, hidden

from survey.interface_texts import interface_text
from survey.project import Project
from survey.server.app import create_app

SURVEY = "event_feedback"


@pytest.fixture
def app(feedback_project: Project) -> Flask:
    application = create_app(feedback_project)
    application.testing = True
    return application


def saved_form(app: Flask, answer: str = "good") -> tuple[FlaskClient, str]:
    """Someone who answers the first question and saves: their browser and resume code."""
    owner = Respondent(app.test_client(), "en", survey=SURVEY)
    first = owner.start().location
    owner.open(first)
    saved = owner.post_page(first, {"overall": answer}, action="save")
    page = owner.client.get(saved.location)
    return owner.client, re.search(r'class="resume-code"[^>]*>([A-Z0-9-]+)<', page.text).group(1)


def resume(client: FlaskClient, code: str):
    landing = client.get(f"/s/{SURVEY}/")
    return client.post(f"/s/{SURVEY}/resume", data={
        "csrf_token": hidden(landing.text, "csrf_token"), "code": code})


def code_on(page_text: str) -> str:
    return re.search(r"([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})", page_text).group(1)


def test_a_resume_gives_a_new_code_and_the_old_one_dies(app):
    _, old = saved_form(app)
    device = app.test_client()
    resumed = resume(device, old)
    assert resumed.status_code == 302 and "/page/1" in resumed.location
    page = device.get(resumed.location)
    new = code_on(page.text.split('role="status"')[1])
    assert new != old and "the old code no longer works" in page.text
    assert 'value="good" checked' in page.text
    assert "?resume=unknown" in resume(app.test_client(), old).location
    assert "/page/1" in resume(app.test_client(), new).location


def test_a_code_in_a_strangers_link_is_not_applied_and_dies_when_the_victim_continues(app):
    attacker, planted = saved_form(app, answer="bad")
    victim = app.test_client()
    landing = victim.get(f"/s/{SURVEY}/?lang=en&code={planted}")
    assert landing.status_code == 200
    assert "Only continue if you saved these answers yourself" in landing.text
    assert "(answers so far: 1)" in landing.text
    assert victim.get(f"/s/{SURVEY}/review").status_code == 302, "nothing applied by a link"
    resume(victim, planted)
    assert "?resume=unknown" in resume(attacker, planted).location, \
        "the attacker's code died when the victim continued"


def test_the_form_lives_in_a_session_cookie(app):
    client = app.test_client()
    Respondent(client, "en", survey=SURVEY).start()
    cookie = client.get_cookie("survey_session")
    assert cookie is not None and cookie.expires is None and cookie.max_age is None


@pytest.mark.parametrize("where", ["review", "saved"])
def test_clearing_the_device_leaves_nothing_but_the_code_still_works(app, where):
    client, code = saved_form(app)
    page = client.get(f"/s/{SURVEY}/{where}")
    assert interface_text("web.forget", "en") in page.text
    cleared = client.post(f"/s/{SURVEY}/forget",
                          data={"csrf_token": hidden(page.text, "csrf_token")})
    assert cleared.status_code == 302
    landing = client.get(cleared.location)
    assert interface_text("web.forgotten", "en") in landing.text
    assert client.get(f"/s/{SURVEY}/review").status_code == 302
    assert "/page/1" in resume(app.test_client(), code).location


def test_the_thank_you_page_offers_to_clear_the_device(app):
    respondent = Respondent(app.test_client(), "ar", survey=SURVEY)
    first = respondent.start().location
    respondent.open(first)
    step = respondent.post_page(first, {"overall": "good", "understood": "all",
                                        "interpreting": "no", "topics": "none"})
    while "/page/" in step.location:
        step = respondent.post_page(step.location, {})
    assert respondent.submit().location.endswith("/thanks")
    thanks = respondent.client.get(f"/s/{SURVEY}/thanks")
    assert interface_text("web.forget", "ar") in thanks.text
    cleared = respondent.client.post(f"/s/{SURVEY}/forget",
                                     data={"csrf_token": respondent.csrf})
    assert cleared.status_code == 302
    assert respondent.client.get(f"/s/{SURVEY}/thanks").status_code == 302, \
        "after clearing, the device shows no sign that a form was sent"


def test_the_thank_you_page_thanks_only_a_browser_that_sent_a_form(app):
    fresh = app.test_client().get(f"/s/{SURVEY}/thanks")
    assert fresh.status_code == 302 and fresh.location.endswith(f"/s/{SURVEY}/")
