"""The hostile-input catalogue: every field, hidden or not, gets markup, scripts, SQL, huge and
broken text, wrong types and foreign values. The answer is a validation message or a 4xx,
never a 500, nothing unvalidated is stored, and nothing is rendered unescaped."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from server_helpers import SURVEY, Respondent, api_post, hidden, new_id, store_of

from survey.store.schema import drafts

SCRIPT = '"><script>alert(1)</script>'
SQL = "'; DROP TABLE responses; --"


def about_page(client) -> tuple[Respondent, str]:
    """A respondent on the 'about you' page (after consent)."""
    respondent = Respondent(client, "de")
    first = respondent.start().location
    respondent.open(first)
    second = respondent.post_page(first, {"consent": "yes"}).location
    respondent.open(second)
    return respondent, second


def draft_answers(app) -> dict:
    with store_of(app).engine.connect() as connection:
        return json.loads(connection.execute(sa.select(drafts.c.answers)).scalar_one())


@pytest.mark.parametrize(("fields", "message"), [
    ({"birth_year": "abc"}, "Bitte geben Sie eine ganze Zahl in Ziffern ein."),
    ({"birth_year": SCRIPT}, "Bitte geben Sie eine ganze Zahl in Ziffern ein."),
    ({"birth_year": "1" * 5000}, "Bitte geben Sie eine ganze Zahl in Ziffern ein."),
    ({"birth_year": "1850"}, "Bitte geben Sie einen Wert von 1920 bis 2010 ein."),
    ({"gender": "robot"}, "Bitte wählen Sie eine der angebotenen Antworten."),
    ({"gender": SQL}, "Bitte wählen Sie eine der angebotenen Antworten."),
    ({"gender": ["male", "female"]}, "Bitte geben Sie hier nur eine Antwort."),
    ({"gender": "missing:dont_know"}, "Bitte wählen Sie eine der angebotenen Antworten."),
    ({"birth_country": "XX"}, "Bitte wählen Sie eine der angebotenen Antworten."),
    ({"birth_country": "DE\x00"}, "Zeichen, die wir nicht speichern können"),
    ({"first_lang": "<b>de</b>"}, "Bitte wählen Sie eine der angebotenen Antworten."),
])
def test_bad_values_get_a_message_next_to_the_field_and_are_not_stored(client, app, fields,
                                                                     message):
    respondent, location = about_page(client)
    response = respondent.post_page(location, fields)
    assert response.status_code == 422
    question = next(iter(fields))
    assert f'id="q-{question}-error" aria-live="polite">{message}' in response.text \
        or message in response.text
    assert "<script>alert(1)" not in response.text
    assert question not in draft_answers(app)


def test_markup_typed_into_a_field_is_shown_back_escaped(client):
    respondent, location = about_page(client)
    response = respondent.post_page(location, {"birth_year": SCRIPT})
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in response.text


def test_texts_with_markup_and_sql_are_stored_as_typed_and_escaped_on_review(
        client, app, sample_submissions):
    sample = next(s for s in sample_submissions if s["language"] == "de")
    respondent = Respondent(client, "de")
    respondent.fill(sample["answers"])
    last = respondent.pages[-1]
    respondent.open(last)
    respondent.post_page(last, {"problem": SCRIPT, "suggest": SQL})
    review = client.get(f"/s/{SURVEY}/review").text
    assert "<script>alert(1)" not in review
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in review
    assert respondent.submit().location.endswith("/thanks")
    stored = store_of(app).response(respondent.submission_id)["answers"]
    assert (stored["problem"], stored["suggest"]) == (SCRIPT, SQL)


def _multipart(fields: dict[str, bytes]) -> bytes:
    parts = [b'--X\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
             + value + b"\r\n" for name, value in fields.items()]
    return b"".join(parts) + b"--X--\r\n"


def test_invalid_utf8_in_a_form_post_is_a_message_not_stored(client, app):
    respondent, location = about_page(client)
    raw = _multipart({"csrf_token": respondent.csrf.encode(),
                      "submission_id": respondent.submission_id.encode(),
                      "action": b"next", "birth_country": b"\xff\xfeDE"})
    response = client.post(location, data=raw, content_type="multipart/form-data; boundary=X")
    assert response.status_code == 422
    assert "Zeichen, die wir nicht speichern können" in response.text
    assert "birth_country" not in draft_answers(app)


def test_invalid_percent_escapes_are_not_decoded_into_answers(client, app):
    respondent, location = about_page(client)
    raw = (f"csrf_token={respondent.csrf}&submission_id={respondent.submission_id}"
           "&action=next&birth_country=%FF%FE").encode()
    response = client.post(location, data=raw,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert "birth_country" not in draft_answers(app)


def test_a_megabyte_string_is_refused_cleanly(client, app):
    respondent, location = about_page(client)
    response = respondent.post_page(location, {"birth_country": "x" * 1_000_000})
    assert response.status_code == 413
    assert "Die Eingabe ist zu lang" in response.text
    assert "birth_country" not in draft_answers(app)


def test_an_answer_to_a_question_of_another_page_is_ignored(client, app):
    respondent, location = about_page(client)
    response = respondent.post_page(location, {"birth_year": "1980", "household": "3",
                                               "unknown_field": "x"})
    assert response.status_code == 302
    assert draft_answers(app) == {"consent": True, "birth_year": 1980}


@pytest.mark.parametrize("tamper", [
    {"submission_id": "00000000-0000-4000-8000-000000000000"},
    {"submission_id": SCRIPT},
    {"action": "delete"},
    {"csrf_token": "forged"},
    {"csrf_token": ""},
])
def test_tampered_hidden_fields_are_refused(client, app, tamper):
    respondent, location = about_page(client)
    before = draft_answers(app)
    response = respondent.post_page(location, {"birth_year": "1980", **tamper})
    assert response.status_code == 400
    assert "<script>" not in response.text
    assert draft_answers(app) == before


def test_a_post_without_csrf_token_is_refused_with_a_clear_page(client):
    landing = client.get(f"/s/{SURVEY}/")
    assert landing.status_code == 200
    response = client.post(f"/s/{SURVEY}/start", data={"lang": "de"})
    assert response.status_code == 400
    assert "Diese Seite ist veraltet" in response.text or "This page is out of date" in \
        response.text


def test_a_language_the_questionnaire_lacks_is_refused(client):
    landing = client.get(f"/s/{SURVEY}/")
    response = client.post(f"/s/{SURVEY}/start", data={
        "csrf_token": hidden(landing.text, "csrf_token"), "lang": "xx<script>"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/s/nosuchsurvey/", "/s/%00/", "/s/zusammen/page/0",
                                  "/s/zusammen/page/99", f"/s/{SURVEY}/page/{'9' * 40}",
                                  "/s/zusammen/../../etc/passwd", "/admin/nosuchsurvey/"])
def test_unknown_addresses_are_404_or_a_login(client, path):
    response = client.get(path)
    assert response.status_code in (302, 404)
    assert "<script" not in response.text


def test_pages_of_a_form_not_started_lead_to_the_start(client):
    for path in ("page/2", "review", "saved"):
        response = client.get(f"/s/{SURVEY}/{path}")
        assert response.status_code == 302 and response.location.endswith(f"/s/{SURVEY}/")


# -- the JSON API --------------------------------------------------------------------------------

def good(sample_submissions) -> dict:
    sample = sample_submissions[0]
    return {"submission_id": new_id(), "language": sample["language"],
            "answers": dict(sample["answers"])}


@pytest.mark.parametrize(("raw", "status"), [
    (b"{not json", 400),
    (b"\xff\xfe\x00{", 400),
    (b"[" * 100_000 + b"]" * 100_000, 400),
    (b'"just a string"', 400),
    (b"[]", 400),
    (b'{"submission_id": "not-a-uuid", "language": "de", "answers": {}}', 422),
    (b'{"submission_id": "A5AB2BA0-EFDC-4B17-B0D0-C5A7F32EA1BD", "language": "de", '
     b'"answers": {}}', 422),
    (b'{"submission_id": "a5ab2ba0-efdc-4b17-b0d0-c5a7f32ea1bd", "language": "xx", '
     b'"answers": {}}', 422),
    (b'{"submission_id": "a5ab2ba0-efdc-4b17-b0d0-c5a7f32ea1bd", "language": "de", '
     b'"answers": [1, 2]}', 422),
    (b'{"submission_id": "a5ab2ba0-efdc-4b17-b0d0-c5a7f32ea1bd", "language": "de", '
     b'"answers": {}, "invitation": 5}', 422),
])
def test_malformed_api_bodies_are_4xx_with_a_reason(client, app, raw, status):
    response = api_post(client, None, raw=raw)
    assert response.status_code == status
    assert response.json["error"]
    assert store_of(app).count() == {}


def test_the_api_takes_json_only(client):
    response = api_post(client, None, raw=b"answers=1", content_type="text/plain")
    assert response.status_code == 415


def test_a_megabyte_api_body_is_413(client, sample_submissions):
    body = good(sample_submissions)
    body["answers"]["problem"] = "x" * 1_000_000
    response = api_post(client, body)
    assert response.status_code == 413
    assert response.is_json


@pytest.mark.parametrize(("name", "value", "rule"), [
    ("gender", "robot", "choice"),
    ("gender", ["female"], "choice"),
    ("gender", {"missing": "dont_know"}, "choice"),
    ("gender", {"missing": {"nested": [1]}}, "choice"),
    ("birth_year", "1985", "type"),
    ("birth_year", 1e300, "type"),
    ("birth_year", 10**400, "range"),
    ("birth_year", True, "type"),
    ("consent", "yes", "type"),
    ("info", "counselling", "type"),
    ("info", ["counselling", "counselling"], "choice"),
    ("problem", 5, "type"),
    ("problem", "a\x00b", "type"),
    ("problem", "\ud800", "type"),
    ("problem", "x" * 2001, "length"),
    ("injected_column", "x", "unknown"),
    ("qual", "none", None),  # changes the routing: later qualification answers are skipped
])
def test_wrong_answers_in_the_api_are_422_and_nothing_is_stored(client, app, sample_submissions,
                                                                name, value, rule):
    body = good(sample_submissions)
    body["answers"][name] = value
    response = api_post(client, body)
    assert response.status_code == 422
    rules = {p["rule"] for p in response.json["problems"]}
    assert (rule is None and rules == {"skip_logic"}) or rule in rules
    assert store_of(app).count() == {}


def test_nan_and_infinity_are_refused(client, app, sample_submissions):
    body = json.dumps(good(sample_submissions)).replace('"birth_year": 2006',
                                                       '"birth_year": NaN')
    assert "NaN" in body
    response = api_post(client, None, raw=body.encode())
    assert response.status_code == 422
    assert store_of(app).count() == {}
