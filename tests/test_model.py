"""The typed model that every later stage reads: variables, codes, numbering, texts."""

from support import QUESTIONNAIRES

from survey.questionnaire import QuestionType, load_questionnaire
from survey.questionnaire.model import Measure, VariableRole
from survey.questionnaire.spec import QUESTION_KEYS

ALL_TYPES = load_questionnaire(QUESTIONNAIRES / "examples" / "all-types.yaml")


def test_example_uses_every_question_type() -> None:
    used = {q.type for q in ALL_TYPES.questions}
    assert used == set(QuestionType) == set(QUESTION_KEYS)


def test_variables_follow_the_naming_contract() -> None:
    roles = {v.name: v.role for v in ALL_TYPES.variables}
    assert roles["has_work"] == VariableRole.ANSWER
    assert [n for n in roles if n.startswith("problems")] == [
        "problems__housing", "problems__work", "problems__other", "problems__none",
        "problems__other_text"]
    assert roles["problems__other_text"] == VariableRole.OTHER_TEXT
    assert roles["services__clear"] == roles["services__reachable"] == VariableRole.ROW
    assert roles["urgent__rank1"] == roles["urgent__rank2"] == VariableRole.RANK
    assert "welcome" not in roles  # notes carry no data
    assert "age" in roles  # calculations are variables too


def test_codes_labels_measures_and_missing_values_travel_with_variables() -> None:
    variables = {v.name: v for v in ALL_TYPES.variables}
    has_work = variables["has_work"]
    assert [(code, label.get("en")) for code, label in has_work.value_labels] == [
        (1, "Yes"), (2, "No")]
    assert [(m.name, m.code) for m in has_work.missing] == [("dont_know", -1)]
    assert variables["problems__none"].choice.exclusive
    assert [code for code, _ in variables["problems__work"].value_labels] == [1, 0]
    assert variables["services__clear"].measure == Measure.ORDINAL
    assert variables["household"].measure == Measure.SCALE
    assert variables["origin"].is_text and variables["origin"].measure == Measure.NOMINAL
    assert variables["urgent__rank1"].value_labels[2][0] == 3


def test_questions_are_numbered_skipping_notes_and_calculations() -> None:
    numbers = {q.id: q.number for q in ALL_TYPES.questions}
    assert numbers["welcome"] is None and numbers["age"] is None
    assert numbers["consent"] == 1 and numbers["birth_year"] == 2 and numbers["origin"] == 3
    assert numbers["suggestions"] == 16 - 2


def test_texts_by_language_and_expressions_are_parsed_once() -> None:
    job = ALL_TYPES.question("job")
    assert job.label.get("en") == "What is your job?"
    assert job.label.get("fr", fallback="de") == "Was ist Ihre Tätigkeit?"
    assert job.relevant is not None and job.relevant.source == "${has_work} = 'yes'"
    assert ALL_TYPES.question("rent_share").unit.get("ar") == "%"
    assert ALL_TYPES.survey.translation_status == {"de": "source", "en": "needs_review"}
    assert ALL_TYPES.sections[1].relevant.source == "${consent}"
