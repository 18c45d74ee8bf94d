"""The one error the translation workflow raises: a message for the user, never a traceback."""

from survey.user_error import UserError


class TranslationError(UserError):
    """A file or questionnaire cannot be used; the message says where and what to do."""
