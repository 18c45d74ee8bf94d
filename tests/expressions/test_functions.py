"""The registry of expression functions is complete, and the browser's evaluator knows exactly
its functions (tests/server/browser/test_expression_agreement.py proves they agree on values)."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import pytest

from survey.questionnaire.expressions.functions import (
    FUNCTIONS,
    Arg,
    Function,
    Param,
    Satisfiability,
    value_rule,
)
from survey.questionnaire.expressions.value_types import ExprType, Kind

EXPRESSIONS_JS = (Path(__file__).resolve().parents[2] / "survey" / "server" / "static"
                  / "expressions.js")


def _arities(function: Function) -> range:
    high = function.max_args if function.max_args is not None else function.min_args + 3
    return range(function.min_args, high + 1)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_has_all_its_parts(name):
    function = FUNCTIONS[name]
    assert function.name == name
    assert function.summary.startswith(f"{name}(") and "): " in function.summary
    assert all(isinstance(p, Param) and isinstance(p.needs, Kind | Arg) for p in function.params)
    assert isinstance(function.result, ExprType) or function.result is Arg.SAME
    same = sum(p.needs is Arg.SAME for p in function.params)
    assert same == (2 if function.result is Arg.SAME else 0)
    assert isinstance(function.satisfiability, Satisfiability)
    assert 0 <= function.optional <= len(function.params)
    assert (Param(Arg.CHOICE_NAME) in function.params) <= (Param(Arg.QUESTION) in function.params)
    assert callable(function.row)
    if function.from_values:
        assert value_rule(name) is function.row
        for count in _arities(function):
            inspect.signature(function.row).bind(*[None] * count)
    else:
        with pytest.raises(KeyError):
            value_rule(name)


def test_if_and_today_are_the_functions_the_evaluators_treat_themselves():
    assert {n for n, f in FUNCTIONS.items() if not f.from_values} == {"if", "today"}
    assert FUNCTIONS["if"].row(True, "a", "b") == "a"
    assert FUNCTIONS["if"].row(None, "a", "b") == "b"
    assert FUNCTIONS["today"].row(dt.date(2024, 5, 6)) == dt.date(2024, 5, 6)
    assert FUNCTIONS["today"].row(None) == dt.date.today()


def _browser_functions(source: str) -> set[str]:
    """The functions expressions.js evaluates: the keys of its FUNCTIONS table and the ones its
    evaluate() treats by name."""
    table = re.search(r"const FUNCTIONS = \{(.*?)\n  \};", source, re.S)
    assert table is not None, "expressions.js has no FUNCTIONS table"
    keys = set(re.findall(r'^ {4}"([a-z-]+)":', table.group(1), re.M))
    treated = set(re.findall(r'if \(node\.fn === "([a-z-]+)"\)', source))
    return keys | treated


def test_the_browser_evaluates_exactly_the_functions_of_the_registry():
    assert _browser_functions(EXPRESSIONS_JS.read_text(encoding="utf-8")) == set(FUNCTIONS)
