"""Generated speech on the online form: a player per question, hint, choice and the privacy
notice, labelled in the page's language; played for real in headless Chromium."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress
from flask import Flask
from playwright.sync_api import expect, sync_playwright
from speech_project import speech_project

from survey.audio import make_speech
from survey.project import Project
from survey.questionnaire.validate import validate_file
from survey.server.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
PLAYER = re.compile(r'<audio class="recording" controls preload="none" src="([^"]+)" '
                    r'aria-label="([^"]+)"></audio>')


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    root = tmp_path_factory.mktemp("spoken")
    make_speech(validate_file(speech_project(root)).questionnaire)
    application = create_app(Project(root))
    application.testing = True
    return application


def test_the_landing_page_speaks_the_privacy_notice(app):
    client = app.test_client()
    page = client.get("/s/neighbours/?lang=ar").text
    players = PLAYER.findall(page)
    assert [label for _, label in players] == ["استمع إلى معلومات حماية البيانات"]
    sound = client.get(players[0][0])
    assert sound.status_code == 200
    assert sound.mimetype == "audio/ogg"
    assert sound.data[:4] == b"OggS"
    assert client.get("/s/neighbours/media/neighbours.yaml").status_code == 404
    assert client.get("/s/neighbours/media/media/speech/neighbours/manifest.json"
                      ).status_code == 404


def test_the_german_page_has_german_players(app):
    page = app.test_client().get("/s/neighbours/?lang=de").text
    assert [label for _, label in PLAYER.findall(page)] == ["Datenschutzhinweise anhören"]


@pytest.fixture(scope="module")
def live_url(app: Flask) -> Iterator[str]:
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.mark.slow
def test_arabic_question_plays_in_chromium(live_url):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--mute-audio",
                  "--autoplay-policy=no-user-gesture-required"])
        page = browser.new_page(locale="ar")
        page.goto(f"{live_url}/s/neighbours/?lang=ar")
        with page.expect_navigation():
            page.click("form.start button[type=submit]")
        home = page.get_by_role("group", name="كيف تسكن؟")
        question = home.get_by_label("استمع إلى السؤال", exact=True)
        expect(question).to_have_accessible_name("استمع إلى السؤال")
        expect(page.locator("#q-home p.hint + audio")).to_have_accessible_name(
            "استمع إلى الشرح")
        choice = home.get_by_label("استمع إلى الإجابة: شقة", exact=True)
        expect(choice).to_have_count(1)
        expect(page.locator("details.privacy audio")).to_have_accessible_name(
            "استمع إلى معلومات حماية البيانات")
        played = question.evaluate("""async (audio) => {
            await audio.play();
            await new Promise(done => setTimeout(done, 400));
            return {time: audio.currentTime, duration: audio.duration};
        }""")
        assert played["duration"] > 0.3 and played["duration"] != float("inf")
        assert played["time"] > 0
        choice.evaluate("audio => audio.play()")
        choice.focus()
        page.keyboard.press("Space")
        assert not page.is_checked("#in-home-flat")
        browser.close()
