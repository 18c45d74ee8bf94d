"""A chunk of a partner's file read column by column: answers, facts about the returns, raw text.

Partners' columns hold few distinct values (codes 1 to 5, "ja"/"nein", a district), so each
distinct cell, or each distinct combination of the cells that together give one answer (the
ticks of a split multiple choice), is read once by the same `RowReader` that reads single rows.
The per-row result is then an array lookup, and it is the row reader's result by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from survey.ingest import json_text
from survey.ingest.columns import ColumnTarget, Target
from survey.ingest.rows import RowReader, raw_value
from survey.questionnaire.expressions.evaluate_columns import (
    Factor,
    combine,
    factorize,
    factorize_texts,
)

Readers = list[tuple[int, ColumnTarget, Callable[[Any], Any]]]


@dataclass(frozen=True)
class ChunkColumns:
    rows: int
    answers: dict[str, Factor]
    """Answer name -> its value in the stored form on each row; None where not answered."""
    meta: dict[str, Factor]
    """Meta name (respondent id, language, date) -> its value on each row; None where not given."""
    unreadable: np.ndarray
    """Rows with a cell that cannot be read as an answer, or whose reading is to be reported
    (a near miss of a label): these rows are read again one by one, which words the report."""
    raw: list[str]
    """The raw record of each row (header -> cell, blanks left out) as JSON text."""

    def answers_json(self) -> tuple[list[str], np.ndarray]:
        """Each row's answers as JSON text (what the content hash is made of), and their count."""
        names = sorted(self.answers)
        members = [json_text.members(name, self.answers[name]) for name in names]
        count = np.zeros(self.rows, np.intp)
        for name in names:
            count += self.answers[name].per_value(lambda v: v is not None, bool)
        return json_text.objects(members, self.rows), count


class ChunkReader:
    """Reads chunks of one file; the grouping of its columns is worked out once."""

    def __init__(self, reader: RowReader, headers: Sequence[str], texts_only: bool):
        self.reader = reader
        self.headers = list(headers)
        self.factorize = factorize_texts if texts_only else factorize
        groups: dict[tuple[bool, str], Readers] = {}
        also = reader.other_texts
        for entry in reader.readers:
            target = entry[1]
            groups.setdefault((target.target == Target.META, target.name), []).append(entry)
            if entry[0] in also:
                groups.setdefault((False, also[entry[0]]), []).append(entry)
        self.groups = groups
        by_header: dict[str, list[int]] = {}
        for i, header in enumerate(self.headers):
            by_header.setdefault(header, []).append(i)
        self.by_header = sorted(by_header.items())

    def read(self, rows: Sequence[Sequence[Any]]) -> ChunkColumns:
        """`rows` all have one value per header."""
        count = len(rows)
        cells = list(zip(*rows, strict=True)) if rows else [() for _ in self.headers]
        columns = [self.factorize(column) for column in cells]
        del cells
        answers: dict[str, Factor] = {}
        meta: dict[str, Factor] = {}
        unreadable = np.zeros(count, bool)
        for (is_meta, name), readers in self.groups.items():
            factor, failed = self._group(name, is_meta, readers, columns)
            (meta if is_meta else answers)[name] = factor
            unreadable |= failed
        raw = json_text.objects([self._raw(header, [columns[i] for i in where])
                                 for header, where in self.by_header], count)
        return ChunkColumns(count, answers, meta, unreadable, raw)

    def _group(self, name: str, is_meta: bool, readers: Readers,
               columns: list[Factor]) -> tuple[Factor, np.ndarray]:
        """The value one group of columns gives on each row, and the rows it cannot read."""
        factors = [columns[i] for i, _, _ in readers]
        codes, combos = combine(factors)
        cells: list[Any] = [None] * len(self.headers)
        values, failed = [], []
        for combo in combos:
            for (i, _, _), factor, code in zip(readers, factors, combo, strict=True):
                cells[i] = factor.values[code]
            read = self.reader.read(cells, readers)
            values.append((read.meta if is_meta else read.answers).get(name))
            failed.append(bool(read.problems or read.warnings))
        return Factor(codes, values), np.array(failed, bool)[codes]

    @staticmethod
    def _raw(header: str, factors: list[Factor]) -> np.ndarray:
        """Members of the raw record for one header; of repeated headers the last filled wins."""
        if len(factors) == 1:
            factor = factors[0]
        else:
            codes, combos = combine(factors)
            factor = Factor(codes, [_last_filled([f.values[c] for f, c in zip(factors, combo,
                                                                               strict=True)])
                                    for combo in combos])
        return factor.per_value(
            lambda cell: "" if cell is None or cell == "" else json_text.member(
                header, raw_value(cell)))


def _last_filled(cells: list[Any]) -> Any:
    return next((cell for cell in reversed(cells) if cell is not None and cell != ""), None)
