"""The Flask application: respondent pages, the JSON submission API and the admin area.

Thin like the CLI (DESIGN.md): pages are rendered from the questionnaire model, answers are
checked by check_answers and written through the store. Nothing about a respondent's device
or address is read or logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast
from urllib.parse import urlsplit

from flask import Flask, g, jsonify, render_template, request, url_for
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from survey.audio.manifest import spoken_files
from survey.interface_texts import interface_text
from survey.paper.bidi import ltr_runs
from survey.project import Project, ProjectError
from survey.questionnaire.languages import is_right_to_left, language_name
from survey.questionnaire.model import Questionnaire, Text
from survey.questionnaire.piping import fill
from survey.questionnaire.validate import validate_file
from survey.returns.double_entry import who_reconciles
from survey.server.admin import admin
from survey.server.context import FALLBACK_LANGUAGE, TOO_MANY_FORMS, Site, page_language
from survey.server.entry.views import register as register_entry
from survey.server.fieldwork import register as register_fieldwork
from survey.server.respondent import respondent
from survey.server.security import protect
from survey.server.staff_language import register as register_staff_language
from survey.server.start_page import register as register_start_page
from survey.server.static_assets import serve_static_assets
from survey.store.drafts import purge_drafts
from survey.store.server_secret import server_secret
from survey.store.staff_sessions import SessionLimits
from survey.store.store import today

MAX_REQUEST_BYTES = 256 * 1024
"""A complete flagship submission is about 3 KB; a page with every long text full about 20 KB."""
DRAFT_DAYS = 120
"""Drafts untouched this long are deleted when the server starts: abandoned forms expire."""

log = logging.getLogger(__name__)


def load_questionnaires(project: Project) -> dict[str, Questionnaire]:
    """The project's valid questionnaires by id; a broken file is not served (and logged)."""
    found: dict[str, Questionnaire] = {}
    for path in project.questionnaire_files():
        result = validate_file(path)
        if result.questionnaire is None:
            log.warning("%s does not validate and is not served; run survey validate", path)
        else:
            found[result.questionnaire.id] = result.questionnaire
    if not found:
        raise ProjectError(f"no valid questionnaire in {project.questionnaire_dir}; run "
                           "survey validate on it")
    return found


def public_address(url: str) -> str:
    """The public base URL as links start with it (no trailing slash); ProjectError if it is
    not an http(s) address of a server, with an optional path and nothing else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or \
            parts.fragment or parts.username or parts.password or \
            any(ch.isspace() or ord(ch) < 32 for ch in url.strip()):
        raise ProjectError(f"--public-url must be the address respondents open, such as "
                           f"https://survey.example.org (optionally with a path), not '{url}'")
    return url.strip().rstrip("/")


def create_app(project: Project, db_url: str | None = None, *, behind_proxy: bool = False,
               invitation_only: bool = False, public_url: str | None = None,
               session_limits: SessionLimits | None = None,
               reconcilers: str | None = None) -> Flask:
    """The server of `project`'s questionnaires over its store (or the database at `db_url`).

    `behind_proxy`: a reverse proxy terminates HTTPS in front and sets X-Forwarded-For/Proto/
    Host/Port/Prefix, which are applied (ProxyFix, one proxy); cookies are then marked Secure
    and HTTPS answers carry HSTS. `invitation_only`: the forms open only through invitation
    links. `public_url`: the address respondents open (https://survey.example.org), from which
    links are made. `reconcilers`: "either" lets a typist reconcile their own copy; otherwise a
    third person does (survey.returns.double_entry).
    """
    public = public_address(public_url) if public_url else None
    questionnaires = load_questionnaires(project)
    store = project.store(db_url)
    purge_drafts(store, today() - dt.timedelta(days=DRAFT_DAYS))
    app = Flask(__name__)
    cast(DefaultJSONProvider, app.json).sort_keys = False  # form.js reads questions in page order
    app.config.update(
        SECRET_KEY=server_secret(store),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=behind_proxy,
        SESSION_COOKIE_NAME="survey_session",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(days=DRAFT_DAYS),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        MAX_FORM_PARTS=5000,
    )
    app.config["PUBLIC_URL"] = public
    app.config["STAFF_SESSION_LIMITS"] = session_limits or SessionLimits()
    app.config["ENTRY_RECONCILERS"] = who_reconciles(reconcilers)
    if behind_proxy:  # one proxy in front; the server must then listen on loopback only
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)
    app.extensions["survey"] = Site(store, questionnaires, invitation_only)
    protect(app)
    serve_static_assets(app)
    _template_helpers(app)
    _error_pages(app)

    register_staff_language(app)
    register_fieldwork(app, project.root.resolve())  # partners.yaml; /admin/<id>/fieldwork
    app.register_blueprint(respondent)
    register_start_page(app)
    app.register_blueprint(admin)
    # absolute: Flask's send_from_directory reads a relative folder from the package's own
    register_entry(app, project.root.resolve())
    app.add_url_rule("/favicon.ico", "favicon", lambda: ("", 204))  # browsers ask on every page
    return app


def _template_helpers(app: Flask) -> None:
    @app.context_processor
    def helpers() -> dict[str, Any]:
        language = page_language()
        questionnaire: Questionnaire | None = g.get("questionnaire")
        default = questionnaire.default_language if questionnaire else FALLBACK_LANGUAGE
        own_words = questionnaire.interface if questionnaire else None

        piped = g.get("piped")

        def text(value: Text) -> str:
            """A text in the page's language, with earlier answers where it shows them."""
            found = value.get(language, default)
            return fill(found, piped) if piped is not None else found

        def ui(key: str, **params: Any) -> str:
            return interface_text(key, language, own_words, **params)

        direction = "rtl" if is_right_to_left(language) else "ltr"

        def isolated(value: str) -> Markup | str:
            """On a right-to-left page, each number, address or Latin-script run of `value`
            in <bdi dir="ltr">, so it reads as written (the same runs paper isolates)."""
            if direction != "rtl" or not value:
                return value
            return Markup("").join(Markup('<bdi dir="ltr">{}</bdi>').format(piece) if ltr
                                   else escape(piece) for piece, ltr in ltr_runs(value))

        def media_url(value: Text) -> str | None:
            """The page language's file of a picture or recording (else the default's)."""
            found = value.get(language, default)
            if not found or questionnaire is None:
                return None
            return url_for("respondent.media", survey_id=questionnaire.id, name=found)

        spoken = spoken_files(questionnaire) if questionnaire is not None else {}
        # the manifest is looked at once per page, not once per text

        def audio_url(recorded: Text | None, said: Text | str) -> str | None:
            """The recording of the page's language, else the speech `survey audio` made of
            `said` as the page shows it, else the default language's recording."""
            if questionnaire is None:
                return None
            recorded = recorded or Text()
            own = recorded.neutral or recorded.translations.get(language)
            shown = said if isinstance(said, str) else said.get(language, default)
            found = own or spoken.get((language, shown)) or spoken.get((default, shown))
            return (url_for("respondent.media", survey_id=questionnaire.id, name=found)
                    if found else media_url(recorded))

        form_languages = [(code, language_name(code, code))
                          for code in (questionnaire.languages if questionnaire else ())]
        return {"language": language, "text": text, "ui": ui, "direction": direction,
                "isolated": isolated, "media_url": media_url, "audio_url": audio_url,
                "form_languages": form_languages}

    app.jinja_env.globals["zip"] = zip
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True  # lighter pages

    @app.template_filter("paragraphs")
    def paragraphs(value: str) -> list[str]:
        return [p.strip() for p in value.split("\n\n") if p.strip()]


_ERROR_TEXTS = {400: "web.error.bad_request", 403: "web.error.forbidden",
                404: "web.error.not_found", 405: "web.error.bad_request",
                409: "web.error.conflict", 413: "web.error.too_large",
                410: "web.error.gone", 415: "web.error.bad_request",
                429: "web.error.too_many"}
_SPECIAL_TEXTS = {"csrf": "web.error.expired", TOO_MANY_FORMS: "web.error.too_many_forms"}
"""Error descriptions that have a page text of their own (the API shows the description)."""


def _error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        retry = getattr(error, "retry_after", None)  # 429 and 503 say when to come back
        headers = {"Retry-After": str(retry)} if retry else {}
        if "/api/" in request.path:
            return jsonify({"error": error.description}), code, headers
        key = _SPECIAL_TEXTS.get(str(error.description)) or _ERROR_TEXTS.get(
            code, "web.error.bad_request")
        return (render_template("error.html", message_key=key, q=g.get("questionnaire")), code,
                headers)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Any:
        log.exception("unexpected error on %s %s", request.method, request.path)
        if "/api/" in request.path:
            return jsonify({"error": "the server could not store this; try again"}), 500
        return render_template("error.html", message_key="web.error.server",
                               q=g.get("questionnaire")), 500
