"""read_table on every supported kind of file, and on the damaged ones partners really send."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from survey.ingest.readers import (
    ReadError,
    SourceRow,
    SourceTable,
    read_table,
    spreadsheet,
    statistical,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
SPSS = SHARED / "spss"
XLSFORM = SHARED / "xlsform"

RUSSIAN = "Пол;Город;Согласие\nЖенский;Лейпциг;Да\nМужской;Дрезден;Нет\n"
GERMAN = "Geschlecht;Größe;Straße\nmännlich;1,80;Hauptstraße\nweiblich;3,5;Bäckerweg\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def rows(table: SourceTable) -> list[SourceRow]:
    return list(table.rows)


def names(table: SourceTable) -> list[str]:
    return [c.name for c in table.columns]


# --- CSV: encodings -------------------------------------------------------------------------


def test_utf8_with_bom(tmp_path):
    table = read_table(write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + GERMAN.encode()))
    assert table.encoding == "utf-8-sig"
    assert names(table) == ["Geschlecht", "Größe", "Straße"]
    assert rows(table)[0].values == ("männlich", "1,80", "Hauptstraße")


def test_utf8_without_bom_and_ascii(tmp_path):
    assert read_table(write(tmp_path, "u.csv", GERMAN.encode())).encoding == "utf-8"
    assert read_table(write(tmp_path, "a.csv", b"a,b\n1,2\n")).encoding == "utf-8"


def test_utf16_with_bom(tmp_path):
    table = read_table(write(tmp_path, "u16.csv", RUSSIAN.encode("utf-16")))
    assert table.encoding == "utf-16"
    assert names(table) == ["Пол", "Город", "Согласие"]
    assert [r.values for r in rows(table)] == [("Женский", "Лейпциг", "Да"),
                                              ("Мужской", "Дрезден", "Нет")]
    assert any("UTF-16" in note for note in table.notes)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_russian_in_cp1251_and_koi8r(tmp_path, encoding):
    table = read_table(write(tmp_path, "ru.csv", RUSSIAN.encode(encoding)))
    assert table.encoding == encoding
    assert f"text encoding {encoding} detected" in table.notes[0]
    assert names(table) == ["Пол", "Город", "Согласие"]
    assert rows(table)[0].values == ("Женский", "Лейпциг", "Да")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_lowercase_russian_is_told_apart_by_letter_frequencies(tmp_path, encoding):
    # All-lowercase cp1251 reads as all-uppercase KOI8-R (and back): the case pattern cannot
    # decide, the letters can ("ответ" is not "НРБЕР").
    text = "ответ\nда\nнет\nне знаю\nскорее да\n"
    table = read_table(write(tmp_path, "ru.csv", text.encode(encoding)))
    assert table.encoding == encoding
    assert [r.values[0] for r in rows(table)] == ["да", "нет", "не знаю", "скорее да"]


def test_ukrainian_in_cp1251(tmp_path):
    text = "Стать;Місто\nжінка;Лейпциг\nчоловік;Київ\n"
    table = read_table(write(tmp_path, "uk.csv", text.encode("cp1251")))
    assert table.encoding == "cp1251"
    assert rows(table)[1].values == ("чоловік", "Київ")


def test_german_cp1252_with_semicolons_and_decimal_comma(tmp_path):
    table = read_table(write(tmp_path, "de.csv", GERMAN.encode("cp1252")))
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.decimal_comma is True
    assert any(n.startswith("decimal comma detected ('1,80' in column 'Größe')")
               for n in table.notes)
    assert [r.values for r in rows(table)] == [("männlich", "1,80", "Hauptstraße"),
                                              ("weiblich", "3,5", "Bäckerweg")]


def test_no_decimal_comma_without_such_numbers(tmp_path):
    table = read_table(write(tmp_path, "n.csv", "a;b\n1.5;x\n2;y, z\n"))
    assert table.decimal_comma is False


def test_first_umlaut_far_into_the_file(tmp_path):
    # The first 64 KB are ASCII; the detector must look further instead of calling it UTF-8.
    lines = ["id;name"] + [f"{i};Meier" for i in range(20_000)] + ["20000;Müller"]
    table = read_table(write(tmp_path, "late.csv", "\n".join(lines).encode("cp1252")))
    assert table.encoding == "cp1252"
    assert rows(table)[-1].values == ("20000", "Müller")


@pytest.mark.parametrize("data, candidates", [
    # One letter: Å in cp1252, Е in cp1251, е in KOI8-R, all equally plausible.
    (b"id;name\n1;\xc5\n", "cp1252, cp1251, koi8-r"),
    # Symbols in every candidate (cp1252: €ˆŠš…, cp1251: Ђ€ ЉљЊ…, KOI8-R: box drawing).
    (b"a,b\n\x80\x88\x8a,\x9a\x9c\x86\n", "cp1252, cp1251, koi8-r, latin-1"),
])
def test_undecidable_encoding_asks_for_encoding(tmp_path, data, candidates):
    with pytest.raises(ReadError) as caught:
        read_table(write(tmp_path, "odd.csv", data))
    message = str(caught.value)
    assert message.startswith("odd.csv: the text encoding could not be determined")
    assert "--encoding" in message
    assert f"candidates: {candidates}" in message


def test_given_encoding_overrides_detection(tmp_path):
    path = write(tmp_path, "ru.csv", RUSSIAN.encode("cp1251"))
    # Read as cp1252 because the user says so: no error, the text is what cp1252 makes of it.
    table = read_table(path, encoding="cp1252")
    assert table.encoding == "cp1252"
    assert rows(table)[0].values[2] == "Äà"
    assert read_table(path, encoding="windows-1251").encoding == "windows-1251"


def test_given_encoding_that_does_not_decode(tmp_path):
    path = write(tmp_path, "ru.csv", RUSSIAN.encode("cp1251"))
    with pytest.raises(ReadError, match=r"^ru\.csv, line 1: byte 0xCF at byte offset 0 is not "
                                        r"valid utf-8\. Pass the right --encoding"):
        read_table(path, encoding="utf-8")


@pytest.mark.parametrize("name", ["latin-9000", "rot13"])
def test_unknown_encoding_name(tmp_path, name):
    with pytest.raises(ReadError, match=rf"a\.csv: unknown text encoding '{name}'"):
        read_table(write(tmp_path, "a.csv", "a\n1\n"), encoding=name)


def test_encodings_mixed_near_the_start(tmp_path):
    data = "id;name\n1;Grüße\n".encode() + "2;Müller\n".encode("cp1252")
    with pytest.raises(ReadError, match="parts of it are UTF-8, so it may mix encodings"):
        read_table(write(tmp_path, "mix.csv", data))


def test_encoding_changing_deep_in_the_file(tmp_path):
    data = "id;name\n1;Grüße\n".encode() + b"2;x\n" * 30_000 + "3;Müller\n".encode("cp1252")
    with pytest.raises(ReadError) as caught:
        read_table(write(tmp_path, "mix.csv", data))
    assert str(caught.value).startswith(
        "mix.csv, line 30003: byte 0xFC at byte offset 120021 does not fit the encoding utf-8 "
        "detected from the start of the file; the file may mix encodings")


# --- CSV: damaged text --------------------------------------------------------------------------


def test_nul_byte(tmp_path):
    data = b"a,b\n1,2\n" + b"3,4\n" * 9 + b"5,\x006\n"
    with pytest.raises(ReadError) as caught:
        read_table(write(tmp_path, "nul.csv", data))
    assert str(caught.value) == (
        "nul.csv: the file contains a NUL byte at line 12 (byte offset 46); it is probably not a "
        "text file or is damaged. Export it again as CSV")


def test_nul_byte_beyond_the_sample(tmp_path):
    data = b"a;b\n" + b"1;2\n" * 50_000 + b"3;\x00\n"
    with pytest.raises(ReadError, match=r"NUL byte at line 50002 \(byte offset 200006\)"):
        read_table(write(tmp_path, "nul.csv", data))


def test_utf16_without_byte_order_mark(tmp_path):
    with pytest.raises(ReadError, match="UTF-16 text without a byte-order mark: pass --encoding "
                                        "utf-16-le"):
        read_table(write(tmp_path, "u16.csv", "a,b\n1,2\n".encode("utf-16-le")))


def test_mixed_line_endings(tmp_path):
    table = read_table(write(tmp_path, "mixed.csv", b"a,b\r\n1,2\n3,4\r5,6\r\n7,8"))
    assert [(r.number, r.values) for r in rows(table)] == [
        (2, ("1", "2")), (3, ("3", "4")), (4, ("5", "6")), (5, ("7", "8"))]


def test_quoted_line_breaks_keep_the_line_where_the_record_starts(tmp_path):
    text = 'id,comment,n\n1,"first\nsecond\r\nthird",2\n2,"a ""quoted"" word, with comma",3\n'
    table = read_table(write(tmp_path, "q.csv", text))
    assert [(r.number, r.values) for r in rows(table)] == [
        (2, ("1", "first\nsecond\r\nthird", "2")), (5, ("2", 'a "quoted" word, with comma', "3"))]


def test_record_with_wrong_number_of_fields(tmp_path):
    header = ",".join(f"q{i}" for i in range(8))
    text = "\n".join([header, "1,2,3,4,5,6,7,8"] + ["1,2,3,4,5,6,7,8"] * 4
                     + ["1,2,3,4,5", "1,2,3,4,5,6,7,8,9,10"])
    table = read_table(write(tmp_path, "w.csv", text))
    short, long = rows(table)[-2:]
    assert short.number == 7
    assert short.problem == "line 7 has 5 fields, the header has 8"
    assert short.values == ("1", "2", "3", "4", "5", "", "", "")
    assert long.problem == "line 8 has 10 fields, the header has 8"
    assert long.values == tuple("12345678") and long.extra == ("9", "10")
    assert all(r.problem is None for r in rows(read_table(tmp_path / "w.csv"))[:5])


def test_unclosed_quote_is_a_problem_row_with_a_hint(tmp_path):
    table = read_table(write(tmp_path, "u.csv", 'a,b,c\n1,"oops,3\n4,5,6\n7,8,9\n'))
    [row] = rows(table)
    assert row.number == 2
    assert row.problem.startswith("line 2 has 2 fields, the header has 3; the record runs on to "
                                  "line 4, perhaps a quote")


def test_formula_text_is_kept_verbatim(tmp_path):
    text = 'name,link\nx,"=HYPERLINK(""http://x"",""y"")"\n+1,@SUM(A1)\n'
    table = read_table(write(tmp_path, "f.csv", text))
    assert [r.values for r in rows(table)] == [("x", '=HYPERLINK("http://x","y")'),
                                              ("+1", "@SUM(A1)")]


def test_values_are_raw_text(tmp_path):
    table = read_table(write(tmp_path, "r.csv", "id,code,date,empty\n007, 3 ,03.05.2026,\n"))
    assert rows(table)[0].values == ("007", " 3 ", "03.05.2026", "")


def test_blank_lines_inside_are_noted_at_the_end_not(tmp_path):
    table = read_table(write(tmp_path, "b.csv", "a,b\n1,2\n\n3,4\n   \n5,6\n\n\n"))
    assert [r.number for r in rows(table)] == [2, 4, 6]
    assert table.notes == ["2 empty lines skipped (lines 3, 5)"]


# --- CSV: separators and headers -----------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_detection(tmp_path, delimiter):
    others = "".join(d for d in ",;\t|" if d != delimiter)
    lines = [["id", "text", "value"], ["1", f'"with {others} inside"', "7"],
             ["2", "plain", "3"], ["3", f'"more{others}"', "4"]]
    text = "\n".join(delimiter.join(line) for line in lines) + "\n"
    table = read_table(write(tmp_path, "d.csv", text))
    assert table.delimiter == delimiter
    assert names(table) == ["id", "text", "value"]
    assert rows(table)[0].values == ("1", f"with {others} inside", "7")


def test_semicolons_win_over_decimal_commas(tmp_path):
    # Every data row has one decimal comma: splitting at commas gives 2 fields there, but the
    # header has none, so semicolons are the separator.
    text = "alter;groesse;gewicht\n34;1,80;75\n51;1,65;60\n"
    assert read_table(write(tmp_path, "s.csv", text)).delimiter == ";"


def test_excel_separator_line(tmp_path):
    table = read_table(write(tmp_path, "sep.csv", "sep=;\r\nid;text\r\n1;a,b\r\n"))
    assert (table.delimiter, names(table)) == (";", ["id", "text"])
    assert [(r.number, r.values) for r in rows(table)] == [(3, ("1", "a,b"))]


def test_tsv_and_txt(tmp_path):
    table = read_table(write(tmp_path, "t.tsv", "a\tb\n1\t2\n"))
    assert (table.kind, table.delimiter) == ("tsv", "\t")
    table = read_table(write(tmp_path, "t.TXT", "a\tb\n1\t2\n"))
    assert (table.kind, table.delimiter, rows(table)[0].values) == ("tsv", "\t", ("1", "2"))


def test_header_names_are_stripped_and_positions_numbered(tmp_path):
    table = read_table(write(tmp_path, "h.csv", " id ,name,,name\n1,2,3,4\n"))
    assert names(table) == ["id", "name", "", "name"]
    assert [c.position for c in table.columns] == ["1", "2", "3", "4"]
    assert "column 3 without a header" in table.notes
    assert "header names appear more than once: name" in table.notes


def test_header_only_gives_no_rows(tmp_path):
    table = read_table(write(tmp_path, "h.csv", "id;name;age\n"))
    assert names(table) == ["id", "name", "age"]
    assert rows(table) == []


def test_only_empty_lines(tmp_path):
    with pytest.raises(ReadError, match=r"^e\.csv: the file contains only empty lines"):
        read_table(write(tmp_path, "e.csv", "\n\r\n\n"))


def test_large_csv_is_streamed(tmp_path):
    # 24 MB: reading the header and the first rows must not load the file.
    header = ";".join(f"q{i}" for i in range(20)) + "\n"
    record = ";".join(["12345"] * 20) + "\n"
    path = write(tmp_path, "big.csv", (header + record * 200_000).encode())
    tracemalloc.start()
    try:
        table = read_table(path)
        first = [next(table.rows) for _ in range(10)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first[-1].number == 11
    assert peak < 8_000_000


# --- spreadsheets -----------------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
             text_cells: dict[str, list[str]] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, content in sheets.items():
        sheet = book.create_sheet(title)
        for row in content:
            sheet.append(row)
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
        for cell in (text_cells or {}).get(title, []):
            sheet[cell].data_type = "s"  # openpyxl would store "=..." as a formula
    book.save(path)
    return path


def partner_workbook(path: Path) -> Path:
    """A title, an empty row, a two-row header with merged group cells, then data."""
    return workbook(path, {"Daten": [
        ["Umfrage Zusammen 2026"],
        [],
        ["ID", "Angaben zur Person", None, None, "Wohnen"],
        [None, "Geburtsjahr", "Geschlecht", "Ankunft", "Stadtteil"],
        [1, 1980, "w", dt.date(2016, 5, 3), "Grünau"],
        [2, 1975.5, True, dt.datetime(2015, 9, 1, 10, 30), None],
        [],
        [3, 2001, "Familie", None, "Mitte"],
        [],
        [],
    ]}, merges={"Daten": ["A3:A4", "B3:D3", "C8:E8"]})


def test_title_and_two_row_header(tmp_path):
    table = read_table(partner_workbook(tmp_path / "partner.xlsx"))
    assert (table.kind, table.sheet, table.header_rows) == ("xlsx", "Daten", 2)
    assert [(c.name, c.label, c.position) for c in table.columns] == [
        ("ID", None, "A"),
        ("Geburtsjahr", "Angaben zur Person: Geburtsjahr", "B"),
        ("Geschlecht", "Angaben zur Person: Geschlecht", "C"),
        ("Ankunft", "Angaben zur Person: Ankunft", "D"),
        ("Stadtteil", "Wohnen: Stadtteil", "E"),
    ]
    data = rows(table)
    assert [r.number for r in data] == [5, 6, 8]
    assert data[0].values == (1, 1980, "w", dt.date(2016, 5, 3), "Grünau")
    assert data[1].values == (2, 1975.5, True, dt.datetime(2015, 9, 1, 10, 30), None)
    # The merged cell C8:E8 is not spread over the data: only its first cell holds the value.
    assert data[2].values == (3, 2001, "Familie", None, None)
    assert "row 1 above the header skipped (starting 'Umfrage Zusammen 2026')" in table.notes
    assert any(n.startswith("merged cells in the data (C8:E8)") for n in table.notes)
    assert "1 empty row inside the data skipped (row 7)" in table.notes


def test_dates_are_dates_not_serial_numbers(tmp_path):
    table = read_table(workbook(tmp_path / "d.xlsx", {"S": [
        ["when", "at"], [dt.date(2026, 5, 3), dt.datetime(2026, 5, 3, 14, 5)]]}))
    when, at = rows(table)[0].values
    assert type(when) is dt.date and when == dt.date(2026, 5, 3)
    assert type(at) is dt.datetime and at == dt.datetime(2026, 5, 3, 14, 5)


def test_whole_numbers_are_ints_and_empty_cells_none(tmp_path):
    table = read_table(workbook(tmp_path / "n.xlsm", {"S": [
        ["a", "b", "c", "d"], [1, 2.5, None, "x"], [None, None, None, 0]]}))
    assert table.kind == "xlsm"
    assert [r.values for r in rows(table)] == [(1, 2.5, None, "x"), (None, None, None, 0)]
    assert type(rows(read_table(tmp_path / "n.xlsm"))[0].values[0]) is int


def test_formula_text_in_a_text_cell_is_kept(tmp_path):
    table = read_table(workbook(tmp_path / "f.xlsx", {"S": [
        ["name", "link"], ["x", '=HYPERLINK("http://x","y")']]}, text_cells={"S": ["B2"]}))
    assert rows(table)[0].values == ("x", '=HYPERLINK("http://x","y")')


def test_sheet_choice(tmp_path):
    path = workbook(tmp_path / "s.xlsx", {
        "Info": [], "Daten": [["a"], [1]], "Codes": [["code", "label"], [1, "ja"]]})
    table = read_table(path)
    assert table.sheet == "Daten"
    assert table.notes[0] == ("sheet 'Daten' chosen of 3 ('Info', 'Daten', 'Codes'): the first "
                              "with data; pass --sheet to read another")
    table = read_table(path, sheet="Codes")
    assert (table.sheet, names(table), rows(table)[0].values) == ("Codes", ["code", "label"],
                                                                  (1, "ja"))
    with pytest.raises(ReadError) as caught:
        read_table(path, sheet="Antworten")
    assert str(caught.value) == ("s.xlsx: there is no sheet 'Antworten'; the sheets are 'Info', "
                                 "'Daten', 'Codes'. Pass --sheet with one of them")
    with pytest.raises(ReadError, match=r"s\.xlsx: sheet 'Info' is empty"):
        read_table(path, sheet="Info")


def test_hidden_sheets_come_last(tmp_path):
    path = tmp_path / "h.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Listen"
    book.active.append(["code"])
    book.active.append([1])
    book.active.sheet_state = "hidden"
    visible = book.create_sheet("Antworten")
    visible.append(["q1"])
    visible.append([5])
    book.save(path)
    assert read_table(path).sheet == "Antworten"


def test_table_not_starting_in_a1(tmp_path):
    path = tmp_path / "c3.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"], sheet["C4"], sheet["D6"] = "frage1", "frage2", 1, 2
    book.save(path)
    table = read_table(path)
    assert [(c.name, c.position) for c in table.columns] == [("frage1", "C"), ("frage2", "D")]
    assert [(r.number, r.values) for r in rows(table)] == [(4, (1, None)), (6, (None, 2))]


def test_header_only_sheet(tmp_path):
    table = read_table(workbook(tmp_path / "h.xlsx", {"S": [["Titel"], [], ["a", "b", "c"]]}))
    assert names(table) == ["a", "b", "c"]
    assert rows(table) == []


def test_xls_file(tmp_path):
    table = read_table(XLSFORM / "table-list.xls")
    assert (table.kind, table.sheet, table.header_rows) == ("xls", "survey", 1)
    assert names(table)[:4] == ["type", "name", "label", "hint"]
    first = rows(table)[0]
    assert first.number == 2
    assert first.values[:3] == ("note", "intro", "Table-list tests")
    assert read_table(XLSFORM / "table-list.xls", sheet="choices").sheet == "choices"


def ods(path: Path, table_rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet; (text, n) is a cell merged over n columns."""

    def cell(value) -> str:
        if isinstance(value, tuple):
            text, span = value
            return (f'<table:table-cell office:value-type="string" table:number-columns-spanned='
                    f'"{span}"><text:p>{escape(text)}</text:p></table:table-cell>'
                    + "<table:covered-table-cell/>" * (span - 1))
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value='
                    f'"{value.isoformat()}"/>')
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
        return (f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
                "</table:table-cell>")

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
                   for row in table_rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Antworten">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def test_ods_with_two_row_header(tmp_path):
    # ODS reports no merged ranges: the group row is recognised by being sparser than the items
    # and followed by data.
    table = read_table(ods(tmp_path / "a.ods", [
        ["ID", ("Angaben zur Person", 2), "Wohnen"],
        [None, "Geburtsjahr", "Geschlecht", "Stadtteil"],
        [1, 1980, "w", "Grünau"],
        [2, 1975, "m", dt.date(2026, 5, 3)],
    ]))
    assert (table.kind, table.sheet, table.header_rows) == ("ods", "Antworten", 2)
    assert [(c.name, c.label) for c in table.columns] == [
        ("ID", None), ("Geburtsjahr", "Angaben zur Person: Geburtsjahr"),
        ("Geschlecht", "Angaben zur Person: Geschlecht"), ("Stadtteil", "Wohnen: Stadtteil")]
    assert [(r.number, r.values) for r in rows(table)] == [
        (3, (1, 1980, "w", "Grünau")), (4, (2, 1975, "m", dt.date(2026, 5, 3)))]


def test_truncated_xlsx(tmp_path):
    whole = partner_workbook(tmp_path / "whole.xlsx").read_bytes()
    path = write(tmp_path, "half.xlsx", whole[: len(whole) // 2])
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert str(caught.value) == (
        "half.xlsx is not a readable XLSX file: it is not a ZIP archive as .xlsx files are (File "
        "is not a zip file); open it in Excel or LibreOffice and save it again")


def test_damaged_sheet_inside_a_sound_zip(tmp_path):
    source = partner_workbook(tmp_path / "whole.xlsx")
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            copy.writestr(name, data[: len(data) // 2] if name.endswith("sheet1.xml") else data)
    with pytest.raises(ReadError, match=r"^damaged\.xlsx is not a readable XLSX file: its XML "
                                        r"content is damaged .*; open it in Excel or LibreOffice"):
        read_table(path)


def test_text_file_named_xlsx(tmp_path):
    with pytest.raises(ReadError, match=r"^fake\.xlsx is not a readable XLSX file: it is not a "
                                        r"ZIP archive"):
        read_table(write(tmp_path, "fake.xlsx", "a,b\n1,2\n"))


def test_encrypted_workbook(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)
    with pytest.raises(ReadError, match=r"password-protected workbook or an old \.xls file"):
        read_table(write(tmp_path, "secret.xlsx", data))


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A workbook whose sheet unpacks from ~300 KB to 300 MB of zeros (written as a stream)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(300):
                member.write(block)
    return path


def test_zip_bomb_is_refused(zip_bomb):
    assert zip_bomb.stat().st_size < 1_000_000
    with pytest.raises(ReadError) as caught:
        read_table(zip_bomb)
    assert str(caught.value).startswith(
        "bomb.xlsx: refused: its part xl/worksheets/sheet1.xml is compressed 1,029 to 1 (limit "
        "200), as in a ZIP bomb")


def test_unpacked_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED", 1000)
    with pytest.raises(ReadError, match=r"^p\.xlsx: refused: it would unpack to .* GB, more than "
                                        r"the limit"):
        read_table(partner_workbook(tmp_path / "p.xlsx"))


# --- SPSS and Stata ----------------------------------------------------------------------------


def column(table: SourceTable, name: str):
    return next(c for c in table.columns if c.name == name)


def test_spss_hebrew_variable_name():
    table = read_table(SPSS / "hebrews.sav")
    assert (table.kind, table.header_rows, names(table)) == ("sav", 0, ["ותק_ב"])
    assert "file label: jamovi data set" in table.notes
    data = rows(table)
    assert len(data) == 99
    assert [r.values for r in data[:3]] == [(33.0,), (34.0,), (15.0,)]
    assert data[-1].number == 99


def test_spss_value_labels():
    table = read_table(SPSS / "ordered_category.sav")
    assert column(table, "Col1").value_labels == {1.0: "high", 2.0: "low", 3.0: "medium"}
    assert [r.values for r in rows(table)] == [(1.0,), (2.0,), (3.0,), (2.0,)]


SAMPLE_LABELS = {"mychar": "character", "mynum": "numeric", "mydate": "date",
                 "dtime": "datetime", "mylabl": "labeled", "myord": "ordinal", "mytime": "time"}


@pytest.mark.parametrize("name, kind, encoding", [("sample.sav", "sav", "windows-1252"),
                                                  ("sample.zsav", "zsav", "windows-1252"),
                                                  ("sample.dta", "dta", None)])
def test_spss_and_stata_sample(name, kind, encoding):
    table = read_table(SPSS / name)
    assert (table.kind, table.encoding) == (kind, encoding)
    assert {c.name: c.label for c in table.columns} == SAMPLE_LABELS
    assert [c.position for c in table.columns] == ["1", "2", "3", "4", "5", "6", "7"]
    assert column(table, "mylabl").value_labels == {1: "Male", 2: "Female"}
    assert column(table, "myord").value_labels == {1: "low", 2: "medium", 3: "high"}
    data = rows(table)
    assert len(data) == 5
    assert data[0].values == ("a", 1.1, dt.date(2018, 5, 6), dt.datetime(2018, 5, 6, 10, 10, 10),
                              1, 1, dt.time(10, 10, 10))
    assert type(data[0].values[3]) is dt.datetime
    # System-missing is None.
    assert data[4].values == ("e", 1000.3, None, None, 1, 1, None)


def test_stata_types_and_extended_missing():
    table = read_table(SPSS / "sample.dta")
    first = rows(table)[0].values
    assert type(first[4]) is int
    assert column(table, "mylabl").missing_values == frozenset("abcdefghijklmnopqrstuvwxyz")
    assert column(table, "mychar").missing_values == frozenset()


def test_spss_user_missing_values_are_kept_as_codes():
    table = read_table(SPSS / "sample_missing.sav")
    mynum = column(table, "mynum")
    assert mynum.missing_ranges == ((2000.0, 3000.0), (-1.0, -1.0))
    assert len(mynum.missing_values) == 1002
    assert {-1.0, 2000.0, 2500.0, 3000.0} <= mynum.missing_values
    assert 3001.0 not in mynum.missing_values
    assert column(table, "mylabl").missing_values == frozenset({-1.0})
    assert column(table, "myord").missing_values == frozenset({-1.0, -2.0, -3.0})
    assert column(table, "mylabl").value_labels == {-1.0: "undetermined", 1.0: "Male",
                                                    2.0: "Female"}
    assert column(table, "myord").value_labels[-1.0] == "missing"
    data = rows(table)
    assert len(data) == 7
    assert data[5].values[:2] == ("Z", -1.0) and data[5].values[4:6] == (-1.0, -1.0)
    assert data[6].values[1] == 2500.0 and data[6].values[5] == -3.0
    assert data[6].values[4] is None  # system-missing


@pytest.mark.parametrize("chunk", [100, 97])
def test_spss_large_file_in_chunks(monkeypatch, chunk):
    monkeypatch.setattr(statistical, "CELLS_PER_CHUNK", 7 * chunk)
    monkeypatch.setattr(statistical, "MIN_CHUNK", 1)
    table = read_table(SPSS / "sample_large.sav")
    assert all(c.label is None for c in table.columns)
    data = rows(table)
    assert [r.number for r in data] == list(range(1, 486))
    # The five sample cases repeat through the file.
    assert [r.values[0] for r in data[:6]] == ["a", "b", "c", "d", "e", "a"]
    assert data[484].values[:2] == ("e", 1000.3)
    assert data[200].values == data[0].values


def test_spss_telugu_text_and_label():
    table = read_table(SPSS / "tegulu.sav")
    assert column(table, "record").label == "record : Record number"
    assert rows(table) == [SourceRow(1, (210.0, "నేను గతంలో వాడిన బ"))]


def test_spss_wide_strings():
    table = read_table(SPSS / "test_width.sav")
    assert {c.name: c.label for c in table.columns} == {
        "ResponseId": "Response ID", "StartDate": "Start Date",
        "Duration__in_seconds_": "Duration (in seconds)", "Finished": "True"}
    assert column(table, "Finished").value_labels == {1.0: "False", 2.0: "True"}
    data = rows(table)
    assert len(data) == 5
    assert data[0].values == ("R_0001xAxQxIo2PVH", "2020-07-13 23:19:55", 944.0, 2.0)


def test_spss_written_with_ranges_and_strings(tmp_path):
    frame = pd.DataFrame({"alter": [34.0, -9.0, 99.0, 5.5], "einkommen": [1.0, 2.0, 3.0, 1e8],
                          "stadt": ["Leipzig", "NA", "", "x"]})
    path = tmp_path / "w.sav"
    pyreadstat.write_sav(
        frame, path, column_labels={"alter": "Alter in Jahren"},
        variable_value_labels={"alter": {-9.0: "keine Angabe"}},
        missing_ranges={"alter": [-9.0, {"lo": 90.0, "hi": 99.0}],
                        "einkommen": [{"lo": 100.5, "hi": 1e9}], "stadt": ["NA"]})
    table = read_table(path)
    alter = column(table, "alter")
    assert alter.label == "Alter in Jahren"
    assert alter.value_labels == {-9.0: "keine Angabe"}
    assert alter.missing_values == frozenset({-9.0, *map(float, range(90, 100))})
    assert set(alter.missing_ranges) == {(-9.0, -9.0), (90.0, 99.0)}
    einkommen = column(table, "einkommen")
    assert (einkommen.missing_ranges, einkommen.missing_values) == (((100.5, 1e9),), frozenset())
    assert ("variable einkommen: user-missing range 100.5 THRU 1e+09 kept as a range only "
            "(missing_ranges)") in table.notes
    assert column(table, "stadt").missing_values == frozenset({"NA"})
    assert [r.values for r in rows(table)] == [
        (34.0, 1.0, "Leipzig"), (-9.0, 2.0, "NA"), (99.0, 3.0, ""), (5.5, 1e8, "x")]


def test_spss_portable_file(tmp_path):
    path = tmp_path / "p.por"
    pyreadstat.write_por(pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]}), path)
    table = read_table(path)
    assert (table.kind, names(table)) == ("por", ["A", "B"])
    assert [r.values for r in rows(table)] == [(1.0, "x"), (2.0, "y")]


def test_random_bytes_sav(tmp_path):
    path = write(tmp_path, "random.sav", os.urandom(4096))
    with pytest.raises(ReadError, match=r"^random\.sav is not a readable SPSS file: .*Open it in "
                                        r"SPSS or PSPP and save it again"):
        read_table(path)


@pytest.mark.parametrize("fraction", [0.3, 0.9])
def test_truncated_sav(tmp_path, fraction):
    whole = (SPSS / "sample_large.sav").read_bytes()
    path = write(tmp_path, "cut.sav", whole[: int(len(whole) * fraction)])
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert str(caught.value).startswith("cut.sav is damaged or truncated (its header promises "
                                        "485 cases): ")


def test_truncated_por_fails_while_reading(tmp_path):
    # A portable file states no case count, so the damage shows only when its rows are read.
    path = tmp_path / "whole.por"
    pyreadstat.write_por(pd.DataFrame({"a": [float(i) for i in range(3000)]}), path)
    cut = write(tmp_path, "cut.por", path.read_bytes()[:5000])
    with pytest.raises(ReadError, match=r"^cut\.por is not a readable SPSS file: reading stopped "
                                        r"after case 0: .*Open it in SPSS or PSPP"):
        list(read_table(cut).rows)


def test_random_bytes_dta(tmp_path):
    with pytest.raises(ReadError, match=r"^random\.dta is not a readable Stata file"):
        read_table(write(tmp_path, "random.dta", os.urandom(4096)))


def test_spss_unknown_encoding():
    with pytest.raises(ReadError, match=r"^sample\.sav is not a readable SPSS file: .*character "
                                        r"set"):
        read_table(SPSS / "sample.sav", encoding="no-such-encoding")


# --- JSON lines ---------------------------------------------------------------------------------


SUBMISSION = {"submission_id": "5b1f", "questionnaire": "zusammen", "version": "1",
              "language": "de", "mode": "web", "submitted": "2026-05-03",
              "answers": {"age": 34, "needs": ["housing", "work"], "city": {"name": "Leipzig"}}}


def jsonl(tmp_path: Path, *lines: str | dict, name: str = "s.jsonl") -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                     for line in lines)
    return write(tmp_path, name, text + "\n")


def test_online_form_submissions(tmp_path):
    second = {"submission_id": "77aa", "language": "ru", "answers": {"comment": "Привет",
                                                                     "age": None}}
    table = read_table(jsonl(tmp_path, SUBMISSION, "", second, name="form.ndjson"))
    assert (table.kind, table.header_rows, table.encoding) == ("jsonl", 0, "utf-8")
    assert [(c.name, c.position) for c in table.columns] == [
        ("submission_id", "submission_id"), ("questionnaire", "questionnaire"),
        ("version", "version"), ("language", "language"), ("mode", "mode"),
        ("submitted", "submitted"), ("age", "answers.age"), ("needs", "answers.needs"),
        ("city", "answers.city"), ("comment", "answers.comment")]
    first, other = rows(table)
    assert first.number == 1
    assert first.values == ("5b1f", "zusammen", "1", "de", "web", "2026-05-03", 34,
                            ["housing", "work"], {"name": "Leipzig"}, None)
    assert other.number == 3  # the blank line 2 is skipped, line numbers stay true
    assert other.values == ("77aa", None, None, "ru", None, None, None, None, None, "Привет")


def test_flat_objects(tmp_path):
    table = read_table(jsonl(tmp_path, {"id": 1, "q1": "ja"}, {"id": 2, "q2": 3.5}))
    assert names(table) == ["id", "q1", "q2"]
    assert [r.values for r in rows(table)] == [(1, "ja", None), (2, None, 3.5)]


def test_broken_lines_become_problem_rows(tmp_path):
    path = jsonl(tmp_path, SUBMISSION, "{not json", "[1, 2]", '"text"',
                 {"answers": [1]}, {"language": "de", "answers": {"language": "ru"}})
    with path.open("ab") as handle:
        handle.write(b'{"age": "\xe4"}\n')
    table = read_table(path)
    data = rows(table)
    assert [r.number for r in data] == [1, 2, 3, 4, 5, 6, 7]
    assert data[0].problem is None
    assert [r.problem for r in data[1:]] == [
        "line 2 is not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        "line 3 is an array, not a JSON object",
        "line 4 is a string, not a JSON object",
        'line 5: "answers" is an array, not an object',
        'line 6: language given both beside and inside "answers", with different values',
        "line 7 is not valid utf-8 text (byte 0xE4 at position 10 of the line)",
    ]
    assert all(r.values == (None,) * len(table.columns) for r in data[1:])
    assert data[1].extra == ("{not json",)
    assert table.notes == ["6 lines are not valid submissions (lines 2, 3, 4, 5, 6, 7); they "
                           "are passed on as problem rows"]


def test_jsonl_with_byte_order_mark(tmp_path):
    path = write(tmp_path, "b.jsonl", b"\xef\xbb\xbf" + json.dumps({"a": 1}).encode() + b"\r\n")
    assert [r.values for r in rows(read_table(path))] == [(1,)]


def test_jsonl_only_blank_lines(tmp_path):
    with pytest.raises(ReadError, match=r"^blank\.jsonl is empty: it contains only blank lines"):
        read_table(write(tmp_path, "blank.jsonl", "\n  \n\n"))


# --- any file ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["e.csv", "e.xlsx", "e.ods", "e.sav", "e.dta", "e.jsonl"])
def test_empty_file(tmp_path, name):
    with pytest.raises(ReadError) as caught:
        read_table(write(tmp_path, name, b""))
    assert str(caught.value) == f"{name} is empty (0 bytes); export it again from the source"


def test_unknown_extension(tmp_path):
    with pytest.raises(ReadError) as caught:
        read_table(write(tmp_path, "answers.docx", b"x"))
    assert str(caught.value) == (
        "answers.docx: files ending in '.docx' cannot be imported; supported are .csv, .tsv, "
        ".txt, .xlsx, .xlsm, .xls, .ods, .sav, .zsav, .por, .dta, .jsonl, .ndjson. Save the file "
        "in one of these formats")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match=r"^nowhere\.csv: .* does not exist; check the path"):
        read_table(tmp_path / "nowhere.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ReadError, match=r"^folder\.csv: .* is a folder, not a file"):
        read_table(tmp_path / "folder.csv")


def test_extension_is_case_insensitive(tmp_path):
    assert read_table(write(tmp_path, "A.CSV", "a\n1\n")).kind == "csv"
    assert read_table(partner_workbook(tmp_path / "P.XLSX")).kind == "xlsx"


def test_sheet_and_encoding_options_that_do_not_apply(tmp_path):
    table = read_table(write(tmp_path, "a.csv", "a\n1\n"), sheet="Daten")
    assert "--sheet Daten ignored: a csv file has no sheets" in table.notes
    table = read_table(partner_workbook(tmp_path / "p.xlsx"), encoding="cp1251")
    assert "--encoding cp1251 ignored: a spreadsheet names its own encoding" in table.notes


BAD_INPUTS = {
    "truncated.xlsx": lambda p: p.write_bytes(io.BytesIO(b"PK\x03\x04" + bytes(100)).getvalue()),
    "random.sav": lambda p: p.write_bytes(os.urandom(2048)),
    "random.zsav": lambda p: p.write_bytes(os.urandom(2048)),
    "random.por": lambda p: p.write_bytes(os.urandom(2048)),
    "random.xls": lambda p: p.write_bytes(os.urandom(2048)),
    "random.ods": lambda p: p.write_bytes(os.urandom(2048)),
    "random.csv": lambda p: p.write_bytes(bytes(range(128, 256)) * 4),
    "nul.tsv": lambda p: p.write_bytes(b"a\tb\n\x00\x01\x02\n"),
    "random.jsonl": lambda p: p.write_bytes(b"\n"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_a_read_error_naming_the_file(tmp_path, name):
    path = tmp_path / name
    BAD_INPUTS[name](path)
    with pytest.raises(ReadError) as caught:
        table = read_table(path)
        list(table.rows)
    assert str(caught.value).startswith(name)
