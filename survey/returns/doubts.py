"""What a person must look at for one scanned copy: the field, why, and a cut-out image.

Kept as files beside the project (PROJECT/scans/QUESTIONNAIRE/SERIAL/), not in the store: the
images are large, and the reconciliation screen of the server that runs in the project shows
them next to the input.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from survey.atomic_write import write_atomically

SCANS_DIR = "scans"
DOUBTS_FILE = "doubts.json"
MAX_SERIAL_LENGTH = 12


@dataclass(frozen=True)
class Doubt:
    """One answer of a scanned copy a person must check: why, how sure the reading was, and its
    cut-out."""

    reason: str
    confidence: float | None = None
    image: str | None = None
    """File name of the cut-out beside the doubts file."""


def is_serial(text: str) -> bool:
    """Whether `text` has the shape of a printed serial: ASCII digits only, so that it can
    name a folder (never `..`, a slash or a drive)."""
    return 0 < len(text) <= MAX_SERIAL_LENGTH and text.isascii() and text.isdigit()


def copy_folder(root: Path, questionnaire_id: str, serial: str) -> Path:
    """The folder of one copy's doubts and cut-outs; ValueError for anything but a serial,
    checked before the path is built (serials reach here from addresses and QR codes)."""
    if not is_serial(serial):
        raise ValueError(f"{serial[:20]!r} is not a serial number")
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in questionnaire_id)
    if not safe.strip("."):  # "", "." and ".." name no folder of their own
        safe = "_"
    return root / SCANS_DIR / safe / serial


def write_doubts(folder: Path, doubts: dict[str, Doubt], images: dict[str, bytes]) -> None:
    """Replace the copy's doubts and images (a copy scanned again replaces the old ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for name, image in images.items():
        (folder / name).write_bytes(image)
    data = {n: asdict(d) for n, d in doubts.items()}
    write_atomically(folder / DOUBTS_FILE,
                     json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def read_doubts(folder: Path) -> dict[str, Doubt]:
    """The doubts of a copy; none if it has no (readable) doubts file."""
    try:
        data = json.loads((folder / DOUBTS_FILE).read_text("utf-8"))
        return {name: Doubt(**fields) for name, fields in data.items()}
    except (OSError, ValueError, TypeError):
        return {}
