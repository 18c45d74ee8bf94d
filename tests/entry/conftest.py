"""A server over a project with printed serials, a fresh SQLite store per test, and staff."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from entry_helpers import PASSWORD, SURVEY, Staff, make_project
from flask import Flask

from survey.project import Project
from survey.questionnaire.model import Questionnaire
from survey.server.app import create_app
from survey.store.store import Store
from survey.store.users import Role, add_user

TYPISTS = {"anna": Role.ENTRY, "ben": Role.ENTRY, "carla": Role.ENTRY, "dora": Role.ADMIN}


@pytest.fixture(scope="session")
def entry_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(make_project(tmp_path_factory.mktemp("entry-project")))


@pytest.fixture(scope="session")
def flagship(entry_project: Project) -> Questionnaire:
    return entry_project.questionnaire(SURVEY)


@pytest.fixture(scope="session")
def staff_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the staff accounts, made once: scrypt hashing is slow by design."""
    path = tmp_path_factory.mktemp("staff") / "store.sqlite"
    store = Store.open(f"sqlite:///{path}")
    for name, role in TYPISTS.items():
        add_user(store, name, PASSWORD, role)
    store.close()
    return path


@pytest.fixture
def app(entry_project: Project, staff_store: Path, tmp_path: Path) -> Flask:
    path = tmp_path / "store.sqlite"
    path.write_bytes(staff_store.read_bytes())
    application = create_app(entry_project, f"sqlite:///{path}")
    application.testing = True
    return application


@pytest.fixture
def store(app: Flask) -> Store:
    return app.extensions["survey"].store


@pytest.fixture
def person(app: Flask) -> Callable[[str], Staff]:
    return lambda name: Staff(app.test_client(), name)
