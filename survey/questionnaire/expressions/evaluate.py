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
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from survey.questionnaire.expressions.functions import FUNCTIONS, value_rule
from survey.questionnaire.expressions.syntax import (
    Binary,
    Call,
    Current,
    Literal,
    Negate,
    Node,
    Ref,
)
from survey.questionnaire.expressions.values import Value, as_date, is_empty, truthy

__all__ = ["Context", "Value", "arithmetic", "compare", "evaluate", "finite", "is_empty",
           "truthy"]


@dataclass(frozen=True)
class Context:
    answers: Mapping[str, Value]
    current: Value = None
    today: dt.date | None = None


def compare(op: str, left: Value, right: Value) -> bool:
    if is_empty(left) or is_empty(right):
        both_empty = is_empty(left) and is_empty(right)
        if op == "=":
            return both_empty
        if op == "!=":
            return not both_empty
        return False
    if isinstance(left, dt.date) or isinstance(right, dt.date):
        left, right = as_date(left), as_date(right)
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


def arithmetic(op: str, left: Value, right: Value) -> Value:
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


def evaluate(node: Node, context: Context) -> Value:
    """The value of the tree for one respondent's answers."""
    match node:
        case Literal(value=value):
            return value
        case Ref(name=name):
            answer = context.answers.get(name)
            return None if is_empty(answer) else answer
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
            return finite(arithmetic, op, evaluate(left, context), evaluate(right, context))
        case Binary(op=op, left=left, right=right):
            return compare(op, evaluate(left, context), evaluate(right, context))
        case Call(name="if", args=(condition, then, otherwise)):
            chosen = then if truthy(evaluate(condition, context)) else otherwise
            return evaluate(chosen, context)
        case Call(name="today"):
            return FUNCTIONS["today"].row(context.today)
        case Call(name=name, args=args):
            return finite(value_rule(name), *(evaluate(a, context) for a in args))
    raise TypeError(node)


def finite(function: Callable[..., Value], *args: Value) -> Value:
    """The result, or empty when it has no finite value (overflow, infinity, division by 0)."""
    try:
        result = function(*args)
    except (OverflowError, ValueError, ZeroDivisionError, TypeError, AttributeError):
        return None  # TypeError/AttributeError: answers of the wrong kind from outside data
    if isinstance(result, float) and not math.isfinite(result):
        return None
    return result
