"""Reading a written report page back: its figures (with the results-table cell each names),
its elements and its text, with the standard library's HTML parser."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Page(HTMLParser):
    figures: list[tuple[str, str]] = field(default_factory=list)
    """(data-ref, text) of every figure span."""
    styles: list[str] = field(default_factory=list)
    """data-style of every figure span (how it is written), in the order of `figures`."""
    tags: list[tuple[str, dict]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    _ref: str | None = None
    _style: str = ""

    def __post_init__(self):
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "span" and attributes.get("class") == "fig":
            self._ref = attributes.get("data-ref", "")
            self._style = attributes.get("data-style", "")

    def handle_endtag(self, tag):
        if tag == "span":
            self._ref = None

    def handle_data(self, data):
        self.text.append(data)
        if self._ref is not None:
            self.figures.append((self._ref, data))
            self.styles.append(self._style)


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _decimal(value: float, places: str, language: str) -> str:
    comma, point = (",", ".") if language == "de" else (".", ",")
    text = f"{Decimal(repr(float(value))).quantize(Decimal(places), ROUND_HALF_EVEN):,}"
    return text.replace(",", "#").replace(".", comma).replace("#", point)


def expected(value: float, column: str, share: bool, language: str, style: str = "") -> str:
    """How the report must write a results-table figure, from CLDR's rules written out here
    independently of the report's code: half-even rounding, de: decimal comma, '.' thousands,
    a no-break space before %; years as bare digits, whole numbers whole, a mean rating with
    one decimal and its scale ("3,2 von 4")."""
    percent = "\u00a0%" if language == "de" else "%"
    if column in ("base_n", "unweighted_n") or style in ("count", "whole"):
        return _decimal(value, "1", language)
    if style == "year":
        return str(Decimal(repr(float(value))).quantize(Decimal(1), ROUND_HALF_EVEN))
    if style == "percent0":
        return _decimal(float(value) * 100, "1", language) + percent
    if style == "percent" or (not style and share):
        return _decimal(float(value) * 100, "0.1", language) + percent
    if style == "mean":
        return _decimal(value, "0.1", language)
    if style == "p":
        limit = "0,001" if language == "de" else "0.001"
        return f"< {limit}" if float(value) < 0.001 else _decimal(value, "0.001", language)
    if style.startswith("scale:"):
        of = "von" if language == "de" else "of"
        return f"{_decimal(value, '0.1', language)} {of} {style.split(':')[1]}"
    return _decimal(value, "0.01", language)
