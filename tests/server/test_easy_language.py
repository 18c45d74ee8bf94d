"""The online form in an easy-language variant (de-x-easy): the chooser, the consent page with
the plain privacy summary above the full notice, and the base language filling the gaps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from server_helpers import Respondent, sqlite_url
from support import run

from survey.project import Project
from survey.server.app import create_app

EASY_SUMMARY = "Sie müssen nicht mitmachen. Wir fragen nicht nach Ihrem Namen."
EASY_CONSENT = "Ich mache mit. Sie dürfen meine Antworten benutzen."


def easy_project(root: Path) -> Path:
    """The starter project with an easy-German variant and a privacy summary."""
    assert run("init", root).exit_code == 0
    path = root / "questionnaires" / "our-survey.yaml"
    text = path.read_text("utf-8")
    text = text.replace("  languages: [de, en]", f"""\
  privacy_summary:
    de: Die Teilnahme ist freiwillig und anonym.
    en: Taking part is voluntary and anonymous.
    de-x-easy: {EASY_SUMMARY}
  languages: [de, en, de-x-easy]""")
    text = text.replace("    title: {de: Einverständnis, en: Consent}",
                        "    title: {de: Einverständnis, en: Consent, de-x-easy: Mitmachen}")
    text = text.replace(
        "          en: I have read the privacy notice. I agree that my answers are analysed "
        "anonymously.",
        "          en: I have read the privacy notice. I agree that my answers are analysed "
        f"anonymously.\n          de-x-easy: {EASY_CONSENT}")
    path.write_text(text, "utf-8")
    assert run("validate", path).exit_code == 0
    return root


@pytest.fixture
def easy_client(tmp_path: Path) -> FlaskClient:
    application = create_app(Project(easy_project(tmp_path / "project")),
                             sqlite_url(tmp_path / "store.sqlite"))
    application.testing = True
    return application.test_client()


def chooser(html: str) -> list[tuple[str, str]]:
    nav = html.split('<nav class="languages"')[1].split("</nav>")[0]
    return re.findall(r'lang="([^"]+)" hreflang="[^"]+"[^>]*>([^<]+)</a>', nav)


def test_the_chooser_lists_the_variant_right_after_its_base_by_its_own_name(easy_client):
    page = easy_client.get("/s/our_survey/")
    assert page.status_code == 200
    assert chooser(page.text) == [("de", "Deutsch"), ("de-x-easy", "Deutsch – Leichte Sprache"),
                                  ("en", "English")]


def test_the_landing_page_in_easy_language_shows_the_base_text_where_none_is_written(
        easy_client):
    page = easy_client.get("/s/our_survey/", query_string={"lang": "de-x-easy"})
    assert '<html lang="de-x-easy"' in page.text
    assert "Unsere Befragung" in page.text  # the title has no easy text: the German one
    assert "Our survey" not in page.text
    assert 'lang="de-x-easy" hreflang="de-x-easy" aria-current="true"' in page.text


def test_the_consent_page_shows_the_summary_above_the_complete_notice(easy_client):
    respondent = Respondent(easy_client, "de-x-easy", survey="our_survey")
    started = respondent.start()
    page = respondent.open(started.location)
    html = page.text
    assert "<h1>Mitmachen</h1>" in html
    assert EASY_CONSENT in html
    summary = html.index(EASY_SUMMARY)
    full = html.index("Die Teilnahme ist freiwillig und anonym. Wir fragen nicht nach Ihrem")
    assert html.index("Datenschutz – kurz erklärt") < summary < html.index(
        "Alle Datenschutzhinweise") < full
    assert "veröffentlichen wir nur für Gruppen von mindestens 10 Personen" in html


def test_each_language_reads_its_own_summary(easy_client):
    respondent = Respondent(easy_client, "en", survey="our_survey")
    page = respondent.open(respondent.start().location)
    assert "Privacy in brief" in page.text  # the English summary
    assert "Taking part is voluntary and anonymous. We do not ask" in page.text
