"""Language tags, country and language names from CLDR (babel), in every form language."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

# Codes that look plausible but name another language or none; people type these often.
_COMMON_SLIPS = {
    "ua": "uk", "ge": "de", "ger": "de", "cz": "cs", "dk": "da", "jp": "ja", "se": "sv",
    "gr": "el", "per": "fa", "farsi": "fa", "arab": "ar", "kr": "ko", "cn": "zh", "vn": "vi",
    "by": "be", "rus": "ru", "eng": "en", "ukr": "uk",
}
# Territories in CLDR that are not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def check_language(tag: str) -> str | None:
    """None when `tag` is a language CLDR knows, else the reason and a suggestion."""
    if tag in _COMMON_SLIPS:
        suggestion = _COMMON_SLIPS[tag]
        return (f"'{tag}' is not a language code; did you mean '{suggestion}' "
                f"({language_name(suggestion, 'en')})?")
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return f"'{tag}' is not a language code CLDR knows (use codes such as de, en, ar, fa)"
    return None


@cache
def _locale(tag: str) -> Locale:
    return Locale.parse(tag.replace("-", "_"))


def language_name(code: str, in_language: str) -> str:
    """The name of language `code` written in `in_language` (its own name when they agree)."""
    try:
        return _locale(in_language).languages.get(code.split("-")[0], code)
    except (UnknownLocaleError, ValueError):
        return code


def is_right_to_left(tag: str) -> bool:
    return _locale(tag).character_order == "right-to-left"


@cache
def country_names(in_language: str) -> dict[str, str]:
    """ISO 3166 alpha-2 code -> country name in `in_language`, sorted by name."""
    territories = _locale(in_language).territories
    names = {code: name for code, name in territories.items()
             if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES}
    return dict(sorted(names.items(), key=lambda item: item[1]))


@cache
def language_names(in_language: str) -> dict[str, str]:
    """ISO 639 code -> language name in `in_language`, for the language question type."""
    languages = _locale(in_language).languages
    names = {code: name for code, name in languages.items() if code.isalpha() and len(code) <= 3}
    return dict(sorted(names.items(), key=lambda item: item[1]))
