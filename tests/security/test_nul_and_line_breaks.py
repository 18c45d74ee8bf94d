"""A NUL byte in any submitted field, or a line break in an address, is a bad request (400)
with a page or a JSON message: never a 500, on SQLite as on PostgreSQL (which cannot hold NUL
in text), and never a split redirect header."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from security_helpers import Browser, serving
from server_helpers import SURVEY, Respondent, hidden, sqlite_url, store_of

from survey.server.app import create_app
from survey.server.serve import proxy_options
from survey.store.users import add_user

PASSWORD = "correct horse battery"


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, project, tmp_path) -> Iterator[Flask]:
    url = (sqlite_url(tmp_path / "store.sqlite") if request.param == "sqlite"
           else request.getfixturevalue("pg_database"))
    application = create_app(project, url)
    application.testing = True
    add_user(store_of(application), "ana", PASSWORD)
    yield application
    store_of(application).close()


def _csrf(client: FlaskClient, path: str) -> str:
    return hidden(client.get(path).text, "csrf_token")


def _is_bad_request_page(response) -> None:
    assert response.status_code == 400
    assert response.mimetype == "text/html" and "<html" in response.text


@pytest.mark.parametrize("path, fields", [
    (f"/s/{SURVEY}/resume", {"code": "abcd\x00efgh"}),
    (f"/s/{SURVEY}/start", {"lang": "de", "invitation": "tok\x00en"}),
    (f"/s/{SURVEY}/start", {"lang": "de\x00"}),
    ("/admin/login", {"name": "ana\x00", "password": PASSWORD}),
    ("/entry/login", {"name": "ana", "password": "x\x00y"}),
    ("/admin/login", {"name\x00": "ana", "password": PASSWORD}),
])
def test_nul_in_a_form_field_is_400(served, path, fields):
    client = served.test_client()
    page = path if path.endswith("login") else f"/s/{SURVEY}/"
    response = client.post(path, data={"csrf_token": _csrf(client, page), **fields})
    _is_bad_request_page(response)
    assert store_of(served).count(SURVEY) == {}


@pytest.mark.parametrize("path", [
    f"/s/{SURVEY}/?code=ab%00cd", f"/s/{SURVEY}/?invitation=%00", "/admin/login?next=%00",
    "/entry/zusammen/reconcile/00%0001", f"/s/{SURVEY}%00/",
])
def test_nul_in_an_address_is_400_or_404(served, path):
    response = served.test_client().get(path)
    assert response.status_code in (400, 404)


def test_an_answer_with_nul_is_still_named_next_to_its_field(served):
    """The respondent keeps the page and sees which answer cannot be stored (422)."""
    client = served.test_client()
    respondent = Respondent(client, "de")
    location = respondent.start().location
    respondent.open(location)
    response = respondent.post_page(location, {"consent": "yes", "birth_country": "DE\x00"})
    assert response.status_code in (302, 422)
    assert store_of(served).count(SURVEY) == {}


@pytest.mark.parametrize("target", [
    "/admin/%0d%0aSet-Cookie:%20owned=1", "/admin/%0aLocation:%20https://evil.example",
    "/admin/%0D%0A%0D%0A<script>alert(1)</script>",
])
def test_a_line_break_in_next_is_400_and_never_a_header(served, target):
    client = served.test_client()
    token = _csrf(client, "/admin/login")
    response = client.post(f"/admin/login?next={target}", data={
        "csrf_token": token, "name": "ana", "password": PASSWORD})
    _is_bad_request_page(response)
    assert "owned" not in str(response.headers) and "evil" not in str(response.headers)


def test_an_ordinary_next_still_leads_back(served):
    client = served.test_client()
    token = _csrf(client, "/admin/login")
    response = client.post(f"/admin/login?next=/admin/{SURVEY}/", data={
        "csrf_token": token, "name": "ana", "password": PASSWORD})
    assert response.status_code == 302 and response.location.endswith(f"/admin/{SURVEY}/")


def test_a_real_server_answers_nul_and_line_breaks_with_400(project, tmp_path):
    """Over HTTP through waitress, as a browser or a script sends them."""
    app = create_app(project, sqlite_url(tmp_path / "store.sqlite"))
    add_user(store_of(app), "ana", PASSWORD)
    with serving(app, threads=4, **proxy_options(False)) as live:
        browser = Browser(live.url)
        _, _, page = browser.request("GET", "/admin/login")
        token = hidden(page, "csrf_token")
        crlf = browser.request("POST", "/admin/login?next=/admin/%0D%0ASet-Cookie:%20owned=1",
                               {"csrf_token": token, "name": "ana", "password": PASSWORD})
        nul = browser.request("POST", "/admin/login",
                              {"csrf_token": token, "name": "ana\x00", "password": PASSWORD})
        address = browser.request("GET", f"/s/{SURVEY}/?code=%00")
        api = browser.request("GET", f"/s/{SURVEY}/api/submissions%0a")
    for status, headers, text in (crlf, nul, address):
        assert status == 400 and "<html" in text
        assert "owned" not in str(headers)
    assert api[0] in (400, 404, 405)
