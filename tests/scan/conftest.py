"""A project with the flagship's German and Arabic forms printed as `survey paper --copies 2`
would (once per session), their pages rendered as a scanner sees them, and a fresh store and
project folder per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from printed_forms import FLAGSHIP_FILE, LANGUAGES, PrintedForm
from support import copy_flagship

from survey.jobs.paper import PaperJob, print_forms
from survey.project import Project


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, PrintedForm]]:
    root = tmp_path_factory.mktemp("scan-project")
    (root / "questionnaires").mkdir()
    copy_flagship(root / "questionnaires")
    assert print_forms(PaperJob(FLAGSHIP_FILE, root / "paper", LANGUAGES, (), 2)).forms
    forms = {}
    for language in LANGUAGES:
        pdf = next((root / "paper").glob(f"zusammen-*-{language}-*.pdf"))
        forms[language] = PrintedForm(pdf)
    return root, forms


@pytest.fixture
def forms(printed: tuple[Path, dict[str, PrintedForm]]) -> dict[str, PrintedForm]:
    return printed[1]


@pytest.fixture
def project(printed: tuple[Path, dict[str, PrintedForm]], tmp_path: Path) -> Project:
    """The printed project, copied: each test has its own scans/ folder and store."""
    root = tmp_path / "project"
    shutil.copytree(printed[0], root)
    return Project(root)
