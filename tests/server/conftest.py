"""The server over real SQLite files: Flask's test client and a real waitress server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import waitress
from flask import Flask
from flask.testing import FlaskClient
from postgres_cluster import postgres_cluster
from server_helpers import SURVEY, free_port, sqlite_url

from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.model import Questionnaire
from survey.server.app import create_app

ROOT = Path(__file__).resolve().parents[2]
ONLINE_SAMPLE = ROOT / "data" / "sample" / "online.jsonl"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def flagship(project: Project) -> Questionnaire:
    return project.questionnaire(SURVEY)


@pytest.fixture(scope="session")
def sample_submissions(flagship: Questionnaire) -> list[dict[str, Any]]:
    """Complete answer sets of the flagship that pass its checks (the sample online returns)."""
    rows = [json.loads(line) for line in ONLINE_SAMPLE.read_text("utf-8").splitlines()]
    return [r for r in rows if check_answers(flagship, r["answers"]).accepted]


@pytest.fixture
def app(project: Project, tmp_path: Path) -> Flask:
    """A server over a fresh SQLite file."""
    application = create_app(project, sqlite_url(tmp_path / "store.sqlite"))
    application.testing = True
    return application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class LiveServer:
    url: str
    app: Flask


@pytest.fixture(scope="module")
def live_server(project: Project, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[LiveServer]:
    """A real waitress server on a free loopback port over its own SQLite file."""
    path = tmp_path_factory.mktemp("live") / "store.sqlite"
    application = create_app(project, sqlite_url(path))
    port = free_port()
    server = waitress.create_server(application, host="127.0.0.1", port=port, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{port}", application)
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server on loopback for the session (see postgres_cluster)."""
    with postgres_cluster(free_port()) as url:
        yield url
