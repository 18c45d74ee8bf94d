"""Find skip rules and constraints that no answer can make true.

The check evaluates the expression with the real evaluator on a small set of critical values per
referenced question: the empty answer, the bounds of its range, each constant it is compared
with and its neighbours, every choice (and, for short multiple-choice lists, every allowed
combination). For comparisons of one question with constants this set decides satisfiability
exactly; expressions outside that shape (two questions in one comparison, arithmetic on answers)
are not judged, so the check never cries wolf.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.expressions.evaluate import Context, evaluate, truthy
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
from survey.questionnaire.expressions.types import Kind

MAX_COMBINATIONS = 20_000
MAX_SUBSET_CHOICES = 8
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


def _subject(node: Node) -> str | None:
    match node:
        case Ref(name=name):
            return name
        case Current():
            return CURRENT
        case Call(name="count-selected" | "string-length", args=(Ref(name=name),)):
            return name
        case Call(name="count-selected" | "string-length", args=(Current(),)):
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
        if isinstance(node, Call) and node.name in ("today", "year", "month", "if", "coalesce",
                                                    "concat", "contains", "starts-with",
                                                    "int", "round", "abs"):
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
    step = 1 if domain.integral else 0.5
    points: set[float] = set()
    for value in constants:
        if isinstance(value, int | float) and not isinstance(value, bool):
            points.update((value - step, value, value + step))
    low = domain.low if domain.low is not None else -math.inf
    high = domain.high if domain.high is not None else math.inf
    points.update(p for p in (domain.low, domain.high) if p is not None)
    if not points:
        points.add(0)
    return [p for p in sorted(points) if low <= p <= high and (
        not domain.integral or float(p).is_integer())]


def _candidates(domain: Domain, constants: list[Any], counted: bool) -> list[Any]:
    values: list[Any] = [None]
    match domain.kind:
        case Kind.NUMBER:
            values += _numbers(domain, constants)
        case Kind.BOOLEAN:
            values += [True, False]
        case Kind.CHOICE:
            values += list(domain.choices)
        case Kind.CHOICES:
            names = list(domain.choices)
            if len(names) <= MAX_SUBSET_CHOICES:
                subsets = (set(c) for r in range(1, len(names) + 1)
                           for c in itertools.combinations(names, r))
            else:
                subsets = iter([{n} for n in names] + [set(names[:k]) for k in
                                                       range(2, len(names) + 1)])
            exclusive = set(domain.exclusive)
            values += [frozenset(s) for s in subsets if not (s & exclusive and len(s) > 1)]
        case _:
            text = [v for v in constants if isinstance(v, str)]
            values += [*text, "~other~"]
            if counted:
                values += ["x" * int(n) for n in _numbers(Domain(Kind.NUMBER, 0, None, True),
                                                           constants) if n >= 0]
    return values


def can_be_true(tree: Node, domains: Mapping[str, Domain]) -> bool | None:
    """False when no answers make `tree` true; None when the check cannot decide."""
    if not _decidable(tree):
        return None
    names = sorted({s for n in walk(tree) if (s := _subject(n))})
    if any(name not in domains for name in names):
        return None
    constants = _constants(tree)
    counted = any(isinstance(n, Call) and n.name == "string-length" for n in walk(tree))
    pools = [_candidates(domains[name], constants, counted) for name in names]
    if math.prod(len(p) for p in pools) > MAX_COMBINATIONS:
        return None
    for combination in itertools.product(*pools):
        answers = dict(zip(names, combination, strict=True))
        context = Context(answers, current=answers.get(CURRENT))
        if truthy(evaluate(tree, context)):
            return True
    return False
