"""Numbers as the report's language writes them (babel/CLDR): "63,8 %" in German, "63.8%"
in English. Every figure a report prints goes through here, so the tests can check each one
against the results table.

A figure is written by what it means (its format): a share as a percentage, a year or a code
as digits alone ("2015", never "2.015,00"), a median of whole numbers whole, a mean of a
rating with one decimal and its scale ("3,2 von 4").
"""

from __future__ import annotations

from functools import cached_property

from babel import Locale
from babel.numbers import format_decimal, format_percent

DECIMAL_PATTERN = "#,##0.00"
MEAN_PATTERN = "#,##0.0"
COUNT_PATTERN = "#,##0"
YEAR_PATTERN = "0"
PERCENT, PERCENT_ROUNDED, MEAN, WHOLE, YEAR, COUNT = ("percent", "percent0", "mean", "whole",
                                                     "year", "count")
RATIO, P_VALUE = "ratio", "p"
"""An odds ratio or model coefficient (two decimals); a p-value (three, "< 0.001" below)."""
P_PATTERN = "0.000"
P_FLOOR = 0.001
SCALE = "scale:"
"""SCALE + top of the scale ("scale:4"): a mean rating, written "3,2 von 4"."""


class Numbers:
    def __init__(self, locale: str, of_scale: str = "{value} / {top}"):
        self.locale = locale
        self.of_scale = of_scale
        """How the report's language says "3.2 of 4" (the texts' numbers.of_scale)."""

    @cached_property
    def _percent_pattern(self) -> str:
        """The language's own percent pattern (de: "#,##0 %") with one decimal."""
        pattern: str = Locale.parse(self.locale).percent_formats[None].pattern
        integer = pattern.rstrip("%\u00a0 ")
        return integer + ".0" + pattern[len(integer):] if "." not in integer else pattern

    def percent(self, value: float) -> str:
        return format_percent(value, self._percent_pattern, locale=self.locale)

    def decimal(self, value: float) -> str:
        return format_decimal(value, DECIMAL_PATTERN, locale=self.locale)

    def count(self, value: float) -> str:
        return format_decimal(round(value), COUNT_PATTERN, locale=self.locale)

    def figure(self, value: float, share: bool) -> str:
        """An estimate or interval bound: a share as a percentage, anything else a decimal."""
        return self.percent(value) if share else self.decimal(value)

    def rounded_percent(self, value: float) -> str:
        """A share for a plain-language summary: "64 %"."""
        return format_percent(value, locale=self.locale)

    def format(self, value: float, style: str) -> str:
        """`value` written as `style` says (PERCENT, MEAN, YEAR, SCALE + top, ...)."""
        if style == PERCENT:
            return self.percent(value)
        if style == PERCENT_ROUNDED:
            return self.rounded_percent(value)
        if style == COUNT:
            return self.count(value)
        if style == YEAR:
            return format_decimal(round(value), YEAR_PATTERN, locale=self.locale)
        if style == WHOLE:
            return format_decimal(round(value), COUNT_PATTERN, locale=self.locale)
        if style == RATIO:
            return self.decimal(value if round(value, 2) != 0 else 0.0)  # never "-0.00"
        if style == P_VALUE:
            if value < P_FLOOR:
                return "< " + format_decimal(P_FLOOR, P_PATTERN, locale=self.locale)
            return format_decimal(value, P_PATTERN, locale=self.locale)
        text = format_decimal(value if round(value, 1) != 0 else 0.0, MEAN_PATTERN,
                              locale=self.locale)
        if style.startswith(SCALE):
            return self.of_scale.format(value=text, top=style[len(SCALE):])
        return text

    def axis(self, value: float, style: str) -> str:
        """A tick label of a chart axis: percentages whole, other numbers as needed."""
        if style in (PERCENT, PERCENT_ROUNDED):
            return self.rounded_percent(value)
        if style == YEAR:
            return format_decimal(value, YEAR_PATTERN, locale=self.locale)
        return format_decimal(value, "#,##0.##", locale=self.locale)

    def level(self, level: float) -> str:
        """A confidence level such as "95 %"."""
        return format_percent(level, locale=self.locale)


def spreadsheet_format(locale: str, style: str) -> str:
    """The number format code of a chart or spreadsheet cell that writes `style` as the
    report's language does ("0.0 %" in German, "0.0%" in English). Format codes are stored
    language-neutral ('.' the decimal mark, ',' grouping); the program showing them puts in
    its language's marks, so a German PowerPoint shows "38,2 %"."""
    if style in (PERCENT, PERCENT_ROUNDED):
        pattern = Numbers(locale)._percent_pattern if style == PERCENT else \
            Locale.parse(locale).percent_formats[None].pattern
    elif style in (WHOLE, COUNT):
        pattern = COUNT_PATTERN
    elif style == YEAR:
        pattern = YEAR_PATTERN
    else:
        pattern = MEAN_PATTERN
    return "".join(f'"{ch}"' if ch.isspace() else ch for ch in pattern)
