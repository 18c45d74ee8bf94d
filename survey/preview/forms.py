"""The online form of the last good version: the real respondent pages of survey.server.

Each good version gets a scratch survey project of its own (a copy of the questionnaire and
the files it names) and a server made by create_app over it, all versions sharing one scratch
SQLite store, so a form in progress carries on when the questionnaire changes. One route is
added to each: /_preview/open, which puts the browser straight onto the page of a question
(or the page it was on before the change), with its answers so far.
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, redirect, request, session, url_for
from werkzeug.wrappers import Response

from survey.preview.watcher import Good
from survey.project import QUESTIONNAIRE_FOLDER, Project, ProjectError
from survey.questionnaire.media import declared_media
from survey.questionnaire.model import Questionnaire
from survey.server.app import create_app
from survey.server.context import Site
from survey.server.respondent import LANGUAGE_KEY, _session_key
from survey.server.serve import close_store
from survey.store.drafts import create_draft, load_draft, save_draft
from survey.store.store import StoreError

log = logging.getLogger(__name__)


def section_of(questionnaire: Questionnaire, question_id: str) -> int | None:
    """The 0-based section (page) that asks `question_id`, or None."""
    for index, section in enumerate(questionnaire.sections):
        if any(question.id == question_id for question in section.questions):
            return index
    return None


def _only_questionnaire(app: Flask) -> Questionnaire:
    site: Site = app.extensions["survey"]
    return next(iter(site.questionnaires.values()))


def _open(app: Flask) -> Response:
    """GET /_preview/open?lang=LL&q=ID or &page=N|review: to that page of the form, in
    that language, continuing this browser's draft (answers to questions that are no longer
    there dropped) or starting one."""
    questionnaire = _only_questionnaire(app)
    store = app.extensions["survey"].store
    language = request.args.get("lang", "")
    if language not in questionnaire.languages:
        language = questionnaire.default_language
    question = request.args.get("q", "")
    wanted = request.args.get("page", "")
    index = section_of(questionnaire, question) if question else None
    if index is None and wanted.isdigit():
        index = min(max(int(wanted), 1), len(questionnaire.sections) + 1) - 1
    elif index is None and wanted != "review":
        return redirect(url_for("respondent.landing", survey_id=questionnaire.id, lang=language))
    code = session.get(_session_key(questionnaire))
    draft = load_draft(store, questionnaire.id, code) if isinstance(code, str) else None
    if draft is None:
        draft = create_draft(store, questionnaire.id, language)
    known = questionnaire.answer_index
    draft.answers = {name: value for name, value in draft.answers.items() if name in known}
    draft.language = language
    draft.page = len(questionnaire.sections) if index is None else index
    draft.furthest = max(draft.furthest, draft.page)
    save_draft(store, draft)
    session[_session_key(questionnaire)] = draft.code
    session[LANGUAGE_KEY] = language
    if index is None or index >= len(questionnaire.sections):
        return redirect(url_for("respondent.review", survey_id=questionnaire.id))
    anchor = f"#q-{question}" if question and section_of(questionnaire, question) is not None \
        else ""
    return redirect(url_for("respondent.page", survey_id=questionnaire.id,
                            number=index + 1) + anchor)


class FormApps:
    """The form server of the last good version; a new one is made for each good version."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.store_url = f"sqlite:///{scratch / 'store.sqlite'}"
        self._lock = threading.Lock()
        self._current: tuple[int, Flask] | None = None
        self.error: str | None = None
        """Why the last good version could not be put online, if it could not."""

    @property
    def current(self) -> tuple[int, Flask] | None:
        """(good version number, its server), or None before the first good version."""
        return self._current

    def update(self, good: Good) -> None:
        """Make the server of `good` unless it is the current one already."""
        with self._lock:
            if self._current and self._current[0] == good.number:
                return
            try:
                app = self._make(good)
            except (ProjectError, StoreError, OSError) as error:
                self.error = f"the online form of this version cannot be shown: {error}"
                log.warning("%s", self.error)
                return
            previous, self._current, self.error = self._current, (good.number, app), None
        if previous is not None:
            close_store(previous[1])  # a request still running keeps its connection
            shutil.rmtree(self.scratch / "forms" / str(previous[0]), ignore_errors=True)

    def _make(self, good: Good) -> Flask:
        folder = self.scratch / "forms" / str(good.number) / QUESTIONNAIRE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{good.questionnaire.id or 'questionnaire'}.yaml"
        (folder / name).write_bytes(good.yaml_text)
        for relative in declared_media(good.questionnaire):
            source = good.media_folder / relative
            if source.is_file():
                target = folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        app = create_app(Project(folder.parent), self.store_url)
        app.add_url_rule("/_preview/open", "preview_open", lambda: _open(app))
        return app

    def close(self) -> None:
        with self._lock:
            if self._current is not None:
                close_store(self._current[1])
                self._current = None


def start_url(questionnaire: Questionnaire, language: str, question: str | None) -> str:
    """Where the form pane opens: the landing page, or straight at a question."""
    if question:
        return "/form/_preview/open?" + urlencode({"lang": language, "q": question})
    return f"/form/s/{questionnaire.id}/?" + urlencode({"lang": language})


def form_json(questionnaire: Questionnaire, number: int, language: str,
              question: str | None) -> dict[str, Any]:
    return {"number": number, "survey_id": questionnaire.id,
            "start_url": start_url(questionnaire, language, question)}
