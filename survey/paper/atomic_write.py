"""Files written whole or not at all: to a temporary file beside the target, then renamed.

A failure (or a reader looking at the same moment) never sees a half-written PDF, layout file,
serial registry or doubts file.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


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
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
