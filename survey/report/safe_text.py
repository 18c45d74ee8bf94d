"""Untrusted text (questionnaire labels, respondents' answers) made harmless to display.

Every format escapes markup its own way (jinja2 autoescape, survey.safe_cells for XLSX); what
all of them share is removed here, once, when the results are read: bidirectional overrides
and isolates, which can make a label read backwards or hide text, and other invisible control
characters. Arabic and Farsi text needs no override to display correctly.
"""

from __future__ import annotations

import re

from survey.safe_cells import neutralise

_CONTROLS = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
                       "\u200e\u200f\u061c]")
_ARABIC_SCRIPT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def clean(text: object) -> str:
    """`text` without control characters, and without the apostrophe survey.safe_cells put
    before a formula-like cell when the results were written (each output adds its own)."""
    value = "" if text is None else str(text)
    if value.startswith("'") and neutralise(value[1:]) == value:
        value = value[1:]
    return _CONTROLS.sub("", value).replace("\t", " ")


def is_right_to_left(text: str) -> bool:
    """Whether text starts, at its first letter, in Arabic or Hebrew script (slides set rtl
    on it); a German label with an Arabic word inside stays left-to-right."""
    first = next((c for c in text if c.isalpha()), "")
    return bool(_ARABIC_SCRIPT.match(first))
