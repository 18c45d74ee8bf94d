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


SLOW = ("server/browser/", "paper/", "scan/", "report/", "test_demo.py",
        "convert/test_realworld_xlsforms.py", "ingest/test_realworld_pairs.py",
        "stats/test_against_r.py", "security/test_availability.py",
        "security/test_schema_lock.py", "server/test_postgresql.py",
        "server/test_reverse_proxy.py", "preview/")
"""Tests that start Chromium, PostgreSQL or R, render PDFs or sweep every real-world file:
`make test-fast` leaves them out for a quick loop; `make test` runs everything."""
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        where = item.path.relative_to(TESTS).as_posix()
        if where.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
