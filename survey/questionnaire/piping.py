"""Earlier answers inside texts (piping): `${name}` in a question's label or hint, or in a
note, stands for the respondent's answer to an earlier question.

On screen the placeholder shows that answer in words; on paper, where nothing is known yet, a
blank line the respondent can fill in; in the codebook the placeholder as written. A name must
belong to a question asked before the text (the validator checks it), so the answer is known
when the text is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
PAPER_BLANK = "__________"
"""What paper prints for an answer it cannot know."""
UNANSWERED = "…"
"""What the screen shows for a question the respondent left blank."""


def piped_names(text: str) -> list[str]:
    """The answer names a text shows, in order of appearance."""
    return PLACEHOLDER.findall(text)


def fill(text: str, answer: Callable[[str], str | None]) -> str:
    """`text` with every placeholder replaced by `answer(name)` (UNANSWERED when None)."""
    if "${" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: answer(m.group(1)) or UNANSWERED, text)


def on_paper(text: str) -> str:
    """`text` as printed: every placeholder a blank line."""
    return PLACEHOLDER.sub(PAPER_BLANK, text) if "${" in text else text


_WITH_LEAD_WORD = re.compile(r"\s*\b\w{1,4}\s+\$\{[A-Za-z_][A-Za-z0-9_]*\}")


def as_others_write(text: str) -> list[str]:
    """How a partner's spreadsheet heads a column of a text that shows an earlier answer: the
    placeholder left out ("…Wohnung in ?"), or left out with the short word before it
    ("…Wohnung?"). Empty when the text shows none."""
    if "${" not in text:
        return []
    return [PLACEHOLDER.sub("", text), PLACEHOLDER.sub("", _WITH_LEAD_WORD.sub("", text))]
