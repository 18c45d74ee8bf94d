"""The preview page: messages, the online form and the paper pages of one questionnaire file,
refreshed while the author edits it.

One WSGI application on 127.0.0.1:
- /                       the preview page (templates/preview.html, static/preview.js);
- /_preview/state.json    the file's fingerprint, status, messages, and which form and paper
                          pages to show; the page polls it every second;
- /_preview/paper/R/N.png page N of paper render R;
- /form/...               the real respondent pages of survey.server for the last good
                          version (survey.preview.forms), framed by the preview page.
Every request whose Host is not the loopback address and port served is refused (a web page
elsewhere cannot reach the preview through DNS rebinding).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from flask import Flask, abort, jsonify, render_template, request, send_file
from flask.json.provider import DefaultJSONProvider

from survey.preview.forms import FormApps, form_json, section_of
from survey.preview.paper_pages import PaperPages
from survey.preview.watcher import Snapshot, Watcher
from survey.questionnaire.languages import language_name

CHECK_SECONDS = 0.25
"""How often the file is looked at (reading and hashing the flagship takes about a
millisecond; only a changed file is validated)."""
PREVIEW_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
               "frame-src 'self'; connect-src 'self'; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
FORM_PREFIX = "/form"


class Preview:
    """The watched file and everything shown of it; `wsgi` is the application to serve."""

    def __init__(self, path: Path, language: str | None = None, scratch: Path | None = None,
                 paper: bool = True, pdftoppm: str = "pdftoppm"):
        self.path = path
        self.language = language
        self._scratch_dir = None if scratch else tempfile.TemporaryDirectory(
            prefix="survey-preview-")
        self.scratch = scratch or Path(self._scratch_dir.name)  # type: ignore[union-attr]
        self.watcher = Watcher(path, self.scratch)
        self.forms = FormApps(self.scratch)
        self.paper = PaperPages(self.scratch, pdftoppm) if paper else None
        self.page_language: str | None = None
        """The language the preview page last asked for: the paper pages are made in it."""
        self.allowed_hosts: set[str] = set()
        self.flask = _preview_app(self)
        self.wsgi = PreviewWsgi(self)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="preview watcher",
                                        daemon=True)

    def serving(self, port: int) -> str:
        """Accept requests for 127.0.0.1:`port` only; the address to open."""
        self.allowed_hosts = {f"127.0.0.1:{port}"}
        return f"http://127.0.0.1:{port}/"

    def start(self) -> None:
        self.check()
        if self.paper:
            self.paper.start()
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self.paper:
            self.paper.stop()
        self.forms.close()
        if self._scratch_dir is not None:
            self._scratch_dir.cleanup()

    def _watch(self) -> None:
        while not self._stopped.wait(CHECK_SECONDS):
            self.check()

    def check(self) -> Snapshot:
        """Look at the file; put a new good version online and ask for its paper pages."""
        snapshot = self.watcher.check()
        good = snapshot.good
        if good is not None:
            self.forms.update(good)
            if self.paper:
                self.paper.want(good.number, self.language_of(self.page_language, snapshot),
                                good.questionnaire)
        return snapshot

    def language_of(self, asked: str | None, snapshot: Snapshot | None = None) -> str:
        """The language to show: the one asked for if the last good version has it, else
        --lang, else its default language."""
        good = (snapshot or self.watcher.snapshot).good
        if good is None:
            return asked or self.language or ""
        languages = good.questionnaire.languages
        for candidate in (asked, self.language):
            if candidate in languages:
                return candidate
        return good.questionnaire.default_language

    def state(self, asked_language: str | None, question: str | None) -> dict[str, Any]:
        snapshot = self.watcher.snapshot
        language = self.language_of(asked_language, snapshot)
        if asked_language:
            self.page_language = asked_language
        good = snapshot.good
        current = self.forms.current
        form = None
        if good is not None and current is not None:
            served = current[1].extensions["survey"].questionnaires
            questionnaire = next(iter(served.values()))
            form = form_json(questionnaire, current[0], language, question)
            form["question_found"] = (section_of(questionnaire, question) is not None
                                      if question else None)
        if good is not None and self.paper:
            self.paper.want(good.number, language, good.questionnaire)
        languages = [(code, language_name(code, code)) for code in
                     (good.questionnaire.languages if good else ())]
        return {
            "file": str(self.path),
            "fingerprint": snapshot.fingerprint,
            "status": str(snapshot.status),
            "headline": snapshot.headline,
            "messages": [m.as_json() for m in snapshot.messages],
            "messages_file": snapshot.messages_file,
            "good": good.number if good else None,
            "language": language,
            "languages": languages,
            "form": form,
            "form_error": self.forms.error,
            "paper": self.paper.as_json(question) if self.paper else None,
        }


def _preview_app(preview: Preview) -> Flask:
    app = Flask(__name__, static_url_path="/_preview/static")
    cast(DefaultJSONProvider, app.json).sort_keys = False
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True

    def _asked() -> tuple[str | None, str | None]:
        language = request.args.get("lang", "")[:16] or None
        question = request.args.get("q", "")[:200] or None
        return language, question

    @app.get("/")
    def index() -> Any:
        language, question = _asked()
        return render_template("preview.html", state=preview.state(language, question),
                               question=question)

    @app.get("/_preview/state.json")
    def state() -> Any:
        return jsonify(preview.state(*_asked()))

    @app.get("/_preview/paper/<int:render>/<int:page>.png")
    def paper_page(render: int, page: int) -> Any:
        rendered = preview.paper.rendered(render) if preview.paper else None
        found = rendered.page_file(page) if rendered else None
        if found is None:
            abort(404)
        return send_file(found, mimetype="image/png", max_age=3600)

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers["Content-Security-Policy"] = PREVIEW_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if request.endpoint not in ("static", "paper_page"):
            response.headers["Cache-Control"] = "no-store"
        return response

    return app


StartResponse = Callable[..., Any]


class PreviewWsgi:
    """Refuses foreign Host headers, and passes /form/... to the current form server with
    headers that let the preview page (same origin) frame it."""

    def __init__(self, preview: Preview):
        self.preview = preview

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST", "")
        if host not in self.preview.allowed_hosts:
            allowed = ", ".join(sorted(self.preview.allowed_hosts)) or "none yet"
            return _plain(start_response, "403 Forbidden",
                          f"This preview answers only requests for http://{allowed}/ "
                          "(open that address; other host names are refused).\n")
        path = environ.get("PATH_INFO", "")
        if path != FORM_PREFIX and not path.startswith(FORM_PREFIX + "/"):
            return self.preview.flask(environ, start_response)
        current = self.preview.forms.current
        if current is None:
            return _plain(start_response, "503 Service Unavailable",
                          "There is no version of the questionnaire without errors yet.\n")
        environ = dict(environ, SCRIPT_NAME=environ.get("SCRIPT_NAME", "") + FORM_PREFIX,
                       PATH_INFO=path[len(FORM_PREFIX):] or "/")

        def framed(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            return start_response(status, [_frameable(name, value) for name, value in headers
                                           if name.lower() != "x-frame-options"]
                                  + [("X-Frame-Options", "SAMEORIGIN")], *rest)

        return current[1](environ, framed)


def _frameable(name: str, value: str) -> tuple[str, str]:
    if name.lower() == "content-security-policy":
        value = value.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    return name, value


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
    return [body]
