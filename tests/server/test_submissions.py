"""Submissions are idempotent by submission_id, conflicting ones are refused, and concurrent
duplicates against a real waitress server leave exactly one row."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from server_helpers import SURVEY, Respondent, api_post, hidden, new_id, store_of

from survey.store.schema import Status, responses
from survey.store.store import Response


def body(sample: dict, submission_id: str | None = None, **changes) -> dict:
    return {"submission_id": submission_id or new_id(), "language": sample["language"],
            "answers": sample["answers"] | changes}


def test_a_new_submission_is_created(client, app, sample_submissions):
    sent = body(sample_submissions[0])
    response = api_post(client, sent)
    assert response.status_code == 201
    answer = response.json
    code = answer.pop("withdrawal_code")
    assert answer == {"status": "created", "submission_id": sent["submission_id"]}
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert store_of(app).response(sent["submission_id"])["raw"] == sent["answers"]


def test_the_same_submission_twice_is_stored_once_and_told_so(
        client, app, sample_submissions):
    """A retry after a lost answer learns that its id is stored: 409, the same answer a
    different answer set gets, so that a repeat confirms nothing about the answers."""
    sent = body(sample_submissions[0])
    assert api_post(client, sent).status_code == 201
    again = api_post(client, sent)
    assert again.status_code == 409 and again.json["status"] == "already stored"
    assert store_of(app).count(SURVEY) == {"accepted": 1}


def test_the_same_id_with_other_answers_is_a_conflict_and_changes_nothing(
        client, app, sample_submissions):
    sent = body(sample_submissions[0])
    api_post(client, sent)
    other = body(sample_submissions[1], sent["submission_id"])
    response = api_post(client, other)
    assert response.status_code == 409
    assert store_of(app).response(sent["submission_id"])["raw"] == sent["answers"]


def test_an_id_of_another_questionnaire_or_an_import_is_a_conflict(client, app,
                                                                   sample_submissions):
    foreign = new_id()
    store_of(app).add([Response(foreign, "other_survey", "1", "import", Status.ACCEPTED,
                                raw={}, answers=sample_submissions[0]["answers"])])
    assert api_post(client, body(sample_submissions[0], foreign)).status_code == 409


def test_invalid_answers_are_refused_with_every_problem_named(client, app, sample_submissions):
    sent = body(sample_submissions[0], birth_year=1850, gender="robot")
    response = api_post(client, sent)
    assert response.status_code == 422
    named = {p["name"]: p["rule"] for p in response.json["problems"]}
    assert named == {"birth_year": "range", "gender": "choice"}
    assert store_of(app).count(SURVEY) == {}


def test_the_form_and_the_api_store_the_same_record(client, app, sample_submissions):
    sample = next(s for s in sample_submissions if s["language"] == "de")
    respondent = Respondent(client, "de")
    respondent.fill(sample["answers"])
    respondent.submit()
    by_form = store_of(app).response(respondent.submission_id)
    sent = body(sample)
    api_post(client, sent)
    by_api = store_of(app).response(sent["submission_id"])
    assert by_form["answers"] == by_api["answers"]
    assert {k: by_form[k] for k in ("mode", "status", "language", "stored_at")} == \
        {k: by_api[k] for k in ("mode", "status", "language", "stored_at")}


def test_submitting_the_form_twice_is_harmless(client, app, sample_submissions):
    """A double click or a reload after a lost connection: the second post finds the form
    already stored and leads to the thank-you page too."""
    sample = next(s for s in sample_submissions if s["language"] == "ru")
    respondent = Respondent(client, "ru")
    respondent.fill(sample["answers"])
    review = client.get(f"/s/{SURVEY}/review").text
    data = {"csrf_token": respondent.csrf, "submission_id": hidden(review, "submission_id")}
    first = client.post(f"/s/{SURVEY}/submit", data=data)
    second = client.post(f"/s/{SURVEY}/submit", data=data)
    assert first.location.endswith("/thanks")
    assert second.status_code == 302  # the draft is gone: back to the start, nothing stored
    assert store_of(app).count(SURVEY) == {"accepted": 1}


def _post(url: str, payload: bytes) -> int:
    request = urllib.request.Request(url, data=payload, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("copies", [24])
def test_concurrent_duplicate_posts_leave_exactly_one_row(live_server, sample_submissions,
                                                          copies):
    sent = json.dumps(body(sample_submissions[2])).encode()
    url = f"{live_server.url}/s/{SURVEY}/api/submissions"
    with ThreadPoolExecutor(max_workers=copies) as pool:
        statuses = list(pool.map(lambda _: _post(url, sent), range(copies)))
    assert sorted(statuses) == [201] + [409] * (copies - 1)
    submission_id = json.loads(sent)["submission_id"]
    with store_of(live_server.app).engine.connect() as connection:
        rows = connection.execute(sa.select(sa.func.count()).where(
            responses.c.submission_id == submission_id)).scalar()
    assert rows == 1


def test_concurrent_different_submissions_are_all_stored(live_server, sample_submissions):
    bodies = [json.dumps(body(s)).encode() for s in sample_submissions[:40]]
    url = f"{live_server.url}/s/{SURVEY}/api/submissions"
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda b: _post(url, b), bodies))
    assert statuses == [201] * len(bodies)
    stored = {json.loads(b)["submission_id"] for b in bodies}
    with store_of(live_server.app).engine.connect() as connection:
        found = set(connection.execute(sa.select(responses.c.submission_id).where(
            responses.c.submission_id.in_(stored))).scalars())
    assert found == stored
