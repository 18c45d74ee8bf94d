"""CSV/TSV files: encoding and separator found from the file itself, records streamed as raw text.

Values stay exactly as typed (no number or date guessing): the questionnaire decides what a
column means, and a partner's "007" or "3,5" must reach the validation step unchanged.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from survey.ingest.readers import encoding as encodings
from survey.ingest.readers.header import header_notes
from survey.ingest.readers.table import ReadError, SourceColumn, SourceRow, SourceTable
from survey.staff_texts import staff_plural, staff_text

DELIMITERS = (",", ";", "\t", "|")
SNIFF_RECORDS = 50
_DECIMAL_COMMA = re.compile(r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+")
_NAMES = {",": staff_text("commas"), ";": staff_text("semicolons"), "\t": staff_text("tabs"),
          "|": staff_text("vertical bars")}
_SEP_LINE = re.compile(r"sep=([^\r\n\"])(?:\r\n|\n|\r)")


def read_text(path: Path, encoding: str | None) -> SourceTable:
    with path.open("rb") as handle:
        head = handle.read(encodings.SAMPLE)
    notes: list[str] = []
    if encoding is None:
        chosen, note = encodings.detect(path, head)
        if note:
            notes.append(note)
    else:
        chosen = encodings.given(path, encoding)
    encodings.verify(path, chosen, told=encoding is not None)

    sample = _decode_sample(head, chosen)
    declared = _SEP_LINE.match(sample)
    if declared:
        # Excel's "sep=;" line names the separator and is not the header.
        delimiter = declared.group(1)
        sample = sample[declared.end():]
    else:
        preferred = "\t" if path.suffix.lower() in (".tsv", ".txt") else ","
        delimiter = sniff_delimiter(sample, preferred, complete=len(head) < encodings.SAMPLE)
    if delimiter != ",":
        notes.append(staff_text("columns separated by {separator}",
                                separator=_NAMES.get(delimiter, repr(delimiter))))

    header, header_end = _header(path, chosen, delimiter, skip=1 if declared else 0)
    names = [cell.strip() for cell in header]
    if names:
        names[0] = names[0].lstrip("\ufeff").strip()
    columns = [SourceColumn(name, position=str(i)) for i, name in enumerate(names, start=1)]
    notes += header_notes(names, [c.position for c in columns])
    decimal = decimal_comma_example(sample, delimiter, names)
    if decimal:
        notes.append(staff_text("decimal comma detected ({example}); numbers are kept as text "
                                "and read with a decimal comma", example=decimal))
    return SourceTable(
        path=path, kind="tsv" if delimiter == "\t" else "csv", sheet=None, encoding=chosen.name,
        columns=columns, rows=_records(path, chosen, delimiter, len(names), header_end, notes),
        header_rows=1, notes=notes, delimiter=delimiter, decimal_comma=decimal is not None)


def _decode_sample(head: bytes, chosen: encodings.Encoding) -> str:
    decoder = codecs.getincrementaldecoder(chosen.codec)(errors="replace")
    return decoder.decode(head[chosen.bom:], final=len(head) < encodings.SAMPLE)


def _open(path: Path, chosen: encodings.Encoding) -> io.TextIOWrapper:
    raw = path.open("rb")
    raw.seek(chosen.bom)
    # newline="" hands \r\n, \n and lone \r to the csv module untranslated, as it requires, and
    # lets it count every kind of line end.
    return io.TextIOWrapper(raw, encoding=chosen.codec, newline="")


def _header(path: Path, chosen: encodings.Encoding, delimiter: str,
            skip: int) -> tuple[list[str], int]:
    """The first non-blank record after `skip` lines, and the line it ends on."""
    with _open(path, chosen) as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            for record in reader:
                if reader.line_num > skip and any(cell.strip() for cell in record):
                    return record, reader.line_num
        except csv.Error as error:
            raise _csv_error(path, reader.line_num, error) from None
    raise ReadError(staff_text("{file}: the file contains only empty lines; export it again "
                               "with a header line and the data", file=path.name))


def sniff_delimiter(sample: str, preferred: str, complete: bool) -> str:
    """The separator that splits the first records into the same number of fields as the header.

    csv.Sniffer guesses from character frequencies and is easily fooled by decimal commas and by
    free text; parsing with each candidate respects quotes and shows which one gives a table.
    """
    if not complete:
        # The sample may end inside a record: parse only up to its last line end.
        sample = sample[:max(sample.rfind("\n"), sample.rfind("\r")) + 1] or sample
    best, best_key = preferred, None
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
        counts = [len(r) for r in _first_records(reader)]
        if not counts:
            continue
        agreeing = sum(count == counts[0] for count in counts) / len(counts)
        key = (counts[0] > 1, agreeing, counts[0], delimiter == preferred)
        if best_key is None or key > best_key:
            best, best_key = delimiter, key
    return best


def _first_records(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    taken = 0
    try:
        for record in reader:
            if record:
                yield record
                taken += 1
                if taken == SNIFF_RECORDS:
                    return
    except csv.Error:
        return


def decimal_comma_example(sample: str, delimiter: str, names: list[str]) -> str | None:
    """'3,5' in column 'x' when numbers in a ;- or tab-separated file use a decimal comma."""
    if delimiter == ",":
        return None
    records = _first_records(csv.reader(io.StringIO(sample), delimiter=delimiter))
    next(records, None)
    for record in records:
        for i, cell in enumerate(record):
            if _DECIMAL_COMMA.fullmatch(cell.strip()):
                if i < len(names) and names[i]:
                    return staff_text("'{value}' in column '{column}'", value=cell.strip(),
                                      column=names[i])
                return f"'{cell.strip()}'"
    return None


def _records(path: Path, chosen: encodings.Encoding, delimiter: str, width: int,
             header_end: int, notes: list[str]) -> Iterator[SourceRow]:
    blank: list[int] = []
    end = header_end
    with _open(path, chosen) as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            for _ in reader:
                if reader.line_num >= header_end:
                    break
            for fields in reader:
                start, end = end + 1, reader.line_num
                if len(fields) == width:
                    yield SourceRow(start, tuple(fields))
                elif len(fields) > width and not any(f.strip() for f in fields[width:]):
                    # Some exports (KoboToolbox's among them) end every data line with a comma:
                    # an empty field past the header holds nothing to keep.
                    yield SourceRow(start, tuple(fields[:width]))
                elif not fields or (len(fields) == 1 and not fields[0].strip()):
                    blank.append(start)
                else:
                    yield _misfit(start, end, fields, width)
        except csv.Error as error:
            raise _csv_error(path, end + 1, error) from None
    while blank and blank[-1] == end:
        blank.pop()
        end -= 1
    if blank:
        shown = ", ".join(map(str, blank[:10])) + (", …" if len(blank) > 10 else "")
        notes.append(staff_plural("{count} empty line skipped (line {lines})",
                                  "{count} empty lines skipped (lines {lines})",
                                  count=len(blank), lines=shown))


def _misfit(start: int, end: int, fields: list[str], width: int) -> SourceRow:
    """A record with too few or too many fields: passed on with a problem, nothing dropped."""
    said = {"line": start, "fields": len(fields), "width": width}
    problem = staff_text("line {line} has {fields} fields, the header has {width}; the record "
                         'runs on to line {end}, perhaps a quote (") is not closed or a line '
                         "break is not quoted", end=end, **said) if end > start else staff_text(
        "line {line} has {fields} fields, the header has {width}", **said)
    values = tuple(fields[:width]) + ("",) * (width - len(fields))
    return SourceRow(start, values, problem, extra=tuple(fields[width:]))


def _csv_error(path: Path, line: int, error: csv.Error) -> ReadError:
    if "field larger than field limit" in str(error):
        what: str = staff_text('a field is longer than {limit} characters; probably a quote (") '
                               "is not closed", limit=f"{csv.field_size_limit():,}")
    else:
        what = str(error)
    return ReadError(staff_text("{file}, line {line}: {problem}. Correct the file or export it "
                                "again", file=path.name, line=line, problem=what))
