"""The parser: the one place where questionnaire authors' expression text becomes a tree.

Trees are compared with their positions, because every message a questionnaire author sees
points at a character through those positions.
"""

from __future__ import annotations

import pytest

from survey.questionnaire.expressions.evaluate import Context, evaluate
from survey.questionnaire.expressions.parser import (
    MAX_DEPTH,
    MAX_LENGTH,
    ExpressionSyntaxError,
    parse_expression,
    tokenize,
)
from survey.questionnaire.expressions.syntax import (
    Binary,
    Call,
    Current,
    Literal,
    Negate,
    Ref,
    references,
    to_json,
)
from survey.questionnaire.expressions.types import NUMBER, TypeEnv, infer

# --- precedence and associativity -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        # '*' binds tighter than '+', on either side
        ("1 + 2 * 3",
         Binary("+", Literal(1, 0), Binary("*", Literal(2, 4), Literal(3, 8), 6), 2)),
        ("1 * 2 + 3",
         Binary("+", Binary("*", Literal(1, 0), Literal(2, 4), 2), Literal(3, 8), 6)),
        # parentheses override precedence and leave no node of their own
        ("(1 + 2) * 3",
         Binary("*", Binary("+", Literal(1, 1), Literal(2, 5), 3), Literal(3, 10), 8)),
        # arithmetic is left-associative
        ("10 - 4 - 3",
         Binary("-", Binary("-", Literal(10, 0), Literal(4, 5), 3), Literal(3, 9), 7)),
        ("8 div 2 div 2",
         Binary("div", Binary("div", Literal(8, 0), Literal(2, 6), 2), Literal(2, 12), 8)),
        ("7 mod 4 * 2",
         Binary("*", Binary("mod", Literal(7, 0), Literal(4, 6), 2), Literal(2, 10), 8)),
        # 'and' binds tighter than 'or'
        ("${a} or ${b} and ${c}",
         Binary("or", Ref("a", 0),
                Binary("and", Ref("b", 8), Ref("c", 17), 13), 5)),
        ("${a} and ${b} or ${c}",
         Binary("or", Binary("and", Ref("a", 0), Ref("b", 9), 5), Ref("c", 17), 14)),
        ("${a} and ${b} and ${c}",
         Binary("and", Binary("and", Ref("a", 0), Ref("b", 9), 5), Ref("c", 18), 14)),
        # comparisons bind looser than arithmetic, tighter than 'and'
        ("1 + 2 > 3 - 1",
         Binary(">",
                Binary("+", Literal(1, 0), Literal(2, 4), 2),
                Binary("-", Literal(3, 8), Literal(1, 12), 10), 6)),
        ("${a} = 1 and ${b} != 2",
         Binary("and",
                Binary("=", Ref("a", 0), Literal(1, 7), 5),
                Binary("!=", Ref("b", 13), Literal(2, 21), 18), 9)),
        # unary minus nests and binds tighter than '*'
        ("- - 1", Negate(Negate(Literal(1, 4), 2), 0)),
        ("--1", Negate(Negate(Literal(1, 2), 1), 0)),
        ("-2 * 3", Binary("*", Negate(Literal(2, 1), 0), Literal(3, 5), 3)),
        ("1 - -1", Binary("-", Literal(1, 0), Negate(Literal(1, 5), 4), 2)),
        ("1 -1", Binary("-", Literal(1, 0), Literal(1, 3), 2)),
        # not() is a function and nests
        ("not(not(${a}))", Call("not", (Call("not", (Ref("a", 8),), 4),), 0)),
        ("not(${a}) and ${b}",
         Binary("and", Call("not", (Ref("a", 4),), 0), Ref("b", 14), 10)),
        ("not(${a} or ${b})",
         Call("not", (Binary("or", Ref("a", 4), Ref("b", 12), 9),), 0)),
    ],
)
def test_precedence_and_associativity(source, tree):
    assert parse_expression(source) == tree


def test_parenthesised_chained_comparison_is_allowed():
    # only the bare chain is an error; explicit grouping is a boolean compared with a number
    assert parse_expression("(1 < 2) = 3") == Binary(
        "=", Binary("<", Literal(1, 1), Literal(2, 5), 3), Literal(3, 10), 8)


# --- tokens, literals, references, calls --------------------------------------------------------


def test_every_token_kind():
    source = "count-selected(${m}) >= 2.5 and 'a' != \"b\" or .5 div 3 mod ."
    assert [(t.kind, t.text, t.pos) for t in tokenize(source)] == [
        ("name", "count-selected", 0),
        ("op", "(", 14),
        ("ref", "m", 15),
        ("op", ")", 19),
        ("op", ">=", 21),
        ("num", "2.5", 24),
        ("name", "and", 28),
        ("str", "'a'", 32),
        ("op", "!=", 36),
        ("str", '"b"', 39),
        ("name", "or", 43),
        ("num", ".5", 46),
        ("name", "div", 49),
        ("num", "3", 53),
        ("name", "mod", 55),
        ("op", ".", 59),
        ("end", "", 60),
    ]


@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod",
                                "and", "or"])
def test_every_binary_operator(op):
    tree = parse_expression(f"${{a}} {op} ${{b}}")
    assert tree == Binary(op, Ref("a", 0), Ref("b", 6 + len(op)), 5)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("007", 7),
        ("2.5", 2.5),
        (".5", 0.5),
        ("3.0", 3.0),
        ("'yes'", "yes"),
        ('"yes"', "yes"),
        ("''", ""),
        ('""', ""),
        ("'it\"s'", 'it"s'),
        ("\"it's\"", "it's"),
        ("'Straße, 10 €'", "Straße, 10 €"),
        ("'a  b'", "a  b"),
        ("'and or div ${x}'", "and or div ${x}"),
        ("'1 == 2 && 3 / 4 % !'", "1 == 2 && 3 / 4 % !"),
    ],
)
def test_literals(source, value):
    tree = parse_expression(source)
    assert tree == Literal(value, 0)
    assert type(tree.value) is type(value)


def test_whole_numbers_stay_int_and_decimals_float():
    assert type(parse_expression("3").value) is int
    assert type(parse_expression("3.0").value) is float


@pytest.mark.parametrize("name", ["age", "_x", "Q1", "arrival_year", "and", "div", "A_b_9"])
def test_references(name):
    assert parse_expression(f"${{{name}}}") == Ref(name, 0)


def test_whitespace_of_every_kind_is_ignored():
    assert parse_expression("\t${a}\n=\r\n 1 ") == Binary("=", Ref("a", 1), Literal(1, 10), 6)


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        (".", Current(0)),
        (". > 0", Binary(">", Current(0), Literal(0, 4), 2)),
        (".>=18", Binary(">=", Current(0), Literal(18, 3), 1)),
        ("string-length(.) <= 20",
         Binary("<=", Call("string-length", (Current(14),), 0), Literal(20, 20), 17)),
    ],
)
def test_current_value(source, tree):
    assert parse_expression(source) == tree


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        ("today()", Call("today", (), 0)),
        ("true()", Call("true", (), 0)),
        ("abs(-1)", Call("abs", (Negate(Literal(1, 5), 4),), 0)),
        ("selected(${m}, 'none')", Call("selected", (Ref("m", 9), Literal("none", 15)), 0)),
        ("concat(${a}, ' ', 1, .)",
         Call("concat", (Ref("a", 7), Literal(" ", 13), Literal(1, 18), Current(21)), 0)),
        ("if(${a} > 1, 'x', 'y')",
         Call("if", (Binary(">", Ref("a", 3), Literal(1, 10), 8), Literal("x", 13),
                     Literal("y", 18)), 0)),
        ("count-selected( ${m} )", Call("count-selected", (Ref("m", 16),), 0)),
        ("round(${a} div 3, 1)",
         Call("round", (Binary("div", Ref("a", 6), Literal(3, 15), 11), Literal(1, 18)), 0)),
        # names are not checked here: the type checker reports unknown functions
        ("my-func_2(1)", Call("my-func_2", (Literal(1, 10),), 0)),
        ("year(today()) - 1",
         Binary("-", Call("year", (Call("today", (), 5),), 0), Literal(1, 16), 14)),
    ],
)
def test_function_calls(source, tree):
    assert parse_expression(source) == tree


def test_references_helper_lists_refs_in_source_order():
    tree = parse_expression("if(${b} > 1, ${a}, coalesce(${c}, ${a}))")
    assert [(r.name, r.pos) for r in references(tree)] == [("b", 3), ("a", 13), ("c", 28),
                                                           ("a", 34)]


def test_to_json_is_the_plain_tree_for_the_browser():
    tree = parse_expression("not(selected(${m}, 'x')) and -. > 1.5")
    assert to_json(tree) == {
        "op": "and",
        "l": {"fn": "not", "args": [{"fn": "selected",
                                     "args": [{"ref": "m"}, {"lit": "x"}]}]},
        "r": {"op": ">", "l": {"neg": {"cur": True}}, "r": {"lit": 1.5}},
    }


# --- syntax errors: message and 0-based position -------------------------------------------------

REFERENCE_ADVICE = ("a reference is written ${question_id}: letters, digits and '_' between "
                    "'${' and '}'")
MISSING_OPERATOR = ": an operator such as 'and', 'or', '=' or '+' is missing before it"


@pytest.mark.parametrize(
    ("source", "message", "pos"),
    [
        ("${a} == 1", "use '=' to compare, not '=='", 5),
        ("${a} && ${b}", "use 'and', not '&&'", 5),
        ("${a} || ${b}", "use 'or', not '||'", 5),
        ("${a} / 2", "use 'div' to divide, not '/'", 5),
        ("${a} % 2", "use 'mod' for the remainder, not '%'", 5),
        ("!${a}", "use not(...) to negate, or '!=' for 'is not equal'", 0),
        ("${a} = !1", "use not(...) to negate, or '!=' for 'is not equal'", 7),
        ("${a} <> 1", "use '!=' for 'is not equal'", 5),
        ("${a} = 'yes", "text starting with ' is never closed", 7),
        ('${a} = "yes', 'text starting with " is never closed', 7),
        ("${a} = \"yes'", 'text starting with " is never closed', 7),
        ("(1 + 2",
         "expected ')' to close the '(' opened at character 1, found the end of the expression",
         6),
        ("1 + (2 * (3 - 4)",
         "expected ')' to close the '(' opened at character 5, found the end of the expression",
         16),
        ("not(${a} = 1",
         "expected ')' to close the call of not(), found the end of the expression", 12),
        ("selected(${m} 1)", "expected ')' to close the call of selected(), found '1'", 14),
        ("${bad name} = 1", REFERENCE_ADVICE, 0),
        ("1 = ${}", REFERENCE_ADVICE, 4),
        ("${a", REFERENCE_ADVICE, 0),
        ("${1st} > 0", REFERENCE_ADVICE, 0),
        ("${a-b} > 0", REFERENCE_ADVICE, 0),
        ("$a", "unexpected character '$'", 0),
        ("${a} # 1", "unexpected character '#'", 5),
        ("1 < 2 < 3", "comparisons cannot be chained; join them with 'and'", 6),
        ("18 <= ${age} <= 65", "comparisons cannot be chained; join them with 'and'", 13),
        ("${a} = 1 = 2", "comparisons cannot be chained; join them with 'and'", 9),
        ("1 +", "expected a value, found the end of the expression", 3),
        ("${a} >", "expected a value, found the end of the expression", 6),
        ("${a} and", "expected a value, found the end of the expression", 8),
        ("-", "expected a value, found the end of the expression", 1),
        ("1 * ) ", "expected a value, found ')'", 4),
        ("1 = = 2", "expected a value, found '='", 4),
        ("()", "expected a value, found ')'", 1),
        ("f(,1)", "expected a value, found ','", 2),
        ("f(1,)", "expected a value, found ')'", 4),
        ("", "the expression is empty", 0),
        ("   ", "the expression is empty", 0),
        ("\t\n", "the expression is empty", 0),
        ("and ${a}", "'and' needs a value on its left", 0),
        ("or ${a}", "'or' needs a value on its left", 0),
        ("div 2", "'div' needs a value on its left", 0),
        ("${a} = (mod 2)", "'mod' needs a value on its left", 8),
        ("yes", "'yes' is not a value: write references as ${yes} and text in quotes, 'yes'", 0),
        ("${q} = yes",
         "'yes' is not a value: write references as ${yes} and text in quotes, 'yes'", 7),
        ("age > 18",
         "'age' is not a value: write references as ${age} and text in quotes, 'age'", 0),
        ("1 2", f"unexpected '2'{MISSING_OPERATOR}", 2),
        ("${age} 18", f"unexpected '18'{MISSING_OPERATOR}", 7),
        ("1 true()", f"unexpected 'true'{MISSING_OPERATOR}", 2),
        ("1.5.5", f"unexpected '.5'{MISSING_OPERATOR}", 3),
        ("1)", "unexpected ')'", 1),
        ("1.", "unexpected '.'", 1),
        ("(1))", "unexpected ')'", 3),
    ],
)
def test_syntax_errors(source, message, pos):
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse_expression(source)
    assert caught.value.message == message
    assert caught.value.pos == pos
    # the str() form counts characters from 1, as people do
    assert str(caught.value) == f"{message} (at character {pos + 1})"


def test_syntax_error_is_a_value_error():
    # callers that only know ValueError still catch it
    with pytest.raises(ValueError, match="use '=' to compare"):
        parse_expression("1 == 1")


def test_missing_operator_before_reference_names_the_reference():
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse_expression("${a} ${b}")
    assert caught.value.pos == 5
    assert "${b}" in caught.value.message


@pytest.mark.parametrize(("source", "pos"), [("${q} = 'yes' 'no'", 13),
                                             ("selected(${m} 'x')", 14)])
def test_text_found_instead_of_an_operator_is_quoted_once(source, pos):
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse_expression(source)
    assert caught.value.pos == pos
    assert "''" not in caught.value.message


# --- length and nesting limits --------------------------------------------------------------------


def test_expression_at_the_length_limit_parses():
    source = "concat('" + "x" * (MAX_LENGTH - 30) + "', ${a}) != ''"
    assert len(source) <= MAX_LENGTH
    assert isinstance(parse_expression(source), Binary)


def test_long_operator_chain_within_the_length_limit_is_refused_with_advice():
    source = "1+" * ((MAX_LENGTH - 1) // 2) + "1"
    assert len(source) <= MAX_LENGTH
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse_expression(source)
    assert caught.value.message == ("the expression chains or nests more than 100 operations; "
                                    "split it with a calculate question")


@pytest.mark.parametrize("length", [MAX_LENGTH + 1, 100_000])
def test_too_long_expression_is_rejected(length):
    source = ("1+" * length)[: length - 1] + "1"
    assert len(source) == length
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse_expression(source)
    assert caught.value.message == (
        f"the expression is {length} characters long; at most {MAX_LENGTH} are allowed: "
        "split it with a calculate question")
    assert caught.value.pos == MAX_LENGTH


def test_long_text_of_only_spaces_is_empty_not_too_long():
    with pytest.raises(ExpressionSyntaxError, match="the expression is empty"):
        parse_expression(" " * 100_000)


@pytest.mark.parametrize(
    "source",
    [
        "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH,
        "-" * MAX_DEPTH + "1",
        "not(" * (MAX_DEPTH - 1) + "true()" + ")" * (MAX_DEPTH - 1),
    ],
)
def test_nesting_up_to_the_limit_parses(source):
    parse_expression(source)


@pytest.mark.parametrize(
    ("opener", "source"),
    [
        ("(", "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)),
        ("-", "-" * (MAX_DEPTH + 1) + "1"),
        ("not(", "not(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)),
    ],
)
def test_nesting_beyond_the_limit_is_rejected(opener, source):
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse_expression(source)
    assert caught.value.message == f"nested deeper than {MAX_DEPTH} levels"
    # the message points at (or just after) the opener that went one level too deep
    too_deep = len(opener) * MAX_DEPTH
    assert too_deep <= caught.value.pos <= too_deep + len(opener)


@pytest.mark.parametrize(
    "source",
    [
        "(" * 10_000 + "1" + ")" * 10_000,
        "(" * 10_000,
        "(" * 1999 + "1" + ")" * 1999,  # under the length limit: the depth limit must hold
        "-" * 3999 + "1",
        "not(" * 999 + "1",
        "if(1," * 799,
        "1" * 100_000,
    ],
    ids=["10000-parens", "10000-open-parens", "1999-parens", "3999-minus", "999-not",
         "799-if", "100000-digits"],
)
def test_hostile_input_raises_syntax_error_not_recursion_error(source):
    with pytest.raises(ExpressionSyntaxError):
        parse_expression(source)


def _typed_env() -> TypeEnv:
    return TypeEnv(lookup=lambda name: NUMBER, known_names=lambda: ["a"])


@pytest.mark.parametrize("source", ["1+" * 1999 + "1", "true() or " * 399 + "true()"],
                         ids=["1999-additions", "399-ors"])
def test_accepted_operator_chain_can_be_checked_and_evaluated(source):
    try:
        tree = parse_expression(source)
    except ExpressionSyntaxError:
        return  # rejecting the chain outright would be fine too
    env = _typed_env()
    infer(tree, env)
    assert env.problems == []
    evaluate(tree, Context({"a": 1}))
