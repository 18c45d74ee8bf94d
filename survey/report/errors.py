"""The one error a report raises for bad input; its message says what to run or change."""

from survey.user_error import UserError


class ReportError(UserError):
    """Results missing or stale, a language without texts, a broken override template."""
