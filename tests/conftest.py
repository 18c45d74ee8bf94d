"""Fixtures shared by the whole test suite."""

from pathlib import Path

import pytest


@pytest.fixture
def write_questionnaire(tmp_path: Path):
    """Write YAML text to a file and return its path."""

    def write(text: str, name: str = "q.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
