"""The data-entry screen for paper returns of every language of the flagship, the easy-German
variant included, in real Chromium: the typist opens a return by its serial (the screen lists
the questions in the typist's language with the codes printed on that form) and axe-core finds
no violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_check import served, violations
from playwright.sync_api import Browser
from support import copy_flagship

from survey.paper.serials import REGISTRY_FILE, PrintRun, register_runs
from survey.project import Project
from survey.server.app import create_app
from survey.store.users import Role, add_user

pytestmark = pytest.mark.slow

SURVEY = "zusammen"
PASSWORD = "a long enough password"
LANGUAGES = ("de", "de-x-easy", "en", "ru", "uk", "ar", "fa", "vi")


def serial(language: str) -> str:
    return f"{(LANGUAGES.index(language) + 1) * 100:06d}"


@pytest.fixture(scope="module")
def entry_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("entry-languages")
    copy_flagship(folder / "questionnaires")
    (folder / "paper").mkdir()
    version = Project(folder).questionnaire(SURVEY).survey.version
    register_runs(folder / "paper" / REGISTRY_FILE, [
        PrintRun(SURVEY, version, language, serial(language), serial(language))
        for language in LANGUAGES])
    app = create_app(Project(folder), f"sqlite:///{folder / 'store.sqlite'}")
    add_user(app.extensions["survey"].store, "tina", PASSWORD, Role.ADMIN)
    with served(app) as url:
        yield url


def test_the_entry_screen_of_every_language_passes_axe(browser: Browser, entry_url: str,
                                                        tmp_path: Path) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{entry_url}/entry/{SURVEY}/")
    page.fill("#name", "tina")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"**/entry/{SURVEY}/")
    found: list[str] = []
    for language in LANGUAGES:
        page.goto(f"{entry_url}/entry/{SURVEY}/")
        page.fill("#serial", serial(language))
        page.press("#serial", "Enter")
        page.wait_for_selector("#entry-form")
        found += violations(page)
        page.screenshot(path=str(tmp_path / f"entry-{language}.png"))
    context.close()
    assert found == []
