"""Text cells that a spreadsheet program will not run as formulas.

Respondents and partners' files can contain `=HYPERLINK(...)` or `@SUM(...)`; stored as typed,
they are neutralised at every CSV/XLSX we write (OWASP's advice: a leading apostrophe).
"""

from __future__ import annotations

from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise(value: Any) -> Any:
    """`value` unchanged unless it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value
