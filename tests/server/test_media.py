"""Pictures and recordings online: shown in the respondent's language, served from the
questionnaire's folder, and nothing else from that folder (or beyond it) can be fetched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from server_helpers import Respondent
from support import media_questionnaire

from survey.project import Project
from survey.server.app import create_app


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    media_questionnaire(tmp_path / "questionnaires")
    application = create_app(Project(tmp_path))
    application.testing = True
    return application


def first_page(app: Flask, language: str) -> str:
    respondent = Respondent(app.test_client(), language, survey="housing_pictures")
    return respondent.open(respondent.start().location).text


@pytest.mark.parametrize(("language", "shelter", "recording", "listen"), [
    ("de", "shelter-de.jpg", "home-de.wav", "Frage anhören"),
    ("ar", "shelter-ar.jpg", "home-ar.wav", "استمع إلى السؤال"),
])
def test_the_page_shows_the_pictures_and_recording_of_its_language(app, language, shelter,
                                                                   recording, listen):
    page = first_page(app, language)
    base = "/s/housing_pictures/media/media/"
    assert f'<img class="question-picture" src="{base}street.png" alt=""' in page
    assert f'src="{base}flat.png"' in page
    assert f'src="{base}{shelter}"' in page
    assert f'<audio class="recording" controls preload="none" src="{base}{recording}" ' \
           f'aria-label="{listen}">' in page
    assert f'src="{base}sad.png"' in page and f'src="{base}happy.png"' in page
    # the picture sits inside the choice's label, so tapping it ticks the choice
    label = re.search(r'<label for="in-home_kind-flat">(.*?)</label>', page).group(1)
    assert "flat.png" in label


def test_a_named_file_is_served_with_its_type(app, tmp_path):
    client = app.test_client()
    picture = client.get("/s/housing_pictures/media/media/flat.png")
    assert picture.status_code == 200
    assert picture.mimetype == "image/png"
    assert picture.data == (tmp_path / "questionnaires" / "media" / "flat.png").read_bytes()
    assert picture.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in picture.headers["Cache-Control"], "phones keep pictures a while"
    assert "max-age=3600" in picture.headers["Cache-Control"]
    sound = client.get("/s/housing_pictures/media/media/home-ar.wav")
    assert sound.status_code == 200 and sound.mimetype == "audio/wav"
    partial = client.get("/s/housing_pictures/media/media/home-ar.wav",
                         headers={"Range": "bytes=0-99"})
    assert partial.status_code == 206 and len(partial.data) == 100, "phones seek in recordings"


@pytest.mark.parametrize("name", [
    "housing.yaml", "media/../housing.yaml", "..%2Fhousing.yaml", "media/other.png",
    "../../store.sqlite", "/etc/passwd", "media/flat.png/", "MEDIA/FLAT.PNG",
])
def test_nothing_but_the_named_files_can_be_fetched(app, tmp_path, name):
    (tmp_path / "questionnaires" / "media" / "other.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    answer = app.test_client().get(f"/s/housing_pictures/media/{name}", follow_redirects=True)
    assert answer.status_code == 404
    assert b"survey:" not in answer.data and b"PNG" not in answer.data


def test_media_of_another_survey_id_is_not_found(app):
    assert app.test_client().get("/s/nothing/media/media/flat.png").status_code == 404


def test_media_are_found_when_the_server_runs_inside_the_project(tmp_path, monkeypatch):
    """`survey serve` without a path, in the project's folder: the questionnaire's file name is
    relative then, and its pictures must still come from its folder."""
    media_questionnaire(tmp_path / "questionnaires")
    monkeypatch.chdir(tmp_path)
    application = create_app(Project(Path(".")))
    picture = application.test_client().get("/s/housing_pictures/media/media/flat.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png"


def test_a_link_made_after_the_server_started_leads_nowhere(app, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    flat = tmp_path / "questionnaires" / "media" / "flat.png"
    flat.unlink()
    flat.symlink_to(secret)
    answer = app.test_client().get("/s/housing_pictures/media/media/flat.png")
    assert answer.status_code == 404 and b"secret" not in answer.data
