"""The flagship questionnaire: complete in seven languages, the planned size, real skip logic."""

import datetime as dt

import pytest
from support import QUESTIONNAIRES

from survey.questionnaire import validate_file
from survey.questionnaire.languages import is_right_to_left
from survey.questionnaire.routing import route

FLAGSHIP = QUESTIONNAIRES / "zusammen.yaml"
RESULT = validate_file(FLAGSHIP)
Q = RESULT.questionnaire
TODAY = dt.date(2026, 11, 21)
BASE = {"consent": True, "birth_year": 1990, "birth_country": "SY", "arrival_year": 2015}


def test_validates_without_any_problem() -> None:
    # the one warning: the easy-German variant is written for the first sections only
    assert [d.message.split(" has ")[0] for d in RESULT.diagnostics] == ["'de-x-easy'"]
    assert Q is not None


def test_all_seven_languages_are_complete_and_marked_for_review() -> None:
    assert Q.languages == ("de", "de-x-easy", "en", "ru", "uk", "ar", "fa", "vi")
    languages = tuple(lang for lang in Q.languages if lang != "de-x-easy")
    coverage = RESULT.coverage
    assert coverage.total > 200
    assert {lang: coverage.percent(lang) for lang in languages} == dict.fromkeys(
        languages, 100.0)
    assert Q.survey.translation_status == {"de": "source", "de-x-easy": "draft"} | {
        lang: "needs_review" for lang in languages[1:]}
    assert [lang for lang in Q.languages if is_right_to_left(lang)] == ["ar", "fa"]


def test_size_and_sections_are_those_planned() -> None:
    assert 60 <= len(Q.variables) <= 90
    assert [s.id for s in Q.sections] == [
        "start", "about", "education", "work", "housing", "health", "children",
        "discrimination", "participation", "information", "needs", "open"]
    imp, sat = Q.question("imp"), Q.question("sat")
    areas = [c.name for c in Q.choice_lists["areas"].choices]
    assert [i.id for i in imp.items] == [i.id for i in sat.items] == areas
    assert 13 <= len(areas) <= 16
    assert Q.question("urgent").rank == 3
    assert len(Q.question("district").choices.choices) == 13  # 3 cities, 10 districts


def test_without_consent_nothing_else_is_asked() -> None:
    assert route(Q, {"consent": False}, TODAY).asked == ("welcome", "consent")


def test_years_in_germany_is_calculated_and_born_in_germany_skips_arrival() -> None:
    values = route(Q, BASE, TODAY).values
    assert values["years_de"] == 11 and values["age"] == 36
    born_here = route(Q, BASE | {"birth_country": "DE"}, TODAY)
    assert not born_here.is_asked("arrival_year")
    assert "years_de" not in born_here.values


@pytest.mark.parametrize("answers,asked,skipped", [
    ({"qual": "none"}, [], ["qual_where", "recog_applied"]),
    ({"qual": "university", "qual_where": "abroad", "recog_applied": "yes"},
     ["recog_applied", "recog_result"], []),
    ({"qual": "university", "qual_where": "germany"}, [], ["recog_applied", "recog_result"]),
    ({"has_children": "no"}, [], ["n_children", "child_edu", "school_probs"]),
    ({"discrim": "yes"}, ["discrim_where", "discrim_report"], []),
    ({"discrim": "no"}, [], ["discrim_where", "discrim_report"]),
])
def test_routing_of_the_flagship(answers: dict, asked: list, skipped: list) -> None:
    result = route(Q, BASE | answers, TODAY)
    for question in asked:
        assert result.is_asked(question), question
    for question in skipped:
        assert not result.is_asked(question), question


def test_answers_to_skipped_questions_do_not_count_further_on() -> None:
    answers = BASE | {"qual": "none", "qual_where": "abroad", "recog_applied": "yes"}
    result = route(Q, answers, TODAY)
    assert "qual_where" not in result.values
    assert not result.is_asked("recog_result")
