"""The language of the staff pages (admin, data entry, reconciliation, login): the logged-in
user's setting (`survey users language`), else the browser's best among the staff languages,
else English. Respondents' pages follow the questionnaire's languages instead (app.py).

Templates write staff texts as `t("msgid", name=value)` (and `tn(singular, plural, count)`),
marked like every staff text (survey.staff_texts), so `pybabel extract` finds them too
(babel.cfg). Python code of the staff pages marks its texts with `staff_text` and shows them
with `say`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, g, request, session

from survey.server.context import site
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


class Source:
    """Where this request's staff language came from (shown at the foot of the staff pages)."""

    SETTING = "setting"
    BROWSER = "browser"
    DEFAULT = "default"


def _choose() -> None:
    chosen = None
    name = session.get("user")
    if isinstance(name, str):
        chosen = user_language(site().store, name)
    available = staff_languages()
    if chosen in available:
        g.staff_language, g.staff_language_source = chosen, Source.SETTING
        return
    browser = request.accept_languages.best_match(available)
    if browser:
        g.staff_language, g.staff_language_source = browser, Source.BROWSER
    else:
        g.staff_language, g.staff_language_source = SOURCE_LANGUAGE, Source.DEFAULT


def staff_language() -> str:
    """The staff language of this request (looked up once per request)."""
    if "staff_language" not in g:
        _choose()
    language: str = g.staff_language
    return language


def staff_language_source() -> str:
    """Source.SETTING, BROWSER or DEFAULT: why the pages are in `staff_language()`."""
    staff_language()
    source: str = g.staff_language_source
    return source


def language_name(language: str) -> str:
    """The language's own name ("Deutsch", "English"), as a language switch shows it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language).get_display_name(language)
    except (ValueError, UnknownLocaleError):
        return language
    return name[:1].upper() + name[1:] if name else language


def say(message: Message | str) -> str:
    """A staff text (or any text: it stays as it is) in this request's staff language."""
    return message.in_language(staff_language()) if isinstance(message, Message) else message


def said(messages: Mapping[str, Any]) -> dict[str, str]:
    """Every value of `messages` said in this request's staff language (problems by field)."""
    return {name: say(message) for name, message in messages.items()}


def register(app: Flask) -> None:
    """`t`, `tn`, `say`, `staff_lang`, `staff_lang_source`, `staff_languages` and
    `language_name` in every template."""

    def t(msgid: str, **params: Any) -> str:
        return say(staff_text(msgid, **params))

    def tn(singular: str, plural: str, count: int, **params: Any) -> str:
        return say(staff_plural(singular, plural, count=count, **params))

    app.jinja_env.globals.update(t=t, tn=tn, staff_lang=staff_language,
                                 staff_lang_source=staff_language_source,
                                 staff_languages=staff_languages,
                                 language_name=language_name, say=say)
