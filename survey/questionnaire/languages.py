"""Language tags, country and language names from CLDR (babel), in every form language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from babel import Locale, UnknownLocaleError

from survey.interface_texts import has_interface_text, interface_text

# Codes that look plausible but name another language or none; people type these often.
_COMMON_SLIPS = {
    "ua": "uk", "ge": "de", "ger": "de", "cz": "cs", "dk": "da", "jp": "ja", "se": "sv",
    "gr": "el", "per": "fa", "farsi": "fa", "arab": "ar", "kr": "ko", "cn": "zh", "vn": "vi",
    "by": "be", "rus": "ru", "eng": "en", "ukr": "uk",
}
# Territories in CLDR that are not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}

PRIVATE_USE = "-x-"
"""BCP 47's private-use marker: `de-x-easy` is a variant of `de` (here: easy language)."""
_PRIVATE_SUBTAGS = re.compile(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8})*")
_VARIANT_NAME_KEY = "language_variant."
"""Interface texts naming a variant in every interface language, e.g. language_variant.easy."""


def base_language(tag: str) -> str:
    """'de-x-easy' → 'de': the language a variant is written in (a plain tag is its own base)."""
    return tag.split(PRIVATE_USE, 1)[0]


def is_variant(tag: str) -> bool:
    return PRIVATE_USE in tag


def check_language(tag: str) -> str | None:
    """None when `tag` is a language CLDR knows, or a private-use variant of one (de-x-easy),
    else the reason and a suggestion."""
    if is_variant(tag):
        base, private = tag.split(PRIVATE_USE, 1)
        if not _PRIVATE_SUBTAGS.fullmatch(private):
            return (f"'{tag}' is not a well-formed language variant: after '-x-' come one to "
                    "eight lower-case letters or digits, such as de-x-easy")
        problem = check_language(base)
        return None if problem is None else f"'{tag}' is a variant of '{base}', but {problem}"
    if tag in _COMMON_SLIPS:
        suggestion = _COMMON_SLIPS[tag]
        return (f"'{tag}' is not a language code; did you mean '{suggestion}' "
                f"({language_name(suggestion, 'en')})?")
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return f"'{tag}' is not a language code CLDR knows (use codes such as de, en, ar, fa)"
    if locale.variant is None and len(tag.split("-")) > 1 + bool(locale.territory) + bool(
            locale.script):
        # CLDR drops a subtag it does not know ('de-simple' reads as plain 'de')
        first = tag.split("-")[0]
        return (f"'{tag}' is not a language code CLDR knows; write a variant of '{first}' "
                f"as a private-use tag, such as {first}-x-easy for easy language")
    return None


def ordered_languages(tags: Iterable[str]) -> tuple[str, ...]:
    """`tags` in their order, each variant moved right after its base language (de, de-x-easy,
    en): the order of the language chooser."""
    tags = list(tags)
    ordered: list[str] = []
    for tag in tags:
        if not is_variant(tag):
            ordered.append(tag)
            ordered.extend(t for t in tags if is_variant(t) and base_language(t) == tag)
    ordered.extend(t for t in tags if t not in ordered)
    return tuple(ordered)


@cache
def _locale(tag: str) -> Locale:
    return Locale.parse(base_language(tag).replace("-", "_"))


def language_name(code: str, in_language: str) -> str:
    """The name of language `code` written in `in_language` (its own name when they agree);
    a variant is named with its base language ("Deutsch – Leichte Sprache")."""
    try:
        name: str = _locale(in_language).languages.get(code.split("-")[0], code)
    except (UnknownLocaleError, ValueError):
        return code
    if not is_variant(code):
        return name
    variant = code.split(PRIVATE_USE, 1)[1]
    if has_interface_text(_VARIANT_NAME_KEY + variant):
        return interface_text(_VARIANT_NAME_KEY + variant, in_language, name=name)
    return f"{name} ({variant})"


def describe_language(tag: str) -> str:
    """`tag` for coverage tables: a variant says whose texts fill its gaps."""
    return f"{tag} (variant of {base_language(tag)})" if is_variant(tag) else tag


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
