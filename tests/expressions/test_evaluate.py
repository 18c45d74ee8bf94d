"""The Python evaluator: the reference the browser evaluator must match.

Each table row is (expression, answers, expected). `today()` is fixed at 2024-05-06 unless a test
says otherwise.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from survey.questionnaire.expressions.evaluate import Context, evaluate, is_empty, truthy
from survey.questionnaire.expressions.parser import parse_expression

TODAY = dt.date(2024, 5, 6)
NAN = float("nan")


def run(source, answers=None, current=None, today=TODAY):
    return evaluate(parse_expression(source), Context(answers or {}, current, today))


def same(result, expected):
    """Equal value *and* kind: True must not pass for 1, nor 2 for '2' (ints and floats mix)."""
    if expected is None:
        return result is None
    if isinstance(expected, bool) or isinstance(result, bool):
        return result is expected
    if isinstance(expected, int | float):
        return isinstance(result, int | float) and result == pytest.approx(expected)
    return type(result) is type(expected) and result == expected


# --- arithmetic ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("1 + 2 * 3", {}, 7),
        ("(1 + 2) * 3", {}, 9),
        ("10 - 4 - 3", {}, 3),
        ("2.5 + 0.5", {}, 3.0),
        ("-${a}", {"a": 4}, -4),
        ("- - ${a}", {"a": 4}, 4),
        ("${a} * ${b}", {"a": 3, "b": 1.5}, 4.5),
        ("7 div 2", {}, 3.5),
        ("6 div 3", {}, 2.0),
        ("${a} div ${b}", {"a": 1, "b": 4}, 0.25),
        ("7 mod 3", {}, 1.0),
        ("7.5 mod 2", {}, 1.5),
        # mod keeps the sign of the dividend, as in XPath (and JavaScript's %)
        ("-7 mod 3", {}, -1.0),
        ("7 mod -3", {}, 1.0),
        # division by zero is empty, not an error
        ("1 div 0", {}, None),
        ("0 div 0", {}, None),
        ("${a} div ${b}", {"a": 5, "b": 0}, None),
        ("${a} div ${b}", {"a": 5, "b": 0.0}, None),
        ("1 mod 0", {}, None),
        ("(1 div 0) + 1", {}, None),
        # arithmetic with an empty answer is empty
        ("${a} + 1", {}, None),
        ("${a} + 1", {"a": None}, None),
        ("${a} + 1", {"a": ""}, None),
        ("${a} + 1", {"a": NAN}, None),
        ("1 - ${a}", {"a": None}, None),
        ("${a} * 0", {"a": None}, None),
        ("0 div ${a}", {"a": None}, None),
        ("${a} mod 2", {"a": None}, None),
        ("-${a}", {"a": None}, None),
        ("-${a}", {"a": NAN}, None),
    ],
)
def test_arithmetic(source, answers, expected):
    assert same(run(source, answers), expected)


# --- comparisons --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("${a} = 3", {"a": 3}, True),
        ("${a} = 3", {"a": 3.0}, True),
        ("${a} != 3", {"a": 3}, False),
        ("${a} < 3", {"a": 2.5}, True),
        ("${a} <= 3", {"a": 3}, True),
        ("${a} > 3", {"a": 3}, False),
        ("${a} >= 3", {"a": 3}, True),
        ("${a} > -1", {"a": 0}, True),
        ("1 + 1 = 2", {}, True),
        # text compares by characters
        ("${t} = 'abc'", {"t": "abc"}, True),
        ("${t} = 'abc'", {"t": "ABC"}, False),
        ("${t} != 'abc'", {"t": "abd"}, True),
        ("'b' > 'a'", {}, True),
        ("'10' < '9'", {}, True),
        ("${t} = \"it's\"", {"t": "it's"}, True),
        # a number never equals its text
        ("${a} = '3'", {"a": 3}, False),
        # booleans
        ("${c} = true()", {"c": True}, True),
        ("${c} = false()", {"c": True}, False),
        ("${c} != false()", {"c": True}, True),
    ],
)
def test_comparisons(source, answers, expected):
    assert same(run(source, answers), expected)


ARRIVAL = dt.date(2019, 3, 4)


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("${d} = '2019-03-04'", {"d": ARRIVAL}, True),
        ("'2019-03-04' = ${d}", {"d": ARRIVAL}, True),
        ("${d} != '2019-03-04'", {"d": ARRIVAL}, False),
        ("${d} < '2020-01-01'", {"d": ARRIVAL}, True),
        ("${d} <= '2019-03-04'", {"d": ARRIVAL}, True),
        ("${d} > '2019-03-04'", {"d": ARRIVAL}, False),
        ("${d} >= '2019-03-05'", {"d": ARRIVAL}, False),
        ("'2015-09-01' < ${d}", {"d": ARRIVAL}, True),
        ("${d} < today()", {"d": ARRIVAL}, True),
        ("${d} > today()", {"d": dt.date(2024, 5, 7)}, True),
        ("today() = '2024-05-06'", {}, True),
        ("today() > '2024-05-06'", {}, False),
        ("${d} = ${e}", {"d": ARRIVAL, "e": dt.date(2019, 3, 4)}, True),
        ("${d} < ${e}", {"d": ARRIVAL, "e": dt.date(2019, 3, 5)}, True),
        # a text that is not a date never matches a date, and does not crash
        ("${d} = '2019-3-4'", {"d": ARRIVAL}, False),
        ("${d} < '2020-13-01'", {"d": ARRIVAL}, False),
        ("${d} > 'yesterday'", {"d": ARRIVAL}, False),
        ("${d} < 5", {"d": ARRIVAL}, False),
    ],
)
def test_date_comparisons(source, answers, expected):
    assert same(run(source, answers), expected)


# --- empty values -------------------------------------------------------------------------------

EMPTY_VALUES = [None, "", NAN, set(), frozenset(), [], ()]
EMPTY_IDS = ["None", "empty-text", "NaN", "set", "frozenset", "list", "tuple"]


@pytest.mark.parametrize("value", EMPTY_VALUES, ids=EMPTY_IDS)
def test_empty_values_are_empty(value):
    assert is_empty(value)
    assert not truthy(value)


@pytest.mark.parametrize("value", [0, 0.0, False, "no", " ", "0", {"a"}, ["a"], ARRIVAL],
                         ids=["0", "0.0", "False", "no", "space", "zero-text", "set", "list",
                              "date"])
def test_answered_values_are_not_empty(value):
    assert not is_empty(value)


@pytest.mark.parametrize("value", EMPTY_VALUES, ids=EMPTY_IDS)
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("${x} = ''", True),
        ("${x} != ''", False),
        ("'' = ${x}", True),
        ("${x} = ${unanswered}", True),
        ("${x} != ${unanswered}", False),
        ("${x} = 0", False),
        ("${x} != 0", True),
        ("${x} = 'no'", False),
        ("${x} != 'no'", True),
        # ordering with an empty value is false whichever way round
        ("${x} < 5", False),
        ("${x} <= 5", False),
        ("${x} > 5", False),
        ("${x} >= 5", False),
        ("5 > ${x}", False),
        ("${x} <= ${unanswered}", False),
        ("${x} >= ''", False),
        # empty counts as false in and / or / not
        ("${x}", None),
        ("${x} and true()", False),
        ("true() and ${x}", False),
        ("${x} or false()", False),
        ("${x} or true()", True),
        ("not(${x})", True),
        ("if(${x}, 'yes', 'no')", "no"),
        ("coalesce(${x}, 'fallback')", "fallback"),
        ("selected(${x}, 'a')", False),
        ("count-selected(${x})", 0),
        ("string-length(${x})", 0),
        ("concat('[', ${x}, ']')", "[]"),
        ("contains(${x}, '')", True),
        ("int(${x})", None),
        ("round(${x})", None),
        ("round(2.5, ${x})", None),
        ("abs(${x})", None),
        ("year(${x})", None),
        ("month(${x})", None),
    ],
)
def test_empty_value_rules(source, expected, value):
    assert same(run(source, {"x": value}), expected)


def test_missing_answer_is_empty():
    assert run("${never_asked}", {}) is None
    assert run("${x} = ''", {"other": 1}) is True


@pytest.mark.parametrize(
    ("current", "source", "expected"),
    [
        (25, ". >= 18", True),
        (12, ". >= 18", False),
        (None, ". >= 18", False),
        ("", ". = ''", True),
        (NAN, ". = ''", True),
        ("abc", "string-length(.) <= 3", True),
        (frozenset({"a", "b"}), "count-selected(.) <= 1", False),
    ],
)
def test_current_value(current, source, expected):
    assert same(run(source, {}, current=current), expected)


# --- selected / count-selected ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        # a single choice is its choice name
        ("selected(${q}, 'yes')", {"q": "yes"}, True),
        ("selected(${q}, 'no')", {"q": "yes"}, False),
        ("count-selected(${q})", {"q": "yes"}, 1),
        # a multiple choice is any collection of names
        ("selected(${m}, 'work')", {"m": {"work", "housing"}}, True),
        ("selected(${m}, 'health')", {"m": {"work", "housing"}}, False),
        ("selected(${m}, 'work')", {"m": frozenset({"work"})}, True),
        ("selected(${m}, 'work')", {"m": ["housing", "work"]}, True),
        ("selected(${m}, 'wor')", {"m": ["housing", "work"]}, False),
        ("selected(${m}, 'work')", {"m": ("work",)}, True),
        ("count-selected(${m})", {"m": {"work", "housing"}}, 2),
        ("count-selected(${m})", {"m": frozenset({"a", "b", "c"})}, 3),
        ("count-selected(${m})", {"m": ["a"]}, 1),
        # nothing ticked
        ("selected(${m}, 'work')", {"m": set()}, False),
        ("selected(${m}, 'work')", {"m": []}, False),
        ("selected(${m}, 'work')", {}, False),
        ("count-selected(${m})", {"m": frozenset()}, 0),
        ("count-selected(${m})", {}, 0),
        ("count-selected(${m}) >= 2", {"m": {"a", "b"}}, True),
    ],
)
def test_selected_and_count_selected(source, answers, expected):
    assert same(run(source, answers), expected)


# --- functions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        # if / coalesce
        ("if(${a} > 1, 'big', 'small')", {"a": 2}, "big"),
        ("if(${a} > 1, 'big', 'small')", {"a": 1}, "small"),
        ("if(${a} > 1, 'big', 'small')", {}, "small"),
        # only the chosen branch counts: no division by zero on the other side
        ("if(${a} != 0, 10 div ${a}, 0)", {"a": 0}, 0),
        ("if(${a} != 0, 10 div ${a}, 0)", {"a": 4}, 2.5),
        ("coalesce(${a}, 5)", {}, 5),
        ("coalesce(${a}, 5)", {"a": 0}, 0),
        ("coalesce(${a}, 5)", {"a": NAN}, 5),
        ("coalesce(${a}, ${b})", {}, None),
        ("coalesce('', 'b')", {}, "b"),
        # concat: whole floats without '.0', booleans as true/false, empty as nothing
        ("concat('a', 'b')", {}, "ab"),
        ("concat(${a})", {"a": "x"}, "x"),
        ("concat(1.0, '|', 2.5, '|', 3)", {}, "1|2.5|3"),
        ("concat(6 div 3)", {}, "2"),
        ("concat(-2.0)", {}, "-2"),
        ("concat(true(), ' ', false())", {}, "true false"),
        ("concat(${a} > 1)", {"a": 2}, "true"),
        ("concat(${name}, ' (', ${age}, ')')", {"name": "Amira", "age": 34}, "Amira (34)"),
        ("concat(${name}, ' (', ${age}, ')')", {"name": "Amira"}, "Amira ()"),
        ("concat(${m})", {"m": ["a", "b"]}, "a b"),
        ("concat(${d})", {"d": ARRIVAL}, "2019-03-04"),
        # string-length counts characters, not bytes
        ("string-length('abc')", {}, 3),
        ("string-length('')", {}, 0),
        ("string-length(${t})", {"t": "Straße"}, 6),
        ("string-length(${t})", {"t": "مرحبا"}, 5),
        ("string-length(${t})", {"t": "  "}, 2),
        # contains / starts-with
        ("contains(${t}, 'berlin')", {"t": "from berlin-mitte"}, True),
        ("contains(${t}, 'Berlin')", {"t": "from berlin-mitte"}, False),
        ("contains(${t}, '')", {"t": "x"}, True),
        ("starts-with(${t}, '+49')", {"t": "+49 30 1234"}, True),
        ("starts-with(${t}, '+49')", {"t": "0049 30 1234"}, False),
        ("starts-with(${t}, '+49')", {}, False),
        # int cuts toward zero
        ("int(3.7)", {}, 3),
        ("int(3)", {}, 3),
        ("int(-3.7)", {}, -3),
        ("int(-0.5)", {}, 0),
        ("int(${a} div 12)", {"a": 30}, 2),
        # round: halves away from zero; digits may be negative; no digits gives an integer
        ("round(2.5)", {}, 3),
        ("round(-2.5)", {}, -3),
        ("round(2.4)", {}, 2),
        ("round(0.5)", {}, 1),
        ("round(-0.5)", {}, -1),
        ("round(3.5)", {}, 4),
        ("round(4.5)", {}, 5),
        ("round(7)", {}, 7),
        ("round(2.5, 0)", {}, 3),
        ("round(1.25, 1)", {}, 1.3),
        ("round(-1.25, 1)", {}, -1.3),
        ("round(3.14159, 2)", {}, 3.14),
        ("round(2.71828, 3)", {}, 2.718),
        ("round(1250, -2)", {}, 1300),
        ("round(1249, -2)", {}, 1200),
        ("round(50000, -5)", {}, 100000),
        ("round(-150, -2)", {}, -200),
        ("round(-1250, -2)", {}, -1300),
        ("round(15, -1)", {}, 20),
        ("round(25, -1)", {}, 30),
        ("round(1234567, -3)", {}, 1235000),
        ("round(${a} div 3, 1)", {"a": 10}, 3.3),
        # abs
        ("abs(-3)", {}, 3),
        ("abs(3)", {}, 3),
        ("abs(-2.5)", {}, 2.5),
        ("abs(${a})", {"a": -7}, 7),
        # dates
        ("today()", {}, TODAY),
        ("year(today())", {}, 2024),
        ("month(today())", {}, 5),
        ("year(${d})", {"d": ARRIVAL}, 2019),
        ("month(${d})", {"d": ARRIVAL}, 3),
        # constants
        ("true()", {}, True),
        ("false()", {}, False),
        ("not(true())", {}, False),
        ("not(false())", {}, True),
        ("true() and false()", {}, False),
        ("true() or false()", {}, True),
    ],
)
def test_functions(source, answers, expected):
    assert same(run(source, answers), expected)


def test_round_without_digits_gives_an_int():
    assert type(run("round(2.6)")) is int
    assert type(run("round(2.6, 0)")) is int
    assert type(run("round(1250, -2)")) is int
    assert type(run("round(2.6, 1)")) is float


def test_today_comes_from_the_context():
    assert run("today()", today=dt.date(2030, 1, 31)) == dt.date(2030, 1, 31)
    assert run("year(today()) - 2000", today=dt.date(2030, 1, 31)) == 30


def test_today_defaults_to_the_real_date():
    before = dt.date.today()
    result = run("today()", today=None)
    assert before <= result <= dt.date.today()


def test_and_or_stop_at_the_first_decisive_operand():
    # the right side would divide by zero and compare empty; the result must still be exact
    assert run("${a} = 0 or 10 div ${a} > 1", {"a": 0}) is True
    assert run("${a} != 0 and 10 div ${a} > 1", {"a": 0}) is False


# --- realistic survey rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        # years in Germany, from the arrival year
        ("year(today()) - ${arrival_year}", {"arrival_year": 2015}, 9),
        ("year(today()) - ${arrival_year}", {"arrival_year": 2024}, 0),
        ("year(today()) - ${arrival_year}", {}, None),
        ("year(today()) - ${arrival_year} >= 5", {"arrival_year": 2019}, True),
        ("year(today()) - ${arrival_year} >= 5", {"arrival_year": 2020}, False),
        ("year(today()) - ${arrival_year} >= 5", {}, False),
        # follow-up about working hours
        ("${has_work} = 'yes' and ${hours} > 20", {"has_work": "yes", "hours": 38.5}, True),
        ("${has_work} = 'yes' and ${hours} > 20", {"has_work": "yes", "hours": 20}, False),
        ("${has_work} = 'yes' and ${hours} > 20", {"has_work": "no", "hours": 40}, False),
        ("${has_work} = 'yes' and ${hours} > 20", {"has_work": "yes"}, False),
        ("${has_work} = 'yes' and ${hours} > 20", {"hours": 40}, False),
        ("${has_work} = 'yes' and ${hours} > 20", {}, False),
        # ask about problems only when some were ticked
        ("not(selected(${problems}, 'none'))", {"problems": {"housing", "work"}}, True),
        ("not(selected(${problems}, 'none'))", {"problems": {"none"}}, False),
        ("not(selected(${problems}, 'none'))", {"problems": set()}, True),
        ("not(selected(${problems}, 'none'))", {}, True),
        ("not(selected(${problems}, 'none')) and count-selected(${problems}) > 0",
         {"problems": set()}, False),
        # "answered" test
        ("${age} != '' and ${age} < 18", {"age": 17}, True),
        ("${age} != '' and ${age} < 18", {}, False),
        ("${age} < 18 or ${age} > 65", {"age": 70}, True),
        ("${age} < 18 or ${age} > 65", {}, False),
        # household size per room
        ("round(${people} div ${rooms}, 1)", {"people": 5, "rooms": 2}, 2.5),
        ("round(${people} div ${rooms}, 1)", {"people": 5, "rooms": 0}, None),
        ("if(${lang} = 'other', ${lang_other}, ${lang})", {"lang": "ar"}, "ar"),
        ("if(${lang} = 'other', ${lang_other}, ${lang})",
         {"lang": "other", "lang_other": "Tigrinya"}, "Tigrinya"),
    ],
)
def test_realistic_rules(source, answers, expected):
    assert same(run(source, answers), expected)


@pytest.mark.parametrize(("current", "expected"), [(40, True), (16, True), (99, True),
                                                   (15, False), (100, False), (None, False)])
def test_age_constraint_on_the_current_answer(current, expected):
    assert run(". >= 16 and . <= 99", {}, current=current) is expected


# --- numbers out of range give empty, never an exception -------------------------------


@pytest.mark.parametrize(
    ("source", "answers"),
    [
        ("1" + "0" * 400 + " div 3", {}),
        ("1" + "0" * 400 + " * 1.5", {}),
        ("round(1.5, 400)", {}),
        ("round(5, -400)", {}),
        ("round(${x}, 2)", {"x": 1e307}),
        ("${x} mod 2", {"x": math.inf}),
        ("int(${x})", {"x": math.inf}),
    ],
    ids=["huge-literal-div", "huge-literal-times-float", "round-400-digits",
         "round-minus-400-digits", "round-1e307",
         "inf-mod", "int-inf"],
)
def test_extreme_numbers_do_not_crash(source, answers):
    result = run(source, answers)
    assert result is None or isinstance(result, int | float)
