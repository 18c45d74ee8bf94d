"""The admin area: login with hashed passwords, CSRF, counts, and safe downloads."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from server_helpers import SURVEY, api_post, hidden, new_id, store_of

from survey.store.schema import users
from survey.store.store import StoreError
from survey.store.users import Role, add_user

PASSWORD = "correct horse battery"
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"


@pytest.fixture
def admin_user(app) -> str:
    add_user(store_of(app), "ana", PASSWORD)
    return "ana"


def login(client, name: str, password: str, next_page: str = ""):
    page = client.get("/admin/login")
    return client.post(f"/admin/login{next_page}", data={
        "csrf_token": hidden(page.text, "csrf_token"), "name": name, "password": password})


def test_admin_pages_need_a_login(client):
    for path in ("/admin/", f"/admin/{SURVEY}/", f"/admin/{SURVEY}/responses.csv",
                 f"/admin/{SURVEY}/responses.xlsx"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login" in response.location


def test_a_wrong_password_or_unknown_user_is_refused_alike(client, admin_user):
    wrong = login(client, "ana", "wrong password!")
    unknown = login(client, "nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "Name or password is wrong." in wrong.text
    assert client.get("/admin/").status_code == 302


def test_login_opens_the_admin_pages_and_logout_closes_them(client, admin_user):
    response = login(client, "ana", PASSWORD, f"?next=/admin/{SURVEY}/")
    assert response.status_code == 302 and response.location == f"/admin/{SURVEY}/"
    page = client.get(f"/admin/{SURVEY}/")
    assert page.status_code == 200
    logout = client.post("/admin/logout", data={"csrf_token": hidden(page.text, "csrf_token")})
    assert logout.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_login_does_not_redirect_to_another_site(client, admin_user):
    for target in ("https://evil.example/", "//evil.example/admin", "/admin//evil.example"):
        response = login(client, "ana", PASSWORD, f"?next={target}")
        assert response.location == "/admin/"


def test_login_without_csrf_token_is_refused(client, admin_user):
    client.get("/admin/login")
    response = client.post("/admin/login", data={"name": "ana", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_passwords_are_stored_as_salted_scrypt_hashes(app, admin_user):
    add_user(store_of(app), "ben", PASSWORD, Role.ENTRY)
    with store_of(app).engine.connect() as connection:
        hashes = dict(connection.execute(sa.select(users.c.name, users.c.password_hash)).all())
    assert all(h.startswith("scrypt:") and PASSWORD not in h for h in hashes.values())
    assert hashes["ana"] != hashes["ben"]


def test_an_entry_user_cannot_see_the_admin_pages(client, app):
    add_user(store_of(app), "clerk", PASSWORD, Role.ENTRY)
    login(client, "clerk", PASSWORD)
    refused = client.get("/admin/")
    assert refused.status_code == 403
    assert "You are logged in as clerk, whose role (entry) does not open this page" in \
        refused.text
    assert 'action="/admin/login?next=/admin/"' in refused.text, "logging in again works"
    assert "<td>" not in refused.text, "nothing of the admin page is shown"


@pytest.mark.parametrize(("name", "password", "message"), [
    ("ana", "short", "at least 10"),
    ("", PASSWORD, "1 to 64"),
    ("x" * 65, PASSWORD, "1 to 64"),
    ("ana", PASSWORD, "already a user"),
])
def test_bad_users_are_refused_with_a_reason(app, admin_user, name, password, message):
    with pytest.raises(StoreError, match=message):
        add_user(store_of(app), name, password)


def test_counts_and_completion_are_shown(client, app, admin_user, sample_submissions,
                                         flagship):
    for sample in sample_submissions[:5]:
        api_post(client, {"submission_id": new_id(), "language": sample["language"],
                          "answers": sample["answers"]})
    login(client, "ana", PASSWORD)
    page = client.get(f"/admin/{SURVEY}/").text
    languages = {s["language"] for s in sample_submissions[:5]}
    by_language = re.search(r'id="by-language">(.*?)</table>', page, re.S).group(1)
    for language in languages:
        count = sum(s["language"] == language for s in sample_submissions[:5])
        assert f"<td>{language}</td><td>{count}</td>" in by_language
    assert "<td>online</td><td>5</td>" in page  # the mode "web" as staff say it
    first = flagship.sections[0].title.get("en", flagship.default_language)
    assert re.search(rf"<td>1\. {re.escape(first)}</td><td>5</td><td>5</td>", page)


def test_downloads_hold_every_accepted_response_with_formulas_neutralised(
        client, app, admin_user, sample_submissions, flagship):
    sample = sample_submissions[0]
    sent = {"submission_id": new_id(), "language": sample["language"],
            "answers": sample["answers"] | {"problem": FORMULA, "suggest": "@SUM(A1)"}}
    assert api_post(client, sent).status_code == 201
    login(client, "ana", PASSWORD)
    response = client.get(f"/admin/{SURVEY}/responses.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["submission_id"] == sent["submission_id"]
    assert row["problem"] == "'" + FORMULA and row["suggest"] == "'@SUM(A1)"
    assert row["gender"] == str(next(c.code for c in flagship.question("gender").choices.choices
                                     if c.name == sample["answers"]["gender"]))
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/{SURVEY}/responses.xlsx").data))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["problem"] == "'" + FORMULA
    assert sheet.max_row == 2
