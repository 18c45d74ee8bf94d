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
    tags: list[tuple[str, dict]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    _ref: str | None = None

    def __post_init__(self):
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "span" and attributes.get("class") == "fig":
            self._ref = attributes.get("data-ref", "")

    def handle_endtag(self, tag):
        if tag == "span":
            self._ref = None

    def handle_data(self, data):
        self.text.append(data)
        if self._ref is not None:
            self.figures.append((self._ref, data))


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def expected(value: float, column: str, share: bool, language: str) -> str:
    """How the report must write a results-table figure, from CLDR's rules written out here
    independently of the report's code: half-even rounding, de: decimal comma, '.' thousands,
    a no-break space before %."""
    comma, point = (",", ".") if language == "de" else (".", ",")
    if column in ("base_n", "unweighted_n"):
        whole = f"{int(Decimal(repr(float(value))).quantize(Decimal(1), ROUND_HALF_EVEN)):,}"
        return whole.replace(",", point)
    if share:
        number = Decimal(repr(float(value))) * 100
        text = f"{number.quantize(Decimal('0.1'), ROUND_HALF_EVEN):,}"
        text = text.replace(",", "#").replace(".", comma).replace("#", point)
        return text + ("\u00a0%" if language == "de" else "%")
    text = f"{Decimal(repr(float(value))).quantize(Decimal('0.01'), ROUND_HALF_EVEN):,}"
    return text.replace(",", "#").replace(".", comma).replace("#", point)
