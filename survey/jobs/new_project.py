"""`survey init`: a new survey project from the starter in survey/templates/project/, so an
organisation starts from a working questionnaire, plan and report folder, not a copy of the
toolkit's repository."""

from __future__ import annotations

import shutil
from pathlib import Path

from survey.user_error import UserError

STARTER = Path(__file__).resolve().parents[1] / "templates" / "project"


class InitError(UserError):
    """The project cannot be made there; the message says what to do."""


def init_project(folder: Path) -> list[Path]:
    """Copy the starter into `folder` (new or empty); the files made."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder; name a new folder for the project")
    if folder.is_dir() and any(folder.iterdir()):
        raise InitError(f"{folder} is not empty; name a new folder for the project (survey init "
                        "never writes over existing files)")
    try:
        shutil.copytree(STARTER, folder, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    except OSError as error:
        raise InitError(f"cannot write to {folder}: {error.strerror or error}; choose a folder "
                        "you can write to") from None
    return sorted(p for p in folder.rglob("*") if p.is_file())
