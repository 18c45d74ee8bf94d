"""A workbook whose sheet is a pivot table (a summary of the answers, not one row per respondent)
is refused with what it is and where the data is; a data sheet beside it is read instead.

openpyxl cannot make pivot tables, so the workbooks are written with openpyxl and the pivot
parts added to the package by hand, as Excel writes them (ECMA-376 part 1, 18.10): the pivot
table part tied to its sheet by a relationship of type …/pivotTable, its cache definition and
records tied to the workbook (`<pivotCaches>`), and the content types. openpyxl reading the
parts back proves they follow the schema.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from survey.cli import cli
from survey.ingest.readers import ReadError, read_table
from survey.ingest.readers import pivot as pivot_module
from survey.ingest.readers.pivot import pivot_sheets
from tests.support import copy_flagship

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

DATA = [["Nr", "consent", "birth_year", "gender"], [1, "yes", 1980, "female"],
        [2, "yes", 1975, "male"], [3, "yes", 1990, "female"], [4, "yes", 1988, "male"]]
PIVOT = [[None, None], [None, None], ["Row Labels", "Count of gender"], ["female", 2],
         ["male", 2], ["Grand Total", 4]]

CACHE_DEFINITION = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheDefinition xmlns="{MAIN}" xmlns:r="{RELS}" r:id="rId1" refreshOnLoad="1"
 refreshedBy="Survey" refreshedDate="46000.5" createdVersion="6" refreshedVersion="6"
 minRefreshableVersion="3" recordCount="4">
<cacheSource type="worksheet"><worksheetSource ref="A1:D5" sheet="{{source}}"/></cacheSource>
<cacheFields count="4">
<cacheField name="Nr" numFmtId="0"><sharedItems containsSemiMixedTypes="0" containsString="0"
 containsNumber="1" containsInteger="1" minValue="1" maxValue="4"/></cacheField>
<cacheField name="consent" numFmtId="0"><sharedItems/></cacheField>
<cacheField name="birth_year" numFmtId="0"><sharedItems containsSemiMixedTypes="0"
 containsString="0" containsNumber="1" containsInteger="1" minValue="1975" maxValue="1990"/>
</cacheField>
<cacheField name="gender" numFmtId="0"><sharedItems count="2"><s v="female"/><s v="male"/>
</sharedItems></cacheField>
</cacheFields>
</pivotCacheDefinition>"""

CACHE_RECORDS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheRecords xmlns="{MAIN}" xmlns:r="{RELS}" count="4">
<r><n v="1"/><s v="yes"/><n v="1980"/><x v="0"/></r>
<r><n v="2"/><s v="yes"/><n v="1975"/><x v="1"/></r>
<r><n v="3"/><s v="yes"/><n v="1990"/><x v="0"/></r>
<r><n v="4"/><s v="yes"/><n v="1988"/><x v="1"/></r>
</pivotCacheRecords>"""

PIVOT_TABLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotTableDefinition xmlns="{MAIN}" name="PivotTable1" cacheId="1" applyNumberFormats="0"
 applyBorderFormats="0" applyFontFormats="0" applyPatternFormats="0" applyAlignmentFormats="0"
 applyWidthHeightFormats="1" dataCaption="Values" updatedVersion="6" minRefreshableVersion="3"
 useAutoFormatting="1" itemPrintTitles="1" createdVersion="6" indent="0" outline="1"
 outlineData="1" multipleFieldFilters="0">
<location ref="A3:B6" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>
<pivotFields count="4">
<pivotField showAll="0"/>
<pivotField showAll="0"/>
<pivotField showAll="0"/>
<pivotField axis="axisRow" dataField="1" showAll="0">
<items count="3"><item x="0"/><item x="1"/><item t="default"/></items></pivotField>
</pivotFields>
<rowFields count="1"><field x="3"/></rowFields>
<rowItems count="3"><i><x/></i><i><x v="1"/></i><i t="grand"><x/></i></rowItems>
<colItems count="1"><i/></colItems>
<dataFields count="1"><dataField name="Count of gender" fld="3" subtotal="count" baseField="0"
 baseItem="0"/></dataFields>
<pivotTableStyleInfo name="PivotStyleLight16" showRowHeaders="1" showColHeaders="1"
 showRowStripes="0" showColStripes="0" showLastColumn="1"/>
</pivotTableDefinition>"""


def _relationships(entries: list[tuple[str, str, str]]) -> str:
    lines = "".join(f'<Relationship Id="{rid}" Type="{RELS}/{kind}" Target="{target}"/>'
                    for rid, kind, target in entries)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PACKAGE_RELS}">{lines}</Relationships>')


def pivot_workbook(path: Path, *, data_sheet: bool, source: str = "Daten",
                   folder: str = "pivotTables", absolute: bool = False) -> Path:
    """A workbook whose first sheet, "Pivot", shows a pivot table of sheet `source`, with a
    data sheet "Daten" after it when `data_sheet`. `folder` and `absolute` vary where the
    pivot table part lies and how the relationships name it, as other programs do."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Pivot"
    for row in PIVOT:
        sheet.append(row)
    if data_sheet:
        data = book.create_sheet("Daten")
        for row in DATA:
            data.append(row)
    book.save(path)

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    workbook_rels = parts["xl/_rels/workbook.xml.rels"].decode()
    workbook = parts["xl/workbook.xml"].decode()
    sheet_rid = re.search(r'<sheet [^>]*name="Pivot"[^>]*r:id="([^"]+)"'
                          r'|<sheet [^>]*r:id="([^"]+)"[^>]*name="Pivot"', workbook)
    rid = sheet_rid.group(1) or sheet_rid.group(2)
    sheet_target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*/>', workbook_rels).group(0)
    sheet_part = re.search(r'Target="([^"]+)"', sheet_target).group(1)
    sheet_part = sheet_part.lstrip("/") if sheet_part.startswith("/") else f"xl/{sheet_part}"
    sheet_folder, sheet_name = posixpath.split(sheet_part)

    table_part = f"xl/{folder}/pivotTable1.xml"
    cache_part = "xl/pivotCache/pivotCacheDefinition1.xml"
    records_part = "xl/pivotCache/pivotCacheRecords1.xml"

    def target(part: str, start: str) -> str:
        return f"/{part}" if absolute else posixpath.relpath(part, start)

    parts[table_part] = PIVOT_TABLE.encode()
    parts[cache_part] = CACHE_DEFINITION.replace("{source}", source).encode()
    parts[records_part] = CACHE_RECORDS.encode()
    parts[f"xl/{folder}/_rels/pivotTable1.xml.rels"] = _relationships(
        [("rId1", "pivotCacheDefinition", target(cache_part, f"xl/{folder}"))]).encode()
    parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = _relationships(
        [("rId1", "pivotCacheRecords", target(records_part, "xl/pivotCache"))]).encode()
    sheet_rels = f"{sheet_folder}/_rels/{sheet_name}.rels"
    assert sheet_rels not in parts  # openpyxl writes none for a plain sheet
    parts[sheet_rels] = _relationships(
        [("rId1", "pivotTable", target(table_part, sheet_folder))]).encode()
    parts["xl/_rels/workbook.xml.rels"] = workbook_rels.replace(
        "</Relationships>", f'<Relationship Id="rIdPivotCache1" Type="{RELS}/'
        f'pivotCacheDefinition" Target="{target(cache_part, "xl")}"/></Relationships>').encode()
    # <pivotCaches> follows <calcPr>, the last element openpyxl writes.
    assert workbook.rstrip().endswith("</workbook>") and "<calcPr" in workbook
    parts["xl/workbook.xml"] = workbook.replace(
        "</workbook>", f'<pivotCaches xmlns:r="{RELS}"><pivotCache cacheId="1" '
        'r:id="rIdPivotCache1"/></pivotCaches></workbook>').encode()
    overrides = "".join(
        f'<Override PartName="/{part}" ContentType="{CONTENT}.{kind}+xml"/>'
        for part, kind in ((table_part, "pivotTable"), (cache_part, "pivotCacheDefinition"),
                           (records_part, "pivotCacheRecords")))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].decode().replace(
        "</Types>", f"{overrides}</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize("absolute", [False, True])
def test_the_built_workbook_holds_a_pivot_table_as_office_writes_it(tmp_path, absolute):
    path = pivot_workbook(tmp_path / "p.xlsx", data_sheet=True, absolute=absolute)
    book = load_workbook(path)  # openpyxl parses the pivot parts against its schema classes
    (pivot,) = book["Pivot"]._pivots
    assert pivot.name == "PivotTable1" and pivot.location.ref == "A3:B6"
    assert [f.axis for f in pivot.pivotFields] == [None, None, None, "axisRow"]
    assert pivot.dataFields[0].name == "Count of gender"
    assert pivot.cache.cacheSource.worksheetSource.sheet == "Daten"
    assert len(pivot.cache.records.r) == 4
    assert book["Daten"]._pivots == []
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        types = archive.read("[Content_Types].xml").decode()
    assert f"{CONTENT}.pivotTable+xml" in types


@pytest.mark.parametrize(("folder", "absolute"), [("pivotTables", False), ("pivot", True)])
def test_pivot_sheets_are_found_by_their_relationships(tmp_path, folder, absolute):
    both = pivot_workbook(tmp_path / "both.xlsx", data_sheet=True, folder=folder,
                          absolute=absolute)
    assert pivot_sheets(both) == {"Pivot": "Daten"}
    alone = pivot_workbook(tmp_path / "alone.xlsx", data_sheet=False, source="Tabelle1")
    assert pivot_sheets(alone) == {"Pivot": None}  # its source is not in the workbook


def test_openpyxl_is_asked_only_when_the_parts_cannot_be_followed(tmp_path, monkeypatch):
    path = pivot_workbook(tmp_path / "p.xlsx", data_sheet=True)

    def unusual(_):
        raise pivot_module._Unusual("test")

    monkeypatch.setattr(pivot_module, "_from_parts", unusual)
    assert pivot_sheets(path) == {"Pivot": "Daten"}


def test_a_plain_workbook_has_no_pivot_sheets(tmp_path):
    book = Workbook()
    for row in DATA:
        book.active.append(row)
    book.save(tmp_path / "plain.xlsx")
    assert pivot_sheets(tmp_path / "plain.xlsx") == {}


def test_a_workbook_of_only_a_pivot_table_is_refused_with_what_to_do(tmp_path):
    path = pivot_workbook(tmp_path / "summary.xlsx", data_sheet=False)
    with pytest.raises(ReadError) as refused:
        read_table(path)
    message = str(refused.value)
    assert message.startswith("summary.xlsx, sheet 'Pivot': this sheet holds a pivot table, a "
                              "summary of the answers, not one row per respondent")
    assert "source data" in message and "one row per respondent" in message
    assert "--sheet NAME" in message and "the sheets are 'Pivot'" in message


def test_the_chooser_passes_over_the_pivot_table_to_the_data(tmp_path):
    table = read_table(pivot_workbook(tmp_path / "both.xlsx", data_sheet=True))
    assert table.sheet == "Daten"
    assert [c.name for c in table.columns] == DATA[0]
    assert [r.values for r in table.rows] == [tuple(row) for row in DATA[1:]]
    assert ("sheet 'Pivot' passed over: it holds a pivot table (a summary of the answers, not "
            "one row per respondent)") in table.notes


def test_choosing_the_pivot_sheet_names_the_sheet_of_its_source_data(tmp_path):
    with pytest.raises(ReadError) as refused:
        read_table(pivot_workbook(tmp_path / "both.xlsx", data_sheet=True), sheet="Pivot")
    assert str(refused.value).endswith("Its source data, one row per respondent, is on sheet "
                                       "'Daten': import that sheet with --sheet \"Daten\"")


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "project"
    (folder / "questionnaires").mkdir(parents=True)
    copy_flagship(folder / "questionnaires")
    return folder


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_the_command_refuses_a_pivot_table_with_exit_1_and_stores_nothing(project, tmp_path,
                                                                          stored):
    summary = pivot_workbook(tmp_path / "summary.xlsx", data_sheet=False)
    result = run("ingest", project, summary)
    assert result.exit_code == 1
    assert "summary.xlsx, sheet 'Pivot'" in result.output and "pivot table" in result.output
    assert "--sheet NAME" in result.output
    assert "Nothing of summary.xlsx was stored." in result.output
    assert "Traceback" not in result.output
    assert stored(project) == (0, 0)
    assert not list(project.glob("imports/*"))


def test_the_command_reads_the_data_sheet_beside_a_pivot_table(project, tmp_path, stored):
    both = pivot_workbook(tmp_path / "both.xlsx", data_sheet=True)
    result = run("ingest", project, both)
    assert "both.xlsx (sheet Daten): 4 rows read (xlsx)" in result.output
    assert "sheet 'Pivot' passed over" in result.output
    assert stored(project)[0] == 4
    before = stored(project)
    refused = run("ingest", project, both, "--sheet", "Pivot")
    assert refused.exit_code == 1 and "--sheet \"Daten\"" in refused.output
    assert stored(project) == before


def test_the_refusal_is_in_german_when_asked(project, tmp_path):
    summary = pivot_workbook(tmp_path / "summary.xlsx", data_sheet=False)
    result = run("ingest", project, summary, "--report-language", "de")
    assert result.exit_code == 1
    assert ("Fehler: summary.xlsx, Tabellenblatt 'Pivot': dieses Tabellenblatt enthält eine "
            "Pivot-Tabelle") in result.output
    assert "Von summary.xlsx wurde nichts gespeichert." in result.output


def test_a_pasted_summary_put_first_is_passed_over_for_the_sheet_with_answers(project, tmp_path,
                                                                              stored):
    """A summary copied as plain values (no pivot parts) on the first sheet: the first sheet
    whose columns answer questions is read, and the summary says so."""
    book = Workbook()
    book.active.title = "Übersicht"
    for row in PIVOT:
        book.active.append(row)
    data = book.create_sheet("Daten")
    for row in DATA:
        data.append(row)
    path = tmp_path / "pasted.xlsx"
    book.save(path)
    result = run("ingest", project, path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "pasted.xlsx (sheet Daten): 4 rows read (xlsx)" in result.output
    assert "sheet 'Daten' read: the sheet 'Übersicht' matches no question" in result.output
    assert stored(project) == (0, 0)
