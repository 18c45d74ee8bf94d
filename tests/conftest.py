"""Shared paths for the test suite."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
BAD = Path(__file__).resolve().parent / "bad_questionnaires"


@pytest.fixture
def write_questionnaire(tmp_path: Path):
    """Write YAML text to a file and return its path."""

    def write(text: str, name: str = "q.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
