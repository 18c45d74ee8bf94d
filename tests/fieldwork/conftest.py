"""Fixtures of the fieldwork tests (the helpers are in fieldwork_helpers.py)."""

from __future__ import annotations

import json

import pytest
from fieldwork_helpers import ROOT, SURVEY, fill_store, make_project

from survey.project import Project
from survey.questionnaire.answer_checks import check_answers


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_project(tmp_path_factory.mktemp("fieldwork") / "project")
    store = project.store()
    fill_store(project, store)
    store.close()
    return project


@pytest.fixture(scope="session")
def one_answer_set() -> dict:
    """One complete answer set of the flagship that passes its checks."""
    project = Project(ROOT)
    questionnaire = project.questionnaire(SURVEY)
    for line in (ROOT / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        if row["language"] == "de" and check_answers(questionnaire, row["answers"]).accepted:
            return row["answers"]
    raise AssertionError("no complete sample answer set")
