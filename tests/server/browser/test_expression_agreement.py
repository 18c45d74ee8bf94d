"""The browser's evaluator (expressions.js) gives what the Python evaluator gives, case for case.

The cases are not copied: every parametrised expression case of tests/expressions is read from
those tests' own parametrize marks, and hypothesis adds well-typed trees (built from the
strategies of tests/expressions/test_properties.py) with answer sets. Both evaluators get the same
tree (syntax.to_json) and the same answers; the browser gets them as the page would (JSON, dates
as dates, collections as arrays). Each batch is one page.evaluate call in headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import json
import math
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

from survey.questionnaire.expressions.evaluate import Context, evaluate
from survey.questionnaire.expressions.functions import FUNCTIONS
from survey.questionnaire.expressions.parser import ExpressionSyntaxError, parse_expression
from survey.questionnaire.expressions.syntax import COMPARISONS, Call, Node, to_json, walk
from survey.questionnaire.expressions.types import Kind

EXPRESSION_TESTS = Path(__file__).resolve().parents[2] / "expressions"
STATIC = Path(__file__).resolve().parents[3] / "survey" / "server" / "static"
TODAY = dt.date(2024, 5, 6)
"""The date today() gives in tests/expressions/test_evaluate.py."""
EXACT = 2**53
"""Python integers beyond this are exact; the browser's numbers are not (format reference 11.8)."""

RUN_IN_BROWSER = """([json, today]) => {
  const X = window.SurveyExpressions;
  const read = (v) => Array.isArray(v) ? v.map(read)
    : v !== null && typeof v === "object" ? ("$date" in v ? X.parseDate(v.$date)
      : "$number" in v ? Number(v.$number)
      : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, read(x)])))
    : v;
  const write = (v) => v instanceof X.Day ? {"$date": String(v)} : Array.isArray(v) ? v.map(write)
    : v;
  return JSON.parse(json).map(([tree, answers, current]) => {
    try {
      return write(X.evaluate(tree, {answers: read(answers), current: read(current),
                                     today: X.parseDate(today)}));
    } catch (error) {
      return {"$error": String(error)};
    }
  });
}"""


def _load(name: str) -> ModuleType:
    """A test module of tests/expressions, loaded apart so its tests are not collected twice."""
    path = EXPRESSION_TESTS / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"agreement_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def to_browser(value: Any) -> Any:
    """A value as the page receives it: JSON data, dates tagged, collections as arrays; NaN and
    infinity (which JSON cannot hold) tagged too."""
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        return {key: to_browser(item) for key, item in value.items()}
    if isinstance(value, Collection) and not isinstance(value, str):
        return [to_browser(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > EXACT:
        try:
            return float(value)
        except OverflowError:  # JSON.parse reads such a number as Infinity
            return {"$number": "Infinity" if value > 0 else "-Infinity"}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$number": str(value).replace("inf", "Infinity").replace("nan", "NaN")}
    return value


def shape(value: Any) -> Any:
    """A result with its kind, so that true is not 1 and 2 is 2.0 (as test_evaluate's same())."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, int | float):
        try:
            return ("number", float(value))
        except OverflowError:
            return ("number", math.inf if value > 0 else -math.inf)
    if isinstance(value, str):
        return ("text", value)
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if isinstance(value, Mapping) and "$date" in value:
        return ("date", value["$date"])
    if isinstance(value, Mapping):
        return ("unexpected", dict(value))
    return ("collection", [shape(item) for item in value])


Case = tuple[str, Node, dict[str, Any], Any]
"""(where it comes from, tree, answers, current)."""


def _parametrised(function: Callable[..., Any]) -> Iterator[dict[str, Any]]:
    """The argument sets pytest runs `function` with (stacked marks multiply)."""
    marks = [m for m in getattr(function, "pytestmark", []) if m.name == "parametrize"]
    if not marks:
        return
    grids = []
    for mark in marks:
        names = mark.args[0]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        rows = [getattr(row, "values", row) for row in mark.args[1]]
        rows = [row if len(names) > 1 else (row,) for row in rows]
        grids.append([dict(zip(names, row, strict=True)) for row in rows])
    for combination in itertools.product(*grids):
        yield {key: value for part in combination for key, value in part.items()}


def _context(module: str, params: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Answers and current value of a case; only test_evaluate's parameters are values (in
    test_types 'current' is a type), and its empty-value rules put `value` into ${x}."""
    if module != "test_evaluate":
        return {}, None
    answers = {"x": params["value"]} if "value" in params else params.get("answers") or {}
    return answers, params.get("current")


def collect_table_cases() -> list[Case]:
    """Every parametrised case with a `source` that parses and that Python evaluates."""
    cases: dict[tuple[str, str, str], Case] = {}
    for path in sorted(EXPRESSION_TESTS.glob("test_*.py")):
        module = _load(path.stem)
        for name in sorted(vars(module)):
            for params in _parametrised(getattr(module, name)) if name.startswith("test_") else ():
                if not isinstance(params.get("source"), str):
                    continue
                try:
                    tree = parse_expression(params["source"])
                except ExpressionSyntaxError:
                    continue
                answers, current = _context(path.stem, params)
                try:
                    evaluate(tree, Context(answers, current, TODAY))
                except KeyError:
                    continue  # unknown function, if() without 3 arguments: never served
                key = (params["source"], repr(answers), repr(current))
                cases.setdefault(key, (f"{path.stem}::{name}", tree, answers, current))
    return list(cases.values())


TABLE_CASES = collect_table_cases()


def run_in_browser(page: Page, cases: list[tuple[Node, dict[str, Any], Any]]) -> list[Any]:
    batch = [[to_json(tree), to_browser(answers), to_browser(current)]
             for tree, answers, current in cases]
    return page.evaluate(RUN_IN_BROWSER, [json.dumps(to_browser(batch)), TODAY.isoformat()])


def disagreement(tree: Node, answers: dict[str, Any], current: Any, browser: Any) -> str | None:
    python = evaluate(tree, Context(answers, current, TODAY))
    if shape(python) == shape(browser):
        return None
    return (f"{to_json(tree)} with answers {answers!r}, current {current!r}: "
            f"Python {python!r}, browser {browser!r}")


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    blank = context.new_page()
    blank.set_content("<!doctype html><title>expressions</title>")
    blank.add_script_tag(path=STATIC / "expressions.js")
    yield blank
    context.close()


@pytest.fixture(scope="module")
def table_results(page: Page) -> list[Any]:
    return run_in_browser(page, [(tree, answers, current) for _, tree, answers, current in
                                 TABLE_CASES])


def test_the_cases_of_the_expression_tests_are_collected():
    origins = {origin for origin, *_ in TABLE_CASES}
    # the evaluator's own tables carry answers; the others contribute their sources
    assert len(TABLE_CASES) > 400
    assert {"test_evaluate::test_empty_value_rules", "test_evaluate::test_functions",
            "test_evaluate::test_current_value", "test_types::test_well_typed_expressions",
            "test_satisfiable::test_can_be_true"} <= origins
    assert any(answers for _, _, answers, _ in TABLE_CASES)
    assert any(current is not None for *_, current in TABLE_CASES)


def test_the_cases_call_every_function_of_the_registry():
    called = {node.name for _, tree, *_ in TABLE_CASES for node in walk(tree)
              if isinstance(node, Call)}
    assert set(FUNCTIONS) <= called


@pytest.mark.parametrize("index", range(len(TABLE_CASES)),
                         ids=[f"{origin}-{i}" for i, (origin, *_) in enumerate(TABLE_CASES)])
def test_browser_agrees_on_the_expression_test_cases(index, table_results):
    _, tree, answers, current = TABLE_CASES[index]
    assert disagreement(tree, answers, current, table_results[index]) is None


# --- generated trees ----------------------------------------------------------------------------

PROPERTIES = _load("test_properties")
SMALL_NUMBERS = st.sampled_from(["0.00001", "0.0001", "0.00012", "123456789.125", "1000000"])
num_exprs = st.one_of(PROPERTIES.num_exprs(3),
                      st.builds(lambda a, b: f"({a} div {b})", SMALL_NUMBERS,
                                PROPERTIES.num_exprs(1)))
# numbers whose text differs between Python's str() and JavaScript's String()
odd_numbers = st.sampled_from(["0.00001", "(0.00012 * ${n1})", "(1 div 70000)", "-0.00005",
                               "(${n1} * 1000000000000)", "(1 div 3)"])
anything = st.one_of(num_exprs, odd_numbers, PROPERTIES.bool_exprs(1),
                     st.sampled_from(["${t}", "${d}", "${m}", "${q}", "${c}", "today()", "'a'",
                                      "''", "${n1}", "."]))
date_exprs = st.sampled_from(["${d}", "today()", "coalesce(${d}, today())",
                              "if(${c}, ${d}, today())"])
date_literals = st.sampled_from(["'2020-02-29'", "'2019-03-04'"])


def _text_exprs(depth: int) -> st.SearchStrategy[str]:
    # prefixes, and characters on both sides of the UTF-16 surrogates (code point order)
    leaves = st.sampled_from(["${t}", "${t}", "'x'", "''", "'a'", "'ab'", "'Straße'", "'😀'",
                              "'\uff21'", "'ءا'"])
    if depth == 0:
        return leaves
    sub = _text_exprs(depth - 1)
    return st.one_of(
        leaves,
        st.builds(lambda parts: f"concat({', '.join(parts)})", st.lists(anything, min_size=1,
                                                                         max_size=4)),
        st.builds(lambda c, a, b: f"if({c}, {a}, {b})", PROPERTIES.bool_exprs(1), sub, sub),
        st.builds(lambda a, b: f"coalesce({a}, {b})", sub, sub),
    )


text_exprs = _text_exprs(2)


def _text_comparison(left: str, op: str, right: str) -> str:
    if "''" in (left, right) and op not in ("=", "!="):
        op = "="  # '' may only be compared with = and !=
    return f"{left} {op} {right}"


bool_exprs = st.one_of(
    PROPERTIES.bool_exprs(3),
    st.builds(_text_comparison, text_exprs, st.sampled_from(COMPARISONS), text_exprs),
    st.builds(lambda a, op, b: f"{a} {op} {b}", date_exprs, st.sampled_from(COMPARISONS),
              date_exprs | date_literals),
    st.builds(lambda f, t, p: f"{f}({t}, {p})", st.sampled_from(["contains", "starts-with"]),
              text_exprs, text_exprs),
    st.builds(lambda c, op: f"if({c}, ${{q}}, 'no') {op} 'yes'", PROPERTIES.bool_exprs(1),
              st.sampled_from(["=", "!="])),
)
number_results = st.one_of(
    num_exprs,
    st.builds(lambda t: f"string-length({t})", text_exprs),
    st.builds(lambda f, d: f"{f}({d})", st.sampled_from(["year", "month"]), date_exprs),
)
typed_sources = st.one_of(
    number_results.map(lambda s: (s, Kind.NUMBER)),
    bool_exprs.map(lambda s: (s, Kind.BOOLEAN)),
    text_exprs.map(lambda s: (s, Kind.TEXT)),
)
generated_cases = st.deferred(  # deferred: the repr of the composed strategy is huge
    lambda: st.tuples(typed_sources, PROPERTIES.answer_sets, PROPERTIES.current_values))


def exact_in_doubles(tree: Node, context: Context) -> bool:
    """No part of the tree gives a Python integer that a double cannot hold exactly."""
    for node in walk(tree):
        value = evaluate(node, context)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > EXACT:
            return False
    return True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(generated_cases, min_size=20, max_size=20))
def test_browser_agrees_on_generated_trees_and_answers(page, drawn):
    cases = []
    for (source, kind), answers, current in drawn:
        tree = PROPERTIES._well_typed(source, kind)
        if exact_in_doubles(tree, Context(answers, current, TODAY)):
            cases.append((tree, answers, current))
    assert_agreement(page, cases)


def assert_agreement(page: Page, cases: list[tuple[Node, dict[str, Any], Any]]) -> None:
    results = run_in_browser(page, cases)
    problems = [disagreement(*case, result) for case, result in zip(cases, results, strict=True)]
    assert [p for p in problems if p] == []


# --- single operations on dense values ----------------------------------------------------------
# Composed trees rarely meet the values where Python and JavaScript differ (number text below
# 0.0001, code point order beyond U+FFFF, ISO week dates); single operations on many values do.

finite = st.floats(allow_nan=False, allow_infinity=False)
numbers = finite | st.integers(-EXACT, EXACT) | st.integers(-10**6, 10**6).map(lambda n: n / 1000)
texts = st.text(alphabet="ab😀\uff21\ue000ء ", max_size=3) | st.text(max_size=6)
names = st.lists(st.sampled_from(["a", "b", "ab", "😀"]), max_size=3)


def _dates_as_text(day: dt.date) -> st.SearchStrategy[str]:
    year, week, weekday = day.isocalendar()
    return st.sampled_from([day.isoformat(), f"{year:04d}-W{week:02d}-{weekday}",
                            day.isoformat()[:9] + "x", f"{year:04d}-W53-{weekday}"])


date_texts = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).flatmap(_dates_as_text)
OPERATIONS = [
    (["concat(${a})", "concat(${a} div ${b})", "round(${a})", "int(${a})", "abs(${a})", "-${a}",
      "${a} mod ${b}", "${a} div ${b}", "${a} * ${b}", "${a} + ${b}", "${a} - ${b}",
      "${a} < ${b}", "${a} = ${b}", "string-length(concat(${a}))", "concat(round(${a}, 2))"],
     numbers, numbers),
    (["round(${a}, ${b})", "concat(round(${a}, ${b}))"], numbers, st.integers(-8, 12)),
    (["${a} < ${b}", "${a} <= ${b}", "${a} > ${b}", "${a} = ${b}", "contains(${a}, ${b})",
      "starts-with(${a}, ${b})", "string-length(${a})", "concat(${a}, ${b})", "int(${a})"],
     texts, texts),
    (["${a} = ${b}", "${a} < ${b}", "${a} >= ${b}", "year(${b})", "month(${b})", "concat(${a})"],
     st.dates(), date_texts | texts),
    (["selected(${a}, 'a')", "count-selected(${a})", "concat(${a})", "${a} = ${b}",
      "${a} < ${b}", "selected(${b}, 'ab')"], names, names | texts),
]
operation_cases = st.one_of(*(
    st.tuples(st.sampled_from(sources), a, b) for sources, a, b in OPERATIONS))


@settings(max_examples=40, deadline=None)
@given(st.lists(operation_cases, min_size=100, max_size=100))
def test_browser_agrees_on_single_operations(page, drawn):
    cases = []
    for source, a, b in drawn:
        tree = parse_expression(source)
        if exact_in_doubles(tree, Context({"a": a, "b": b}, None, TODAY)):
            cases.append((tree, {"a": a, "b": b}, None))
    assert_agreement(page, cases)
