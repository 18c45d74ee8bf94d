"""Staff sessions end when they must, and guessing passwords is slowed per account and client.

A copied cookie is worthless after logout, a password change, a role change or the removal of
the user; idle and absolute lifetimes end sessions; wrong passwords lock the account (the right
password does not help while it is locked) and a client that keeps failing waits. Run on a
project other than the flagship (questionnaires/examples/event-feedback.yaml).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from survey.cli import cli
from survey.project import Project
from survey.server.app import create_app
from survey.store.schema import login_failures, staff_sessions
from survey.store.staff_sessions import SessionLimits, live_sessions
from survey.store.store import Store, now
from survey.store.users import (
    LOCK_AFTER,
    Role,
    add_user,
    list_users,
    remove_user,
    set_password,
    set_role,
)

SURVEY = "event_feedback"
PASSWORD = "correct horse battery"
DOWNLOAD = f"/admin/{SURVEY}/responses.csv"


@pytest.fixture
def app(feedback_project: Project) -> Flask:
    application = create_app(feedback_project)
    application.testing = True
    add_user(application.extensions["survey"].store, "ana", PASSWORD)
    return application


@pytest.fixture
def store(app: Flask) -> Store:
    return app.extensions["survey"].store


def login(client: FlaskClient, name: str = "ana", password: str = PASSWORD,
          area: str = "admin"):
    page = client.get(f"/{area}/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(f"/{area}/login", data={"csrf_token": token, "name": name,
                                                "password": password})


def logged_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert login(client).status_code == 302
    assert client.get(DOWNLOAD).status_code == 200
    return client


def stolen_copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding the same session cookie, as a thief would."""
    thief = app.test_client()
    cookie = client.get_cookie("survey_session")
    thief.set_cookie("survey_session", cookie.value)
    assert thief.get(DOWNLOAD).status_code == 200
    return thief


def refused(client: FlaskClient) -> bool:
    """Sent to the login (no session), or told the role does not open the page (403)."""
    response = client.get(DOWNLOAD)
    return (response.status_code == 302 and "/admin/login" in response.location) or (
        response.status_code == 403 and "does not open this page" in response.text)


def test_a_copied_cookie_is_worthless_after_logout(app):
    client = logged_in(app)
    thief = stolen_copy(app, client)
    page = client.get(f"/admin/{SURVEY}/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert refused(thief) and refused(client)


@pytest.mark.parametrize("change", [
    lambda store: set_password(store, "ana", "another long password"),
    lambda store: set_role(store, "ana", Role.ENTRY),
    lambda store: remove_user(store, "ana"),
], ids=["password", "role", "removed"])
def test_a_changed_account_ends_its_sessions_at_the_next_click(app, store, change):
    client = logged_in(app)
    thief = stolen_copy(app, client)
    assert change(store) == 1, "one session (two browsers sharing one cookie) ended"
    assert refused(client) and refused(thief)


def test_a_downgraded_role_loses_the_admin_pages_even_after_logging_in_again(app, store):
    client = logged_in(app)
    set_role(store, "ana", Role.ENTRY)
    assert login(client).status_code == 302
    assert refused(client)
    assert client.get(f"/entry/{SURVEY}/").status_code == 200


@pytest.mark.parametrize(("column", "age"), [("seen_at", dt.timedelta(hours=9)),
                                             ("started_at", dt.timedelta(days=8))])
def test_idle_and_old_sessions_end(app, store, column, age):
    client = logged_in(app)
    with store.engine.begin() as connection:
        connection.execute(sa.update(staff_sessions).values({column: now() - age}))
    assert refused(client)
    assert live_sessions(store, SessionLimits()) == []


def test_the_lifetimes_are_settable(app, store):
    app.config["STAFF_SESSION_LIMITS"] = SessionLimits(idle=dt.timedelta(minutes=5))
    client = logged_in(app)
    with store.engine.begin() as connection:
        connection.execute(sa.update(staff_sessions).values(seen_at=now() - dt.timedelta(
            minutes=6)))
    assert refused(client)


def test_the_cookie_holds_no_role_and_the_store_no_token(app, store):
    client = logged_in(app)
    cookie = client.get_cookie("survey_session").value
    with store.engine.connect() as connection:
        hashes = connection.execute(sa.select(staff_sessions.c.token_hash)).scalars().all()
    assert len(hashes) == 1 and hashes[0] not in cookie
    assert [s.user for s in live_sessions(store, SessionLimits())] == ["ana"]
    assert [u.name for u in list_users(store)] == ["ana"]


def test_wrong_passwords_lock_the_account_and_the_right_one_does_not_help(app, store):
    guesser = app.test_client()
    for _ in range(LOCK_AFTER - 1):
        assert login(guesser, password="wrong password!").status_code == 401
    locked = login(guesser, password="wrong password!")
    assert locked.status_code == 429 and "try again in 1 minute" in locked.text
    assert int(locked.headers["Retry-After"]) > 0
    owner = app.test_client()
    right = login(owner)
    assert right.status_code == 429, "the right password is refused while the account is locked"
    with store.engine.begin() as connection:
        connection.execute(sa.update(login_failures).values(locked_until=now()))
    assert login(owner).status_code == 302
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(
            login_failures)).scalar() == 0, "a successful login clears the count"


def test_locks_do_not_tell_which_names_exist(app):
    known, unknown = app.test_client(), app.test_client()
    answers = [(login(known, password="wrong password!").status_code,
                login(unknown, name="nobody", password="wrong password!").status_code)
               for _ in range(LOCK_AFTER)]
    assert all(a == b for a, b in answers) and answers[-1] == (429, 429)


def test_lock_times_double_and_have_a_ceiling(app, store):
    client = app.test_client()
    waits = []
    for _ in range(LOCK_AFTER + 2):
        with store.engine.begin() as connection:
            connection.execute(sa.update(login_failures).values(locked_until=None))
        response = login(client, password="wrong password!")
        waits.append(int(response.headers.get("Retry-After", 0)))
    assert waits[:LOCK_AFTER - 1] == [0] * (LOCK_AFTER - 1)
    assert 25 <= waits[LOCK_AFTER - 1] <= 30 and waits[LOCK_AFTER] == 2 * waits[LOCK_AFTER - 1]


def test_a_client_that_keeps_failing_waits_whatever_names_it_tries(app):
    client = app.test_client()
    statuses = [login(client, name=f"user{i}", password="wrong password!").status_code
                for i in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert login(elsewhere).status_code == 302, "another client is not held up"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_staff_commands_change_passwords_and_roles_and_remove_users(app, store, tmp_path):
    client = logged_in(app)
    project = str(tmp_path)
    listed = run("users", "list", project)
    assert listed.exit_code == 0 and "ana" in listed.output and "admin" in listed.output
    sessions = run("users", "sessions", project)
    assert sessions.exit_code == 0 and "ana" in sessions.output
    changed = run("users", "passwd", project, "ana", "--password-stdin",
                  stdin="a brand new password\n")
    assert changed.exit_code == 0 and "1 session of theirs ended" in changed.output
    assert refused(client)
    assert login(client, password="a brand new password").status_code == 302
    short = run("users", "passwd", project, "ana", "--password-stdin", stdin="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    role = run("users", "role", project, "ana", "entry")
    assert role.exit_code == 0 and refused(client)
    assert run("users", "role", project, "ana", "boss").exit_code == 2
    assert run("users", "role", project, "nobody", "entry").exit_code == 1


def test_removing_a_user_asks_first_and_keeps_them_without_an_answer(app, store, tmp_path):
    client = logged_in(app)
    kept = run("users", "remove", str(tmp_path), "ana")
    assert kept.exit_code == 1 and "--yes" in kept.output
    assert [u.name for u in list_users(store)] == ["ana"] and not refused(client)
    removed = run("users", "remove", str(tmp_path), "ana", "--yes")
    assert removed.exit_code == 0 and "1 session of theirs ended" in removed.output
    assert list_users(store) == [] and refused(client)
    assert run("users", "remove", str(tmp_path), "ana", "--yes").exit_code == 1
