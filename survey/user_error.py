"""The one family of errors meant for a user (DESIGN.md, "Layers": one UserError family).

Every error whose message a user reads derives from `UserError`, so the command line catches
the family in one place and prints the message instead of a traceback. Imports nothing of
ours: every layer can raise it.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Bad input or a project that does not provide what was asked; the message says where,
    what is wrong and what to do.

    `file`, `line` and `column` (1-based) locate the problem where it has a place in a file,
    for callers that point at it (an editor, a web page); the message already names them, so
    `str()` stays Exception's: the message exactly as raised, nothing added.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __init__(self, *args: object, file: str | Path | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(*args)
        if file is not None:
            self.file = str(file)
        if line is not None:
            self.line = line
        if column is not None:
            self.column = column
