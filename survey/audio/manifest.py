"""The manifest of generated speech: which text in which language is spoken by which file.

It lies beside the files, in the questionnaire's folder (media/speech/<survey id>/
manifest.json), so the online form finds a questionnaire's speech from the questionnaire
alone, and the form serves only the files it lists, each checked to stay in that folder.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from survey.atomic_write import write_atomically
from survey.questionnaire.model import Questionnaire
from survey.user_error import UserError

SPEECH_FOLDER = PurePosixPath("media", "speech")
MANIFEST_NAME = "manifest.json"
SPEECH_SUFFIX = ".opus"
_FILE = re.compile(r"media/speech/[A-Za-z0-9_.-]+/[A-Za-z0-9-]+/[0-9a-f]{20}\.opus")
"""The only names a manifest may give: a tampered manifest cannot point anywhere else."""


class ManifestError(UserError, ValueError):
    """The manifest cannot be read; the message says what to do."""


@dataclass(frozen=True)
class Entry:
    language: str
    text: str
    file: str
    """Relative to the questionnaire's folder, with / (it is also part of the web address)."""
    voice: str
    seconds: float


def speech_folder(questionnaire: Questionnaire) -> PurePosixPath:
    """The questionnaire's speech folder, relative to the questionnaire's folder."""
    return SPEECH_FOLDER / questionnaire.id


def questionnaire_folder(questionnaire: Questionnaire) -> Path:
    return Path(questionnaire.file).resolve().parent


def manifest_path(questionnaire: Questionnaire) -> Path:
    return questionnaire_folder(questionnaire) / speech_folder(questionnaire) / MANIFEST_NAME


def read_entries(path: Path) -> list[Entry]:
    """The entries of the manifest at `path` (none when there is none yet)."""
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text("utf-8"))
        entries = [Entry(**item) for item in data["texts"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ManifestError(f"{path} cannot be read ({error}); delete it and run survey audio "
                            "again (it speaks every text again)") from None
    for entry in entries:
        if not _FILE.fullmatch(entry.file):
            raise ManifestError(f"{path} names the file '{entry.file}', which survey audio "
                                "does not make; delete the manifest and run survey audio again")
    return entries


def write_entries(path: Path, survey_id: str, engine: str, entries: list[Entry]) -> None:
    """Write the manifest in one step (a server reading it never sees half a file)."""
    data = {"about": "Speech made by survey audio: which text is spoken by which file. A "
                     "recording in the questionnaire (audio:) always takes the place of these.",
            "survey": survey_id, "engine": engine,
            "texts": [asdict(e) for e in sorted(entries, key=lambda e: (e.language, e.file))]}
    write_atomically(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())


@lru_cache(maxsize=16)
def _lookup(path: Path, changed: int) -> dict[tuple[str, str], str]:
    """(language, text) -> file of the manifest at `path` as it was at `changed`."""
    return {(e.language, e.text): e.file for e in read_entries(path)}


def spoken_files(questionnaire: Questionnaire) -> dict[tuple[str, str], str]:
    """(language, text) -> generated file, as the manifest is now (read again only when it
    changed); empty without one."""
    path = manifest_path(questionnaire)
    try:
        changed = path.stat().st_mtime_ns
    except OSError:
        return {}
    try:
        return _lookup(path, changed)
    except ManifestError:
        return {}


def spoken_file(questionnaire: Questionnaire, language: str, text: str) -> str | None:
    """The generated file that speaks `text` in `language`, relative to the questionnaire's
    folder, or None."""
    return spoken_files(questionnaire).get((language, text))


def spoken_media_file(questionnaire: Questionnaire, relative: str) -> Path | None:
    """The generated file `relative` on disk when the manifest lists it and it stays in the
    questionnaire's folder, else None (so nothing else can be fetched through it)."""
    if relative not in spoken_files(questionnaire).values():
        return None
    folder = questionnaire_folder(questionnaire)
    path = (folder / relative).resolve()
    return path if path.is_relative_to(folder) else None
