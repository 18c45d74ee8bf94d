"""The order in which groups and categories are shown: the order an analyst expects.

Sorting codes as text puts group 10 between 1 and 2; R orders a factor by its levels. So a
pandas Categorical keeps its declared order, numbers (and texts that are all numbers, such as
codes read from a CSV) sort by value, and only other texts sort alphabetically.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _as_number(value: object) -> float | None:
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def ordered_levels(values: pd.Series) -> tuple[object, ...]:
    """The distinct known values of `values`, in display order (see the module docstring)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna().unique())
        return tuple(c for c in values.cat.categories if c in present)
    found = list(pd.unique(values.dropna()))
    numbers = [n for n in map(_as_number, found) if n is not None]
    if len(numbers) == len(found):
        return tuple(v for _, v in sorted(zip(numbers, found, strict=True),
                                          key=lambda pair: pair[0]))
    return tuple(sorted(found, key=str))
