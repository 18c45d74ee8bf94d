"""Do the installed fonts have a glyph for every character the form prints in a language?

Without one, the PDF would show empty boxes where the words should be, and nobody notices
until the forms come back from the printer. So the command checks first, with fontconfig
(which WeasyPrint's text shaping uses to find fonts), and names the package to install.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from functools import cache

from survey.questionnaire.languages import language_name
from survey.user_error import UserError

DEFAULT_PACKAGE = "fonts-noto-core"
_PACKAGE_BY_SCRIPT = {"CJK": "fonts-noto-cjk", "HIRAGANA": "fonts-noto-cjk",
                      "KATAKANA": "fonts-noto-cjk", "HANGUL": "fonts-noto-cjk",
                      "BOPOMOFO": "fonts-noto-cjk"}
_IGNORED_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn"}
"""Controls, joiners, spaces and combining marks: shaped onto their base letters, not looked up."""


class FontError(UserError):
    """Fonts are missing for a language; the message names it and the package to install."""


@cache
def _covered_ranges() -> tuple[list[int], list[int]]:
    """Start and end code points of every range some installed font covers, merged."""
    if shutil.which("fc-list") is None:
        raise FontError("fontconfig's fc-list is not installed, so the fonts cannot be checked; "
                        "install the Debian package fontconfig")
    listing = subprocess.run(["fc-list", "--format", "%{charset}\n"], capture_output=True,
                             text=True, check=True).stdout
    ranges = []
    for token in listing.split():
        first, _, last = token.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [r[0] for r in merged], [r[1] for r in merged]


def _covered(char: str) -> bool:
    starts, ends = _covered_ranges()
    i = bisect_right(starts, ord(char)) - 1
    return i >= 0 and ord(char) <= ends[i]


def _package(char: str) -> str:
    name = unicodedata.name(char, "")
    return next((pkg for script, pkg in _PACKAGE_BY_SCRIPT.items() if name.startswith(script)),
                DEFAULT_PACKAGE)


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """The characters of `texts` that no installed font can draw, in order of first use."""
    seen: dict[str, None] = {}
    for text in texts:
        for char in text:
            if (char not in seen and unicodedata.category(char) not in _IGNORED_CATEGORIES
                    and not _covered(char)):
                seen[char] = None
    return list(seen)


def check_fonts(texts_by_language: Mapping[str, Iterable[str]]) -> None:
    """Raise FontError naming the first language whose texts the fonts cannot draw."""
    for language, texts in texts_by_language.items():
        missing = missing_glyphs(texts)
        if not missing:
            continue
        sample = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:3])
        package = _package(missing[0])
        raise FontError(
            f"no installed font can print the {language_name(language, 'en')} ('{language}') "
            f"texts: {len(missing)} characters have no glyph, e.g. {sample}. Install the Debian "
            f"package {package} (sudo apt-get install {package}) and run the command again")
