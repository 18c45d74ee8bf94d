"""`survey codebook` as a job: what every variable means, in one format, written whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.codebook.entries import Codebook
from survey.codebook.make import (
    SUFFIXES,
    CodebookError,
    default_path,
    make_codebook,
    write_codebook,
)


@dataclass(frozen=True)
class MadeCodebook:
    """A codebook the job wrote, and where."""

    path: Path
    codebook: Codebook


def codebook(questionnaire_file: Path, file_format: str, project_dir: Path | None = None,
             out_file: Path | None = None, db_url: str | None = None,
             out_dir: Path = Path(".")) -> MadeCodebook:
    """Write the codebook to `out_file`, else under its default name in `out_dir`; with a
    project, with the frequencies of its accepted responses."""
    if file_format not in SUFFIXES:
        raise CodebookError(f"unknown codebook format '{file_format}'; choose one of "
                            f"{', '.join(SUFFIXES)}")
    made = make_codebook(questionnaire_file, project_dir, db_url)
    path = out_file or default_path(made.questionnaire.id, file_format, out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_codebook(made, file_format, path)
    return MadeCodebook(path, made)
