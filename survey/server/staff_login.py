"""The one login of the staff areas (admin, data entry): the same users, checks and session.

The session lives in the store (survey.store.staff_sessions); the cookie carries only its
token, so logging out, a new password or role, or removing the user ends it at once. Guessing
is slowed twice: per account in the store (shared by every instance) and per client here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from flask import current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as HttpResponse

from survey.server.context import site
from survey.server.throttle import Throttle, app_throttle, client_address
from survey.store.staff_sessions import SessionLimits, end_session, session_of, start_session
from survey.store.users import Role, log_in

MAX_CREDENTIAL = 256
"""Longer names and passwords are cut before hashing, so a huge post costs no scrypt time."""
SESSION_KEY = "staff"
"""The cookie's key for the token of the staff session."""
LOGIN_FAILURES_PER_CLIENT = 10
LOGIN_WINDOW_SECONDS = 300
"""A client with this many wrong logins within the window waits until the oldest expires."""


def _failed_logins() -> Throttle:
    return app_throttle("login", LOGIN_FAILURES_PER_CLIENT, LOGIN_WINDOW_SECONDS)


def session_limits() -> SessionLimits:
    """Idle and absolute lifetimes of staff sessions, as create_app was given them."""
    limits: SessionLimits = current_app.config["STAFF_SESSION_LIMITS"]
    return limits


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def login_page(area: str, home_endpoint: str) -> Any:
    """The login form; after success, back to the page asked for if it lies in `area`."""
    failed, wait = False, 0
    if request.method == "POST":
        client = client_address()
        wait = _failed_logins().wait(client)
        if not wait:
            name = request.form.get("name", "")[:MAX_CREDENTIAL]
            password = request.form.get("password", "")[:MAX_CREDENTIAL]
            secret = current_app.secret_key or ""
            assert isinstance(secret, str)  # create_app sets the store's secret, a str
            outcome = log_in(site().store, name, password, secret)
            if outcome.role is not None:
                session.clear()
                session[SESSION_KEY] = start_session(site().store, name)
                session["user"] = name
                target = request.args.get("next", "")
                safe = target.startswith(area) and "//" not in target and "\\" not in target
                return redirect(target if safe else url_for(home_endpoint))
            _failed_logins().count(client)
            wait = math.ceil(outcome.wait.total_seconds())
            failed = not wait
    status = 429 if wait else 401 if failed else 200
    response = render_template("admin/login.html", failed=failed,
                               wait_minutes=_minutes(wait) if wait else 0), status
    return (*response, {"Retry-After": str(wait)}) if wait else response


def logout_page(login_endpoint: str) -> HttpResponse:
    token = session.get(SESSION_KEY)
    if isinstance(token, str):
        end_session(site().store, token)
    session.clear()
    return redirect(url_for(login_endpoint))


def roles_only(roles: Collection[Role], login_endpoint: str
               ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: the session and the user's role are read from the store on every
    request, so an ended session or a changed role takes effect at the next click; others are
    sent to the area's login."""
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            token = session.get(SESSION_KEY)
            staff = session_of(site().store, token if isinstance(token, str) else None,
                               session_limits())
            if staff is None:
                session.pop(SESSION_KEY, None)
                session.pop("user", None)
                return redirect(url_for(login_endpoint, next=request.path))
            if staff.role not in roles:  # logged in, but this page is not for their role
                return render_template(
                    "admin/login.html", failed=False, wait_minutes=0, wrong_role=str(staff.role),
                    action=url_for(login_endpoint, next=request.path)), 403
            g.staff_user = staff.user
            return view(*args, **kwargs)
        return checked
    return decorate
