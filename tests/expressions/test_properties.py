"""Property tests: whatever an author types, the toolkit answers with a syntax error or a tree;
trees print back to themselves; well-typed rules never crash during an interview."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from survey.questionnaire.expressions.evaluate import Context, evaluate
from survey.questionnaire.expressions.parser import (
    MAX_LENGTH,
    ExpressionSyntaxError,
    parse_expression,
)
from survey.questionnaire.expressions.syntax import (
    ARITHMETIC,
    COMPARISONS,
    LOGICAL,
    Binary,
    Call,
    Current,
    Literal,
    Negate,
    Node,
    Ref,
    walk,
)
from survey.questionnaire.expressions.types import (
    BOOLEAN,
    DATE,
    FUNCTIONS,
    NUMBER,
    TEXT,
    ExprType,
    Kind,
    TypeEnv,
    infer,
)

FAST = settings(max_examples=250, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# --- (1) any text: a tree or an ExpressionSyntaxError ---------------------------------------------

EXPRESSION_CHARS = [*"${}()'\"=!<>+-*/%&|.,_ aAzZ09\t\n",
                    "and", "or", "div", "mod", "not(", "selected(", "${a}", "'x'", "1.5", "."]
texts = st.one_of(
    st.text(),  # any unicode, including control characters
    st.text(st.characters(codec="utf-8")),
    st.lists(st.sampled_from(EXPRESSION_CHARS) | st.characters(), max_size=40).map("".join),
)


def _parse_or_error(text: str) -> Node | None:
    try:
        tree = parse_expression(text)
    except ExpressionSyntaxError as exc:
        assert isinstance(exc.message, str)
        assert exc.message
        assert 0 <= exc.pos <= min(len(text), MAX_LENGTH)
        return None
    assert isinstance(tree, Literal | Ref | Current | Negate | Binary | Call)
    return tree


@FAST
@given(texts)
def test_any_text_parses_or_raises_syntax_error(text):
    _parse_or_error(text)


# --- (2) round trip: print a tree fully parenthesised, parse it back ------------------------------

KEYWORDS = {"and", "or", "div", "mod"}
IDENT = r"[A-Za-z_][A-Za-z0-9_]{0,8}"
ref_names = st.from_regex(rf"\A{IDENT}\Z")
call_names = st.one_of(
    st.sampled_from(sorted(FUNCTIONS)),
    st.from_regex(rf"\A{IDENT}(-{IDENT}){{0,2}}\Z").filter(lambda n: n not in KEYWORDS),
)
text_values = st.text(max_size=12).filter(lambda s: not ("'" in s and '"' in s))
number_values = st.one_of(st.integers(0, 10**12), st.integers(0, 10**6).map(lambda n: n / 100))


def leaves() -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Literal, number_values, st.just(0)),
        st.builds(Literal, text_values, st.just(0)),
        st.builds(Ref, ref_names, st.just(0)),
        st.just(Current(0)),
    )


def trees(depth: int) -> st.SearchStrategy[Node]:
    if depth == 0:
        return leaves()
    sub = trees(depth - 1)
    return st.one_of(
        leaves(),
        st.builds(Negate, sub, st.just(0)),
        st.builds(Binary, st.sampled_from(COMPARISONS + ARITHMETIC + LOGICAL), sub, sub,
                  st.just(0)),
        st.builds(Call, call_names, st.lists(sub, max_size=3).map(tuple), st.just(0)),
    )


def show(node: Node) -> str:
    """Source text for a tree, every operation in parentheses."""
    match node:
        case Literal(value=str() as value):
            return f'"{value}"' if "'" in value else f"'{value}'"
        case Literal(value=value):
            return repr(value)
        case Ref(name=name):
            return f"${{{name}}}"
        case Current():
            return "."
        case Negate(operand=operand):
            return f"(-{show(operand)})"
        case Binary(op=op, left=left, right=right):
            return f"({show(left)} {op} {show(right)})"
        case Call(name=name, args=args):
            return f"{name}({', '.join(show(a) for a in args)})"
    raise TypeError(node)


def shape(node: Node) -> object:
    """The tree without positions; literal types kept apart (1 is not 1.0)."""
    match node:
        case Literal(value=value):
            return ("lit", type(value).__name__, value)
        case Ref(name=name):
            return ("ref", name)
        case Current():
            return ("cur",)
        case Negate(operand=operand):
            return ("neg", shape(operand))
        case Binary(op=op, left=left, right=right):
            return (op, shape(left), shape(right))
        case Call(name=name, args=args):
            return ("call", name, tuple(shape(a) for a in args))
    raise TypeError(node)


def starts_here(node: Node) -> str:
    """What the source must show at the node's position."""
    match node:
        case Literal(value=str()):
            return ""  # a quote of either kind; checked separately
        case Literal(value=value):
            return repr(value)
        case Ref(name=name):
            return f"${{{name}}}"
        case Current():
            return "."
        case Negate():
            return "-"
        case Binary(op=op):
            return op
        case Call(name=name):
            return f"{name}("
    raise TypeError(node)


@FAST
@given(trees(4))
def test_printed_tree_parses_back_to_the_same_tree(tree):
    source = show(tree)
    assume(len(source) <= MAX_LENGTH)
    parsed = parse_expression(source)
    assert shape(parsed) == shape(tree)
    # every position points at the node's own text, so messages point at the right character
    for node in walk(parsed):
        assert source.startswith(starts_here(node), node.pos)
        if isinstance(node, Literal) and isinstance(node.value, str):
            assert source[node.pos] in "'\""


# --- (3) well-typed arithmetic and comparisons never raise ----------------------------------------

TODAY = dt.date(2024, 5, 6)
TYPES: dict[str, ExprType] = {
    "n1": NUMBER, "n2": NUMBER, "n3": NUMBER,
    "c": BOOLEAN,
    "q": ExprType(Kind.CHOICE, ("yes", "no")),
    "m": ExprType(Kind.CHOICES, ("a", "b", "c")),
    "d": DATE,
    "t": TEXT,
}
EMPTY = st.sampled_from([None, "", float("nan")])
numbers = st.one_of(st.integers(-10**6, 10**6), st.integers(-10**8, 10**8).map(lambda n: n / 100))
answer_values = {
    "n1": numbers | EMPTY, "n2": numbers | EMPTY, "n3": numbers | EMPTY,
    "c": st.sampled_from([True, False, None]),
    "q": st.sampled_from(["yes", "no", None, ""]),
    "m": st.sampled_from([frozenset(), frozenset("a"), frozenset("ab"), ["b", "c"], set(),
                          None]),
    "d": st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)) | st.none(),
    "t": st.text(max_size=10) | EMPTY,
}
answer_sets = st.fixed_dictionaries({}, optional=answer_values)
current_values = numbers | EMPTY

num_leaves = st.one_of(
    st.integers(0, 1000).map(str),
    st.integers(0, 10**5).map(lambda n: repr(n / 100)),
    st.sampled_from(["${n1}", "${n2}", "${n3}", ".", "count-selected(${m})",
                     "count-selected(${q})", "string-length(${t})", "year(${d})",
                     "month(today())"]),
)
bool_leaves = st.sampled_from([
    "${c}", "true()", "false()", "selected(${m}, 'a')", "selected(${q}, 'yes')",
    "${q} = 'yes'", "${q} != ''", "${d} < '2020-01-01'", "${d} >= today()", "${t} = 'x'",
    "contains(${t}, 'a')", "starts-with(${t}, '')", "${m} = ''", "${n1} = ''",
])


def num_exprs(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return num_leaves
    sub, cond = num_exprs(depth - 1), bool_exprs(depth - 1)
    return st.one_of(
        num_leaves,
        st.builds(lambda a, op, b: f"({a} {op} {b})", sub, st.sampled_from(ARITHMETIC), sub),
        st.builds(lambda a: f"-{a}", sub),
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(["int", "abs", "round"]), sub),
        st.builds(lambda a, n: f"round({a}, {n})", sub, st.integers(-3, 6)),
        st.builds(lambda c, a, b: f"if({c}, {a}, {b})", cond, sub, sub),
        st.builds(lambda a, b: f"coalesce({a}, {b})", sub, sub),
    )


def bool_exprs(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return bool_leaves
    sub, num = bool_exprs(depth - 1), num_exprs(depth - 1)
    return st.one_of(
        bool_leaves,
        st.builds(lambda a, op, b: f"{a} {op} {b}", num, st.sampled_from(COMPARISONS), num),
        st.builds(lambda a, op, b: f"({a}) {op} ({b})", sub, st.sampled_from(LOGICAL), sub),
        st.builds(lambda a: f"not({a})", sub),
    )


def _well_typed(source: str, kind: Kind) -> Node:
    tree = parse_expression(source)
    env = TypeEnv(lookup=TYPES.get, known_names=lambda: list(TYPES), current=NUMBER)
    result = infer(tree, env)
    assert env.problems == [], (source, env.problems)
    assert result is not None
    assert result.kind == kind
    return tree


@FAST
@given(num_exprs(3), answer_sets, current_values)
def test_well_typed_number_expression_never_raises(source, answers, current):
    tree = _well_typed(source, Kind.NUMBER)
    result = evaluate(tree, Context(answers, current, TODAY))
    assert result is None or (isinstance(result, int | float) and not isinstance(result, bool))
    assert not (isinstance(result, float) and math.isnan(result))


@FAST
@given(bool_exprs(3), answer_sets, current_values)
def test_well_typed_condition_never_raises(source, answers, current):
    tree = _well_typed(source, Kind.BOOLEAN)
    result = evaluate(tree, Context(answers, current, TODAY))
    # a bare true/false question can be unanswered; everything else is a definite bool
    assert isinstance(result, bool) or (result is None and source == "${c}")


pure_leaves = st.one_of(st.integers(0, 1000).map(str),
                        st.sampled_from(["${n1}", "${n2}", "${n3}"]))
pure_arithmetic = st.recursive(
    pure_leaves,
    lambda sub: st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", sub, st.sampled_from(ARITHMETIC), sub),
        st.builds(lambda a: f"-{a}", sub),
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(["int", "abs", "round"]), sub),
    ),
    max_leaves=8,
)


@FAST
@given(pure_arithmetic, answer_sets)
def test_arithmetic_with_an_empty_answer_is_empty(source, answers):
    tree = _well_typed(source, Kind.NUMBER)
    names = {n.name for n in walk(tree) if isinstance(n, Ref)}
    empty = [n for n in names if answers.get(n) is None or answers.get(n) == ""
             or (isinstance(answers.get(n), float) and math.isnan(answers[n]))]
    assume(empty)
    assert evaluate(tree, Context(answers, None, TODAY)) is None


# --- (4) typing slips in valid expressions: only syntax errors ------------------------------------

VALID = [
    "${age} >= 18 and ${age} <= 65",
    "${has_work} = 'yes' and ${hours} > 20",
    "not(selected(${problems}, 'none'))",
    "count-selected(${problems}) > 1 or ${other} != ''",
    "year(today()) - ${arrival_year}",
    "if(${people} > 0, round(${income} div ${people}, 2), '')",
    "concat(${first}, \" \", ${last})",
    "string-length(.) <= 40 and starts-with(., '+49')",
    "-(${a} - 1.5) * 3 mod 2 < .5",
    "coalesce(${a}, 0) + abs(int(${b}))",
    "${arrival} < '2020-01-01' or ${arrival} > today()",
]
INSERTS = [*"${}()'\"=!<>+-*/%&|., _a09\t", "\x00", "é", "\u202e", "\U0001f600"]


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "insert", "swap"]))
        if kind == "insert" or not text:
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(INSERTS) | st.characters()) + text[at:]
        elif kind == "delete":
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + text[at + 1:]
        elif len(text) > 1:
            at = draw(st.integers(0, len(text) - 2))
            text = text[:at] + text[at + 1] + text[at] + text[at + 2:]
    return text


MUTATION_TYPES: dict[str, ExprType] = {
    "age": NUMBER, "hours": NUMBER, "arrival_year": NUMBER, "people": NUMBER,
    "income": NUMBER, "a": NUMBER, "b": NUMBER, "first": TEXT, "last": TEXT, "other": TEXT,
    "has_work": ExprType(Kind.CHOICE, ("yes", "no")),
    "problems": ExprType(Kind.CHOICES, ("none", "housing", "work")),
    "arrival": DATE,
}


@FAST
@given(mutated())
def test_mutated_expression_raises_only_syntax_errors(text):
    tree = _parse_or_error(text)
    if tree is None:
        return
    # a mutation that still parses must also be checkable without crashing
    env = TypeEnv(lookup=MUTATION_TYPES.get, known_names=lambda: list(MUTATION_TYPES),
                  current=TEXT)
    infer(tree, env)
    for problem in env.problems:
        assert 0 <= problem.pos < len(text)


def test_mutation_corpus_is_valid():
    for source in VALID:
        assert _parse_or_error(source) is not None
