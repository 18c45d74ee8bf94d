"""The staff pages (admin, data entry, reconciliation, login) in the staff language: the user's
setting, else the browser's Accept-Language, else English; and on a German page no English
text of the staff catalogue is left."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from server_helpers import SURVEY, api_post, hidden, new_id, typed_copy
from support import copy_flagship

from survey.paper.serials import REGISTRY_FILE, PrintRun, register_runs
from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.model import Questionnaire
from survey.server.app import create_app
from survey.server.entry.views import FIELD_PREFIX
from survey.staff_texts import LOCALE_DIR, placeholders, staff_text
from survey.store.entries import paper_submission_id
from survey.store.schema import Mode, Status
from survey.store.store import Problem, Response, Store, today
from survey.store.users import Role, add_user, set_language

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"
POT = LOCALE_DIR / "staff_pages.pot"
CATALOGUES = (POT, LOCALE_DIR / "fieldwork.pot")
"""The texts of the staff pages: their own, and the fieldwork dashboard's."""
CONFLICT, AGREED, BAD = "000007", "000008", "000009"
STAFF = {"ana": Role.ADMIN, "anna": Role.ENTRY, "ben": Role.ENTRY, "tom": Role.ADMIN}
"""ana reads German (her setting), tom English (his setting); anna and ben follow the browser."""


def make_project(folder: Path) -> Project:
    copy_flagship(folder / "questionnaires")
    (folder / "paper").mkdir()
    register_runs(folder / "paper" / REGISTRY_FILE,
                  [PrintRun(SURVEY, "2026.1", "de", "000001", "000050")])
    return Project(folder)




def log_in(client: FlaskClient, name: str, area: str = "admin") -> str:
    page = client.get(f"/{area}/login")
    response = client.post(f"/{area}/login", data={
        "csrf_token": hidden(page.text, "csrf_token"), "name": name, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return hidden(client.get(f"/{area}/").text, "csrf_token")


@dataclass
class StaffSite:
    app: Flask
    store: Store
    questionnaire: Questionnaire
    typed: dict[str, str]
    quarantined: str
    web: str

    def client(self, name: str | None = None, area: str = "admin",
               accept_language: str | None = None) -> tuple[FlaskClient, str]:
        client = self.app.test_client()
        if accept_language:
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept_language
        token = log_in(client, name, area) if name else ""
        return client, token


def enter(site: StaffSite, name: str, serial: str, typed: dict[str, str]) -> None:
    client, token = site.client(name, "entry")
    started = client.post(f"/entry/{SURVEY}/start", data={"csrf_token": token, "serial": serial})
    assert started.status_code == 302, started.text
    data = {"csrf_token": token, "action": "finish"} | {
        FIELD_PREFIX + n: v for n, v in typed.items()}
    assert client.post(started.location, data=data).status_code == 302


@pytest.fixture(scope="module")
def staff_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    """A server with a web response, a paper copy entered twice alike (accepted), one entered
    twice with a difference (waiting), and a quarantined import row."""
    folder = tmp_path_factory.mktemp("staff-pages")
    project = make_project(folder)
    app = create_app(project, f"sqlite:///{folder / 'store.sqlite'}")
    app.testing = True
    store: Store = app.extensions["survey"].store
    for name, role in STAFF.items():
        add_user(store, name, PASSWORD, role)
    set_language(store, "ana", "de")
    set_language(store, "tom", "en")
    questionnaire = project.questionnaire(SURVEY)
    typed = typed_copy(questionnaire)
    site = StaffSite(app, store, questionnaire, typed, new_id(), new_id())
    rows = [json.loads(line) for line in
            (ROOT / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines()]
    sample = next(r for r in rows if check_answers(questionnaire, r["answers"]).accepted)
    assert api_post(app.test_client(), {"submission_id": site.web, "language": "de",
                                        "answers": sample["answers"]}).status_code == 201
    for serial, second in ((AGREED, typed),
                           (CONFLICT, typed | {"household": str(int(typed["household"]) + 1)})):
        enter(site, "anna", serial, typed)
        enter(site, "ben", serial, second)
    store.add([Response(
        site.quarantined, SURVEY, "2026.1", Mode.IMPORT, Status.QUARANTINED,
        raw={"gender": "7", "birth_year": "1985"}, answers={}, language="de",
        source_file="partner.csv", source_row=4, entered_by="ana", received_on=today(),
        problems=(Problem("choice", "7 is not a choice of question 3 (gender)", "error",
                          "gender", "7", "use one of the codes 1, 2, 3"),))])
    yield site
    store.close()


# -- which language --------------------------------------------------------------------------

def test_a_user_whose_setting_is_german_gets_german_pages(staff_site):
    client, _ = staff_site.client("ana")  # the browser sends no Accept-Language
    page = client.get(f"/admin/{SURVEY}/").text
    assert '<html lang="de"' in page
    assert "Abmelden" in page and "Die neuesten Antworten" in page
    assert "wie für Ihr Konto eingestellt" in page  # says where the language comes from
    assert "survey users language ana de|en|browser" in page  # and how to change it
    entry = client.get(f"/entry/{SURVEY}/reconcile").text
    assert '<html lang="de"' in entry and "Rückläufe, die auf eine Entscheidung warten" in entry


def test_a_browser_asking_for_german_gets_german_pages(staff_site):
    client, _ = staff_site.client(accept_language="de-DE,de;q=0.9,en;q=0.5")
    login = client.get("/admin/login").text
    assert '<html lang="de"' in login and "Anmelden" in login and "Passwort" in login
    client, _ = staff_site.client("anna", "entry", accept_language="de")
    page = client.get(f"/entry/{SURVEY}/").text
    assert '<html lang="de"' in page and "Bogen erfassen" in page
    assert "der Sprache, die Ihr Browser anfragt" in page


def test_english_otherwise(staff_site):
    for accept in (None, "fr-FR,fr;q=0.9", "en-GB"):
        client, _ = staff_site.client(accept_language=accept)
        page = client.get("/admin/login").text
        assert '<html lang="en"' in page and "Log in" in page and "Password" in page
    client, _ = staff_site.client("tom", accept_language="de")  # his setting wins
    page = client.get(f"/admin/{SURVEY}/").text
    assert '<html lang="en"' in page and "The latest responses" in page


def test_messages_of_the_entry_screens_are_german(staff_site):
    client, token = staff_site.client("anna", "entry", accept_language="de")
    refused = client.post(f"/entry/{SURVEY}/start", data={"csrf_token": token,
                                                          "serial": "abc"})
    assert refused.status_code == 409
    assert "„abc“ ist keine Seriennummer" in refused.text
    started = client.post(f"/entry/{SURVEY}/start", data={"csrf_token": token,
                                                          "serial": "000020"})
    wrong = client.post(started.location, data={"csrf_token": token, "action": "finish",
                                                FIELD_PREFIX + "consent": "9"})
    assert wrong.status_code == 422
    assert "„9“ ist kein aufgedruckter Code" in wrong.text
    check = client.post(started.location + "/check", data={
        "csrf_token": token, FIELD_PREFIX + "consent": "9", "upto": "consent"})
    assert "ist kein aufgedruckter Code" in check.get_json()["problems"]["consent"]
    kept = client.post(started.location, data={"csrf_token": token, "action": "save"})
    assert "als Entwurf gespeichert" in client.get(kept.location).text


# -- no English left on the German pages -----------------------------------------------------

_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<table[^>]*id=\"raw\".*?</table>",
                     re.S | re.I)
"""Scripts, styles, and the record as received (data, exactly as the respondent sent it)."""
_ATTRIBUTES = re.compile(r'\b(?:alt|aria-label|title|placeholder)="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")
ALLOWED = {"CSV", "XLSX"}
"""Fragments that are the same words in German."""


def visible_text(page: str) -> str:
    page = _HIDDEN.sub(" ", page)
    shown = " ".join([_TAGS.sub(" ", page), *_ATTRIBUTES.findall(page)])
    return " ".join(html.unescape(shown).split())


def english_fragments() -> list[tuple[str, str]]:
    """(msgid, fragment): the literal words of every staff-page text whose German differs."""
    catalogue = []
    for path in CATALOGUES:
        with path.open("rb") as handle:
            catalogue += list(read_po(handle))
    found = []
    for message in catalogue:
        if not message.id:
            continue
        texts = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in texts:
            params = {name: "\x00" for name in placeholders(text)}
            english = text.format_map(params)
            if not isinstance(message.id, tuple) and staff_text(
                    text, **params).in_language("de") == english:
                continue
            parts = english.split("\x00")
            for fragment in parts:
                fragment = " ".join(fragment.split()).strip(" ,.;:()·–'")
                # a single word between placeholders ("of", "serial") says little on its own
                telling = len(parts) == 1 or len(fragment.split()) > 1
                if telling and re.search(r"[A-Za-z]{2}", fragment) and fragment not in ALLOWED:
                    found.append((text, fragment))
    return found


def german_pages(site: StaffSite) -> dict[str, str]:
    """Every kind of staff page, as a German-speaking admin and typists see them."""
    pages: dict[str, str] = {}
    anonymous, _ = site.client(accept_language="de")
    pages["login"] = anonymous.get("/admin/login").text
    pages["wrong login"] = anonymous.post("/admin/login", data={
        "csrf_token": hidden(pages["login"], "csrf_token"), "name": "ana",
        "password": "not her password"}).text
    pages["entry login"] = anonymous.get("/entry/login").text
    ana, token = site.client("ana")
    paper = paper_submission_id(SURVEY, AGREED)
    pages["admin home"] = ana.get("/admin/").text
    pages["survey"] = ana.get(f"/admin/{SURVEY}/").text
    pages["search without result"] = ana.get(f"/admin/{SURVEY}/responses/find",
                                             query_string={"q": "000049"}).text
    for name, submission in (("paper response", paper), ("web response", site.web),
                             ("quarantined response", site.quarantined)):
        page = ana.get(f"/admin/{SURVEY}/responses/{submission}")
        assert page.status_code == 200, name
        pages[name] = page.text
    pages["entry home"] = ana.get("/entry/").text
    pages["entry start"] = ana.get(f"/entry/{SURVEY}/").text
    started = ana.post(f"/entry/{SURVEY}/start", data={"csrf_token": token, "serial": "000030"})
    pages["entry copy"] = ana.get(started.location).text
    pages["entry copy with problems"] = ana.post(started.location, data={
        "csrf_token": token, "action": "finish", FIELD_PREFIX + "consent": "1",
        FIELD_PREFIX + "birth_year": "neunzehn"}).text
    pages["reconcile list"] = ana.get(f"/entry/{SURVEY}/reconcile").text
    pages["reconcile copy"] = ana.get(f"/entry/{SURVEY}/reconcile/{CONFLICT}").text
    pages["reconcile copy, not accepted"] = ana.post(
        f"/entry/{SURVEY}/reconcile/{CONFLICT}", data={"csrf_token": token}).text
    ana.post(f"/entry/{SURVEY}/leave", data={"csrf_token": token, "subject": "serial " +
                                             CONFLICT})
    pages["fix quarantined row"] = ana.get(f"/entry/{SURVEY}/fix/{site.quarantined}").text
    pages["progress"] = ana.get(f"/entry/{SURVEY}/progress").text
    pages["fieldwork dashboard"] = ana.get(f"/admin/{SURVEY}/fieldwork").text
    pages["audit trail"] = ana.get(f"/entry/{SURVEY}/audit").text
    anna, _ = site.client("anna", "entry", accept_language="de")
    pages["reconciling own copy"] = anna.get(f"/entry/{SURVEY}/reconcile/{CONFLICT}").text
    return pages


def test_no_english_text_of_the_catalogue_is_left_on_german_pages(staff_site):
    fragments = english_fragments()
    assert len(fragments) > 150  # the catalogue was read
    left = []
    for name, page in german_pages(staff_site).items():
        assert '<html lang="de"' in page, name
        text = visible_text(page)
        for msgid, fragment in fragments:
            hit = re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", text)
            if hit:
                context = text[max(0, hit.start() - 60):hit.end() + 60]
                left.append(f"{name}: {fragment!r} (of {msgid!r}) in …{context}…")
    assert not left, "\n".join(left)


def test_the_staff_catalogue_is_complete_and_apart_from_the_others():
    with POT.open("rb") as handle:
        template = read_po(handle)
    german_path = LOCALE_DIR / "de" / "LC_MESSAGES" / "staff_pages.po"
    with german_path.open("rb") as handle:
        german = read_po(handle, locale="de")
    untranslated = [m.id for m in template if m.id and (
        m.id not in german or not all(german[m.id].string if isinstance(
            german[m.id].string, tuple) else [german[m.id].string]) or german[m.id].fuzzy)]
    assert not untranslated
    for message in template:  # every placeholder is kept in German
        if message.id and not isinstance(message.id, tuple):
            assert placeholders(german[message.id].string) == placeholders(message.id), \
                message.id
    for other in (LOCALE_DIR / "de" / "LC_MESSAGES").glob("*.po"):
        if other == german_path:
            continue
        with other.open("rb") as handle:
            theirs = read_po(handle, locale="de")
        for message in theirs:  # a shared msgid must say the same, or one would hide the other
            if message.id and message.id in german and message.string:
                assert message.string == german[message.id].string, (other.name, message.id)
