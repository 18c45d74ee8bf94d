"""Invisible characters that change how text is shown: removed from text we take in from
outside (translations) and from everything the command line prints.

ESC starts terminal commands (move the cursor, erase a line, set the window title, write the
clipboard); NUL, backspace and carriage return hide or overwrite text; the bidi embeddings,
overrides and isolates (RLO, LRI, ...) make text read in another order than it is stored.
Line feeds and tabs are kept. The bidi *marks* (LRM, RLM, ALM) are kept too: Arabic and Farsi
translations need them to place punctuation and numbers, and they reorder nothing beyond
their neighbours.
"""

from __future__ import annotations

import re

CONTROLS = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab and line feed, DEL, C1 controls, bidi embeddings/overrides/isolates."""


def strip_controls(text: str) -> str:
    """`text` without the characters above; a Windows line end becomes a line feed."""
    if not CONTROLS.search(text):
        return text
    return CONTROLS.sub("", text.replace("\r\n", "\n"))


def count_controls(text: str) -> int:
    """How many characters strip_controls would remove (a Windows line end counts as none)."""
    return len(CONTROLS.findall(text.replace("\r\n", "\n")))
