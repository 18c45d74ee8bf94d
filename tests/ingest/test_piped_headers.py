"""A question whose text shows an earlier answer (`${city}`) is headed in a partner's file
without the placeholder: "Seit wann wohnen Sie?" for "Seit wann wohnen Sie in ${city}?"."""

from __future__ import annotations

import pytest

from survey.ingest.columns import plan_columns
from survey.questionnaire.validate import load_questionnaire

QUESTIONNAIRE = """\
survey:
  id: neighbours
  version: "1"
  title: {de: Nachbarschaft, en: Neighbourhood}
  organisation: Nachbarschaftshilfe e. V.
  languages: [de, en]
  default_language: de
sections:
  - id: place
    title: {de: Wohnort, en: Where you live}
    questions:
      - id: city
        type: text
        label: {de: In welchem Ort wohnen Sie?, en: Which town do you live in?}
      - id: since_year
        type: year
        label:
          de: Seit wann wohnen Sie in ${city}?
          en: Since when have you lived in ${city}?
"""


@pytest.mark.parametrize("header", [
    "Seit wann wohnen Sie in ${city}?",  # the text as written
    "Seit wann wohnen Sie in ?",  # the placeholder left out
    "Seit wann wohnen Sie?",  # left out with its little word
    "Since when have you lived?",
])
def test_a_header_without_the_earlier_answer_is_recognised(write_questionnaire, header):
    questionnaire = load_questionnaire(write_questionnaire(QUESTIONNAIRE))
    plan = plan_columns(questionnaire, [(header, None), ("In welchem Ort wohnen Sie?", None)])
    assert [t.name for t in plan.targets] == ["since_year", "city"]
    assert not plan.unmapped


def test_a_longer_word_before_the_answer_stays_part_of_the_text(write_questionnaire):
    """Only a short word ("in", "im", "bei") goes with the placeholder: "Wohnen Sie gern"
    is not "Wohnen Sie gern in ${city}" with "gern" dropped."""
    questionnaire = load_questionnaire(write_questionnaire(QUESTIONNAIRE))
    plan = plan_columns(questionnaire, [("Seit wann wohnen?", None)])
    assert plan.unmapped == ["Seit wann wohnen?"]
