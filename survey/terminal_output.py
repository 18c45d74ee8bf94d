"""Everything the `survey` command prints goes through strip_controls.

Messages quote what users gave us: file names, cells of partners' files, translations,
questionnaire texts. A quoted ESC would let such a file move the cursor, erase the lines above,
retitle the window or write the clipboard of the staff member's terminal; a quoted RLO would
show a name backwards. The command's own colours and progress bars are not text: rich draws
them as control segments, which keep working.

Two routes reach the terminal: rich consoles (every command's messages and tables) and plain
writes (click's usage errors, `survey schema`). Rich already removes a few control characters
from the text it is given; guard_terminal() extends that list to ours, and replaces
sys.stdout/sys.stderr by streams that clean what is written to them. The cleaning streams
name the real stream as rich's `rich_proxied_file`, so rich writes its colour codes there
directly, after cleaning the text itself.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from rich import control

from survey.control_characters import CONTROLS, strip_controls

_EXTRA = {code: None for code in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0),
                                  *range(0x202a, 0x202f), *range(0x2066, 0x206a))}


class CleanStream:
    """A text stream that writes what it is given without control characters."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self.rich_proxied_file = stream

    def write(self, text: str) -> int:
        self._stream.write(strip_controls(text).replace("\r", ""))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _rich_strips_ours() -> None:
    """Add our characters to the table rich strips from every text it prints."""
    table = getattr(control, "_CONTROL_STRIP_TRANSLATE", None)
    if isinstance(table, dict):
        table.update(_EXTRA)


def guard_terminal() -> None:
    """Clean everything this process prints from now on (once per process)."""
    _rich_strips_ours()
    if not isinstance(sys.stdout, CleanStream) and sys.stdout is not None:
        sys.stdout = CleanStream(sys.stdout)
    if not isinstance(sys.stderr, CleanStream) and sys.stderr is not None:
        sys.stderr = CleanStream(sys.stderr)


__all__ = ["CONTROLS", "CleanStream", "guard_terminal"]
