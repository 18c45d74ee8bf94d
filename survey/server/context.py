"""What the blueprints need from the running application: its site (store and questionnaires),
the page language and public links.

Kept apart from app.py so that the blueprints import this and app.py imports the blueprints:
the application factory sits on top, and nothing below it imports it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, g, request, url_for

from survey.interface_texts import interface_languages
from survey.questionnaire.model import Questionnaire
from survey.store.store import Store

FALLBACK_LANGUAGE = "en"
TOO_MANY_FORMS = ("too many new responses from this address; try again after Retry-After "
                  "seconds")
"""The 429's description when a client starts or sends too many forms (not a wrong guess)."""


@dataclass(frozen=True)
class Site:
    store: Store
    questionnaires: dict[str, Questionnaire]
    invitation_only: bool


def site() -> Site:
    found: Site = current_app.extensions["survey"]
    return found


def served_questionnaire(survey_id: str) -> Questionnaire:
    """The served questionnaire `survey_id`; 404 if there is none."""
    questionnaire = site().questionnaires.get(survey_id)
    if questionnaire is None:
        abort(404)
    return questionnaire


def public_link(endpoint: str, **values: Any) -> str:
    """An absolute link a respondent keeps (the resume link). With a public URL configured it
    starts with that, never with what the request's Host header claims; without one it is
    this request's own address (right on a laptop, and behind a proxy that sets the host)."""
    base: str | None = current_app.config.get("PUBLIC_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values).removeprefix(request.script_root)


def page_language() -> str:
    """The respondent's language, else the browser's best among the interface's languages."""
    language: str = g.get("language") or request.accept_languages.best_match(
        interface_languages()) or FALLBACK_LANGUAGE
    return language
