"""Blind double entry in real Chromium: two typists enter the same serial by keyboard alone with
one difference, a third person reconciles it, and the accepted response and the audit trail
show the decision. Screenshots of the screens go to the test's temporary folder."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import waitress
from playwright.sync_api import Browser, Page, expect
from server_helpers import free_port, typed_copy
from support import copy_flagship

from survey.paper.serials import REGISTRY_FILE, PrintRun, register_runs
from survey.project import Project
from survey.questionnaire.model import Questionnaire
from survey.returns.typed import BLANK
from survey.server.app import create_app
from survey.store.entries import audit_trail, paper_submission_id, serial_subject
from survey.store.store import Store
from survey.store.users import Role, add_user

ROOT = Path(__file__).resolve().parents[3]
SURVEY = "zusammen"
PASSWORD = "a long enough password"
SERIAL = "000042"


@dataclass
class EntryServer:
    url: str
    store: Store
    questionnaire: Questionnaire
    shots: Path


@pytest.fixture(scope="module")
def entry_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EntryServer]:
    folder = tmp_path_factory.mktemp("entry-browser")
    copy_flagship(folder / "questionnaires")
    (folder / "paper").mkdir()
    register_runs(folder / "paper" / REGISTRY_FILE,
                  [PrintRun(SURVEY, "2026.1", "de", "000001", "000100")])
    project = Project(folder)
    app = create_app(project, f"sqlite:///{folder / 'store.sqlite'}")
    store = app.extensions["survey"].store
    for name in ("anna", "ben", "carla"):
        add_user(store, name, PASSWORD, Role.ENTRY)
    port = free_port()
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield EntryServer(f"http://127.0.0.1:{port}", store, project.questionnaire(SURVEY),
                      folder / "screenshots")
    server.close()
    thread.join(timeout=5)




def log_in(browser: Browser, server: EntryServer, name: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{server.url}/entry/{SURVEY}/")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"**/entry/{SURVEY}/")
    serial_focused(page)
    return page


def serial_focused(page: Page) -> None:
    """Keystrokes typed before `autofocus` has put the cursor in the serial field are lost."""
    page.wait_for_function("document.activeElement && document.activeElement.id === 'serial'")


def type_copy(page: Page, serial: str, typed: Mapping[str, str]) -> list[str]:
    """Type the serial and every field the cursor stops at, by keyboard alone; returns the
    fields in the order the cursor visited them."""
    serial_focused(page)
    page.keyboard.type(serial)
    page.keyboard.press("Enter")
    page.wait_for_selector("#entry-form")
    visited = []
    while True:
        name = page.evaluate("document.activeElement.closest('tr')?.dataset.field || null")
        if name is None:
            break
        visited.append(name)
        page.keyboard.type(typed.get(name, BLANK))
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "finish"
    page.keyboard.press("Enter")
    page.wait_for_selector("#serial")
    return visited


def test_two_typists_and_a_reconciler(browser: Browser, entry_server: EntryServer):
    server = entry_server
    server.shots.mkdir(exist_ok=True)
    typed = typed_copy(server.questionnaire)
    changed = dict(typed, household=str(int(typed["household"]) + 1))

    anna = log_in(browser, server, "anna")
    visited = type_copy(anna, SERIAL, typed)
    assert set(visited) == set(typed)  # the cursor stopped exactly at the questions routed to
    assert "waits for its second entry" in anna.text_content(".notice")

    ben = log_in(browser, server, "ben")
    ben.keyboard.type(SERIAL)
    ben.keyboard.press("Enter")
    ben.wait_for_selector("#entry-form")
    assert ben.input_value("#f-household") == ""  # blind: nothing of the first entry
    ben.keyboard.type("9")  # consent code that is not printed: told at once
    ben.keyboard.press("Enter")
    expect(ben.locator("#e-consent")).to_contain_text("is not a printed code")
    ben.focus("#f-consent")  # the routing skipped everything after a consent not given
    ben.screenshot(path=str(server.shots / "entry-screen.png"), full_page=False)
    ben.goto(f"{server.url}/entry/{SURVEY}/")  # leave; starting the serial again resumes
    ben.focus("#serial")
    type_copy(ben, SERIAL, changed)
    assert "differ or need a decision" in ben.text_content(".notice")

    carla = log_in(browser, server, "carla")
    carla.goto(f"{server.url}/entry/{SURVEY}/reconcile/{SERIAL}")
    rows = carla.locator("tr[data-field]")
    assert rows.count() == 1 and rows.first.get_attribute("data-field") == "household"
    carla.screenshot(path=str(server.shots / "reconcile-screen.png"), full_page=False)
    carla.click("button.pick >> nth=1")  # the second entry matches the paper
    assert carla.input_value("#f-household") == changed["household"]
    carla.click("#accept")
    carla.wait_for_selector(".notice")
    assert "reconciled and accepted" in carla.text_content(".notice")

    stored = server.store.response(paper_submission_id(SURVEY, SERIAL))
    assert stored["mode"] == "paper"
    assert stored["answers"]["household"] == int(changed["household"])
    [decision] = [r for r in audit_trail(server.store, SURVEY, serial_subject(SERIAL))
                  if r.action == "decide"]
    assert (decision.user, decision.field, decision.new) == (
        "carla", "household", changed["household"])
    assert decision.old == f"{typed['household']} | {changed['household']}"
