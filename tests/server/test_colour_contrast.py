"""The form's and the data-entry screen's colours, measured as WCAG 2 defines contrast: text at
least 4.5:1 against its background, the focus ring and control borders at least 3:1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "survey" / "server" / "static"
WHITE = "#fff"


def declaration(file: str, selector: str, prop: str) -> str:
    """The value of `prop` in the rule whose selector list ends with `selector`."""
    css = re.sub(r"/\*.*?\*/", "", (STATIC / file).read_text("utf-8"), flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selectors.strip().endswith(selector):
            found = re.search(rf"(?:^|;)\s*{re.escape(prop)}\s*:\s*([^;]+)", body)
            if found:
                return found.group(1).strip()
    raise AssertionError(f"{file}: no {prop} in a rule for {selector}")


def colour(value: str) -> str:
    return re.search(r"#[0-9a-fA-F]{3,6}\b", value).group(0)


def luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_follows_the_wcag_formula():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)


FOCUS = "summary:focus-visible, [tabindex=\"-1\"]:focus"
PAIRS = [  # file, selector, property, background, least contrast
    ("form.css", FOCUS, "outline", WHITE, 3.0),
    ("form.css", "header.site a:focus-visible", "outline-color", "#12436d", 3.0),
    ("form.css", ".grid-row", "border", WHITE, 3.0),
    ("form.css", ".error", "color", WHITE, 4.5),
    ("form.css", ".hint", "color", WHITE, 4.5),
    ("form.css", ".progress", "color", WHITE, 4.5),
    ("form.css", "footer.language-control button", "color", WHITE, 4.5),
    ("form.css", "footer.language-control [aria-current]", "color", "#0b5cad", 4.5),
    ("entry.css", ".entry-row.skipped", "color", WHITE, 4.5),
    ("entry.css", ".entry-row.skipped input", "color", "#eee", 4.5),
    ("entry.css", ".entry-row.skipped input", "border-color", "#eee", 3.0),
    ("entry.css", ".reconcile-table input:focus", "outline", "#fffbe0", 3.0),
    ("entry.css", ".entry-table .hint", "color", WHITE, 4.5),
]


@pytest.mark.parametrize(("file", "selector", "prop", "background", "least"), PAIRS,
                         ids=[f"{p[0]}:{p[1][-30:]}:{p[2]}" for p in PAIRS])
def test_colours_have_enough_contrast(file, selector, prop, background, least):
    value = colour(declaration(file, selector, prop))
    assert contrast(value, background) >= least, (value, background)
