"""Turning names from other tools (`Q1.a`, `FavColor`, `1`) into our identifiers, the same way
every time, with each change reported."""

from __future__ import annotations

import re

from survey.convert.report import ConversionReport

MAX_ID = 32
"""Stata's limit on variable names; ids that yield longer variable names are shortened later."""
MAX_CHOICE = 20


def identifier(name: str, prefix: str = "q", limit: int = MAX_ID) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
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
        self.taken: set[str] = set()

    def __call__(self, name: str, where: str | None = None, limit: int | None = None) -> str:
        if name in self.names:
            return self.names[name]
        limit = limit or self.limit
        base = identifier(name, self.prefix, limit)
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base[:limit - 3].rstrip('_')}_{number}"
        self.taken.add(candidate)
        self.names[name] = candidate
        if candidate != name:
            self.report.add(where or name, f"{self.what} '{name}' renamed to '{candidate}' "
                            "(identifiers are short lower-case letters, digits and single _)")
        return candidate
