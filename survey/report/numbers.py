"""Numbers as the report's language writes them (babel/CLDR): "63,8 %" in German, "63.8%"
in English. Every figure a report prints goes through here, so the tests can check each one
against the results table."""

from __future__ import annotations

from functools import cached_property

from babel import Locale
from babel.numbers import format_decimal, format_percent

DECIMAL_PATTERN = "#,##0.00"
COUNT_PATTERN = "#,##0"


class Numbers:
    def __init__(self, locale: str):
        self.locale = locale

    @cached_property
    def _percent_pattern(self) -> str:
        """The language's own percent pattern (de: "#,##0 %") with one decimal."""
        pattern = Locale.parse(self.locale).percent_formats[None].pattern
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

    def level(self, level: float) -> str:
        """A confidence level such as "95 %"."""
        return format_percent(level, locale=self.locale)
