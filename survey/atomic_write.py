"""Files written whole or not at all: to a temporary file beside the target, then renamed.

A failure (or a reader looking at the same moment) never sees a half-written PDF, layout file,
serial registry or doubts file.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; the temporary file is removed on failure.

    The temporary name is unique, so parallel writers never share one, and the file gets the
    permissions of any file written here (the umask), not those of a private temporary file.
    """
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with open(temporary, "xb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.filename in (None, str(temporary)):
            error.filename = str(path)  # users know the target; a full disk names no file
        raise


def save_atomically(path: Path, save: Callable[[IO[bytes]], Any]) -> None:
    """Write what `save` writes to a stream (a workbook's `save`, an XML tree's `write`) as
    `write_atomically` does: a full disk leaves the old file, not half a new one."""
    buffer = io.BytesIO()
    hook = sys.unraisablehook
    try:
        save(buffer)
    except OSError:
        raise
    except Exception as error:
        # openpyxl writes worksheets through lxml temporary files: a full disk there is an
        # lxml error ("IO_EFBIG"), and the writer's abandoned generators print a second
        # traceback when they are collected, which is kept off the user's screen.
        code = getattr(errno, str(error).partition("IO_")[2].strip(), None)
        if not isinstance(code, int):
            raise
        sys.unraisablehook = lambda _: None
        failure = OSError(code, os.strerror(code), str(path))
    else:
        write_atomically(path, buffer.getvalue())
        return
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise failure


def write_through_file(path: Path, write: Callable[[Path], Any]) -> None:
    """For writers that take only a file name (pyreadstat): they write into a private
    temporary folder, and the file then replaces `path` as `write_atomically` does, so a
    read-only or full disk fails with an OSError naming `path` and leaves no partial file."""
    with tempfile.TemporaryDirectory(prefix="survey-") as folder:
        scratch = Path(folder) / path.name
        write(scratch)
        write_atomically(path, scratch.read_bytes())
