"""The staff pages in German in real Chromium: a user whose setting is German (the browser
asks for English) logs in, uses the admin page and the fieldwork dashboard, a response's page,
enters one paper return and opens the reconciliation list; axe-core finds no violation on any
of these pages."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_check import served, violations
from playwright.sync_api import Browser, Page
from server_helpers import typed_copy
from support import copy_flagship

from survey.paper.serials import REGISTRY_FILE, PrintRun, register_runs
from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.model import Questionnaire
from survey.returns.typed import entry_fields
from survey.server.app import create_app
from survey.store.schema import Mode, Status
from survey.store.store import Response, Store, today
from survey.store.users import Role, add_user, set_language

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
SURVEY = "zusammen"
PASSWORD = "a long enough password"
SERIAL = "000023"


@dataclass
class StaffServer:
    url: str
    store: Store
    questionnaire: Questionnaire
    shots: Path


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffServer]:
    folder = tmp_path_factory.mktemp("staff-german")
    copy_flagship(folder / "questionnaires")
    (folder / "paper").mkdir()
    register_runs(folder / "paper" / REGISTRY_FILE,
                  [PrintRun(SURVEY, "2026.1", "de", "000001", "000100")])
    project = Project(folder)
    app = create_app(project, f"sqlite:///{folder / 'store.sqlite'}")
    store = app.extensions["survey"].store
    add_user(store, "greta", PASSWORD, Role.ADMIN)
    set_language(store, "greta", "de")
    questionnaire = project.questionnaire(SURVEY)
    rows = [json.loads(line) for line in
            (ROOT / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines()]
    checked = next(check_answers(questionnaire, r["answers"]) for r in rows
                   if check_answers(questionnaire, r["answers"]).accepted)
    store.add([Response(str(uuid.uuid4()), SURVEY, "2026.1", Mode.WEB, Status.ACCEPTED,
                        raw=checked.validated, answers=checked.validated, language="de",
                        received_on=today())])
    with served(app) as url:
        yield StaffServer(url, store, project.questionnaire(SURVEY), folder / "screenshots")




def german(page: Page) -> None:
    assert page.get_attribute("html", "lang") == "de", page.url


def test_a_german_user_works_through_the_staff_pages(browser: Browser,
                                                     staff_server: StaffServer):
    server = staff_server
    server.shots.mkdir(exist_ok=True)
    context = browser.new_context(bypass_csp=True, locale="en-GB",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found: list[str] = []

    page.goto(f"{server.url}/admin/{SURVEY}/")  # sent to the login, which follows the browser
    page.wait_for_selector("#name")
    assert page.get_attribute("html", "lang") == "en"
    found += violations(page)
    page.fill("#name", "greta")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"**/admin/{SURVEY}/")
    german(page)  # from now on her setting: German
    assert page.locator("#latest caption").text_content() == "Die neuesten Antworten"
    assert "wie für Ihr Konto eingestellt" in page.text_content("footer.staff-language")
    found += violations(page)

    page.goto(f"{server.url}/admin/{SURVEY}/fieldwork")  # the fieldwork dashboard
    german(page)
    assert "Kein Analyseplan" in page.text_content("main")
    found += violations(page)

    page.goto(f"{server.url}/entry/{SURVEY}/")  # data entry of one paper return
    german(page)
    assert page.text_content("h1") == "Bogen erfassen"
    found += violations(page)
    page.fill("#serial", SERIAL)
    page.press("#serial", "Enter")
    page.wait_for_selector("#entry-form")
    german(page)
    assert page.text_content("#finish") == "Erfassung abschließen"
    page.fill("#f-consent", "9")
    page.press("#f-consent", "Tab")
    page.wait_for_function(
        "document.getElementById('e-consent').textContent.includes('kein aufgedruckter Code')")
    found += violations(page)  # the screen showing a problem
    page.screenshot(path=str(server.shots / "entry-de.png"))
    typed = typed_copy(server.questionnaire)
    for item in entry_fields(server.questionnaire):  # in the order of the form
        field = page.locator(f"[id='f-{item.name}']")
        if item.name in typed and field.is_editable():
            field.fill(typed[item.name])
            field.press("Tab")  # the routing follows each answer
    page.click("#finish")
    page.wait_for_selector(".notice")
    german(page)
    assert "jetzt fehlt noch die zweite Erfassung" in page.text_content(".notice")
    found += violations(page)

    page.click("nav.entry-nav >> text=Abgleichen")  # the reconciliation list
    page.wait_for_url(f"**/entry/{SURVEY}/reconcile")
    german(page)
    assert page.text_content("h1") == "Rückläufe, die auf eine Entscheidung warten"
    found += violations(page)

    page.goto(f"{server.url}/admin/{SURVEY}/")  # a search without result, then a response
    page.fill("#find-q", "99")
    page.press("#find-q", "Enter")
    page.wait_for_selector("#find-error")
    german(page)
    assert "Keine Antwort dieser Befragung" in page.text_content("#find-error")
    found += violations(page)
    page.click("#latest tbody a >> nth=0")
    page.wait_for_selector("#answers")
    german(page)
    assert page.text_content("#answers-title") == "Antworten"
    assert page.locator("#provenance caption").text_content() == "Herkunft"
    consent = server.questionnaire.question("consent").label.get("de")
    assert consent.split()[0] in page.text_content("#answers")  # the question in German
    found += violations(page)
    page.screenshot(path=str(server.shots / "response-de.png"), full_page=True)
    context.close()
    assert not found, "\n".join(found)
