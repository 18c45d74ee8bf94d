"""Erasing one return at the respondent's request, with everything the project keeps of it.

The store's part (rows, audit values, tombstone, rewritten database files) is in
survey.store.erasure. Here the project's files join in: the scanner's cut-outs of a paper copy
are deleted, and every file made from the returns before the erasure (exports, results,
published reports, import reports) is listed, because it may still hold the return; results
and reports built before it are refused as stale until `survey analyse` runs again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from survey.project import Project, ProjectError
from survey.returns.doubts import copy_folder
from survey.store.erasure import Erased, erase, submission_of_code
from survey.store.store import StoreError

DERIVED_FOLDERS = ("exports", "results", "published", "imports")
"""Folders of a project whose files are made from the returns."""


@dataclass(frozen=True)
class ErasureReport:
    """What erasing a return removed from the store and the project's files, and which files made
    earlier may still hold it."""

    erased: Erased
    files_removed: list[Path] = field(default_factory=list)
    """The scanner's cut-outs and readings of the copy."""
    stale_files: list[Path] = field(default_factory=list)
    """Files made before the erasure that may still hold the return: rebuild or delete."""


def erase_return(project_dir: Path, *, questionnaire_id: str | None = None,
                 submission_id: str | None = None, serial: str | None = None,
                 code: str | None = None, db_url: str | None = None) -> ErasureReport:
    """Erase the return named by exactly one of submission id, paper serial or withdrawal
    code; ProjectError with what to do if it cannot be found."""
    if sum(x is not None for x in (submission_id, serial, code)) != 1:
        raise ProjectError("name the return by exactly one of --submission, --serial or --code "
                           "(submission_id, serial or code in Python)")
    project = Project(project_dir)
    questionnaire = project.questionnaire(questionnaire_id)
    if serial is not None:
        try:
            cut_outs = copy_folder(project.root, questionnaire.id, serial)
        except ValueError as error:
            raise ProjectError(f"{error}; a serial has the digits printed on the cover") from None
    store = project.store(db_url)
    try:
        if code is not None:
            submission_id = submission_of_code(store, code)
            if submission_id is None:
                raise ProjectError(f"no return has the withdrawal code '{code}'; check it with "
                                   "the respondent (it was shown after they sent the form)")
        erased = erase(store, questionnaire.id, submission_id=submission_id, serial=serial)
    except StoreError as error:
        raise ProjectError(str(error)) from None
    finally:
        store.close()
    removed: list[Path] = []
    if serial is not None and cut_outs.is_dir():
        removed = sorted(p for p in cut_outs.rglob("*") if p.is_file())
        shutil.rmtree(cut_outs)
    return ErasureReport(erased, removed, _derived_files(project.root))


def _derived_files(root: Path) -> list[Path]:
    return sorted(p for folder in DERIVED_FOLDERS if (root / folder).is_dir()
                  for p in (root / folder).rglob("*") if p.is_file())
