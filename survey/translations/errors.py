"""The one error the translation workflow raises: a message for the user, never a traceback."""


class TranslationError(Exception):
    """A file or questionnaire cannot be used; the message says where and what to do."""
