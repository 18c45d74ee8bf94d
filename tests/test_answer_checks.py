"""The questionnaire's rules on one response: every server, entry screen and import uses them."""

import datetime as dt

import pytest
from support import QUESTIONNAIRES

from survey.questionnaire.answer_checks import Rule, check_answers
from survey.questionnaire.diagnostics import Severity
from survey.questionnaire.validate import load_questionnaire

DAY = dt.date(2026, 5, 3)
BASE = {"consent": True, "birth_year": 1980, "gender": "female", "birth_country": "SY",
        "arrival_year": 2015}


@pytest.fixture(scope="module")
def flagship():
    return load_questionnaire(QUESTIONNAIRES / "zusammen.yaml")


def problems(flagship, **answers):
    check = check_answers(flagship, {**BASE, **answers}, DAY)
    return [(p.name, p.rule, p.severity) for p in check.problems], check


def test_clean_answers_are_accepted_with_calculations_filled_in(flagship):
    found, check = problems(flagship)
    assert found == []
    assert check.accepted
    assert check.validated["age"] == 46  # year(today()) - birth_year, on the day answered
    assert check.validated["years_de"] == 11
    assert check.validated["gender"] == "female"


@pytest.mark.parametrize(("answers", "expected"), [
    ({"birth_year": 1890}, ("birth_year", Rule.RANGE)),
    ({"birth_year": "1980"}, ("birth_year", Rule.TYPE)),
    ({"birth_year": True}, ("birth_year", Rule.TYPE)),
    ({"gender": "femle"}, ("gender", Rule.CHOICE)),
    ({"gender": {"missing": "dont_know"}}, ("gender", Rule.CHOICE)),
    ({"arrival_year": 1975}, ("arrival_year", Rule.CONSTRAINT)),
    ({"birth_country": "XX"}, ("birth_country", Rule.CHOICE)),
    ({"birth_country": "DE"}, ("arrival_year", Rule.SKIPPED)),
    ({"counselling": ["none", "social"]}, ("counselling", Rule.EXCLUSIVE)),
    ({"counselling": ["social", "social"]}, ("counselling", Rule.CHOICE)),
    ({"counselling": "social"}, ("counselling", Rule.TYPE)),
    ({"problem": "x" * 2001}, ("problem", Rule.LENGTH)),
    ({"urgent": ["housing", "jobs", "health", "school"]}, ("urgent", Rule.SELECTED)),
    ({"nonsense": 1}, ("nonsense", Rule.UNKNOWN)),
])
def test_each_rule_names_the_answer_and_quarantines(flagship, answers, expected):
    found, check = problems(flagship, **answers)
    assert (*expected, Severity.ERROR) in found
    assert not check.accepted
    assert check.validated == {}


def test_missing_consent_and_refused_consent_are_errors(flagship):
    without = {k: v for k, v in BASE.items() if k != "consent"}
    check = check_answers(flagship, without, DAY)
    assert ("consent", Rule.REQUIRED) in [(p.name, p.rule) for p in check.problems]
    check = check_answers(flagship, {"consent": False}, DAY)
    assert [p.rule for p in check.problems] == [Rule.CONSENT]


def test_declared_missing_value_is_an_answer_not_a_problem(flagship):
    found, check = problems(flagship, gender={"missing": "no_answer"})
    assert found == []
    assert check.validated["gender"] == {"missing": "no_answer"}


def test_constraint_message_is_the_questionnaires_own(flagship):
    _, check = problems(flagship, arrival_year=1975)
    assert "cannot be before your year of birth" in check.problems[0].message


def test_other_text_without_other_choice_is_only_a_warning(flagship):
    check = check_answers(flagship, {**BASE, "discrim": "yes", "discrim_where": ["housing_search"],
                                     "discrim_where__other_text": "beim Amt"}, DAY)
    assert [(p.rule, p.severity) for p in check.problems] == [(Rule.OTHER_TEXT, Severity.WARNING)]
    assert check.accepted
    assert check.validated["discrim_where__other_text"] == "beim Amt"


def test_rules_see_rating_answers_as_scale_codes(flagship):
    """Section 11.7 of the format: a rating's value in expressions is its code."""
    from survey.questionnaire.answers import for_expressions

    question = flagship.question("housing_sat")
    code = question.choices.choices[-1]
    assert for_expressions(question, code.name) == code.code
