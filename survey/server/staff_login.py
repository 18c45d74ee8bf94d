"""The one login of the staff areas (admin, data entry): the same users, checks and session."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as HttpResponse

from survey.server.app import site
from survey.store.users import Role, authenticate

MAX_CREDENTIAL = 256
"""Longer names and passwords are cut before hashing, so a huge post costs no scrypt time."""


def login_page(area: str, home_endpoint: str) -> Any:
    """The login form; after success, back to the page asked for if it lies in `area`."""
    failed = False
    if request.method == "POST":
        name = request.form.get("name", "")[:MAX_CREDENTIAL]
        password = request.form.get("password", "")[:MAX_CREDENTIAL]
        role = authenticate(site().store, name, password)
        if role is not None:
            session.clear()
            session["user"], session["role"] = name, str(role)
            target = request.args.get("next", "")
            safe = target.startswith(area) and "//" not in target and "\\" not in target
            return redirect(target if safe else url_for(home_endpoint))
        failed = True
    return render_template("admin/login.html", failed=failed), 401 if failed else 200


def logout_page(login_endpoint: str) -> HttpResponse:
    session.clear()
    return redirect(url_for(login_endpoint))


def roles_only(roles: Collection[Role], login_endpoint: str
               ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: the role is checked on every request, so removing a user's role
    takes effect at their next click; others are sent to the area's login."""
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if session.get("role") not in roles:
                return redirect(url_for(login_endpoint, next=request.path))
            return view(*args, **kwargs)
        return checked
    return decorate
