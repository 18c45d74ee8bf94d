"""The one error a report raises for bad input; its message says what to run or change."""


class ReportError(Exception):
    """Results missing or stale, a language without texts, a broken override template."""
