"""Import tests read summaries and reports in English unless a test asks for another
language: the staff language otherwise follows the machine's LC_ALL, LC_MESSAGES or LANG."""

import pytest


@pytest.fixture(autouse=True)
def english_environment(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
