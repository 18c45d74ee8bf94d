"""Texts for project staff (import reports and summaries, later the staff screens) in their
language, from gettext catalogues.

A text is marked where it is written, with `staff_text` (or `staff_plural` when a count
chooses the wording): an English msgid with named placeholders, and the values as parameters,
never pasted into the msgid::

    staff_text("{value} is not a choice of {question}", value=repr(cell), question=ref)

What comes back is a `Message`: a `str` whose value is the English text (so a message can be
stored, compared, put in JSON or shown where English is wanted, exactly as before), carrying
its msgid and parameters, so that `message.in_language("de")` says it in German. Parameters
that are themselves messages (a question named as "question 5 (age)") are translated with it.

The catalogues are the `.po` files in `survey/locale/<language>/LC_MESSAGES/` (one per part:
survey.po for imports, more beside it), read as they are when first needed (no compile step,
so a fresh clone works). `pybabel extract` finds the marked texts with the keywords in
`babel.cfg`; see docs/howto-import-returns.md.

This module imports nothing else of the toolkit: it sits below every layer, the questionnaire's
answer rules included.
"""

from __future__ import annotations

import gettext
import os
import re
import string
from collections.abc import Mapping
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from survey.user_error import UserError

SOURCE_LANGUAGE = "en"
"""The language the msgids are written in; it needs no catalogue."""

DOMAIN = "survey"
LOCALE_DIR = Path(__file__).with_name("locale")


class UnknownLanguage(UserError, ValueError):
    """A staff language was asked for that has no catalogue."""


class Message(str):
    """A staff-facing text: the English text as its `str` value, plus msgid and parameters."""

    msgid: str
    plural: str | None
    params: Mapping[str, Any]

    def __new__(cls, msgid: str, plural: str | None = None, /, **params: Any) -> Message:
        count = params.get("count")
        template = plural if plural is not None and count != 1 else msgid
        self = super().__new__(cls, _fill(template, params, SOURCE_LANGUAGE))
        self.msgid, self.plural, self.params = msgid, plural, params
        return self

    def in_language(self, language: str) -> str:
        """The text in `language` (English where the catalogue has no translation)."""
        if language == SOURCE_LANGUAGE:
            return str(self)
        catalogue = translations(language)
        if self.plural is None:
            template = catalogue.gettext(self.msgid)
        else:
            template = catalogue.ngettext(self.msgid, self.plural, int(self.params["count"]))
        return _fill(template, self.params, language)

    def __reduce__(self) -> Any:
        return _rebuild, (self.msgid, self.plural, dict(self.params))

    def __repr__(self) -> str:
        return f"Message({str(self)!r})"


def _rebuild(msgid: str, plural: str | None, params: dict[str, Any]) -> Message:
    return Message(msgid, plural, **params)


def _fill(template: str, params: Mapping[str, Any], language: str) -> str:
    return template.format_map({name: in_language(value, language)
                                for name, value in params.items()})


def staff_text(msgid: str, /, **params: Any) -> Message:
    """Mark a staff-facing text for translation; `params` fill its {placeholders}."""
    return Message(msgid, None, **params)


def staff_plural(singular: str, plural: str, /, count: int, **params: Any) -> Message:
    """`staff_text` for a text whose wording depends on `count` (also its {count})."""
    return Message(singular, plural, count=count, **params)


class InLanguages(str):
    """A text the staff wrote themselves in several languages (a constraint message of the
    questionnaire): English, else the first one, as `str`; the staff language's where given."""

    texts: Mapping[str, str]

    def __new__(cls, texts: Mapping[str, str]) -> InLanguages:
        shown = texts.get(SOURCE_LANGUAGE) or next(iter(texts.values()), "")
        self = super().__new__(cls, shown)
        self.texts = dict(texts)
        return self

    def in_language(self, language: str) -> str:
        return self.texts.get(language) or str(self)

    def __reduce__(self) -> Any:
        return InLanguages, (dict(self.texts),)


def in_language(text: Any, language: str) -> Any:
    """`text` in `language` if it is a message (or another text that knows its languages);
    any other value as it is."""
    translate = getattr(text, "in_language", None)
    return translate(language) if callable(translate) else text


def placeholders(template: str) -> set[str]:
    """The names of a template's {placeholders}."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def catalogue_path(language: str, domain: str = DOMAIN) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def staff_languages() -> tuple[str, ...]:
    """The languages staff texts can be given in: English and every language with a catalogue
    (the catalogues ship with the package, so they are looked for once)."""
    found = {path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/*.po")}
    return tuple(sorted(found | {SOURCE_LANGUAGE}))


def read_catalogue(language: str) -> Any:
    """Every .po file of `language` as one Babel catalogue: one file per part of the toolkit
    (imports, staff pages, fieldwork), so translators of one part never edit another's."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=language, domain=DOMAIN)
    for path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                strings = message.string if isinstance(message.string, tuple) else (
                    message.string,)
                # An entry not (yet) translated, or fuzzy, in one file never hides another's
                # translation.
                if message.id and all(strings) and not message.fuzzy:
                    merged[message.id] = message
    return merged


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language`, read from its .po files (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo

    if language not in staff_languages() or language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, read_catalogue(language))
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


_TAG = re.compile(r"[A-Za-z]{2,3}")


def language_of_locale(value: str) -> str | None:
    """The language of a locale name as the environment gives it: `de_DE.UTF-8` -> `de`."""
    tag = re.split(r"[_.@:-]", value.strip(), maxsplit=1)[0]
    return tag.lower() if _TAG.fullmatch(tag) else None


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The staff language the environment names (LC_ALL, else LC_MESSAGES, else LANG, as the C
    library reads them) when it has a catalogue, else English."""
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            language = language_of_locale(value)
            return language if language in staff_languages() else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def choose_language(asked: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language asked for (refused with UnknownLanguage when it has no catalogue), else
    the environment's."""
    if asked is None:
        return environment_language(environ)
    language = asked.strip().lower().replace("-", "_").split("_")[0]
    available = staff_languages()
    if language not in available:
        raise UnknownLanguage(f"there are no staff texts in '{asked}'; the languages available "
                              f"are {', '.join(available)}")
    return language
