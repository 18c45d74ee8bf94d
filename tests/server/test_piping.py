"""Texts that show an earlier answer: `${city}` in a label or hint is the respondent's answer
on screen (in words, escaped like every answer), '…' when it was left blank."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from flask import Flask
from server_helpers import Respondent

from survey.project import Project
from survey.server.app import create_app

QUESTIONNAIRE = """\
survey:
  id: neighbours
  version: "1"
  title: {de: Nachbarschaft, en: Neighbourhood}
  organisation: Nachbarschaftshilfe e. V.
  languages: [de, en]
  default_language: de
choice_lists:
  yes_no:
    - {name: "yes", code: 1, label: {de: Ja, en: "Yes"}}
    - {name: "no", code: 2, label: {de: Nein, en: "No"}}
sections:
  - id: place
    title: {de: Wohnort, en: Where you live}
    questions:
      - id: city
        type: text
        label: {de: In welchem Ort wohnen Sie?, en: Which town do you live in?}
      - id: helps
        type: single_choice
        choices: yes_no
        label: {de: Helfen Sie Nachbarn?, en: Do you help neighbours?}
  - id: since
    title: {de: Seit wann, en: Since when}
    questions:
      - id: since_year
        type: year
        label:
          de: Seit wann wohnen Sie in ${city}?
          en: Since when have you lived in ${city}?
        hint: {de: "Sie sagten: ${helps}.", en: "You said: ${helps}."}
"""


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    (tmp_path / "questionnaires").mkdir()
    (tmp_path / "questionnaires" / "neighbours.yaml").write_text(QUESTIONNAIRE, "utf-8")
    application = create_app(Project(tmp_path))
    application.testing = True
    return application


@pytest.mark.parametrize(("city", "language", "label", "said"), [
    ("Chemnitz", "en", "Since when have you lived in Chemnitz?", "You said: Yes."),
    ("Döbeln <b>Nord</b>", "de", "Seit wann wohnen Sie in Döbeln <b>Nord</b>?", "Sie sagten: Ja."),
])
def test_a_later_question_shows_the_earlier_answer(app, city, language, label, said):
    respondent = Respondent(app.test_client(), language, survey="neighbours")
    first = respondent.start().location
    respondent.open(first)
    second = respondent.post_page(first, {"city": city, "helps": "yes"}).location
    page = respondent.open(second)
    assert html.escape(label) in page.text
    assert "<b>Nord</b>" not in page.text, "an answer is escaped like any text"
    assert said in page.text
    assert "${" not in page.text
    review = respondent.post_page(second, {"since_year": "2015"})
    assert html.escape(label) in respondent.client.get(review.location).text


def test_a_blank_earlier_answer_shows_an_ellipsis(app):
    respondent = Respondent(app.test_client(), "en", survey="neighbours")
    first = respondent.start().location
    respondent.open(first)
    second = respondent.post_page(first, {}).location
    page = respondent.open(second)
    assert "Since when have you lived in …?" in page.text
