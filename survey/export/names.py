"""Variable names that SPSS and Stata accept, renamed the same way every time.

Our names are already short lower-case identifiers, so only reserved words and over-long names
(weights, columns of other origins) need a new name; the mapping goes to the codebook so an
analyst can find every variable again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class Target(StrEnum):
    SPSS = "spss"
    STATA = "stata"


_LIMITS = {Target.SPSS: 64, Target.STATA: 32}
_RESERVED = {
    Target.SPSS: frozenset({"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or",
                            "to", "with"}),
    Target.STATA: frozenset({"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if",
                             "in", "int", "long", "_n", "_pi", "_pred", "_rc", "_skip", "strl",
                             "using", "with"}),
}
_VALID = {Target.SPSS: re.compile(r"^[A-Za-z@][A-Za-z0-9_.@#$]*(?<!\.)$"),
          Target.STATA: re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")}


def _acceptable(name: str, target: Target) -> bool:
    lowered = name.lower()
    return (bool(_VALID[target].match(name)) and len(name.encode()) <= _LIMITS[target]
            and lowered not in _RESERVED[target]
            and not (target == Target.STATA and re.fullmatch(r"str\d+", lowered)))


def _cleaned(name: str, target: Target) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name) or "v"
    if not re.match(r"[A-Za-z]", cleaned):
        cleaned = "v" + cleaned
    if not _acceptable(cleaned, target) and cleaned.lower() in _RESERVED[target]:
        cleaned += "_v"
    return cleaned[:_LIMITS[target]]


def safe_names(names: Iterable[str], target: Target) -> dict[str, str]:
    """Each name -> the name written to a `target` file; unchanged where it is acceptable.

    A replacement never collides with another column: a number is appended until it is free.
    """
    names = list(names)
    taken = {n.lower() for n in names if _acceptable(n, target)}
    result: dict[str, str] = {}
    for name in names:
        if _acceptable(name, target):
            result[name] = name
            continue
        base = _cleaned(name, target)
        candidate, number = base, 1
        while candidate.lower() in taken:
            number += 1
            suffix = f"_{number}"
            candidate = base[:_LIMITS[target] - len(suffix)] + suffix
        taken.add(candidate.lower())
        result[name] = candidate
    return result
