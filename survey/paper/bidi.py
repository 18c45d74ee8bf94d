"""Numbers, addresses and Latin-script names inside right-to-left text, and the digits a
language prints.

The Unicode bidi algorithm orders a phone number "0351 0000000" in Arabic text right to left
group by group ("0000000 0351"), a minus sign after its number ("2-") and a full stop of a
Latin name at the wrong end. Such runs are cut out here so the templates isolate each one
(`dir="ltr"`, `unicode-bidi: isolate`): inside, they read left to right as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError

LATIN, NATIVE = "latin", "native"
DIGIT_SYSTEMS = (LATIN, NATIVE)
_ZEROS = {"arab": "٠", "arabext": "۰", "beng": "০", "deva": "०", "mymr": "၀", "thai": "๐",
          "khmr": "០", "laoo": "໐", "tibt": "༠"}
"""The zero of CLDR numbering systems with contiguous digits; others print Latin digits."""

_JOINERS = set(" .,:;/()'’&@+-_#*=%?!\u00a0\u202f")
"""Punctuation that stays inside a left-to-right run when more of the run follows."""


def _strong_ltr(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "EN", "AN")


def _right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def first_strong_direction(text: str) -> str | None:
    """'ltr' or 'rtl' after the text's first strong letter (HTML's dir="auto"), else None."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _trim(run: str) -> str:
    """Drop trailing punctuation and an unmatched closing bracket: they belong to the
    surrounding right-to-left sentence (a full stop, the bracket around a German term)."""
    while run and not (_strong_ltr(run[-1]) or (run[-1] == ")" and run.count("(")
                                                 >= run.count(")"))):
        run = run[:-1]
    return run


def ltr_runs(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, isolate) where each isolated piece is a number, phone number,
    address or Latin-script run that must read left to right inside right-to-left text."""
    pieces: list[tuple[str, bool]] = []
    plain_start = i = 0
    n = len(text)
    while i < n:
        char = text[i]
        signed = char in "+-−" and i + 1 < n and text[i + 1].isdigit() and (
            i == 0 or not text[i - 1].isalnum())
        if not (_strong_ltr(char) or signed):
            i += 1
            continue
        j = i + 1
        while j < n and not _right_to_left(text[j]) and (
                _strong_ltr(text[j]) or text[j] in _JOINERS
                or unicodedata.category(text[j]) in ("Mn", "Mc")):
            j += 1
        run = _trim(text[i:j])
        if run.count("(") > run.count(")") and "(" in run:
            run = run[:run.rindex("(")].rstrip(" ")
            run = _trim(run)
        if not run:
            i += 1
            continue
        if plain_start < i:
            pieces.append((text[plain_start:i], False))
        pieces.append((run, True))
        i = plain_start = i + len(run)
    if plain_start < n:
        pieces.append((text[plain_start:], False))
    return pieces


@cache
def native_zero(language: str) -> str:
    """The zero of the language's own digits in CLDR ("۰" for Farsi, "٠" for Arabic), "0"
    where they are Latin."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
        system = locale.other_numbering_systems.get("native", locale.default_numbering_system)
    except (UnknownLocaleError, ValueError, AttributeError, TypeError):
        return "0"
    return _ZEROS.get(system, "0")


def _with_zero(text: str, zero: str) -> str:
    return "".join(chr(ord(zero) + unicodedata.decimal(ch)) if ch.isdecimal() else ch
                   for ch in text)


def with_digits(text: str, language: str, system: str) -> str:
    """`text` with every digit in one system: Latin (0-9), or the language's own digits.
    Words holding Latin letters (e-mail and web addresses, levels such as B2) keep Latin
    digits: they are typed or read as written."""
    zero = native_zero(language) if system == NATIVE else "0"
    if zero == "0":
        return _with_zero(text, "0")
    return _WORD.sub(lambda m: m.group() if any(unicodedata.bidirectional(c) == "L"
                                                 for c in m.group())
                     else _with_zero(m.group(), zero), text)


_WORD = re.compile(r"\S+")
_GROUPED_NUMBER = re.compile(r"[+\-−]?\d+(?:[ \u00a0]\d+)+")
"""A number written in groups: a phone number, which must not break over two lines."""


def number_runs(text: str) -> list[tuple[str, str]]:
    """`text` cut into (piece, kind) for left-to-right text: kind "num" for a grouped number
    (kept on one line), else ""."""
    pieces: list[tuple[str, str]] = []
    at = 0
    for match in _GROUPED_NUMBER.finditer(text):
        if match.start() > at:
            pieces.append((text[at:match.start()], ""))
        pieces.append((match.group(), "num"))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], ""))
    return pieces
