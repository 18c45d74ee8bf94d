"""Pictures online for respondents who read little: alt text in the page's language, a
decorative picture skipped by screen readers, and an SVG served so it can run nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from picture_questionnaire import picture_questionnaire
from server_helpers import Respondent

from survey.project import Project
from survey.questionnaire.media import SVG_POLICY
from survey.server.app import create_app

BASE = "/s/pictures/media/media/pictograms/"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    picture_questionnaire(tmp_path / "questionnaires")
    application = create_app(Project(tmp_path))
    application.testing = True
    return application


@pytest.mark.parametrize(("language", "people", "house"), [
    ("de", "Zwei Menschen", "Ein Haus"), ("en", "Two people", "A house"), ("ar", "شخصان", "منزل")])
def test_each_picture_has_alt_text_in_the_pages_language(app, language, people, house):
    respondent = Respondent(app.test_client(), language, survey="pictures")
    page = respondent.open(respondent.start().location).text
    assert f'<img class="question-picture" src="{BASE}contacts.svg" alt="{people}"' in page
    label = re.search(r'<label for="in-need-housing">(.*?)</label>', page).group(1)
    assert f'<img class="choice-picture" src="{BASE}housing.svg" alt="{house}"' in label
    jobs = re.search(r'<label for="in-need-jobs">(.*?)</label>', page).group(1)
    assert f'src="{BASE}jobs.svg" alt=""' in jobs, "a decorative picture is skipped"


def test_an_svg_is_served_as_svg_that_can_run_and_fetch_nothing(app, tmp_path):
    response = app.test_client().get(f"{BASE}housing.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == SVG_POLICY
    assert SVG_POLICY == "default-src 'none'; style-src 'unsafe-inline'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == (tmp_path / "questionnaires" / "media" / "pictograms"
                             / "housing.svg").read_bytes()


def test_pages_keep_their_own_policy(app):
    respondent = Respondent(app.test_client(), "de", survey="pictures")
    page = respondent.open(respondent.start().location)
    assert page.headers["Content-Security-Policy"] != SVG_POLICY
    assert "default-src" in page.headers["Content-Security-Policy"]


def test_a_pictogram_the_questionnaire_does_not_name_is_not_served(app):
    assert app.test_client().get(f"{BASE}school.svg").status_code == 404
