"""The page id in each page's QR code: which questionnaire, version, language, page and copy.

A compact, versioned text so that any QR reader (and a person) can read it:
`SV1|<questionnaire id>|<version>|<language or de+ar>|<page>|<serial or ->`.
`|` and `%` inside a field are written %7C and %25.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

PAYLOAD_VERSION = "SV1"
PAYLOAD_FORMAT = "SV1|questionnaire|version|language|page|serial"
NO_SERIAL = "-"


def _field(value: str) -> str:
    return value.replace("%", "%25").replace("|", "%7C")


def _unfield(value: str) -> str:
    return value.replace("%7C", "|").replace("%25", "%")


@dataclass(frozen=True)
class PageId:
    """What a page's QR code names: questionnaire, version, language, page and copy, so that a
    scanned page is read against its own layout."""

    questionnaire: str
    version: str
    language: str
    page: int
    serial: str | None = None

    def payload(self) -> str:
        fields = [self.questionnaire, self.version, self.language, str(self.page),
                  self.serial or NO_SERIAL]
        return "|".join([PAYLOAD_VERSION, *(_field(f) for f in fields)])


class PayloadError(ValueError):
    """A QR text that is not one of our page ids."""


def parse_payload(text: str) -> PageId:
    """The page id in a QR code's text; PayloadError when the text is not one of ours."""
    parts = text.split("|")
    if len(parts) != 6 or parts[0] != PAYLOAD_VERSION or not parts[4].isdigit():
        raise PayloadError(f"not a page id of a paper form ({PAYLOAD_FORMAT}): {text[:80]!r}")
    questionnaire, version, language, page, serial = (_unfield(p) for p in parts[1:])
    return PageId(questionnaire, version, language, int(page),
                  None if serial == NO_SERIAL else serial)


QR_MASK = 0
"""A fixed mask pattern: choosing the best of eight per page would take ten times longer for
a 500-copy print run, and any mask reads well on a printed page."""


def qr_modules(payload: str) -> list[list[bool]]:
    """The dark (True) and light modules of the code, without the quiet zone."""
    code = segno.make_qr(payload, error="m", mask=QR_MASK, boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix]
