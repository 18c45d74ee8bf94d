"""Where the header of a partner's worksheet is, and what each column is called.

Partners' workbooks are made for people: a title in A1, an empty row, then the header, sometimes
in two rows (a merged group cell "Angaben zur Person" over its items "Geburtsjahr", "Geschlecht").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from survey.staff_texts import staff_plural, staff_text

Merge = tuple[tuple[int, int], tuple[int, int]]
"""A merged range ((first row, first column), (last row, last column)), 0-based, inclusive."""

TEXT_SHARE = 0.5
"""A header row's filled cells are more than this share text; data rows usually hold numbers."""


@dataclass(frozen=True)
class Header:
    row: int
    """Index of the (first) header row in the rows searched."""
    height: int
    """1, or 2 for a group row above an item row."""
    names: list[str]
    labels: list[str | None]
    """"group: item" for a two-row header, else None."""


def find_header(rows: Sequence[Sequence[Any]], merges: list[Merge] | None) -> Header:
    """The header among the first rows of a sheet (empty cells are None).

    The header is the first row that is at least half as wide as the widest row, whose filled
    cells are mostly text, and which is followed by a filled row; a title above it is narrower,
    or followed by an empty row. `merges` uses the same row and column indexes as `rows`; None
    means the format does not report merged cells (ODS).
    """
    filled = [sum(v is not None for v in row) for row in rows]
    widest = max(filled, default=0)

    def wide(i: int) -> bool:
        return filled[i] > 0 and 2 * filled[i] >= widest

    def header_like(i: int) -> bool:
        return wide(i) and sum(isinstance(v, str) for v in rows[i]) > TEXT_SHARE * filled[i]

    def followed(i: int) -> bool:
        return i + 1 < len(rows) and filled[i + 1] > 0

    texts = [i for i in range(len(rows)) if header_like(i)]
    found = next((i for i in texts if followed(i)), None)
    if found is None and texts:
        # No data below: a sheet with only its header, which is wider than any title above it.
        found = max(texts, key=filled.__getitem__)
    if found is None:
        # Column titles that are years or codes (2024, 2025, …).
        found = next((i for i in range(len(rows)) if wide(i)), 0)
    if _two_rows(rows, filled, found, merges):
        return _grouped(rows, found, merges)
    if found > 0 and _section_row_above(rows, found, merges):
        return _grouped(rows, found - 1, merges)
    names = [cell_text(v) for v in rows[found]] if rows else []
    return Header(found, 1, names, [None] * len(names))


def _two_rows(rows: Sequence[Sequence[Any]], filled: list[int], i: int,
              merges: list[Merge] | None) -> bool:
    """A group row above an item row: the item row is all text and the group row has merged cells
    (or, where merges are not reported, leaves items without a cell above them, and the row after
    the items holds numbers or dates, as data does)."""
    j = i + 1
    if j >= len(rows) or filled[j] < 2 or not all(isinstance(v, str) for v in rows[j]
                                                  if v is not None):
        return False
    if merges is not None:
        return any(top == i and (right > left or bottom > top)
                   for (top, left), (bottom, right) in merges)
    after = rows[j + 1] if j + 1 < len(rows) else ()
    under_a_group = any(above is None and below is not None
                        for above, below in zip(rows[i], rows[j], strict=True))
    return under_a_group and any(v is not None and not isinstance(v, str) for v in after)


def _section_row_above(rows: Sequence[Sequence[Any]], i: int, merges: list[Merge] | None) -> bool:
    """A row of section titles over the header, each merged across its columns ("Angaben zur
    Person" over three questions), narrower than the header itself: a group row, not a title."""
    above = [v for v in rows[i - 1] if v is not None]
    return (merges is not None and bool(above) and all(isinstance(v, str) for v in above)
            and any(top == i - 1 and right > left for (top, left), (_, right) in merges))


def _grouped(rows: Sequence[Sequence[Any]], i: int, merges: list[Merge] | None) -> Header:
    groups, items = rows[i], rows[i + 1]
    width = len(items)
    group: list[Any] = [None] * width
    if merges is not None:
        for (top, left), (_, right) in merges:
            if top == i and 0 <= left < width:
                for column in range(left, min(right, width - 1) + 1):
                    group[column] = groups[left]
        for column, value in enumerate(groups):
            if group[column] is None:
                group[column] = value
    else:
        # Merged cells are not reported: a group cell heads the items up to the next group cell,
        # unless it stands alone (nothing under it), like a one-row "ID" next to the groups.
        current = None
        for column, value in enumerate(groups):
            if value is not None:
                current = value if items[column] is not None else None
                group[column] = value
            else:
                group[column] = current
    names: list[str] = []
    labels: list[str | None] = []
    for column in range(width):
        item, head = items[column], group[column]
        if item is None:
            names.append(cell_text(head))
            labels.append(None)
        else:
            names.append(cell_text(item))
            labels.append(f"{cell_text(head)}: {cell_text(item)}"
                          if head is not None and cell_text(head) != cell_text(item) else None)
    return Header(i, 2, names, labels)


def cell_text(value: Any) -> str:
    """A header cell as text: 2024.0 typed as a column title reads "2024", a date as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def header_notes(names: Sequence[str], positions: Sequence[str]) -> list[str]:
    """Tell about header cells the mapping step cannot use as they are: empty or repeated."""
    notes: list[str] = []
    unnamed = [p for name, p in zip(names, positions, strict=True) if not name]
    if unnamed:
        notes.append(staff_plural("column {columns} without a header",
                                  "columns {columns} without a header", count=len(unnamed),
                                  columns=", ".join(unnamed)))
    repeated = [name for name, count in Counter(n for n in names if n).items() if count > 1]
    if repeated:
        notes.append(staff_text("header names appear more than once: {names}",
                                names=", ".join(repeated)))
    return notes
