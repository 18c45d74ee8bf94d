"""Helpers of the server tests: a respondent who fills the flagship form without JavaScript,
the JSON API, and free ports."""

from __future__ import annotations

import json
import re
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.model import Questionnaire
from survey.returns.reconcile import verdict
from survey.returns.typed import BLANK, entry_fields, typed_answers
from survey.server.form_fields import field_state
from survey.store.store import Store

SURVEY = "zusammen"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def store_of(app: Flask) -> Store:
    return app.extensions["survey"].store


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden field {name}"
    return found.group(1)


def shown_ids(html: str) -> list[str]:
    return re.findall(r'class="question[^"]*" id="q-[^"]+" data-question="([^"]+)"', html)


@dataclass
class Respondent:
    """Someone filling the form in a browser without JavaScript (test client, real store)."""

    client: FlaskClient
    language: str
    survey: str = SURVEY
    pages: list[str] = field(default_factory=list)
    csrf: str = ""
    submission_id: str = ""

    @property
    def base(self) -> str:
        return f"/s/{self.survey}"

    def start(self, **landing_params: str) -> TestResponse:
        page = self.client.get(f"{self.base}/", query_string=landing_params)
        self.csrf = hidden(page.text, "csrf_token")
        data = {"csrf_token": self.csrf, "lang": self.language}
        if "invitation" in landing_params:
            data["invitation"] = landing_params["invitation"]
        return self.client.post(f"{self.base}/start", data=data)

    def open(self, location: str) -> TestResponse:
        page = self.client.get(location)
        if page.status_code == 200 and 'name="submission_id"' in page.text:
            self.submission_id = hidden(page.text, "submission_id")
        return page

    def post_page(self, location: str, fields: Mapping[str, Any],
                  action: str = "next") -> TestResponse:
        data = {"csrf_token": self.csrf, "submission_id": self.submission_id, "action": action,
                **fields}
        return self.client.post(location, data=data)

    def fill(self, answers: Mapping[str, Any], stop_at_review: bool = True) -> TestResponse:
        """Answer every page the server shows from `answers`, until the review page."""
        response = self.start()
        while response.status_code == 302 and "/page/" in response.location:
            location = response.location
            page = self.open(location)
            assert page.status_code == 200, page.text
            self.pages.append(location)
            ids = set(shown_ids(page.text))
            own = {name: value for name, value in answers.items()
                   if name.split("__")[0] in ids}
            response = self.post_page(location, field_state(own))
        assert response.status_code == 302 and response.location.endswith("/review"), \
            response.text[:2000]
        return response

    def submit(self) -> TestResponse:
        review = self.client.get(f"{self.base}/review")
        return self.client.post(f"{self.base}/submit", data={
            "csrf_token": self.csrf, "submission_id": hidden(review.text, "submission_id")})


def api_post(client: Any, body: Any, survey: str = SURVEY, raw: bytes | None = None,
             content_type: str = "application/json") -> TestResponse:
    data = raw if raw is not None else json.dumps(body).encode()
    return client.post(f"/s/{survey}/api/submissions", data=data, content_type=content_type)


def new_id() -> str:
    return str(uuid.uuid4())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def typed_copy(questionnaire: Questionnaire) -> dict[str, str]:
    """What a typist enters for one sample return that passes the checks: its codes, and the
    blank mark ('-') for every question asked but left empty."""
    root = Path(__file__).resolve().parents[2]
    rows = [json.loads(line) for line in
            (root / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines()]
    answers = next(r["answers"] for r in rows if "household" in r["answers"]
                   and check_answers(questionnaire, r["answers"]).accepted)
    typed = dict(typed_answers(questionnaire, answers))
    asked = verdict(questionnaire, typed).asked
    for item in entry_fields(questionnaire):
        if item.question.id in asked and not item.other_text and item.name not in typed:
            typed[item.name] = BLANK
    return typed
