"""Language codes from the language names other tools write (`English (en)`, `english`)."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

from survey.questionnaire.languages import check_language

_CODE_AT_END = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*\)\s*$")


@cache
def _english_names() -> dict[str, str]:
    return {name.lower(): code for code, name in Locale("en").languages.items()}


def language_code(name: str) -> str | None:
    """The code a column's language name stands for, or None when it names no language."""
    found = _CODE_AT_END.search(name)
    if found and check_language(found.group(1).replace("_", "-")) is None:
        return found.group(1).replace("_", "-")
    plain = name.strip()
    code = _english_names().get(plain.lower())
    if code is not None:
        return code
    return plain if re.fullmatch(r"[a-z]{2,3}", plain) and check_language(plain) is None \
        else None
