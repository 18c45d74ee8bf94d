"""Fixtures of the security tests: the flagship project served by the real Flask app over a
fresh SQLite file and a throwaway PostgreSQL cluster (a real waitress server on loopback is in
security_helpers).

The helpers of the server tests (a respondent without JavaScript, the JSON API, free ports, the
PostgreSQL cluster) are shared, not copied.
"""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from postgres_cluster import postgres_cluster
from server_helpers import free_port, sqlite_url

from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.server.app import create_app

ROOT = Path(__file__).resolve().parents[2]
ONLINE_SAMPLE = ROOT / "data" / "sample" / "online.jsonl"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def sample_submissions(project: Project) -> list[dict[str, Any]]:
    """Complete answer sets of the flagship that pass its checks (the sample online returns)."""
    flagship = project.questionnaire("zusammen")
    rows = [json.loads(line) for line in ONLINE_SAMPLE.read_text("utf-8").splitlines()]
    return [r for r in rows if check_answers(flagship, r["answers"]).accepted]


@pytest.fixture
def app(project: Project, tmp_path: Path) -> Flask:
    """The server of the flagship project over a fresh SQLite file."""
    application = create_app(project, sqlite_url(tmp_path / "store.sqlite"))
    application.testing = True
    return application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server on loopback for the session (see postgres_cluster)."""
    with postgres_cluster(free_port()) as url:
        yield url


@pytest.fixture
def pg_database(postgres_url: str) -> str:
    """A fresh, empty database on the session's cluster."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def feedback_project(tmp_path: Path) -> Project:
    """A project of its own with questionnaires/examples/event-feedback.yaml, so that the
    security cases are shown on a questionnaire other than the flagship."""
    (tmp_path / "questionnaires").mkdir()
    shutil.copy(ROOT / "questionnaires" / "examples" / "event-feedback.yaml",
                tmp_path / "questionnaires")
    return Project(tmp_path)
