"""The online form without a browser: changing language mid-form, "only if" guidance for a form
without JavaScript, the error page title and summary, a ranking's own message for a choice put
twice, and compressed, fingerprinted static files."""

from __future__ import annotations

import html
import re

from server_helpers import Respondent, hidden

from survey.paper.routing_text import routing_texts


def on_page(respondent: Respondent, number: int) -> str:
    """Start a form, consent, and open section page `number` (2 = about you)."""
    started = respondent.start()
    first = respondent.open(started.location)
    respondent.csrf = hidden(first.text, "csrf_token")
    answered = respondent.post_page(started.location, {"consent": "yes"})
    location = answered.location.replace("/page/2", f"/page/{number}")
    assert respondent.open(location).status_code == 200
    return location


def test_the_language_changes_on_a_section_page_and_keeps_what_was_typed(client):
    respondent = Respondent(client, "de")
    location = on_page(respondent, 2)
    page = client.get(location).text
    assert 'form="page-form" name="lang" value="ar"' in page  # one button per language
    switched = respondent.post_page(location, {"birth_year": "1985", "lang": "ar"}, "next")
    assert switched.status_code == 302 and switched.location.endswith(location)
    again = client.get(location).text
    assert '<html lang="ar" dir="rtl">' in again and 'value="1985"' in again
    review = client.get(f"{respondent.base}/review").text
    assert '<html lang="ar"' in review and "1985" in review


def test_a_language_change_with_a_wrong_entry_shows_it_again_in_the_new_language(client):
    respondent = Respondent(client, "de")
    location = on_page(respondent, 2)
    shown = respondent.post_page(location, {"birth_year": "12x", "gender": "female",
                                            "lang": "ru"})
    assert shown.status_code == 422
    assert '<html lang="ru"' in shown.text and 'value="12x"' in shown.text
    assert client.get(f"{respondent.base}/review").text.count("1985") == 0
    back = client.get(location).text
    assert 'value="female" checked' in back  # the readable answers were kept


def test_pages_without_a_page_form_change_language_and_come_back(client):
    respondent = Respondent(client, "de")
    on_page(respondent, 2)
    review = client.get(f"{respondent.base}/review").text
    assert 'name="next" value="respondent.review"' in review
    moved = client.post(f"{respondent.base}/language", data={
        "csrf_token": respondent.csrf, "lang": "vi", "next": "respondent.review"})
    assert moved.status_code == 302 and moved.location.endswith("/review")
    assert '<html lang="vi"' in client.get(moved.location).text
    refused = client.post(f"{respondent.base}/language", data={
        "csrf_token": respondent.csrf, "lang": "vi", "next": "https://example.org"})
    assert refused.status_code == 400


def test_without_javascript_a_same_page_condition_is_said_in_the_paper_words(client, flagship):
    for language in ("de", "fa"):
        respondent = Respondent(client, language)
        page = client.get(on_page(respondent, 2)).text
        note = page.split('id="q-arrival_year-only-if">')[1].split("</p>")[0]
        expected = routing_texts(flagship, language).only_if["arrival_year"]
        assert html.unescape(re.sub(r"<[^>]+>", "", note)) == expected
        assert 'id="q-gender-only-if"' not in page  # asked whatever this page says


def test_a_page_with_errors_says_so_in_its_title_and_summary(client):
    respondent = Respondent(client, "ru")
    location = on_page(respondent, 2)
    shown = respondent.post_page(location, {"birth_year": "1800"})
    assert shown.status_code == 422
    assert re.search(r"<title>Ошибка: ", shown.text)
    summary = shown.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert 'href="#q-birth_year"' in summary


def test_a_topic_ranked_twice_gets_its_own_message_in_every_language(client, flagship):
    urgent = flagship.question("urgent")
    first = urgent.choices.choices[0]
    for language in flagship.languages:
        respondent = Respondent(client, language)
        location = on_page(respondent, 11)
        shown = respondent.post_page(location, {"urgent": [first.name, first.name]})
        assert shown.status_code == 422
        message = shown.text.split('id="q-urgent-error" aria-live="polite">')[1].split("<")[0]
        assert first.label.get(language, flagship.default_language) in message.replace(
            "&#39;", "'").replace("&amp;", "&")


def test_pages_are_compressed_and_static_files_cached_for_a_year_under_a_hash(client):
    landing = client.get("/s/zusammen/?lang=de", headers={"Accept-Encoding": "gzip, br"})
    assert landing.headers["Content-Encoding"] in ("br", "gzip")
    plain = client.get("/s/zusammen/?lang=de").text
    css = re.search(r'href="(/static/form\.css\?v=[0-9a-f]{10})"', plain)
    assert css, "the stylesheet's address carries its hash"
    got = client.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert got.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert got.headers["Content-Encoding"] == "gzip"
    stale = client.get("/static/form.css?v=0000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")
