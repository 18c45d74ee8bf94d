"""The static type checker: mistakes must be caught when the questionnaire is checked, with a
message and position the author can act on, and correct rules must pass without noise."""

from __future__ import annotations

import pytest

from survey.questionnaire.expressions.parser import parse_expression
from survey.questionnaire.expressions.types import (
    BOOLEAN,
    DATE,
    FUNCTIONS,
    NUMBER,
    TEXT,
    ExprType,
    Kind,
    TypeEnv,
    TypeProblem,
    infer,
)

YES_NO = ExprType(Kind.CHOICE, ("yes", "no"))
PROBLEMS = ExprType(Kind.CHOICES, ("none", "housing", "work", "language"))

QUESTIONS: dict[str, ExprType | str] = {
    "age": NUMBER,
    "hours": NUMBER,
    "arrival_year": NUMBER,
    "name": TEXT,
    "consent": BOOLEAN,
    "arrival": DATE,
    "has_work": YES_NO,
    "problems": PROBLEMS,
    "intro_note": "a note has no answer to refer to",
    "broken": "",
}


def check(source: str, current: ExprType | None = None) -> tuple[ExprType | None, list]:
    env = TypeEnv(lookup=QUESTIONS.get, known_names=lambda: list(QUESTIONS), current=current)
    result = infer(parse_expression(source), env)
    return result, [(p.message, p.pos) for p in env.problems]


# --- problems -----------------------------------------------------------------------------------

ARITY = {name: sig.summary for name, sig in FUNCTIONS.items()}


@pytest.mark.parametrize(
    ("source", "problems"),
    [
        # comparing a number with a choice name
        ("${age} = 'yes'", [("type mismatch: ${age} is a number but 'yes' is text", 7)]),
        ("${age} = ${name}", [("type mismatch: ${age} is a number but ${name} is text", 7)]),
        ("${arrival} > 5", [("type mismatch: ${arrival} is a date but 5 is a number", 11)]),
        ("${consent} = 1", [("type mismatch: ${consent} is true/false but 1 is a number", 11)]),
        # unknown names, with and without a close match
        ("${agee} > 3", [("unknown question '${agee}'; did you mean 'age'?", 0)]),
        ("${nmae} = 'x'", [("unknown question '${nmae}'; did you mean 'name'?", 0)]),
        ("${zzzzzz} > 3", [("unknown question '${zzzzzz}'", 0)]),
        ("${age} > 1 and ${hourz} > 2",
         [("unknown question '${hourz}'; did you mean 'hours'?", 15)]),
        # a name that exists but has no value: the lookup's reason is the message
        ("${intro_note} = ''", [("a note has no answer to refer to", 0)]),
        # ... or is already reported elsewhere ('')
        ("${broken} = 1", []),
        # unknown functions
        ("selcted(${problems}, 'none')",
         [("unknown function 'selcted()'; did you mean 'selected'?", 0)]),
        ("${age} > 1 and conunt-selected(${problems}) > 1",
         [("unknown function 'conunt-selected()'; did you mean 'count-selected'?", 15)]),
        ("sum(1, 2) > 1", [("unknown function 'sum()'", 0)]),
        # wrong number of arguments
        ("selected(${problems})",
         [(f"selected() takes 2 arguments, not 1: {ARITY['selected']}", 0)]),
        ("not(${consent}, ${consent})", [(f"not() takes 1 argument, not 2: {ARITY['not']}", 0)]),
        ("round() > 1", [(f"round() takes 1 to 2 arguments, not 0: {ARITY['round']}", 0)]),
        ("round(1, 2, 3) > 1", [(f"round() takes 1 to 2 arguments, not 3: {ARITY['round']}", 0)]),
        ("concat() = ''", [(f"concat() takes at least 1 argument, not 0: {ARITY['concat']}", 0)]),
        ("today(1) = ''", [(f"today() takes 0 arguments, not 1: {ARITY['today']}", 0)]),
        ("if(${consent}, 1) = 1", [(f"if() takes 3 arguments, not 2: {ARITY['if']}", 0)]),
        # selected() on something that is not a choice question
        ("selected(${age}, 'x')", [("selected() needs a choice question, but ${age} is a number",
                                    9)]),
        ("count-selected(${name}) > 1",
         [("count-selected() needs a choice question, but ${name} is text", 15)]),
        ("selected('housing', 'x')",
         [("the first argument of selected() must be a question, such as ${needs}", 9)]),
        ("selected(${problems}, 'nne')",
         [("'nne' is not a choice of ${problems}; did you mean 'none'?", 22)]),
        ("selected(${problems}, 'health')", [("'health' is not a choice of ${problems}", 22)]),
        ("selected(${problems}, ${name})",
         [("compare ${problems} with a choice name in quotes, such as 'none'", 22)]),
        # a single choice compared with a name it does not have
        ("${has_work} = 'yse'", [("'yse' is not a choice of ${has_work}; did you mean 'yes'?",
                                  14)]),
        ("'yse' = ${has_work}", [("'yse' is not a choice of ${has_work}; did you mean 'yes'?",
                                  0)]),
        ("${has_work} != 'maybe'", [("'maybe' is not a choice of ${has_work}", 15)]),
        ("${has_work} = 'Yes'", [("'Yes' is not a choice of ${has_work}; did you mean 'yes'?",
                                  14)]),
        # ... or with a number
        ("${has_work} = 1", [("compare ${has_work} with a choice name in quotes, such as 'yes'",
                              14)]),
        ("1 = ${has_work}", [("compare ${has_work} with a choice name in quotes, such as 'yes'",
                              0)]),
        # a multiple choice compared with '='
        ("${problems} = 'none'",
         [("${problems} allows several answers: use selected(${problems}, 'name') instead of "
           "'='", 12)]),
        ("'none' != ${problems}",
         [("${problems} allows several answers: use selected(${problems}, 'name') instead of "
           "'!='", 7)]),
        # arithmetic on text
        ("'a' + 1", [("'+' needs numbers, but 'a' is text; join text with concat()", 0)]),
        ("${age} * ${name}", [("'*' needs numbers, but ${name} is text; join text with concat()",
                               9)]),
        ("${age} - ${consent}", [("'-' needs numbers, but ${consent} is true/false", 9)]),
        ("-${name}", [("'-' needs a number, but ${name} is text", 0)]),
        # logic on numbers
        ("1 and true()", [("'and' needs true/false, but 1 is a number", 0)]),
        ("${consent} and ${age}", [("'and' needs true/false, but ${age} is a number", 15)]),
        ("${age} or ${consent}", [("'or' needs true/false, but ${age} is a number", 0)]),
        ("not(${age})", [("not() needs true/false, but ${age} is a number", 4)]),
        ("if(${age}, 1, 2) > 0", [("the condition of if() needs true/false, but ${age} is a "
                                   "number", 3)]),
        # '.' outside a constraint
        (". > 3", [("'.' (this question's answer) can only be used in a constraint", 0)]),
        ("${age} > 1 and . > 3",
         [("'.' (this question's answer) can only be used in a constraint", 15)]),
        # choices have no order
        ("${has_work} > 'no'",
         [("the choices of ${has_work} have no order; compare them with '=' or '!='", 12)]),
        ("'no' <= ${has_work}",
         [("the choices of ${has_work} have no order; compare them with '=' or '!='", 5)]),
        # dates compare with ISO dates or today()
        ("${arrival} > '2020-1-1'",
         [("compare the date ${arrival} with a date written 'YYYY-MM-DD' or with today()", 13)]),
        ("${arrival} < '01.03.2020'",
         [("compare the date ${arrival} with a date written 'YYYY-MM-DD' or with today()", 13)]),
        ("'2020-1-1' < ${arrival}",
         [("compare the date ${arrival} with a date written 'YYYY-MM-DD' or with today()", 0)]),
        ("${arrival} = ${name}",
         [("compare the date ${arrival} with a date written 'YYYY-MM-DD' or with today()", 13)]),
        ("year(${name}) > 2000", [("year() needs a date, but ${name} is text", 5)]),
        ("today() - ${arrival} > 5",
         [("'-' needs numbers, but today() is a date", 0),
          ("'-' needs numbers, but ${arrival} is a date", 10)]),
        # empty only with = and !=
        ("${age} > ''", [("'' (empty) can only be compared with '=' or '!='", 7)]),
        # booleans have no order
        ("true() < false()", [("true/false values can only be compared with '=' or '!='", 7)]),
        # text functions on numbers and the other way round
        ("string-length(${age}) > 1", [("string-length() needs text, but ${age} is a number",
                                        14)]),
        ("contains(${name}, 1)", [("contains() needs text, but 1 is a number", 18)]),
        ("int('3') > 1", [("int() needs a number, but '3' is text", 4)]),
        ("round(${age}, '1') > 1", [("round() needs a number, but '1' is text", 14)]),
        # both values of if/coalesce must agree
        ("if(${consent}, 1, 'a') = 1",
         [("both values of if() must be of one type, but 1 is a number and 'a' is text", 0)]),
        ("coalesce(${age}, ${name}) = 1",
         [("both values of coalesce() must be of one type, but ${age} is a number and "
           "${name} is text", 0)]),
        # several mistakes are all reported, in source order
        ("${agee} > 1 and ${has_work} = 'yse'",
         [("unknown question '${agee}'; did you mean 'age'?", 0),
          ("'yse' is not a choice of ${has_work}; did you mean 'yes'?", 30)]),
    ],
)
def test_problems(source, problems):
    _, found = check(source)
    assert found == problems


@pytest.mark.parametrize(
    ("source", "current", "problems"),
    [
        (". > 3", NUMBER, []),
        (". = 'yes'", YES_NO, []),
        (". = 'maybe'", YES_NO, [("'maybe' is not a choice of '.'", 4)]),
        ("selected(., 'housing')", PROBLEMS, []),
        ("selected(., 'huosing')", PROBLEMS,
         [("'huosing' is not a choice of '.'; did you mean 'housing'?", 12)]),
        (". = 'none'", PROBLEMS,
         [("'.' allows several answers: use selected('.', 'name') instead of '='", 2)]),
        ("string-length(.) <= 20", TEXT, []),
        ("string-length(.) <= 20", NUMBER,
         [("string-length() needs text, but '.' is a number", 14)]),
        (". <= today()", DATE, []),
    ],
)
def test_current_value_in_constraints(source, current, problems):
    _, found = check(source, current)
    assert found == problems


def test_problems_are_type_problem_records():
    env = TypeEnv(lookup=QUESTIONS.get, known_names=lambda: list(QUESTIONS))
    infer(parse_expression("${age} = 'yes'"), env)
    assert env.problems == [TypeProblem("type mismatch: ${age} is a number but 'yes' is text", 7)]


def test_problems_accumulate_in_the_given_env():
    env = TypeEnv(lookup=QUESTIONS.get, known_names=lambda: list(QUESTIONS))
    infer(parse_expression("${agee} > 1"), env)
    infer(parse_expression("${age} = 'x'"), env)
    assert [p.pos for p in env.problems] == [0, 7]


@pytest.mark.parametrize("literal", ["2020-13-01", "2020-02-30", "2020-00-10"])
def test_impossible_date_is_reported(literal):
    _, found = check(f"${{arrival}} > '{literal}'")
    assert [pos for _, pos in found] == [13]


# --- well-typed expressions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("1", Kind.NUMBER),
        ("'a'", Kind.TEXT),
        ("${age}", Kind.NUMBER),
        ("${arrival}", Kind.DATE),
        ("${has_work}", Kind.CHOICE),
        ("${problems}", Kind.CHOICES),
        ("${age} >= 18", Kind.BOOLEAN),
        ("${age} + 1", Kind.NUMBER),
        ("-${age}", Kind.NUMBER),
        ("${age} div 12", Kind.NUMBER),
        ("${age} mod 12", Kind.NUMBER),
        ("year(today()) - ${arrival_year}", Kind.NUMBER),
        ("year(today()) - ${arrival_year} >= 5", Kind.BOOLEAN),
        ("${has_work} = 'yes' and ${hours} > 20", Kind.BOOLEAN),
        ("not(selected(${problems}, 'none'))", Kind.BOOLEAN),
        ("selected(${has_work}, 'yes')", Kind.BOOLEAN),
        ("count-selected(${problems}) > 2", Kind.BOOLEAN),
        ("count-selected(${problems})", Kind.NUMBER),
        ("${age} < 18 or ${age} > 65", Kind.BOOLEAN),
        ("${age} > -1", Kind.BOOLEAN),
        ("${consent}", Kind.BOOLEAN),
        ("${consent} and ${age} >= 16", Kind.BOOLEAN),
        ("${consent} = true()", Kind.BOOLEAN),
        ("${consent} != false()", Kind.BOOLEAN),
        # "answered" tests compare anything with ''
        ("${age} != ''", Kind.BOOLEAN),
        ("${has_work} = ''", Kind.BOOLEAN),
        ("${problems} = ''", Kind.BOOLEAN),
        ("${arrival} != ''", Kind.BOOLEAN),
        # dates
        ("${arrival} > '2015-01-01'", Kind.BOOLEAN),
        ("'2015-01-01' <= ${arrival}", Kind.BOOLEAN),
        ("${arrival} < today()", Kind.BOOLEAN),
        ("year(${arrival})", Kind.NUMBER),
        ("month(today())", Kind.NUMBER),
        ("today()", Kind.DATE),
        # text
        ("${name} = 'Amira'", Kind.BOOLEAN),
        ("${name} > 'b'", Kind.BOOLEAN),
        ("concat(${name}, ' ', ${age})", Kind.TEXT),
        ("concat(${problems})", Kind.TEXT),
        ("string-length(${name}) <= 40", Kind.BOOLEAN),
        ("contains(${name}, 'x') or starts-with(${name}, 'y')", Kind.BOOLEAN),
        # numbers
        ("int(${hours} div 8)", Kind.NUMBER),
        ("round(${hours} div 3, 1)", Kind.NUMBER),
        ("round(${hours})", Kind.NUMBER),
        ("abs(${age} - 30)", Kind.NUMBER),
        # branches of one type, or empty
        ("if(${consent}, 1, 2)", Kind.NUMBER),
        ("if(${consent}, 'a', 'b')", Kind.TEXT),
        ("if(${consent}, 1, '')", Kind.NUMBER),
        ("if(${consent}, '', 1)", Kind.NUMBER),
        ("coalesce(${age}, 0)", Kind.NUMBER),
        ("coalesce(${age}, '')", Kind.NUMBER),
        ("coalesce('', ${arrival})", Kind.DATE),
        ("coalesce(${has_work}, ${has_work})", Kind.CHOICE),
        # two single choices may be compared with each other
        ("${has_work} = ${has_work}", Kind.BOOLEAN),
        ("true()", Kind.BOOLEAN),
        ("false()", Kind.BOOLEAN),
    ],
)
def test_well_typed_expressions(source, kind):
    result, problems = check(source)
    assert problems == []
    assert result is not None
    assert result.kind == kind


def test_choice_type_keeps_its_choices():
    result, _ = check("${has_work}")
    assert result == YES_NO
    result, _ = check("coalesce(${has_work}, '')")
    assert result == YES_NO


@pytest.mark.parametrize("source", ["foo(1)", "selected(${problems})", "if(${consent}, 1, 'a')"])
def test_result_is_none_when_it_cannot_be_known(source):
    result, problems = check(source)
    assert result is None
    assert len(problems) == 1


def test_unknown_reference_does_not_cascade():
    # one mistake, one message: no extra "type mismatch" about the unknown name
    _, problems = check("${agee} = 'yes'")
    assert problems == [("unknown question '${agee}'; did you mean 'age'?", 0)]

