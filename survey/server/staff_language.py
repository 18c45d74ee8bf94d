"""The language of the staff pages (admin, data entry, reconciliation, login): the logged-in
user's setting (`survey users language`), else the browser's best among the staff languages,
else English. Respondents' pages follow the questionnaire's languages instead (app.py).

Templates write staff texts as `t("msgid", name=value)` (and `tn(singular, plural, count)`),
marked like every staff text (survey.staff_texts), so `pybabel extract` finds them too.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request, session

from survey.server.app import site
from survey.staff_texts import (
    SOURCE_LANGUAGE,
    Message,
    staff_languages,
    staff_plural,
    staff_text,
)
from survey.store.users import user_language

BROWSER_LANGUAGE = "browser"
"""What `survey users language` takes to follow the browser again."""


def staff_language() -> str:
    """The staff language of this request (looked up once per request)."""
    if "staff_language" not in g:
        chosen = None
        name = session.get("user")
        if isinstance(name, str):
            chosen = user_language(site().store, name)
        available = staff_languages()
        g.staff_language = chosen if chosen in available else (
            request.accept_languages.best_match(available) or SOURCE_LANGUAGE)
    language: str = g.staff_language
    return language


def say(message: Message | str) -> str:
    """A staff text (or any text: it stays as it is) in this request's staff language."""
    return message.in_language(staff_language()) if isinstance(message, Message) else message


def register(app: Flask) -> None:
    """`t`, `tn` and `staff_lang` in every template."""

    def t(msgid: str, **params: Any) -> str:
        return say(staff_text(msgid, **params))

    def tn(singular: str, plural: str, count: int, **params: Any) -> str:
        return say(staff_plural(singular, plural, count=count, **params))

    app.jinja_env.globals.update(t=t, tn=tn, staff_lang=staff_language)
