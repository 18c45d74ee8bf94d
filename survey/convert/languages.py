"""Language codes from the language names other tools write (`English (en)`, `english`, `EN`,
`Español`, `العربية`): Kobo users name a column by code in any case, or by the language's
English, German or own name."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from babel.localedata import locale_identifiers

from survey.questionnaire.languages import check_language

_CODE_AT_END = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*\)\s*$")
_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_NAMED_IN = ("en", "de", "fr", "es")
"""Languages whose names for other languages are recognised, besides each language's own."""


def normalise_code(code: str) -> str:
    """`EN` -> `en`, `pt_br` -> `pt-BR`: one spelling per language, as CLDR writes it."""
    parts = re.split(r"[-_]", code.strip())
    private = next((k for k, p in enumerate(parts) if p.lower() == "x"), len(parts))
    rest = [p.lower() if k >= private  # a private-use part stays lower case
            else p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower()
            for k, p in enumerate(parts[1:], start=1)]
    return "-".join([parts[0].lower(), *rest])


@cache
def _names() -> dict[str, str]:
    """Every recognised language name, case-folded -> code."""
    names: dict[str, str] = {}
    for code in (c for c in locale_identifiers() if "_" not in c):
        try:
            own = Locale.parse(code).languages.get(code)
        except (ValueError, TypeError):
            continue
        if own:
            names.setdefault(own.casefold(), code)
    for language in _NAMED_IN:
        for code, name in Locale(language).languages.items():
            if code.isalpha():
                names.setdefault(name.casefold(), code)
    return names


def _known(code: str) -> str | None:
    normal = normalise_code(code)
    return normal if check_language(normal) is None else None


def language_code(name: str) -> str | None:
    """The code a column's language name stands for, or None when it names no language."""
    found = _CODE_AT_END.search(name)
    if found and _known(found.group(1)):
        return _known(found.group(1))
    plain = name.strip()
    code = _names().get(plain.casefold())
    if code is None and found:
        code = _names().get(plain[:found.start()].strip().casefold())
    if code is not None:
        return code
    return _known(plain) if _CODE.fullmatch(plain) else None
