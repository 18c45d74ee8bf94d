"""Routing printed on paper: jumps agree with route(), "only if" sentences name the right
questions and answers in every language, and labels pass through as plain text."""

import random
import textwrap
from pathlib import Path

import pytest
from support import QUESTIONNAIRES

from survey.interface_texts import interface_text, untranslated_interface_texts
from survey.paper.routing_text import CONSENT_ANSWERS, RoutingTexts, routing_texts
from survey.questionnaire.answers import for_expressions
from survey.questionnaire.languages import base_language
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.routing import route
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.validate import load_questionnaire

FLAGSHIP = load_questionnaire(QUESTIONNAIRES / "zusammen.yaml")
QUOTES = {"de": ("„", "“"), "en": ("“", "”"), "ru": ("«", "»"), "uk": ("«", "»"),
          "ar": ("«", "»"), "fa": ("«", "»"), "vi": ("“", "”")}
ISOLATES = ("\u2068", "\u2069")
JUMP_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.RATING, QuestionType.CONSENT,
              QuestionType.COUNTRY, QuestionType.LANGUAGE)

HEAD = """\
survey:
  id: routing_test
  version: "1"
  title: Routing
  organisation: Test
  languages: [en, de, ar]
  default_language: en
missing_values:
  - {name: dont_know, code: -1, label: {en: "Don't know", de: Weiß nicht, ar: لا أعرف}}
choice_lists:
  yes_no:
    - {name: "yes", code: 1, label: {en: "Yes", de: Ja, ar: نعم}}
    - {name: "no", code: 2, label: {en: "No", de: Nein, ar: لا}}
  quality:
    - {name: very_bad, code: 1, label: {en: Very bad, de: Sehr schlecht, ar: سيئ جدًا}}
    - {name: bad, code: 2, label: {en: Bad, de: Schlecht, ar: سيئ}}
    - {name: good, code: 3, label: {en: Good, de: Gut, ar: جيد}}
    - {name: very_good, code: 4, label: {en: Very good, de: Sehr gut, ar: جيد جدًا}}
sections:
"""


def _questionnaire(path: Path, sections: str) -> Questionnaire:
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(sections), "  "), encoding="utf-8")
    return load_questionnaire(path)


@pytest.fixture
def make(tmp_path: Path):
    return lambda sections: _questionnaire(tmp_path / "q.yaml", sections)


def _printed_after(q: Questionnaire, question: Question) -> list[Question]:
    later = q.questions[q.questions.index(question) + 1:]
    return [p for p in later if p.number is not None]


def _expected_jump(q: Questionnaire, question: Question, answers: dict) -> str | None:
    """The go-to text route() implies: the first printed question it asks after `question`."""
    asked = route(q, answers).asked
    following = _printed_after(q, question)
    shown = [p for p in following if p.id in asked]
    if shown and shown[0] is following[0]:
        return None
    if not shown:
        return interface_text("routing.go_to_end", "en")
    return interface_text("routing.go_to", "en", number=shown[0].number)


def _answer_values(question: Question) -> list[tuple[str, object]]:
    if question.type == QuestionType.CONSENT:
        return list(CONSENT_ANSWERS.items())
    if question.choices is None:
        return [(code, code) for code in question.priority] + [
            (m.name, None) for m in question.missing]
    return [(c.name, for_expressions(question, c.name)) for c in question.choices.choices] + [
        (m.name, None) for m in question.missing]


# -- bad input ------------------------------------------------------------------------------

def test_a_language_the_questionnaire_does_not_offer_is_refused_by_name() -> None:
    with pytest.raises(ValueError,
                       match=r"no language 'fr'.*de, de-x-easy, en, ru, uk, ar, fa, vi"):
        routing_texts(FLAGSHIP, "fr")


# -- jumps ----------------------------------------------------------------------------------

def test_a_no_jumps_over_its_branch_to_the_next_possible_question(make) -> None:
    q = make("""\
        - id: main
          title: Main
          questions:
            - {id: a, type: single_choice, choices: yes_no, missing: [dont_know], label: A}
            - {id: b, type: text, label: B, relevant: "${a} = 'yes'"}
            - {id: c, type: text, label: C, relevant: "${a} = 'yes'"}
            - {id: d, type: text, label: D}
        """)
    texts = routing_texts(q, "en")
    assert texts.after_choice == {"a": {"no": "→ go to question 4",
                                        "dont_know": "→ go to question 4"}}
    for name, value in _answer_values(q.question("a")):
        assert texts.after_choice["a"].get(name) == _expected_jump(q, q.question("a"),
                                                                   {"a": value})


def test_questions_that_depend_on_skipped_ones_are_skipped_too(make) -> None:
    q = make("""\
        - id: main
          title: Main
          questions:
            - {id: a, type: single_choice, choices: yes_no, label: A}
            - id: b
              type: single_choice
              label: B
              relevant: "${a} = 'yes'"
              choices: [{name: x, code: 1, label: X}, {name: y, code: 2, label: Y}]
            - {id: c, type: text, label: C, relevant: "${b} = 'x'"}
            - {id: d, type: text, label: D}
        """)
    assert routing_texts(q, "en").after_choice["a"] == {"no": "→ go to question 4"}
    assert _expected_jump(q, q.question("a"), {"a": "no", "b": "x"}) == "→ go to question 4"


def test_an_answer_in_one_branch_jumps_over_the_other_branch(make) -> None:
    q = make("""\
        - id: main
          title: Main
          questions:
            - {id: a, type: single_choice, choices: yes_no, label: A}
            - id: b
              type: single_choice
              label: B
              relevant: "${a} = 'yes'"
              choices: [{name: x, code: 1, label: X}, {name: y, code: 2, label: Y}]
            - {id: c, type: text, label: C, relevant: "${a} = 'no'"}
            - {id: d, type: text, label: D}
        """)
    texts = routing_texts(q, "en")
    assert texts.after_choice["b"] == {"x": "→ go to question 4", "y": "→ go to question 4"}
    assert texts.after_choice["a"] == {"no": "→ go to question 3"}
    for name, value in _answer_values(q.question("b")):
        assert texts.after_choice["b"][name] == _expected_jump(q, q.question("b"),
                                                               {"a": "yes", "b": value})


def test_only_the_questions_directly_following_make_a_jump(make) -> None:
    q = make("""\
        - id: main
          title: Main
          questions:
            - {id: a, type: single_choice, choices: yes_no, label: A}
            - {id: b, type: text, label: B}
            - {id: c, type: text, label: C, relevant: "${a} = 'yes'"}
        """)
    texts = routing_texts(q, "en")
    assert texts.after_choice == {}
    assert texts.only_if == {"c": "Only if you answered “Yes” in question 1"}


def test_a_jump_crosses_a_skipped_section_and_can_end_the_form(make) -> None:
    q = make("""\
        - id: first
          title: First
          questions:
            - {id: ok, type: consent, label: I agree}
            - {id: a, type: single_choice, choices: yes_no, label: A, relevant: "${ok}"}
        - id: kids
          title: Children
          relevant: "${a} = 'yes'"
          questions:
            - {id: k1, type: integer, label: K1}
            - {id: k2, type: text, label: K2}
        - id: last
          title: Last
          relevant: "${ok}"
          questions:
            - {id: z, type: text, label: Z}
            - {id: bye, type: note, label: Thank you}
        """)
    texts = routing_texts(q, "en")
    assert texts.after_choice == {"ok": {"no": "→ go to the end of the questionnaire"},
                                  "a": {"no": "→ go to question 5"}}
    assert texts.section_only_if == {"kids": "Only if you answered “Yes” in question 2",
                                     "last": "Only if you agreed in question 1"}
    assert _expected_jump(q, q.question("a"), {"ok": True, "a": "no"}) == "→ go to question 5"
    assert _expected_jump(q, q.question("ok"), {"ok": False}) == texts.after_choice["ok"]["no"]


def test_a_rating_jumps_from_the_points_that_skip(make) -> None:
    q = make("""\
        - id: main
          title: Main
          questions:
            - {id: sat, type: rating, scale: quality, label: How good?}
            - {id: why, type: long_text, label: What is good?, relevant: "${sat} >= 3"}
            - {id: d, type: text, label: D}
        """)
    texts = routing_texts(q, "en")
    assert texts.after_choice == {"sat": {"very_bad": "→ go to question 3",
                                          "bad": "→ go to question 3"}}
    assert texts.only_if["why"] == "Only if you answered “Good” or “Very good” in question 1"
    assert _expected_jump(q, q.question("sat"), {"sat": 2}) == "→ go to question 3"


def test_a_printed_country_box_jumps_too(make) -> None:
    q = make("""\
        - id: main
          title: Main
          questions:
            - {id: land, type: country, priority: [DE, SY], missing: [dont_know], label: Land}
            - {id: since, type: year, label: Since when?, relevant: "${land} != 'DE'"}
            - {id: d, type: text, label: D}
        """)
    assert routing_texts(q, "de").after_choice == {"land": {"DE": "→ weiter mit Frage 3"}}
    assert _expected_jump(q, q.question("land"), {"land": "DE"}) == "→ go to question 3"


def test_rules_the_check_cannot_decide_never_print_a_jump(make) -> None:
    q = make("""\
        - id: main
          title: Main
          questions:
            - {id: a, type: single_choice, choices: yes_no, label: A}
            - {id: n, type: integer, label: N}
            - {id: twice, type: calculate, calculate: "${n} * 2"}
            - {id: m, type: multiple_choice, choices: yes_no, label: M}
            - {id: c, type: text, label: C, relevant: "${a} = 'yes' or ${twice} > 4"}
            - {id: e, type: text, label: E, relevant: "selected(${m}, 'yes')"}
            - {id: f, type: text, label: F}
        """)
    texts = routing_texts(q, "en")
    assert "a" not in texts.after_choice and "m" not in texts.after_choice
    assert route(q, {"a": "no", "n": 3}).is_asked("c")  # a "no" can still lead to C
    assert texts.only_if["c"] == "Only if this applies to you (see questions 1 and 2)"


@pytest.fixture(scope="module")
def flagship_texts() -> RoutingTexts:
    return routing_texts(FLAGSHIP, "en")


EVERYTHING_ASKED = {"consent": True, "birth_year": 1990, "birth_country": "SY",
                    "arrival_year": 2015, "qual": "university", "qual_where": "abroad",
                    "recog_applied": "yes", "work_status": "employed", "has_children": "yes",
                    "child_edu": "all", "discrim": "yes"}


def test_flagship_jumps_are_exactly_what_route_skips(flagship_texts: RoutingTexts) -> None:
    numbered = [q.id for q in FLAGSHIP.questions if q.number is not None]
    assert [i for i in route(FLAGSHIP, EVERYTHING_ASKED).asked if i in numbered] == numbered
    checked = 0
    for question in FLAGSHIP.questions:
        if question.number is None or question.type not in JUMP_TYPES:
            continue
        for name, value in _answer_values(question):
            expected = _expected_jump(FLAGSHIP, question,
                                      EVERYTHING_ASKED | {question.id: value})
            assert flagship_texts.after_choice.get(question.id, {}).get(name) == expected, (
                question.id, name)
            checked += expected is not None
    assert checked == sum(len(a) for a in flagship_texts.after_choice.values()) >= 15


def _random_answers(rng: random.Random) -> dict:
    answers: dict = {}
    for q in FLAGSHIP.questions:
        if q.type == QuestionType.CONSENT:
            answers[q.id] = rng.choice([True, False, None])
        elif q.type in (QuestionType.SINGLE_CHOICE, QuestionType.RATING):
            answers[q.id] = rng.choice([None, *(for_expressions(q, c.name)
                                                for c in q.choices.choices)])
        elif q.type == QuestionType.YEAR:
            answers[q.id] = rng.choice([None, q.min, q.max, 2015])
        elif q.type == QuestionType.COUNTRY:
            answers[q.id] = rng.choice([None, "DE", "SY", "UA"])
    return answers


def test_flagship_jumps_skip_nothing_route_could_ask(flagship_texts: RoutingTexts) -> None:
    printed = [q for q in FLAGSHIP.questions if q.number is not None]
    target_of = {interface_text("routing.go_to", "en", number=q.number): q.number
                 for q in printed} | {interface_text("routing.go_to_end", "en"): len(printed) + 1}
    jumps = [(question, value, {p.id for p in printed
                                if question.number < p.number < target_of[text]})
             for question_id, texts in flagship_texts.after_choice.items()
             for question in [FLAGSHIP.question(question_id)]
             for name, value in _answer_values(question) if (text := texts.get(name))]
    rng = random.Random(20260315)
    for _ in range(300):
        answers = _random_answers(rng)
        asked = set(route(FLAGSHIP, answers).asked)
        for question, value, skipped in jumps:
            if question.id in asked and answers.get(question.id) == value:
                assert not skipped & asked, (question.id, value, answers)


# -- "only if" ------------------------------------------------------------------------------

PHRASES = [
    ("${a} = 'yes'", "Only if you answered “Yes” in question 1"),
    ("${a} != 'yes'", "Only if you did not answer “Yes” in question 1"),
    ("selected(${a}, 'no')", "Only if you answered “No” in question 1"),
    ("selected(${m}, 'housing')", "Only if you ticked “Housing” in question 2"),
    ("not(selected(${m}, 'housing'))", "Only if you did not tick “Housing” in question 2"),
    ("selected(${m}, 'housing') or selected(${m}, 'work')",
     "Only if you ticked “Housing” or “Work” in question 2"),
    ("selected(${m}, 'housing') and selected(${m}, 'work')",
     "Only if you ticked “Housing” and “Work” in question 2"),
    ("${y} >= 2015", "Only if your answer to question 3 is 2015 or later"),
    ("2015 > ${y}", "Only if your answer to question 3 is earlier than 2015"),
    ("${n} >= 18", "Only if your answer to question 4 is at least 18"),
    ("${n} < 18", "Only if your answer to question 4 is less than 18"),
    ("not(${n} > 65)", "Only if your answer to question 4 is at most 65"),
    ("${n} != ''", "Only if you answered question 4"),
    ("${n} = ''", "Only if you did not answer question 4"),
    ("${sat} = 2", "Only if you answered “Bad” in question 5"),
    ("${sat} < 3", "Only if you answered “Very bad” or “Bad” in question 5"),
    ("${sat} != 2", "Only if you did not answer “Bad” in question 5"),
    ("${ok}", "Only if you agreed in question 6"),
    ("not(${ok})", "Only if you did not agree in question 6"),
    ("${land} != 'DE'", "Only if your answer to question 7 is not “Germany”"),
    ("${d} >= '2015-01-01'", "Only if your answer to question 9 is Jan 1, 2015 or later"),
    ("${a} = 'yes' and ${n} >= 18",
     "Only if you answered “Yes” in question 1 and your answer to question 4 is at least 18"),
    ("${a} = 'no' or ${a} = 'yes'", "Only if you answered “No” or “Yes” in question 1"),
    ("not(${a} = 'yes' or selected(${m}, 'work'))",
     "Only if you did not answer “Yes” in question 1 and you did not tick “Work” in question 2"),
    ("not(selected(${m}, 'housing') or selected(${m}, 'work'))",
     "Only if you did not tick “Housing” or “Work” in question 2"),
    ("${a} = 'yes' and (selected(${m}, 'work') or ${n} > 65)",
     "Only if you answered “Yes” in question 1 and (you ticked “Work” in question 2 or your "
     "answer to question 4 is more than 65)"),
    ("${age} >= 18", "Only if this applies to you (see question 3)"),
    ("${age} >= 18 and ${a} = 'yes'", "Only if this applies to you (see questions 1 and 3)"),
    ("contains(${t}, 'x')", "Only if this applies to you (see question 8)"),
    ("${n} > ${y} - 2000", "Only if this applies to you (see questions 3 and 4)"),
]

PHRASING = """\
- id: main
  title: Main
  questions:
    - {id: a, type: single_choice, choices: yes_no, label: A}
    - id: m
      type: multiple_choice
      label: M
      choices:
        - {name: housing, code: 1, label: {en: Housing, de: Wohnen, ar: السكن}}
        - {name: work, code: 2, label: {en: Work, de: Arbeit, ar: العمل}}
        - {name: whatsapp, code: 3, label: {en: WhatsApp, de: WhatsApp, ar: "واتساب WhatsApp"}}
        - {name: hostile, code: 4, label: "<b>Ja</b> & {number} \\"x\\""}
    - {id: y, type: year, min: 1950, max: 2026, label: Y}
    - {id: n, type: integer, min: 0, max: 120, label: N}
    - {id: sat, type: rating, scale: quality, label: S}
    - {id: ok, type: consent, label: OK}
    - {id: land, type: country, label: L}
    - {id: t, type: text, label: T}
    - {id: age, type: calculate, calculate: "2026 - ${y}", relevant: "${y} != ''"}
    - {id: d, type: date, label: D}
"""


@pytest.fixture(scope="module")
def phrasing(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    targets = "".join(f'    - {{id: r{i}, type: text, label: R{i}, relevant: "{rule}"}}\n'
                      for i, (rule, _) in enumerate(PHRASES))
    extra = """\
    - {id: r_hostile, type: text, label: H, relevant: "selected(${m}, 'hostile')"}
    - {id: r_latin, type: text, label: W, relevant: "selected(${m}, 'whatsapp')"}
    - {id: r_note, type: note, label: Note, relevant: "${a} = 'yes'"}
"""
    return _questionnaire(tmp_path_factory.mktemp("phrasing") / "q.yaml",
                          PHRASING + targets + extra)


@pytest.mark.parametrize("index", range(len(PHRASES)), ids=[rule for rule, _ in PHRASES])
def test_only_if_is_phrased_from_the_rule(phrasing: Questionnaire, index: int) -> None:
    assert routing_texts(phrasing, "en").only_if[f"r{index}"] == PHRASES[index][1]


def test_only_if_names_the_labels_in_the_form_language(phrasing: Questionnaire) -> None:
    de, ar = routing_texts(phrasing, "de").only_if, routing_texts(phrasing, "ar").only_if
    assert de["r0"] == "Nur wenn Sie in Frage 1 „Ja“ angekreuzt haben"
    assert de["r5"] == "Nur wenn Sie in Frage 2 „Wohnen“ oder „Arbeit“ angekreuzt haben"
    assert ar["r0"] == "فقط إذا اخترت «نعم» في السؤال 1"
    assert ar["r3"] == "فقط إذا وضعت علامة على «السكن» في السؤال 2"


def test_notes_carry_only_if_and_calculations_do_not(phrasing: Questionnaire) -> None:
    only_if = routing_texts(phrasing, "en").only_if
    assert only_if["r_note"] == "Only if you answered “Yes” in question 1"
    assert "age" not in only_if


def test_hostile_labels_pass_through_as_plain_text(phrasing: Questionnaire) -> None:
    for language in ("en", "ar"):
        text = routing_texts(phrasing, language).only_if["r_hostile"]
        assert '<b>Ja</b> & {number} "x"' in text
        assert "&amp;" not in text and "&lt;" not in text


def test_right_to_left_texts_isolate_latin_labels_only(phrasing: Questionnaire) -> None:
    ar = routing_texts(phrasing, "ar").only_if
    assert "«\u2068واتساب WhatsApp\u2069»" in ar["r_latin"]
    assert not any(c in ar["r0"] for c in ISOLATES)
    assert ar["r9"] == "فقط إذا كانت إجابتك عن السؤال 4 هي 18 أو أكثر"
    assert not any(c in routing_texts(phrasing, "en").only_if["r_latin"] for c in ISOLATES)


# -- every language -------------------------------------------------------------------------

@pytest.mark.parametrize("language", FLAGSHIP.languages)
def test_every_flagship_language_has_its_own_routing_words(
        language: str, flagship_texts: RoutingTexts) -> None:
    assert not [k for k in untranslated_interface_texts(language) if k.startswith("routing.")]
    texts = routing_texts(FLAGSHIP, language)
    sentences = [*texts.only_if.values(), *texts.section_only_if.values(),
                 *(t for jumps in texts.after_choice.values() for t in jumps.values())]
    assert sentences and all(s.strip() and "{" not in s and "}" not in s for s in sentences)
    assert texts.after_choice.keys() == flagship_texts.after_choice.keys()
    assert "14" in texts.after_choice["qual"]["none"]
    opening, closing = QUOTES[base_language(language)]  # de-x-easy quotes as de does
    yes = FLAGSHIP.question("discrim").choices.choices[0].label.get(language)
    assert f"{opening}{yes}{closing}" in texts.only_if["discrim_where"]
    assert "27" in texts.only_if["discrim_where"]
    if language != "en":
        assert texts.only_if["discrim_where"] != flagship_texts.only_if["discrim_where"]


def test_a_questionnaires_own_wording_of_the_routing_is_printed(tmp_path: Path) -> None:
    """A translator's wording imported into the questionnaire's `interface:` block wins."""
    sections = """\
        - id: main
          title: Main
          questions:
            - {id: a, type: single_choice, choices: yes_no, label: A}
            - {id: b, type: text, label: B, relevant: "${a} = 'yes'"}
            - {id: c, type: text, label: C}
        """
    path = tmp_path / "q.yaml"
    path.write_text(HEAD.replace("sections:\n", "interface:\n  routing.go_to:\n"
                                 "    de: \"weiter mit Frage {number}\"\nsections:\n")
                    + textwrap.indent(textwrap.dedent(sections), "  "), encoding="utf-8")
    q = load_questionnaire(path)
    assert routing_texts(q, "de").after_choice["a"] == {"no": "weiter mit Frage 3"}
    assert routing_texts(q, "en").after_choice["a"] == {"no": "→ go to question 3"}
