"""What values mean to every evaluator (the values themselves are described in evaluate.py):
which are empty, which count as true, how a value reads as text or as a date. The functions
(functions.py) and the operators (evaluate.py) are written with these."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from typing import Any

Value = Any


def is_empty(value: Value) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, Collection) and not isinstance(value, str) and len(value) == 0


def truthy(value: Value) -> bool:
    return False if is_empty(value) else bool(value)


def as_date(value: Value) -> Value:
    """A date written 'YYYY-MM-DD' as a date; anything else unchanged."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def as_text(value: Value) -> str:
    """The value as concat() writes it: empty as '', whole floats without '.0', ticks spaced."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Collection) and not isinstance(value, str):
        return " ".join(str(v) for v in value)
    return str(value)
