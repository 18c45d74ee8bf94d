"""The Python evaluator of the expression tree (the reference the browser evaluator must match).

Values: None is "empty" (unanswered, skipped or a missing-value code); numbers are int/float;
a single choice is its choice name; a multiple choice or ranking is a collection of names; dates
are `datetime.date`; consent and comparisons are bool. Empty never raises: arithmetic with empty
is empty, ordering comparisons with empty are false, and empty counts as false in and/or/not.
A result that cannot be represented (division by zero, a number out of range) is empty too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.expressions.syntax import (
    Binary,
    Call,
    Current,
    Literal,
    Negate,
    Node,
    Ref,
)

Value = Any


@dataclass(frozen=True)
class Context:
    answers: Mapping[str, Value]
    current: Value = None
    today: dt.date | None = None


def is_empty(value: Value) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, Collection) and not isinstance(value, str) and len(value) == 0


def truthy(value: Value) -> bool:
    return False if is_empty(value) else bool(value)


def _as_date(value: Value) -> Value:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _compare(op: str, left: Value, right: Value) -> bool:
    if is_empty(left) or is_empty(right):
        both_empty = is_empty(left) and is_empty(right)
        if op == "=":
            return both_empty
        if op == "!=":
            return not both_empty
        return False
    if isinstance(left, dt.date) or isinstance(right, dt.date):
        left, right = _as_date(left), _as_date(right)
    try:
        match op:
            case "=":
                return bool(left == right)
            case "!=":
                return bool(left != right)
            case "<":
                return bool(left < right)
            case "<=":
                return bool(left <= right)
            case ">":
                return bool(left > right)
            case ">=":
                return bool(left >= right)
    except TypeError:
        return False
    raise AssertionError(op)


def _arithmetic(op: str, left: Value, right: Value) -> Value:
    if is_empty(left) or is_empty(right):
        return None
    match op:
        case "+":
            return left + right
        case "-":
            return left - right
        case "*":
            return left * right
        case "div":
            return None if right == 0 else left / right
        case "mod":
            return None if right == 0 else math.fmod(left, right)
    raise AssertionError(op)


def _text(value: Value) -> str:
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Collection) and not isinstance(value, str):
        return " ".join(str(v) for v in value)
    return str(value)


def _round(x: Value, digits: Value = 0) -> Value:
    if is_empty(x) or is_empty(digits):
        return None
    places = int(digits)
    if places < 0:  # multiply by an exact step: 10 ** -5 is inexact and 50000 would give 99999
        step = 10 ** -places
        return int(math.copysign(math.floor(abs(x) / step + 0.5), x)) * step
    factor = 10 ** places
    result = math.copysign(math.floor(abs(x) * factor + 0.5), x) / factor
    return int(result) if places == 0 else result


def _selected(value: Value, name: Value) -> bool:
    if is_empty(value):
        return False
    if isinstance(value, str):
        return value == name
    return name in value


def _count(value: Value) -> int:
    if is_empty(value):
        return 0
    return 1 if isinstance(value, str) else len(value)


_PURE: dict[str, Callable[..., Value]] = {
    "not": lambda b: not truthy(b),
    "selected": _selected,
    "count-selected": _count,
    "coalesce": lambda a, b: b if is_empty(a) else a,
    "string-length": lambda t: len(_text(t)),
    "concat": lambda *parts: "".join(_text(p) for p in parts),
    "contains": lambda t, part: _text(part) in _text(t),
    "starts-with": lambda t, start: _text(t).startswith(_text(start)),
    "int": lambda x: None if is_empty(x) else int(x),
    "round": _round,
    "abs": lambda x: None if is_empty(x) else abs(x),
    "year": lambda d: None if is_empty(d) else _as_date(d).year,
    "month": lambda d: None if is_empty(d) else _as_date(d).month,
    "true": lambda: True,
    "false": lambda: False,
}


def evaluate(node: Node, context: Context) -> Value:
    """The value of the tree for one respondent's answers."""
    match node:
        case Literal(value=value):
            return value
        case Ref(name=name):
            value = context.answers.get(name)
            return None if is_empty(value) else value
        case Current():
            return None if is_empty(context.current) else context.current
        case Negate(operand=operand):
            value = evaluate(operand, context)
            return None if is_empty(value) else -value
        case Binary(op="and", left=left, right=right):
            return truthy(evaluate(left, context)) and truthy(evaluate(right, context))
        case Binary(op="or", left=left, right=right):
            return truthy(evaluate(left, context)) or truthy(evaluate(right, context))
        case Binary(op=op, left=left, right=right) if op in ("+", "-", "*", "div", "mod"):
            return _finite(_arithmetic, op, evaluate(left, context), evaluate(right, context))
        case Binary(op=op, left=left, right=right):
            return _compare(op, evaluate(left, context), evaluate(right, context))
        case Call(name="if", args=(condition, then, otherwise)):
            chosen = then if truthy(evaluate(condition, context)) else otherwise
            return evaluate(chosen, context)
        case Call(name="today"):
            return context.today or dt.date.today()
        case Call(name=name, args=args):
            return _finite(_PURE[name], *(evaluate(a, context) for a in args))
    raise TypeError(node)


def _finite(function: Callable[..., Value], *args: Value) -> Value:
    """The result, or empty when it has no finite value (overflow, infinity, division by 0)."""
    try:
        result = function(*args)
    except (OverflowError, ValueError, ZeroDivisionError, TypeError, AttributeError):
        return None  # TypeError/AttributeError: answers of the wrong kind from outside data
    if isinstance(result, float) and not math.isfinite(result):
        return None
    return result
