"""Who may reconcile a copy is a setting: `survey serve` reads SURVEY_RECONCILERS once and the
entry pages read the application's config, never the environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from survey.project import Project
from survey.questionnaire.model import Questionnaire
from survey.returns.double_entry import may_reconcile, who_reconciles
from survey.server.serve import close_store, open_server
from survey.store.entries import Entry


def test_only_either_lets_a_typist_reconcile_and_anything_else_means_a_third_person() -> None:
    assert who_reconciles("either") == "either"
    for setting in (None, "", "third", "Either", "anyone"):
        assert who_reconciles(setting) == "third"


def test_a_typist_reconciles_their_own_copy_only_where_the_setting_allows(
        flagship: Questionnaire) -> None:
    copy = [Entry(n, flagship.id, "000019", n, "de", typist, {}, True, dt.datetime(2026, 3, 1))
            for n, typist in ((1, "anna"), (2, "ben"))]
    assert not may_reconcile("third", "anna", copy)
    assert may_reconcile("third", "carla", copy)
    assert may_reconcile("either", "anna", copy)


@pytest.mark.parametrize(("variable", "setting"), [(None, "third"), ("either", "either"),
                                                     ("nobody", "third")])
def test_survey_serve_reads_the_variable_into_the_config(
        entry_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        variable: str | None, setting: str) -> None:
    if variable is None:
        monkeypatch.delenv("SURVEY_RECONCILERS", raising=False)
    else:
        monkeypatch.setenv("SURVEY_RECONCILERS", variable)
    app, server = open_server(entry_project, "127.0.0.1", 0,
                              f"sqlite:///{tmp_path / 'store.sqlite'}", 1)
    try:
        assert app.config["ENTRY_RECONCILERS"] == setting
    finally:
        server.close()
        close_store(app)
