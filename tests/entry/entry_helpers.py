"""Helpers of the data-entry tests: a project with a serial registry, staff who log in, and a
typist who types a copy the way the entry screen posts it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from support import copy_flagship
from werkzeug.test import TestResponse

from survey.paper.serials import REGISTRY_FILE, PrintRun, register_runs
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.model import Questionnaire
from survey.returns.reconcile import verdict
from survey.returns.typed import BLANK, entry_fields, typed_answers
from survey.server.entry.views import FIELD_PREFIX

ROOT = Path(__file__).resolve().parents[2]
SURVEY = "zusammen"
PASSWORD = "a long enough password"
RUNS = [PrintRun(SURVEY, "2026.1", "de", "000001", "000050"),
        PrintRun(SURVEY, "2026.1", "ar", "000051", "000100"),
        PrintRun("nachbarn", "3", "de", "000101", "000150")]


def make_project(folder: Path) -> Path:
    """A project folder with the flagship questionnaire and a registry of printed serials."""
    copy_flagship(folder / "questionnaires")
    (folder / "paper").mkdir()
    register_runs(folder / "paper" / REGISTRY_FILE, RUNS)
    return folder


def sample_answers(flagship: Questionnaire, count: int) -> list[dict[str, Any]]:
    """Complete answer sets of the flagship that pass its checks (the sample online returns)."""
    rows = [json.loads(line) for line in
            (ROOT / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines()]
    found = [r["answers"] for r in rows if check_answers(flagship, r["answers"]).accepted]
    return found[:count]


def typed_copy(flagship: Questionnaire, answers: Mapping[str, Any]) -> dict[str, str]:
    """What a careful typist types for a copy holding `answers`: codes, and - for every asked
    question the respondent left blank."""
    typed = dict(typed_answers(flagship, answers))
    asked = verdict(flagship, typed).asked
    for item in entry_fields(flagship):
        if item.question.id in asked and not item.other_text and item.name not in typed:
            typed[item.name] = BLANK
    return typed


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


class Staff:
    """One person at the entry screens (Flask test client, real store)."""

    def __init__(self, client: FlaskClient, name: str):
        self.client, self.name = client, name
        page = client.get("/entry/login")
        response = client.post("/entry/login", data={"csrf_token": csrf(page.text),
                                                     "name": name, "password": PASSWORD})
        assert response.status_code == 302, response.text
        self.token = csrf(client.get("/entry/").text)

    def post(self, path: str, **data: Any) -> TestResponse:
        return self.client.post(path, data={"csrf_token": self.token, **data})

    def start(self, serial: str) -> TestResponse:
        return self.post(f"/entry/{SURVEY}/start", serial=serial)

    def started_path(self, serial: str) -> str:
        response = self.start(serial)
        assert response.status_code == 302, response.text
        return response.location

    def send(self, path: str, typed: Mapping[str, str], action: str = "finish",
             **extra: str) -> TestResponse:
        fields = {FIELD_PREFIX + name: text for name, text in typed.items()}
        return self.post(path, action=action, **fields, **extra)

    def enter(self, serial: str, typed: Mapping[str, str]) -> TestResponse:
        return self.send(self.started_path(serial), typed)
