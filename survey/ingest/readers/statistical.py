"""SPSS (.sav, .zsav, .por) and Stata (.dta) files with pyreadstat: data and its dictionary.

The dictionary (variable labels, value labels, user-missing codes) is what makes such a file
worth more than a CSV, so it is carried on every column. User-missing codes stay in the data as
the codes they are (-9 "keine Angabe" is an answer about the answer), not turned into empty cells;
in Stata files the extended missing values .a to .z arrive as the letters "a" to "z".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyreadstat

from survey.ingest.readers.table import ReadError, SourceColumn, SourceRow, SourceTable
from survey.staff_texts import Message, staff_plural, staff_text

CELLS_PER_CHUNK = 2_000_000
"""Rows are read in chunks of about this many cells, so a large file is never loaded at once."""
MIN_CHUNK = 1000
"""Fewer rows per chunk would make re-opening the file for each chunk dominate."""
MAX_EXPANDED = 10_000
"""A user-missing range with more codes than this is kept as a range only."""
STATA_MISSING = frozenset("abcdefghijklmnopqrstuvwxyz")
"""Stata's extended missing values .a to .z, which pyreadstat hands on as these letters; Stata
declares nothing else as missing."""

_READERS: dict[str, Callable[..., Any]] = {
    "sav": pyreadstat.read_sav, "zsav": pyreadstat.read_sav, "por": pyreadstat.read_por,
    "dta": pyreadstat.read_dta,
}
_FORMAT = {"sav": ("SPSS", "SPSS or PSPP"), "zsav": ("SPSS", "SPSS or PSPP"),
           "por": ("SPSS", "SPSS or PSPP"), "dta": ("Stata", "Stata")}
"""Kind -> (what the file is, the program that can repair it)."""


def read_statistical(path: Path, kind: str, encoding: str | None) -> SourceTable:
    reader = _READERS[kind]
    notes: list[str] = []
    options: dict[str, Any] = {}
    if kind != "por":
        # Without user_missing pyreadstat turns user-missing codes into NaN.
        options["user_missing"] = True
        if encoding:
            options["encoding"] = encoding
    elif encoding:
        notes.append(staff_text("--encoding {encoding} ignored: a .por file is read in its own "
                                "encoding", encoding=encoding))
    file_format, program = _FORMAT[kind]
    what = staff_text("{file} is not a readable {format} file", file=path.name,
                      format=file_format)
    meta = _call(reader, path, what, program, metadataonly=True, **options)
    if meta.number_rows:
        # A truncated file still has its dictionary; reading the last case finds the damage now,
        # before any row is imported, instead of after thousands of them.
        _call(reader, path, staff_text("{file} is damaged or truncated (its header promises "
                                       "{cases} cases)", file=path.name, cases=meta.number_rows),
              program, row_offset=meta.number_rows - 1, row_limit=1, output_format="dict",
              **options)

    columns = []
    codes: frozenset[Any]
    ranges: tuple[tuple[Any, Any], ...]
    unexpanded: list[str]
    for i, name in enumerate(meta.column_names, start=1):
        if kind == "dta":
            numeric = meta.readstat_variable_types.get(name) != "string"
            codes, ranges, unexpanded = (STATA_MISSING if numeric else frozenset()), (), []
        else:
            codes, ranges, unexpanded = _missing(meta.missing_ranges or {}, name)
        if unexpanded:
            notes.append(staff_plural(
                "variable {name}: user-missing range {ranges} kept as a range only "
                "(missing_ranges)", "variable {name}: user-missing ranges {ranges} kept as "
                "ranges only (missing_ranges)", count=len(unexpanded), name=name,
                ranges=", ".join(unexpanded)))
        columns.append(SourceColumn(
            name, label=(meta.column_names_to_labels or {}).get(name) or None,
            value_labels=dict((meta.variable_value_labels or {}).get(name, {})),
            missing_values=codes, position=str(i), missing_ranges=ranges))
    if meta.file_label:
        notes.append(staff_text("file label: {label}", label=meta.file_label))
    chunk = max(MIN_CHUNK, CELLS_PER_CHUNK // max(1, len(columns)))
    return SourceTable(
        path=path, kind=kind, sheet=None, encoding=encoding or meta.file_encoding,
        columns=columns,
        rows=_cases(path, reader, meta.column_names, chunk, options, what, program),
        header_rows=0, notes=notes)


def _call(reader: Callable[..., Any], path: Path, what: Message, program: str,
          **options: Any) -> Any:
    """The file's metadata, or a ReadError: pyreadstat wraps a C parser of untrusted files, so
    any exception it raises describes the file."""
    try:
        return reader(path, **options)[1]
    except Exception as error:
        raise ReadError(staff_text("{what}: {error}. Open it in {program} and save it again, "
                                   "or ask the sender for a new export", what=what,
                                   error=str(error), program=program)) from None


def _missing(declarations: dict[str, list[dict[str, Any]]],
             name: str) -> tuple[frozenset[Any], tuple[tuple[Any, Any], ...], list[str]]:
    """User-missing codes, the declared (low, high) pairs, and the ranges too wide to expand."""
    codes: set[Any] = set()
    ranges, unexpanded = [], []
    for declared in declarations.get(name, ()):
        low, high = declared["lo"], declared["hi"]
        ranges.append((low, high))
        if low == high:
            codes.add(low)
        elif (all(isinstance(v, float) and math.isfinite(v) and v.is_integer() for v in (low, high))
              and high - low < MAX_EXPANDED):
            codes.update(float(code) for code in range(int(low), int(high) + 1))
        else:
            unexpanded.append(f"{_bound(low, 'LO')} THRU {_bound(high, 'HI')}")
    return frozenset(codes), tuple(ranges), unexpanded


def _bound(value: Any, infinite: str) -> str:
    """SPSS writes LO and HI as the largest doubles."""
    return infinite if isinstance(value, float) and abs(value) > 1e300 else f"{value:g}"


def _cases(path: Path, reader: Callable[..., Any], names: list[str], chunk: int,
           options: dict[str, Any], what: Message, program: str) -> Iterator[SourceRow]:
    number = 0
    try:
        for data, _ in pyreadstat.read_file_in_chunks(reader, path, chunksize=chunk,
                                                      output_format="dict", **options):
            values = [data[name] for name in names]
            count = len(values[0]) if values else 0
            done = number
            for number, case in enumerate(zip(*values, strict=True), start=done + 1):
                yield SourceRow(number, case)
            # Files without a case count (.por) would be asked for empty chunks forever.
            if count < chunk:
                return
    except Exception as error:
        raise ReadError(staff_text("{what}: reading stopped after case {case}: {error}. Open it "
                                   "in {program} and save it again", what=what, case=number,
                                   error=str(error), program=program)) from None
