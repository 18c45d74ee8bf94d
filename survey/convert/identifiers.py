"""Turning names from other tools (`Q1.a`, `FavColor`, `1`, `Größe`) into our identifiers, the
same way every time, with each change reported."""

from __future__ import annotations

import re
import unicodedata

from survey.convert.report import ConversionReport

MAX_ID = 32
"""Stata's limit on variable names; ids that yield longer variable names are shortened later."""
MAX_CHOICE = 20
_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe",
                              "å": "aa", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                              "ı": "i"})


def transliterate(text: str) -> str:
    """Latin letters without accents (`Größe` -> `groesse`), so that names made from labels
    stay apart; letters of other scripts are dropped."""
    spelled = text.lower().translate(_SPELLED_OUT)
    return unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")


def identifier(name: str, prefix: str = "q", limit: int = MAX_ID) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "_", transliterate(name.strip())).strip("_")
    if not cleaned:
        cleaned = prefix
    elif not cleaned[0].isalpha():
        cleaned = f"{prefix}{cleaned}"
    return cleaned[:limit].rstrip("_")


class Renamer:
    """Unique identifiers within one scope (questions, or the choices of one list)."""

    def __init__(self, report: ConversionReport, what: str, prefix: str = "q",
                 limit: int = MAX_ID):
        self.report = report
        self.limit = limit
        self.what = what
        self.prefix = prefix
        self.names: dict[str, str] = {}
        """key (the original name, or what tells two equal names apart) -> identifier."""
        self.taken: set[str] = set()

    def __call__(self, name: str, where: str | None = None, limit: int | None = None,
                 key: str | None = None) -> str:
        """Our identifier for `name`; the same `key` (default: the name) gives the same one,
        a different key a different one even when the names are equal."""
        key = name if key is None else key
        if key in self.names:
            return self.names[key]
        limit = limit or self.limit
        base = identifier(name, self.prefix, limit)
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base[:limit - 3].rstrip('_')}_{number}"
        self.taken.add(candidate)
        self.names[key] = candidate
        if candidate != name:
            self.report.add(where or name, f"{self.what} '{name}' renamed to '{candidate}' "
                            "(identifiers are short lower-case letters, digits and single _)")
        return candidate
