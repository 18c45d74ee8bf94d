"""CSRF tokens and security headers for every response.

Our own small CSRF scheme (one random token per session, compared in constant time on every
form post) instead of Flask-WTF: the forms are rendered by hand from the questionnaire, so a
form library would add weight for one check. The JSON API is exempt: it accepts only
`application/json`, which a foreign page cannot send without a CORS preflight we never grant,
and it relies on no cookie.
"""

from __future__ import annotations

import hmac
import re
import secrets

from flask import Flask, Response, abort, request, session

CSRF_FIELD = "csrf_token"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def csrf_token() -> str:
    """The session's token, made on first use."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def _check_csrf() -> None:
    if request.method != "POST" or request.endpoint in _EXEMPT:
        return
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected.encode(),
                                                                sent.encode()):
        abort(400, description="csrf")


_IN_ADDRESSES = re.compile("[\x00-\x1f\x7f]")
"""Control characters have no place in a path or query: CR/LF in `next=` would split the
redirect's Location header, NUL cannot be stored in or compared with PostgreSQL text."""
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
ANSWER_PAGES = {"respondent.post_page"}
"""Posts whose fields are answers: a NUL there is named next to its field (422), as any other
unstorable answer is, so the respondent keeps the rest of the page."""
BAD_CHARACTERS = "the address or a field holds a NUL byte or a line break where none belongs"


def _refuse_control_characters() -> None:
    """A bad request (400) before any view or query sees the value."""
    if _IN_ADDRESSES.search(request.path) or any(
            _IN_ADDRESSES.search(key) or _IN_ADDRESSES.search(value)
            for key, value in request.args.items(multi=True)):
        abort(400, description=BAD_CHARACTERS)
    if request.method == "POST" and request.mimetype in _FORM_TYPES:
        fields = request.form.items(multi=True)
        if request.endpoint in ANSWER_PAGES:
            fields = ((key, "") for key, _ in fields)
        if any("\x00" in key or "\x00" in value for key, value in fields):
            abort(400, description=BAD_CHARACTERS)


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)  # SVG sets its own
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"  # resume and invitation links stay private
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    if request.endpoint not in ("static", "respondent.media"):  # those hold no answers
        headers["Cache-Control"] = "no-store"  # answers must not stay in shared caches
    return response


_EXEMPT = {"respondent.api_submission"}


def protect(app: Flask) -> None:
    app.before_request(_refuse_control_characters)
    app.before_request(_check_csrf)
    app.after_request(_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
