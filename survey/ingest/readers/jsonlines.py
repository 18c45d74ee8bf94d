"""JSON lines from our online form (or any tool writing one JSON object per line).

A submission is `{"submission_id": …, "questionnaire": …, "language": …, "answers": {…}}`, or a
flat object of column -> value. Submissions differ in which questions they answer, so the columns
are collected in a first pass over the file; the second pass streams the rows. One broken line is
one quarantined row, never the end of the import.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from survey.ingest.readers.encoding import text_codec
from survey.ingest.readers.table import ReadError, SourceColumn, SourceRow, SourceTable
from survey.staff_texts import staff_plural, staff_text

ANSWERS = "answers"
_JSON_TYPES = {list: staff_text("an array"), str: staff_text("a string"),
               int: staff_text("a number"), float: staff_text("a number"),
               bool: staff_text("true or false"), type(None): "null"}


def read_jsonlines(path: Path, encoding: str | None) -> SourceTable:
    codec = encoding or "utf-8"
    if text_codec(codec) is None:
        raise ReadError(staff_text("{file}: unknown text encoding '{codec}'; JSON lines are "
                                   "normally utf-8, so leave out --encoding", file=path.name,
                                   codec=codec))
    keys: dict[str, str] = {}
    broken: list[int] = []
    records = 0
    for number, line in _lines(path):
        record, problem = parse(line, number, codec)
        records += 1
        if problem:
            broken.append(number)
            continue
        for key, value in record.items():
            if key == ANSWERS:
                for question in value:
                    keys.setdefault(question, f"{ANSWERS}.{question}")
            else:
                keys.setdefault(key, key)
    if not records:
        raise ReadError(staff_text("{file} is empty: it contains only blank lines; export it "
                                   "again", file=path.name))
    notes: list[str] = []
    if broken:
        shown = ", ".join(map(str, broken[:10])) + (", …" if len(broken) > 10 else "")
        notes.append(staff_plural(
            "{count} line is not a valid submission (line {lines}); it is passed on as a "
            "problem row", "{count} lines are not valid submissions (lines {lines}); they are "
            "passed on as problem rows", count=len(broken), lines=shown))
    columns = [SourceColumn(name, position=where) for name, where in keys.items()]
    return SourceTable(path=path, kind="jsonl", sheet=None, encoding=codec, columns=columns,
                       rows=_rows(path, codec, list(keys)), header_rows=0, notes=notes)


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based line numbers."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            if line.strip():
                yield number, line


def parse(line: bytes, number: int, codec: str) -> tuple[dict[str, Any], str | None]:
    """The object on one line, or the reason it is not a usable submission."""
    try:
        text = line.decode(codec)
    except UnicodeDecodeError as error:
        return {}, staff_text("line {line} is not valid {codec} text (byte {byte} at position "
                              "{position} of the line)", line=number, codec=codec,
                              byte=f"0x{line[error.start]:02X}", position=error.start + 1)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return {}, staff_text("line {line} is not valid JSON: {error} (column {column})",
                              line=number, error=error.msg, column=error.colno)
    except RecursionError:
        return {}, staff_text("line {line} is not usable JSON: it is nested too deeply",
                              line=number)
    if not isinstance(record, dict):
        return {}, staff_text("line {line} is {kind}, not a JSON object", line=number,
                              kind=_JSON_TYPES[type(record)])
    answers = record.get(ANSWERS, {})
    if not isinstance(answers, dict):
        return {}, staff_text('line {line}: "{name}" is {kind}, not an object', line=number,
                              name=ANSWERS, kind=_JSON_TYPES[type(answers)])
    both = [key for key in answers if key in record and record[key] != answers[key]]
    if both:
        return {}, staff_text('line {line}: {names} given both beside and inside "{name}", with '
                              "different values", line=number, names=", ".join(both),
                              name=ANSWERS)
    return record, None


def _rows(path: Path, codec: str, names: list[str]) -> Iterator[SourceRow]:
    index = {name: i for i, name in enumerate(names)}
    empty = (None,) * len(names)
    for number, line in _lines(path):
        record, problem = parse(line, number, codec)
        if problem:
            text = line.decode(codec, errors="backslashreplace").rstrip("\r\n")
            yield SourceRow(number, empty, problem, extra=(text,))
            continue
        values = list(empty)
        for key, value in record.items():
            if key == ANSWERS:
                for question, answer in value.items():
                    values[index[question]] = answer
            else:
                values[index[key]] = value
        yield SourceRow(number, tuple(values))
