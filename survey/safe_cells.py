"""Text cells that a spreadsheet program will not run as formulas.

Respondents and partners' files can contain `=HYPERLINK(...)` or `@SUM(...)`; stored as typed,
they are neutralised at every CSV/XLSX we write (OWASP's advice: a leading apostrophe).
Spreadsheets skip leading blanks before they look for a formula, so a trigger after any
whitespace or invisible character (no-break space, ideographic space, zero-width space, byte
order mark, bidi mark) counts as leading too.
"""

from __future__ import annotations

import unicodedata
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def _invisible(character: str) -> bool:
    """Whitespace of any kind, control and format characters: what may stand before a formula
    without showing."""
    return character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Zs")


def neutralise(value: Any) -> Any:
    """`value` unchanged unless it is text a spreadsheet would read as a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(_TRIGGERS):
        return "'" + value
    if not _invisible(value[0]):  # the common case, checked first: exports map every cell
        return value
    visible = next((i for i, character in enumerate(value) if not _invisible(character)),
                   len(value))
    return "'" + value if value[visible:].startswith(_TRIGGERS) else value
