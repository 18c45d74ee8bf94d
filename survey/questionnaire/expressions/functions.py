"""Every function of the expression language, declared once: its arguments and result (read by
the type checker), its rule (applied by the row and the column evaluator) and how the check for
rules that can never be true treats it (satisfiable.py).

The browser evaluates the same functions in survey/server/static/expressions.js; the tests in
tests/expressions/test_functions.py hold its list of functions to this registry.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from survey.questionnaire.expressions.value_types import BOOLEAN, DATE, NUMBER, TEXT, ExprType, Kind
from survey.questionnaire.expressions.values import Value, as_date, as_text, is_empty, truthy


class Arg(StrEnum):
    """What an argument must be, where a value type does not say it."""

    ANY = "any"
    QUESTION = "question"
    """A choice question, named by ${q} or '.' (the first argument)."""
    CHOICE_NAME = "choice name"
    """A choice of the QUESTION argument, in quotes."""
    SAME = "same"
    """The SAME arguments have one type, which is also the result's."""


@dataclass(frozen=True)
class Param:
    needs: Kind | Arg
    called: str = ""
    """How messages name the argument ('the condition of if()'); '' names the function."""


class Satisfiability(StrEnum):
    """How satisfiable.py treats a rule that uses the function."""

    DECIDED = "decided"
    """Its values on the critical values of its arguments decide the rule."""
    COUNT = "count"
    """f(${q}) counts q's ticks: compared with constants like an answer of q is."""
    LENGTH = "length"
    """f(${q}) is the length of q's text: also compared like an answer, and q is tried at
    every compared length."""
    UNDECIDED = "undecided"
    """Rules that use it are not judged."""


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple[Param, ...]
    result: ExprType | Arg
    """Arg.SAME: the type the SAME arguments share."""
    summary: str
    """How to call it, shown when it is called wrongly."""
    row: Callable[..., Value]
    """The value from its arguments' values (today(): from the day the evaluation is for)."""
    satisfiability: Satisfiability
    optional: int = 0
    """How many of the last params may be left out."""
    repeats: bool = False
    """The last param may be given any number of times."""
    from_values: bool = True
    """False for if() and today(), which the evaluators treat themselves: if() evaluates only
    the branch it takes, today() reads the day the evaluation is for."""

    @property
    def min_args(self) -> int:
        return len(self.params) - self.optional

    @property
    def max_args(self) -> int | None:
        return None if self.repeats else len(self.params)

    def param(self, position: int) -> Param:
        return self.params[min(position, len(self.params) - 1)]


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
        return bool(value == name)
    return name in value


def _count(value: Value) -> int:
    if is_empty(value):
        return 0
    return 1 if isinstance(value, str) else len(value)


def _choose(condition: Value, then: Value, otherwise: Value) -> Value:
    return then if truthy(condition) else otherwise


def _today(day: dt.date | None) -> dt.date:
    return day or dt.date.today()


def _unless_empty(function: Callable[[Value], Value]) -> Callable[[Value], Value]:
    """`function` of a value that is not empty; empty stays empty."""
    return lambda x: None if is_empty(x) else function(x)


_BOOLEAN, _NUMBER, _TEXT, _DATE = (Param(Kind.BOOLEAN), Param(Kind.NUMBER), Param(Kind.TEXT),
                                   Param(Kind.DATE))
_SAME = Param(Arg.SAME)
_DECIDED, _UNDECIDED = Satisfiability.DECIDED, Satisfiability.UNDECIDED

_DECLARED = (
    Function("not", (_BOOLEAN,), BOOLEAN, "not(b): true when b is false or empty",
             lambda b: not truthy(b), _DECIDED),
    Function("selected", (Param(Arg.QUESTION), Param(Arg.CHOICE_NAME)), BOOLEAN,
             "selected(${q}, 'name'): the choice 'name' is ticked in q", _selected, _DECIDED),
    Function("count-selected", (Param(Arg.QUESTION),), NUMBER,
             "count-selected(${q}): how many choices are ticked", _count, Satisfiability.COUNT),
    Function("if", (Param(Kind.BOOLEAN, "the condition of if()"), _SAME, _SAME), Arg.SAME,
             "if(condition, a, b): a when condition is true, else b", _choose, _UNDECIDED,
             from_values=False),
    Function("coalesce", (_SAME, _SAME), Arg.SAME, "coalesce(a, b): a unless it is empty, else b",
             lambda a, b: b if is_empty(a) else a, _UNDECIDED),
    Function("string-length", (_TEXT,), NUMBER, "string-length(t): number of characters of t",
             lambda t: len(as_text(t)), Satisfiability.LENGTH),
    Function("concat", (Param(Arg.ANY),), TEXT, "concat(a, b, ...): the values joined as text",
             lambda *parts: "".join(as_text(p) for p in parts), _UNDECIDED, repeats=True),
    Function("contains", (_TEXT, _TEXT), BOOLEAN, "contains(t, part): t contains part",
             lambda t, part: as_text(part) in as_text(t), _UNDECIDED),
    Function("starts-with", (_TEXT, _TEXT), BOOLEAN, "starts-with(t, start): t begins with start",
             lambda t, start: as_text(t).startswith(as_text(start)), _UNDECIDED),
    Function("int", (_NUMBER,), NUMBER, "int(x): x with its fraction cut off (toward zero)",
             _unless_empty(int), _UNDECIDED),
    Function("round", (_NUMBER, _NUMBER), NUMBER,
             "round(x, digits): x rounded, halves away from zero", _round, _UNDECIDED, optional=1),
    Function("abs", (_NUMBER,), NUMBER, "abs(x): x without its sign", _unless_empty(abs),
             _UNDECIDED),
    Function("today", (), DATE, "today(): the current date", _today, _UNDECIDED,
             from_values=False),
    Function("year", (_DATE,), NUMBER, "year(d): the year of date d",
             _unless_empty(lambda d: as_date(d).year), _UNDECIDED),
    Function("month", (_DATE,), NUMBER, "month(d): the month (1-12) of date d",
             _unless_empty(lambda d: as_date(d).month), _UNDECIDED),
    Function("true", (), BOOLEAN, "true(): the value true", lambda: True, _DECIDED),
    Function("false", (), BOOLEAN, "false(): the value false", lambda: False, _DECIDED),
)

FUNCTIONS: dict[str, Function] = {function.name: function for function in _DECLARED}


def value_rule(name: str) -> Callable[..., Value]:
    """The rule of a function the evaluators apply to its arguments' values.

    KeyError for a name that is no function, and for if() and today() (evaluated apart): a tree
    the type checker refuses, such as if() with two arguments, has no value.
    """
    function = FUNCTIONS[name]
    if not function.from_values:
        raise KeyError(name)
    return function.row
