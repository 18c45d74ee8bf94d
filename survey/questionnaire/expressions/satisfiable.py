"""Find skip rules and constraints that no answer can make true.

The check evaluates the expression with the real evaluator on a small set of critical values per
referenced question: the empty answer, the bounds of its range, each constant it is compared
with, a point between each pair of neighbouring constants and one beyond each end, every choice,
and every combination of the ticks the rule names (topped up with other ticks to reach each
count). For comparisons of one question with constants this set decides satisfiability exactly;
expressions outside that shape (two questions in one comparison, arithmetic on answers,
alphabetical order of text) are not judged, so the check never cries wolf.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.expressions.evaluate import Context, evaluate, truthy
from survey.questionnaire.expressions.functions import FUNCTIONS, Satisfiability
from survey.questionnaire.expressions.syntax import (
    ARITHMETIC,
    COMPARISONS,
    Binary,
    Call,
    Current,
    Literal,
    Negate,
    Node,
    Ref,
    walk,
)
from survey.questionnaire.expressions.value_types import Kind

MAX_COMBINATIONS = 20_000
MAX_SUBSET_CHOICES = 10
CURRENT = "."


@dataclass(frozen=True)
class Domain:
    """The answers a question can take, as far as the check needs to know."""

    kind: Kind
    low: float | None = None
    high: float | None = None
    integral: bool = False
    choices: tuple[str, ...] = ()
    exclusive: tuple[str, ...] = ()


def _rule(node: Node) -> Satisfiability | None:
    """How the check treats a call (None: not a call, or of no function of the language)."""
    function = FUNCTIONS.get(node.name) if isinstance(node, Call) else None
    return function.satisfiability if function is not None else None


_MEASURES = (Satisfiability.COUNT, Satisfiability.LENGTH)


def _subject(node: Node) -> str | None:
    match node:
        case Ref(name=name):
            return name
        case Current():
            return CURRENT
        case Call(args=(Ref(name=name),)) if _rule(node) in _MEASURES:
            return name
        case Call(args=(Current(),)) if _rule(node) in _MEASURES:
            return CURRENT
    return None


def _constant(node: Node) -> bool:
    return all(isinstance(n, Literal | Negate | Binary) and not (
        isinstance(n, Binary) and n.op not in ARITHMETIC) for n in walk(node))


def _decidable(tree: Node) -> bool:
    """True when every comparison sets one question (or its count) against constants."""
    for node in walk(tree):
        if isinstance(node, Binary) and node.op in COMPARISONS:
            sides = (node.left, node.right)
            if not any(_subject(s) and _constant(o) for s, o in (sides, sides[::-1])):
                return False
        if isinstance(node, Binary) and node.op in ARITHMETIC:
            return False
        if _rule(node) is Satisfiability.UNDECIDED:
            return False
    return True


def _constants(tree: Node) -> list[Any]:
    values: list[Any] = []
    for node in walk(tree):
        if isinstance(node, Literal):
            values.append(node.value)
        elif isinstance(node, Negate) and isinstance(node.operand, Literal):
            values.append(-node.operand.value)  # type: ignore[operator]
    return values


def _numbers(domain: Domain, constants: list[Any]) -> list[Any]:
    """Every constant and bound, a point between each neighbouring pair, one beyond each end.

    A comparison of one number with constants is true on a union of intervals whose ends are
    those constants, so one point from each interval and each end decides it exactly.
    """
    step = 1 if domain.integral else 0.5
    points = sorted({float(v) for v in constants
                     if isinstance(v, int | float) and not isinstance(v, bool)}
                    | {p for p in (domain.low, domain.high) if p is not None} or {0.0})
    candidates = set(points) | {points[0] - step, points[-1] + step}
    candidates |= {(a + b) / 2 for a, b in itertools.pairwise(points)}
    if domain.integral:
        candidates = {math.floor(c) for c in candidates} | {math.ceil(c) for c in candidates}
    low = domain.low if domain.low is not None else -math.inf
    high = domain.high if domain.high is not None else math.inf
    return [c for c in sorted(candidates) if low <= c <= high]


def _ticks(domain: Domain, constants: list[Any]) -> list[frozenset[str]] | None:
    """Combinations of ticks: every mix of the choices the rule names, topped up with unnamed
    ones to reach every count; None when the rule names too many choices to try them all."""
    named = [n for n in domain.choices if n in constants]
    if len(named) > MAX_SUBSET_CHOICES:
        return None
    exclusive = set(domain.exclusive)
    fillers = [n for n in domain.choices if n not in named and n not in exclusive]
    combinations: set[frozenset[str]] = {frozenset([n]) for n in domain.choices
                                         if n in exclusive and n not in named}
    for size in range(len(named) + 1):
        for chosen in itertools.combinations(named, size):
            for extra in range(len(fillers) + 1):
                combinations.add(frozenset((*chosen, *fillers[:extra])))
    return [c for c in combinations if c and not (c & exclusive and len(c) > 1)]


def _candidates(domain: Domain, constants: list[Any], counted: bool) -> list[Any] | None:
    values: list[Any] = [None]
    match domain.kind:
        case Kind.NUMBER:
            values += _numbers(domain, constants)
        case Kind.BOOLEAN:
            values += [True, False]
        case Kind.CHOICE:
            values += list(domain.choices)
        case Kind.CHOICES:
            ticks = _ticks(domain, constants)
            if ticks is None:
                return None
            values += ticks
        case _:
            values += [v for v in constants if isinstance(v, str)] + ["~other~"]
            if counted:
                lengths = _numbers(Domain(Kind.NUMBER, 0, None, True), constants)
                values += ["x" * int(n) for n in lengths]
    return values


def _orders_text(tree: Node, domains: Mapping[str, Domain]) -> bool:
    """Whether the rule puts a text answer in alphabetical order (not decided here)."""
    for node in walk(tree):
        if isinstance(node, Binary) and node.op in ("<", "<=", ">", ">="):
            for side in (node.left, node.right):
                name = _subject(side)
                is_count = isinstance(side, Call)
                if name and not is_count and domains.get(name, Domain(Kind.TEXT)).kind in (
                        Kind.TEXT, Kind.DATE):
                    return True
    return False


def can_be_true(tree: Node, domains: Mapping[str, Domain]) -> bool | None:
    """False when no answers make `tree` true; None when the check cannot decide."""
    if not _decidable(tree):
        return None
    names = sorted({s for n in walk(tree) if (s := _subject(n))})
    if any(name not in domains for name in names):
        return None
    if _orders_text(tree, domains):
        return None
    constants = _constants(tree)
    counted = any(_rule(n) is Satisfiability.LENGTH for n in walk(tree))
    found = [_candidates(domains[name], constants, counted) for name in names]
    pools = [p for p in found if p is not None]
    if len(pools) < len(found) or math.prod(len(p) for p in pools) > MAX_COMBINATIONS:
        return None
    for combination in itertools.product(*pools):
        answers = dict(zip(names, combination, strict=True))
        context = Context(answers, current=answers.get(CURRENT))
        if truthy(evaluate(tree, context)):
            return True
    return False
