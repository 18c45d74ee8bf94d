"""Rules that no answer can make true (a question that would never be asked, a constraint no
answer passes) are reported; the check must never report a rule that some answer makes true."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.questionnaire.expressions.evaluate import Context, evaluate, truthy
from survey.questionnaire.expressions.parser import parse_expression
from survey.questionnaire.expressions.satisfiable import CURRENT, Domain, can_be_true
from survey.questionnaire.expressions.syntax import Node, Ref, walk
from survey.questionnaire.expressions.types import Kind

DOMAINS = {
    "age": Domain(Kind.NUMBER, 16, 99, integral=True),
    "children": Domain(Kind.NUMBER, 0, 15, integral=True),
    "hours": Domain(Kind.NUMBER, 0, 24, integral=False),
    "income": Domain(Kind.NUMBER),
    "q": Domain(Kind.CHOICE, choices=("yes", "no")),
    "status": Domain(Kind.CHOICE, choices=("asylum", "tolerated", "residence", "citizen")),
    "m": Domain(Kind.CHOICES, choices=("none", "housing", "work"), exclusive=("none",)),
    "needs": Domain(Kind.CHOICES, choices=("housing", "work", "language", "health")),
    "consent": Domain(Kind.BOOLEAN),
    "name": Domain(Kind.TEXT),
    "rating": Domain(Kind.NUMBER, 1, 5, integral=True),
    CURRENT: Domain(Kind.NUMBER, 0, 10, integral=True),
}


def decide(source: str, domains=DOMAINS) -> bool | None:
    return can_be_true(parse_expression(source), domains)


@pytest.mark.parametrize(
    "source",
    [
        # out of the question's range
        "${age} > 120",
        "${age} > 99",
        "${age} < 16",
        "${age} <= 15",
        "${age} = 150",
        "${age} = -1",
        "${age} = 30.5",  # an integer question never equals a fraction
        "${rating} >= 6",
        "${hours} > 24",
        "${hours} < 0",
        ". > 10",
        # contradictions on one question
        "${age} < 18 and ${age} > 60",
        "${age} >= 18 and ${age} < 18",
        "${age} > 30 and ${age} < 31",
        "not(${age} > 10) and ${age} > 20",
        "${q} = 'yes' and ${q} = 'no'",
        "${status} = 'asylum' and ${status} = 'citizen'",
        "selected(${q}, 'yes') and selected(${q}, 'no')",
        "${consent} and not(${consent})",
        "${name} = 'a' and ${name} = 'b'",
        # exclusive choices
        "selected(${m}, 'none') and selected(${m}, 'housing')",
        "selected(${m}, 'none') and count-selected(${m}) > 1",
        # more ticks than there are choices
        "count-selected(${m}) > 3",
        "count-selected(${m}) > 2",  # 'none' is exclusive: at most housing + work
        "count-selected(${needs}) > 4",
        "count-selected(${needs}) >= 5",
        "string-length(${name}) < 0",
        "string-length(${name}) > 3 and string-length(${name}) < 4",
        # one impossible part makes the whole 'and' impossible
        "${q} = 'yes' and ${age} > 120",
    ],
)
def test_never_true(source):
    assert decide(source) is False


@pytest.mark.parametrize(
    "source",
    [
        "${age} >= 18",
        "${age} >= 99",
        "${age} <= 16",
        "${age} = 16",
        "${age} > 17 and ${age} < 19",
        "${age} < 18 or ${age} > 60",
        "${age} != 30",
        "${age} = ''",  # unanswered
        "${age} != ''",
        "${children} = 0",
        "${children} > 0 and ${children} <= 15",
        "${hours} > 7 and ${hours} < 8",
        "${hours} = 7.25",
        "${hours} > 23.9",
        "${hours} >= 24",
        "${income} < -1000000",
        "${income} > 1000000",
        "${q} = 'yes'",
        "${q} = 'yes' or ${q} = 'no'",
        "${q} != 'yes' and ${q} != 'no'",  # unanswered
        "${q} = ''",
        "${status} != 'citizen'",
        "selected(${m}, 'housing') and selected(${m}, 'work')",
        "selected(${m}, 'none')",
        "not(selected(${m}, 'none'))",
        "count-selected(${m}) = 2",
        "count-selected(${m}) = 0",
        "count-selected(${needs}) = 4",
        "count-selected(${needs}) >= 2 and not(selected(${needs}, 'health'))",
        "${consent}",
        "not(${consent})",
        "${name} != 'a'",
        "${name} = 'Amira'",
        "string-length(${name}) > 3",
        "string-length(${name}) > 3 and string-length(${name}) < 5",
        ". >= 10",
        ". = 0",
        "${q} = 'yes' and ${age} > 20",
    ],
)
def test_can_be_true(source):
    assert decide(source) is True


@pytest.mark.parametrize(
    "source",
    [
        # two questions in one comparison
        "${age} > ${children}",
        "${age} = ${age}",
        # arithmetic on answers or on constants
        "${age} + 1 > 5",
        "${age} > 1 + 5",
        "${age} - ${children} < 14",
        "${age} * 2 > 300",
        # functions the check does not model
        "year(today()) - ${age} > 2000",
        "coalesce(${age}, 0) > 5",
        "if(${consent}, 1, 0) = 1",
        "round(${hours}) > 30",
        "contains(${name}, 'x')",
        "today() > '2020-01-01'",
        "${consent} = true()",
        # a question without a known domain (e.g. a calculation)
        "${calc} > 3",
        "${calc} > 3 and ${age} > 120",
    ],
)
def test_undecidable(source):
    assert decide(source) is None


def test_current_needs_a_domain():
    domains = {k: v for k, v in DOMAINS.items() if k != CURRENT}
    assert can_be_true(parse_expression(". > 10"), domains) is None


def test_unbounded_integral_domain():
    domains = {"x": Domain(Kind.NUMBER, integral=True)}
    assert can_be_true(parse_expression("${x} > 5 and ${x} < 7"), domains) is True
    assert can_be_true(parse_expression("${x} > 5 and ${x} < 6"), domains) is False


def test_long_choice_lists_still_find_single_choices():
    names = tuple(f"c{i}" for i in range(12))
    domains = {"m": Domain(Kind.CHOICES, choices=names)}
    assert can_be_true(parse_expression("selected(${m}, 'c11')"), domains) is True
    assert can_be_true(parse_expression("count-selected(${m}) = 12"), domains) is True
    assert can_be_true(parse_expression("count-selected(${m}) > 12"), domains) is False


def test_too_many_combinations_is_undecided():
    names = [f"n{i}" for i in range(6)]
    domains = {n: Domain(Kind.NUMBER, integral=False) for n in names}
    source = " and ".join(f"${{{n}}} != {i}" for i, n in enumerate(names))
    # each question has a dozen candidates and six questions are combined
    assert can_be_true(parse_expression(source), domains) is None


# --- satisfiable rules that a coarse check would call never true ------------------------

LONG_NEEDS = ("none", "housing", "work", "language", "health", "childcare", "legal",
              "money", "transport", "other")


@pytest.mark.parametrize(
    ("source", "domains"),
    [
        # a decimal question: 7.75 hours makes it true
        ("${hours} > 7.5 and ${hours} < 8", DOMAINS),
        ("${hours} > 1.2 and ${hours} < 1.4", DOMAINS),
        # an integer question compared with fractions: 18 makes it true
        ("${age} > 17.5 and ${age} < 18.5", DOMAINS),
    ],
    ids=["hours-7.5-to-8", "hours-1.2-to-1.4", "age-17.5-to-18.5"],
)
def test_narrow_interval_is_not_reported_as_never_true(source, domains):
    assert decide(source, domains) is not False


@pytest.mark.parametrize(
    ("source", "exclusive"),
    [
        # 'none' listed first and exclusive: {housing, work} makes it true
        ("selected(${needs}, 'housing') and selected(${needs}, 'work')", ("none",)),
        ("count-selected(${needs}) >= 2", ("none",)),
        # no exclusive choice: {work, language} makes it true
        ("selected(${needs}, 'work') and selected(${needs}, 'language') and "
         "not(selected(${needs}, 'none'))", ()),
    ],
    ids=["exclusive-first-two-ticks", "exclusive-first-count", "two-ticks-without-first"],
)
def test_long_choice_list_combinations_are_not_reported_as_never_true(source, exclusive):
    domains = {"needs": Domain(Kind.CHOICES, choices=LONG_NEEDS, exclusive=exclusive)}
    assert decide(source, domains) is not False


def test_text_between_two_constants_is_not_reported_as_never_true():
    # 'bb' makes it true
    assert decide("${name} > 'b' and ${name} < 'c'") is not False


# --- property: exact on integral ranges, choices and booleans ------------------------------------

SMALL = {
    "a": Domain(Kind.NUMBER, 0, 6, integral=True),
    "b": Domain(Kind.NUMBER, 2, 5, integral=True),
    "q": Domain(Kind.CHOICE, choices=("yes", "no", "dk")),
    "m": Domain(Kind.CHOICES, choices=("none", "x", "y", "z"), exclusive=("none",)),
    "c": Domain(Kind.BOOLEAN),
}


def _all_answers(name: str) -> list:
    domain = SMALL[name]
    match domain.kind:
        case Kind.NUMBER:
            return [None, *range(int(domain.low), int(domain.high) + 1)]
        case Kind.CHOICE:
            return [None, *domain.choices]
        case Kind.CHOICES:
            subsets = [frozenset(s) for r in range(1, len(domain.choices) + 1)
                       for s in itertools.combinations(domain.choices, r)]
            return [None, *(s for s in subsets
                            if not (s & set(domain.exclusive) and len(s) > 1))]
        case _:
            return [None, True, False]


OPS = st.sampled_from(["=", "!=", "<", "<=", ">", ">="])
atoms = st.one_of(
    st.builds(lambda n, op, k: f"${{{n}}} {op} {k}", st.sampled_from(["a", "b"]), OPS,
              st.integers(-2, 8)),
    st.builds(lambda op, k: f"count-selected(${{m}}) {op} {k}", OPS, st.integers(-1, 5)),
    st.builds(lambda name: f"selected(${{m}}, '{name}')", st.sampled_from(["none", "x", "y"])),
    st.builds(lambda op, name: f"${{q}} {op} '{name}'", st.sampled_from(["=", "!="]),
              st.sampled_from(["yes", "no", "dk", ""])),
    st.just("${c}"),
)
rules = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda x, y: f"({x}) and ({y})", inner, inner),
        st.builds(lambda x, y: f"({x}) or ({y})", inner, inner),
        st.builds(lambda x: f"not({x})", inner),
    ),
    max_leaves=5,
)


def _names(tree: Node) -> list[str]:
    return sorted({n.name for n in walk(tree) if isinstance(n, Ref)})


@settings(max_examples=200, deadline=None)
@given(rules)
def test_check_is_exact_for_one_question_against_constants(source):
    tree = parse_expression(source)
    names = _names(tree)
    truth = any(
        truthy(evaluate(tree, Context(dict(zip(names, combo, strict=True)))))
        for combo in itertools.product(*(_all_answers(n) for n in names))
    )
    assert can_be_true(tree, SMALL) is truth
