"""The expression evaluator over whole columns of respondents at once (ingest of large files).

A column is a `Factor`: one code per row and one value per code. Each node of the tree works on
the distinct combinations of its children's codes and applies the row evaluator's own rules
(the operators of `evaluate.py`, the functions of `functions.py`) once per combination. A rule
over 100,000 respondents whose answers take five values costs five evaluations, and the
semantics (empty values, `.`, results that have no finite value) are the row evaluator's by
construction, for every function of the language.

`and`, `or` and `if` pass on which rows really evaluate a branch, so that a calculation is worked
out for exactly the rows the row evaluator would work it out for (see `Columns.lookup`), and an
error is blamed only on rows that would meet it: those rows are marked `undecided`, for the
caller to evaluate one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from survey.questionnaire.expressions.evaluate import arithmetic, compare, finite
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
from survey.questionnaire.expressions.values import is_empty, truthy


@dataclass(frozen=True)
class Factor:
    """Per-row values as codes into a list of distinct values."""

    codes: np.ndarray
    values: list[Any]

    @classmethod
    def constant(cls, value: Any, rows: int) -> Factor:
        return cls(np.zeros(rows, np.intp), [value])

    @property
    def rows(self) -> int:
        return len(self.codes)

    def per_value(self, function: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
        """`function` of every row's value, computed once per distinct value."""
        result: np.ndarray = _array([function(v) for v in self.values], dtype)[self.codes]
        return result

    def truth(self) -> np.ndarray:
        return self.per_value(truthy, bool)

    def row_values(self) -> list[Any]:
        values: list[Any] = _array(self.values)[self.codes].tolist()
        return values


def _array(values: list[Any], dtype: Any = object) -> np.ndarray:
    """An array of exactly these values (numpy would turn a list of lists into a 2-d array)."""
    if dtype is not object:
        return np.array(values, dtype)
    table = np.empty(len(values), object)
    for i, value in enumerate(values):
        table[i] = value
    return table


def _key(value: Any) -> Any:
    """Equal keys for values that are the same answer: 1, 1.0 and True differ, and so do 0.0
    and -0.0, which Python's == would merge."""
    kind = value.__class__
    return (kind, value.hex() if kind is float else value)


def factorize(cells: Sequence[Any]) -> Factor:
    """Distinct cells by type and value: 1, 1.0, True and "1" stay apart, and so do 0.0 and -0.0.

    Unhashable cells (lists and objects from JSON lines) each get their own code.
    """
    index: dict[Any, int] = {}
    values: list[Any] = []
    codes = np.empty(len(cells), np.intp)
    try:
        for row, cell in enumerate(cells):
            key = _key(cell)
            code = index.get(key)
            if code is None:
                code = index[key] = len(values)
                values.append(cell)
            codes[row] = code
    except TypeError:
        return Factor(np.arange(len(cells), dtype=np.intp), list(cells))
    return Factor(codes, values)


def factorize_texts(cells: Sequence[str]) -> Factor:
    """`factorize` for cells that are all text (a CSV file), hashed in C by pandas: text equals
    text only when it is the same text, so the shortcut is exact."""
    codes, values = pd.factorize(np.array(cells, dtype=object))
    return Factor(codes.astype(np.intp, copy=False), values.tolist())


def combine(factors: Sequence[Factor]) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """Codes of the distinct combinations of several factors, and each combination's codes
    (one factor: its own codes, one combination per value)."""
    if len(factors) == 1:
        return factors[0].codes, [(c,) for c in range(len(factors[0].values))]
    key = factors[0].codes
    size = len(factors[0].values)
    for factor in factors[1:]:
        if size * len(factor.values) >= 1 << 62:  # keep the mixed-radix key from overflowing
            distinct, key = np.unique(key, return_inverse=True)
            size = len(distinct)
        key = key * len(factor.values) + factor.codes
        size *= len(factor.values)
    _, first, key = np.unique(key, return_index=True, return_inverse=True)
    members = [factor.codes[first].tolist() for factor in factors]
    return key.reshape(-1), list(zip(*members, strict=True))


def apply(function: Callable[..., Any], factors: Sequence[Factor],
          failed: Callable[[np.ndarray], None] | None = None) -> Factor:
    """`function` of each row's values, computed once per distinct combination.

    A combination where `function` raises gets the value None; `failed` learns its rows.
    """
    codes, combos = combine(factors)
    values, broken = [], []
    for number, combo in enumerate(combos):
        try:
            values.append(function(*(f.values[c] for f, c in zip(factors, combo, strict=True))))
        except Exception:
            values.append(None)
            broken.append(number)
    if broken and failed is not None:
        failed(np.isin(codes, broken))
    return _compact(Factor(codes, values))


def _compact(factor: Factor) -> Factor:
    """Merge equal results (typically True and False) so later combinations stay few."""
    index: dict[Any, int] = {}
    values: list[Any] = []
    remap = np.empty(len(factor.values), np.intp)
    for code, value in enumerate(factor.values):
        try:
            key = _key(value)
            hash(key)
        except TypeError:
            key = (id(value),)
        found = index.get(key)
        if found is None:
            found = index[key] = len(values)
            values.append(value)
        remap[code] = found
    if len(values) == len(factor.values):
        return factor
    return Factor(remap[factor.codes], values)


def where(mask: np.ndarray, chosen: Factor, other: Factor) -> Factor:
    """`chosen` on the rows of `mask`, `other` elsewhere."""
    return Factor(np.where(mask, chosen.codes + len(other.values), other.codes),
                  other.values + chosen.values)


@dataclass
class Columns:
    """What an expression sees: the answers of many respondents, and their days."""

    lookup: Callable[[str, np.ndarray], Factor]
    """The value of `${name}` on every row; `mask` are the rows that really evaluate it."""
    today: Factor
    current: Factor | None = None
    undecided: np.ndarray | None = None
    """Rows where evaluating failed: the row evaluator must decide them."""

    def fail(self, mask: np.ndarray) -> Callable[[np.ndarray], None]:
        def mark(rows: np.ndarray) -> None:
            assert self.undecided is not None
            self.undecided |= rows & mask
        return mark


def _present(value: Any) -> Any:
    return None if is_empty(value) else value


def evaluate_columns(node: Node, columns: Columns, mask: np.ndarray) -> Factor:
    """The value of the tree on every row; rows outside `mask` get values nobody uses."""
    rows = len(mask)
    failed = columns.fail(mask)
    match node:
        case Literal(value=value):
            return Factor.constant(value, rows)
        case Ref(name=name):
            return apply(_present, [columns.lookup(name, mask)])
        case Current():
            current = columns.current or Factor.constant(None, rows)
            return apply(_present, [current])
        case Negate(operand=operand):
            return apply(lambda v: None if is_empty(v) else -v,
                         [evaluate_columns(operand, columns, mask)], failed)
        case Binary(op="and" | "or" as op, left=left, right=right):
            first = evaluate_columns(left, columns, mask)
            holds = first.truth()
            second = evaluate_columns(right, columns, mask & (holds if op == "and" else ~holds))
            if op == "and":
                return apply(lambda a, b: truthy(a) and truthy(b), [first, second], failed)
            return apply(lambda a, b: truthy(a) or truthy(b), [first, second], failed)
        case Binary(op=op, left=left, right=right):
            pair = [evaluate_columns(left, columns, mask), evaluate_columns(right, columns, mask)]
            if op in ("+", "-", "*", "div", "mod"):
                return apply(lambda a, b: finite(arithmetic, op, a, b), pair, failed)
            return apply(lambda a, b: compare(op, a, b), pair, failed)
        case Call(name="if", args=(condition, then, otherwise)):
            test = evaluate_columns(condition, columns, mask)
            holds = test.truth()
            branches = [evaluate_columns(then, columns, mask & holds),
                        evaluate_columns(otherwise, columns, mask & ~holds)]
            return apply(FUNCTIONS["if"].row, [test, *branches], failed)
        case Call(name="today"):
            return apply(FUNCTIONS["today"].row, [columns.today], failed)
        case Call(name=name, args=args):
            function = value_rule(name)
            if not args:
                return Factor.constant(finite(function), rows)
            return apply(lambda *values: finite(function, *values),
                         [evaluate_columns(a, columns, mask) for a in args], failed)
    raise TypeError(node)
