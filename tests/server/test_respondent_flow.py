"""The flagship form filled without JavaScript: German and Arabic paths, routing decided by the
server, save and resume, review, submission, thank-you, and what gets stored."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from server_helpers import SURVEY, Respondent, hidden, shown_ids, store_of

from survey.questionnaire.answer_checks import check_answers
from survey.store.schema import responses


def one_for(sample_submissions, language: str) -> dict:
    return next(s for s in sample_submissions if s["language"] == language)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_complete_path_is_stored_once_with_the_validated_answers(
        client, app, flagship, sample_submissions, language):
    sample = one_for(sample_submissions, language)
    respondent = Respondent(client, language)
    respondent.fill(sample["answers"])
    done = respondent.submit()
    assert done.status_code == 302 and done.location.endswith("/thanks")
    thanks = client.get(done.location)
    assert f'<html lang="{language}"' in thanks.text
    stored = store_of(app).response(respondent.submission_id)
    expected = check_answers(flagship, sample["answers"], dt.datetime.now(dt.UTC).date())
    assert stored["answers"] == json.loads(json.dumps(expected.validated))
    assert (stored["language"], stored["mode"], stored["status"]) == (language, "web", "accepted")
    assert store_of(app).count(SURVEY) == {"accepted": 1}


def test_arabic_pages_run_right_to_left_and_german_ones_left_to_right(client, sample_submissions):
    arabic = Respondent(client, "ar")
    location = arabic.start().location
    page = arabic.open(location)
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "الجزء 1 من 12" in page.text  # progress in Arabic
    german = Respondent(client, "de")
    page = german.open(german.start().location)
    assert '<html lang="de" dir="ltr">' in page.text
    assert "Teil 1 von 12" in page.text


def test_the_language_chooser_follows_accept_language_and_names_languages_in_themselves(client):
    page = client.get(f"/s/{SURVEY}/", headers={"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})
    assert '<html lang="fa" dir="rtl">' in page.text
    assert 'name="lang" value="fa"' in page.text
    for code, name in (("de", "Deutsch"), ("ru", "русский"), ("uk", "українська"),
                       ("ar", "العربية"), ("fa", "فارسی"), ("vi", "Tiếng Việt")):
        assert re.search(rf'lang="{code}" hreflang="{code}"[^>]*>{name}</a>', page.text), code
    chosen = client.get(f"/s/{SURVEY}/?lang=uk", headers={"Accept-Language": "fa"})
    assert '<html lang="uk"' in chosen.text


def test_every_page_keeps_the_contract_with_the_browser_script(client, sample_submissions):
    respondent = Respondent(client, "de")
    respondent.fill(one_for(sample_submissions, "de")["answers"])
    for location in respondent.pages:
        html = client.get(location).text
        assert '<form method="post" class="survey-form" id="page-form" novalidate>' in html
        logic = json.loads(re.search(
            r'<script type="application/json" id="survey-logic">(.*?)</script>', html,
            re.S).group(1))
        assert logic["language"] == "de"
        assert set(logic["questions"]) <= set(shown_ids(html))
        for qid, entry in logic["questions"].items():
            if entry["type"] == "note":
                assert entry["answer_names"] == []
                continue
            assert f'id="q-{qid}-error" aria-live="polite"' in html
            for name in entry["answer_names"]:
                assert f'name="{name}"' in html
                assert re.search(rf'name="{name}"[^>]*aria-describedby="[^"]*q-{qid}-error',
                                 html), name
        assert re.search(r'<script src="/static/expressions\.js\?v=[0-9a-f]+" defer>', html)
        assert re.search(r'<script src="/static/form\.js\?v=[0-9a-f]+" defer>', html)
        assert "style=" not in html and "onclick" not in html


def test_the_logic_data_carries_relevance_as_one_tree_and_earlier_answers(client):
    respondent = Respondent(client, "de")
    first = respondent.start().location
    respondent.open(first)
    second = respondent.post_page(first, {"consent": "yes"}).location
    html = respondent.open(second).text
    logic = json.loads(re.search(r'id="survey-logic">(.*?)</script>', html, re.S).group(1))
    arrival = logic["questions"]["arrival_year"]["relevant"]
    # section rule ${consent} and question rule ${birth_country} != 'DE', combined by `and`
    assert arrival["op"] == "and" and arrival["l"] == {"ref": "consent"}
    assert logic["answers"] == {"consent": True}
    assert logic["codes"]["housing_sat"]["very_satisfied"] == 4


def test_without_javascript_the_server_decides_what_the_next_page_shows(client, app):
    """qual=none skips qual_where; birth_country=DE skips arrival_year (same page: shown, then
    dropped); has_children=no skips the child questions on the same page."""
    respondent = Respondent(client, "de")
    location = respondent.start().location
    respondent.open(location)
    location = respondent.post_page(location, {"consent": "yes"}).location
    about = respondent.open(location)
    assert "arrival_year" in shown_ids(about.text)  # depends on an answer on this very page
    response = respondent.post_page(location, {
        "birth_year": "1990", "birth_country": "DE", "arrival_year": "2015", "german": "native"})
    education = respondent.open(response.location)
    assert shown_ids(education.text) == ["qual", "qual_where", "recog_applied", "recog_result"]
    response = respondent.post_page(response.location, {"qual": "none",
                                                        "qual_where": "abroad"})
    draft_answers = _draft_answers(app, respondent)
    assert "arrival_year" not in draft_answers  # not relevant for someone born in Germany
    assert "qual_where" not in draft_answers  # answered, but skipped by the routing: dropped
    assert draft_answers["qual"] == "none"


def test_the_form_does_not_go_on_without_consent(client):
    """Consent is required, and every later section depends on it."""
    respondent = Respondent(client, "de")
    location = respondent.start().location
    respondent.open(location)
    response = respondent.post_page(location, {})
    assert response.status_code == 422
    assert "Bitte beantworten Sie diese Frage." in response.text
    assert re.search(r'id="q-consent-error" aria-live="polite">Bitte beantworten', response.text)


def test_back_keeps_the_answers_and_returns_to_the_previous_page(client, app):
    respondent = Respondent(client, "de")
    first = respondent.start().location
    respondent.open(first)
    second = respondent.post_page(first, {"consent": "yes"}).location
    respondent.open(second)
    back = respondent.post_page(second, {"birth_year": "1985"}, action="back")
    assert back.location == first
    again = respondent.open(second)
    assert 'name="birth_year" id="in-birth_year"' in again.text and 'value="1985"' in again.text


def test_a_saved_form_is_resumed_with_its_code_on_another_device(client, app, project, flagship):
    respondent = Respondent(client, "uk")
    first = respondent.start().location
    respondent.open(first)
    second = respondent.post_page(first, {"consent": "yes"}).location
    respondent.open(second)
    saved = respondent.post_page(second, {"birth_year": "1977", "gender": "female"},
                                 action="save")
    page = client.get(saved.location)
    code = re.search(r'class="resume-code"[^>]*>([A-Z0-9-]+)<', page.text).group(1)
    assert f"?code={code}" in page.text  # the link to continue
    other_device = app.test_client()
    landing = other_device.get(f"/s/{SURVEY}/?code={code}")
    assert f'value="{code}"' in landing.text
    resumed = other_device.post(f"/s/{SURVEY}/resume", data={
        "csrf_token": hidden(landing.text, "csrf_token"), "code": code.lower().replace("-", " ")})
    assert resumed.location == second
    page = other_device.get(resumed.location)
    assert '<html lang="uk"' in page.text
    assert 'value="1977"' in page.text
    assert re.search(r'value="female" checked', page.text)


def test_an_unknown_resume_code_gets_a_message_not_an_error(client):
    landing = client.get(f"/s/{SURVEY}/")
    response = client.post(f"/s/{SURVEY}/resume", data={
        "csrf_token": hidden(landing.text, "csrf_token"), "code": "AAAA-BBBB-CCCC"},
        follow_redirects=True)
    assert response.status_code == 200
    assert 'id="resume-error" role="alert"' in response.text


def test_the_review_page_lists_the_answers_in_words_and_submits(client, sample_submissions):
    respondent = Respondent(client, "de")
    respondent.fill(one_for(sample_submissions, "de")["answers"])
    review = client.get(f"/s/{SURVEY}/review")
    assert "Ihre Antworten prüfen" in review.text
    assert "Ja, ich bin einverstanden." in review.text  # consent in words
    assert respondent.submit().location.endswith("/thanks")
    # the form is gone from the session: the review now leads back to the start
    assert client.get(f"/s/{SURVEY}/review").location.endswith(f"/s/{SURVEY}/")


def test_anonymous_responses_keep_the_day_only_and_nothing_about_the_device(
        client, app, sample_submissions):
    respondent = Respondent(client, "de")
    respondent.fill(one_for(sample_submissions, "de")["answers"])
    respondent.submit()
    with store_of(app).engine.connect() as connection:
        row = connection.execute(sa.select(responses)).mappings().one()
    assert row["stored_at"].time() == dt.time()
    assert row["received_on"] == dt.datetime.now(dt.UTC).date()
    assert not any(name in str(row).lower() for name in ("127.0.0.1", "werkzeug", "agent"))


def test_pages_are_light(client, sample_submissions):
    respondent = Respondent(client, "ar")
    respondent.fill(one_for(sample_submissions, "ar")["answers"])
    css = client.get("/static/form.css").data
    for location in [*respondent.pages, f"/s/{SURVEY}/review", f"/s/{SURVEY}/"]:
        assert len(client.get(location).data) + len(css) < 100_000, location


def _draft_answers(app, respondent: Respondent) -> dict:
    from survey.store.schema import drafts

    with store_of(app).engine.connect() as connection:
        row = connection.execute(sa.select(drafts.c.answers).where(
            drafts.c.submission_id == respondent.submission_id)).one()
    return json.loads(row.answers)
